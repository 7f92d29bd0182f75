"""`designgrade grade` on a terminal: per design, score, verdicts, sections, what was missed."""

from __future__ import annotations

from typing import Any, Iterable

from .text import _clean


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def design_block(graded: Any) -> list[str]:
    report = graded.report
    title = _clean(report.title or "(untitled)")
    lines = [f"{_clean(report.file)}: {title}"]
    lines += score_lines(graded.score)
    counts = report.counts()
    lines.append(f"  findings: {_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
                 f"{counts['info']} info (designgrade lint shows them)")
    return lines


def score_lines(score: Any) -> list[str]:
    """The score, each bar met or not and what blocks it, what was missed: shared by grade and lint --rubric."""
    lines: list[str] = []
    percent = f" ({100 * score.points / score.max:.0f}%)" if score.max else ""
    weakest = score.weakest
    weak = (f"   weakest section: {weakest['title']} {weakest['percent']:.0f}%"
            if weakest and weakest["percent"] < 100 else "")
    spread = (f", {score.range[0]:.0f}-{score.range[1]:.0f}% once the manual criteria are scored"
              if getattr(score, "range", None) else "")
    lines.append(f"  rubric {score.rubric}: {_num(score.points)}/{_num(score.max)}{percent}{spread}{weak}")
    if getattr(score, "capped", None):
        cap = score.capped
        lines.append(f"  capped at {_num(cap['at'])}% (it would be {_num(cap['uncapped'])}%) by {'a blocker' if len(cap['by']) == 1 else 'blockers'}: "
                     f"{', '.join(cap['by'])}")
    verdicts = " · ".join(f"{level} {score.verdict[level]}" + ("*" if score.bars[level].get("provisional") else "")
                          for level in score.bars)
    lines.append(f"  verdict: {verdicts}")
    errors = {c.id: c.errors for s in score.sections for c in s.criteria}
    for level, bar in score.bars.items():
        if score.verdict.get(level) == "meets":
            continue
        held = bar.get("blocking_criteria") or []
        if held:
            lines.append(f"    {level} blocked by must-pass " + ", ".join(
                f"{c} ({', '.join(errors.get(c) or [])})" for c in held))
        if bar["below_min_score"]:
            lines.append(f"    {level}: {bar['percent']}% of the points at that level, below the bar of "
                         f"{_num(bar['min_score'])}%")
    lines.append("  sections: " + " · ".join(
        f"{s.id} {_num(s.points)}/{_num(s.max)}" if s.max else f"{s.id} N/A" for s in score.sections))
    na = [c.id for s in score.sections for c in s.criteria if c.scored_by == "n/a"]
    if na:
        lines.append(f"  N/A for this design: {', '.join(na)}")
    missed = [c for s in score.sections for c in s.criteria
              if c.earned is not None and c.earned + 1e-9 < c.points]
    for c in missed:
        raised = getattr(c, "raised", c.fired)
        silent = [r for r in c.fired if r not in raised]
        parts = ([", ".join(raised)] if raised else []) + (
            [f"no evidence: {', '.join(silent)}"] if silent else [])
        if c.acknowledged:
            parts.append("acknowledged: " + ", ".join(c.acknowledged))
        why = "; ".join(parts) or "manual score"
        lines.append(f"  - {c.id}: {_num(c.earned or 0)}/{_num(c.points)} ({why})")
    if score.manual:
        lines.append(f"  manual scores: {', '.join(score.manual)}")
    if score.unscored:
        note = ("; verdicts marked * are provisional: these scores could flip them" if score.verdict.get("provisional")
                else "; they cannot change the verdicts")
        lines.append(f"  unscored manual criteria: {', '.join(score.unscored)} (score them with --scores){note}")
    if score.maturity is not None:
        m = score.maturity
        if m["level"] is None:
            lines.append(f"  MLOps maturity: {m['name']}")
        else:
            nxt = f"; for level {m['level'] + 1}: {', '.join(m['missing_for_next'])}" if m["missing_for_next"] else ""
            lines.append(f"  MLOps maturity: level {m['level']} ({m['name']}){nxt}")
    return lines


def render(graded: Iterable[Any], not_designs: Iterable[tuple[str, str]] = ()) -> str:
    graded = list(graded)
    not_designs = list(not_designs)
    lines: list[str] = []
    for item in graded:
        lines.extend(design_block(item))
        lines.append("")
    for file, why in not_designs:
        lines += [f"{_clean(file)}: not a design ({_clean(why)}); not graded", ""]
    bars: dict[str, int] = {}
    for item in graded:
        for level in item.score.bars:
            bars[level] = bars.get(level, 0) + (item.score.verdict[level] == "meets")
    unreadable = sum(1 for item in graded if item.report.unreadable)
    summary = f"{len(graded)} design{'s' if len(graded) != 1 else ''} graded: " + ", ".join(
        f"{count} meet {level}" for level, count in bars.items())
    if unreadable:
        summary += f"; {unreadable} unreadable"
    if not_designs:
        summary += f"; {len(not_designs)} not a design (listed, not graded)"
    lines.append(summary)
    return "\n".join(lines) + "\n"
