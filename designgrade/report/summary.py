"""What the batch reports say, independent of their format.

- :func:`design_view`: everything one design's report shows (verdict, sections, criteria
  met and missed, findings with why/fix/sources, trade-offs, manual scores), as plain
  data that the HTML and Markdown writers lay out. Nothing here escapes: each writer
  escapes candidate text for its own language.
- :func:`summary_row`, :func:`summary_csv`: one row per submission for index.html and
  summary.csv.
- :func:`load_results`, :func:`compare`, :func:`compare_lines`, :func:`compare_csv`:
  regrading after a rubric change, against a results.jsonl of an earlier run.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

SEVERITY_ORDER = ("error", "warning", "info")


MAX_REPORT_FINDINGS = 300  # per list (findings, trade-offs) in HTML and Markdown reports


def num(value: Optional[float]) -> str:
    """71.5 -> '71.5', 78.0 -> '78', None -> '–'."""
    if value is None:
        return "\u2013"
    return f"{value:.1f}".rstrip("0").rstrip(".") or "0"


def _percent(points: float, maximum: float) -> Optional[float]:
    return 100.0 * points / maximum if maximum else None


# --- one design ---------------------------------------------------------------------------


def _rule_docs(rule: str, checks: dict[str, Any]) -> tuple[str, list[str]]:
    """(why, sources) of a rule, or of a rubric check (its rationale)."""
    from ..registry import find_rule

    found = find_rule(rule)
    if found is not None:
        sections = found.sections()
        why = " ".join(sections.get("Why is this bad?", "").split())
        sources: list[str] = []
        for line in sections.get("References", "").splitlines():
            text = line.strip()
            if text.startswith(("- ", "* ")):
                sources.append(text[2:].strip())
            elif text and sources:  # a wrapped item goes on
                sources[-1] += " " + text
            elif text:
                sources.append(text)
        return why, sources
    check = checks.get(rule)
    if check is not None:
        return " ".join(str(check.rationale).split()), ["this rubric's own check"]
    return "", []


def design_view(graded: Any, rubric: Any = None) -> dict[str, Any]:
    """Everything a report shows about one graded design, in reading order."""
    report, score = graded.report, graded.score
    checks = {c.id: c for c in getattr(rubric, "checks", [])} if rubric is not None else {}
    criteria_meta = ({c.id: c for s in rubric.sections for c in s.criteria} if rubric is not None else {})
    bars = getattr(rubric, "bars", {}) if rubric is not None else {}

    verdicts = []
    for level, bar in score.bars.items():
        verdicts.append({
            "level": level, "verdict": score.verdict.get(level, "below"), "percent": bar.get("percent"),
            "min_score": bar.get("min_score"), "blocking": list(bar.get("blocking") or []),
            "below_min_score": bool(bar.get("below_min_score")), "provisional": bool(bar.get("provisional")),
        })
    met_levels = [v["level"] for v in verdicts if v["verdict"] == "meets"]
    headline = " · ".join(f"{'Meets' if v['verdict'] == 'meets' else 'Below'} {v['level']}" for v in verdicts)
    overall = "meets" if verdicts and all(v["verdict"] == "meets" for v in verdicts) else \
        "partial" if met_levels else "below"

    def criterion(c: Any) -> dict[str, Any]:
        meta = criteria_meta.get(c.id)
        must = [level for level, bar in bars.items() if c.id in bar.must_pass]
        return {
            "id": c.id, "title": c.title, "points": c.points, "earned": c.earned, "scored_by": c.scored_by,
            "fired": list(c.fired), "acknowledged": list(c.acknowledged), "comment": c.comment,
            "source": c.source, "level": c.level, "passed": c.passed, "must_pass_for": must,
            "guidance": getattr(meta, "guidance", None), "manual": c.manual,
            "status": getattr(c, "status", ""), "evidence": list(getattr(c, "evidence", [])),
            "reasons": list(getattr(c, "reasons", [])), "na": getattr(c, "scored_by", "") == "n/a",
        }

    sections = []
    for s in score.sections:
        items = [criterion(c) for c in s.criteria]
        sections.append({
            "id": s.id, "title": s.title, "weight": s.weight, "points": s.points, "max": s.max,
            "percent": s.percent,
            "met": [c for c in items if c["earned"] is not None and c["earned"] + 1e-9 >= c["points"]],
            "missed": [c for c in items if c["earned"] is not None and c["earned"] + 1e-9 < c["points"]],
            "unscored": [c for c in items if c["earned"] is None and not c["na"]],
            "na": [c for c in items if c["na"]],
        })

    findings, tradeoffs = [], []
    omitted = 0
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    for f in sorted(report.findings, key=lambda f: (rank.get(f.severity, 3), f.line, f.column)):
        why, sources = _rule_docs(f.rule, checks)
        item = {
            "severity": f.severity, "code": f.code, "rule": f.rule, "pillar": f.pillar, "level": f.level,
            "message": f.message, "fix": f.fix, "line": f.line, "column": f.column, "component": f.component,
            "location": f"{report.file}:{f.line}:{f.column}", "why": why, "sources": sources,
            "acknowledged": f.acknowledged, "reason": f.reason,
        }
        bucket = tradeoffs if f.acknowledged else findings
        if len(bucket) >= MAX_REPORT_FINDINGS:
            omitted += 1  # the JSON report keeps them all; a readable report does not need 10,000
            continue
        bucket.append(item)

    manual = [c for s in sections for c in s["met"] + s["missed"] if c["scored_by"] == "manual"]
    unscored = [c for s in sections for c in s["unscored"]]
    problem = None
    if report.unreadable:
        first = report.findings[0] if report.findings else None
        problem = (f"{report.file}:{first.line}:{first.column}: {first.message}" if first
                   else f"{report.file}: the file could not be read")
    return {
        "file": report.file,
        "title": report.title or "(untitled)",
        "untitled": not report.title,
        "unreadable": report.unreadable,
        "problem": problem,
        "rubric": score.rubric,
        "rubric_title": getattr(rubric, "title", None),
        "points": score.points,
        "max": score.max,
        "percent": _percent(score.points, score.max),
        "verdicts": verdicts,
        "headline": headline,
        "overall": overall,
        "blocking": list(score.verdict.get("blocking") or []),
        "weakest": score.weakest,
        "maturity": score.maturity,
        "counts": report.counts(),
        "hidden": report.hidden,
        "sections": sections,
        "findings": findings,
        "findings_omitted": omitted,
        "tradeoffs": tradeoffs,
        "manual": manual,
        "unscored": unscored,
        "range": list(score.range) if getattr(score, "range", None) else None,
        "provisional": bool(score.verdict.get("provisional")),
        "capped": getattr(score, "capped", None),
        "feedback": _feedback(score, report),
        "questions": _questions(report, rubric),
        "strengths": _strengths(score),
        "manual_scored": _manual_scored(score),
    }


def _strengths(score: Any) -> list[dict[str, Any]]:
    from ..rubric.score import strengths

    return strengths(score) if hasattr(score, "sections") else []


def _feedback(score: Any, report: Any) -> Optional[dict[str, Any]]:
    if not hasattr(score, "sections") or report.unreadable:
        return None
    from .feedback import draft_feedback

    return draft_feedback(score, report.title or "")


def _questions(report: Any, rubric: Any) -> list[dict[str, Any]]:
    """The follow-up questions an interviewer can ask of this design, at the rubric's level."""
    from ..drill import drill
    from ..findings import level_rank

    bars = list(getattr(rubric, "bars", {}) or [])
    level = max(bars, key=level_rank) if bars else "L6"
    return [q.to_dict() for q in drill(getattr(report, "analysis", None), report.findings, level=level, limit=6)]


def _manual_scored(score: Any) -> str:
    """k/n: how many of the rubric's manual criteria the interviewer scored."""
    manual = [c for s in score.sections for c in s.criteria if c.manual]
    done = [c for c in manual if c.scored_by == "manual"]
    return f"{len(done)}/{len(manual)}"


# --- the batch summary --------------------------------------------------------------------


def summary_row(graded: Any, links: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """One submission's row of index.html and summary.csv."""
    report, score = graded.report, graded.score
    return {
        "file": report.file,
        "title": report.title or "(untitled)",
        "untitled": not report.title,
        "unreadable": report.unreadable,
        "points": score.points,
        "max": score.max,
        "percent": _percent(score.points, score.max),
        "sections": [{"id": s.id, "title": s.title, "weight": s.weight, "points": s.points, "max": s.max,
                      "percent": s.percent}
                     for s in score.sections],
        "verdicts": {level: score.verdict.get(level, "below") for level in score.bars},
        "blocking": list(score.verdict.get("blocking") or []),
        "counts": report.counts(),
        "acknowledged": sum(1 for f in report.findings if f.acknowledged),
        "timed_out": getattr(graded, "kind", None) == "timeout",  # batch.NotGraded: over its time budget
        "links": dict(links or {}),
        "range": list(score.range) if getattr(score, "range", None) else None,
        "provisional": bool(score.verdict.get("provisional")),
        "manual_scored": _manual_scored(score),
        "blocking_criteria": list(score.verdict.get("blocking_criteria") or []),
        "weakest": getattr(score, "weakest", None),
        "not_a_design": None,
    }


def not_a_design_row(file: str, reason: str) -> dict[str, Any]:
    """The row of a YAML file in a submissions folder that is plainly not a design (a scores
    file, a CI config): listed and counted, never graded as a candidate."""
    return {
        "file": file, "title": "(not a design)", "untitled": True, "unreadable": False, "points": None,
        "max": None, "percent": None, "sections": [], "verdicts": {}, "blocking": [], "counts":
        {s: 0 for s in SEVERITY_ORDER}, "acknowledged": 0, "timed_out": False, "links": {}, "range": None,
        "provisional": False, "manual_scored": "", "blocking_criteria": [], "weakest": None, "not_a_design": reason,
    }


def batch_totals(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    bars: dict[str, int] = {}
    for row in rows:
        for level, verdict in row["verdicts"].items():
            bars[level] = bars.get(level, 0) + (verdict == "meets")
    designs = [r for r in rows if not r.get("not_a_design")]
    return {
        "designs": len(designs),
        "not_designs": len(rows) - len(designs),
        "meets": bars,
        "unreadable": sum(1 for r in rows if r["unreadable"]),
        "timed_out": sum(1 for r in rows if r.get("timed_out")),
        "counts": {s: sum(r["counts"][s] for r in rows) for s in SEVERITY_ORDER},
    }


def _cell(text: Any) -> str:
    """A CSV text cell that a spreadsheet never evaluates as a formula (OWASP CSV injection)."""
    from ..textsafe import csv_cell

    return csv_cell(text)


def summary_csv(rows: Sequence[dict[str, Any]]) -> str:
    section_ids: list[str] = []
    levels: list[str] = []
    for row in rows:
        for s in row["sections"]:
            if s["id"] not in section_ids:
                section_ids.append(s["id"])
        for level in row["verdicts"]:
            if level not in levels:
                levels.append(level)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "title", "status", "points", "max", "percent", *map(_cell, section_ids),
                     *map(_cell, levels), "provisional", "blocking", "blocking_criteria", "weakest_section",
                     "manual_scored", "errors", "warnings", "info", "acknowledged", "unreadable", "report"])
    for row in rows:
        by_id = {s["id"]: s for s in row["sections"]}
        if row.get("not_a_design"):
            status = "not a design"
        elif row.get("timed_out"):
            status = "timed out"
        else:
            status = "unreadable" if row["unreadable"] else "graded"
        weakest = row.get("weakest") or {}
        writer.writerow([
            _cell(row["file"]), _cell(row["title"]), status,
            "" if row["points"] is None else num(row["points"]), "" if row["max"] is None else num(row["max"]),
            "" if row["percent"] is None else f"{row['percent']:.1f}",
            *["" if sid not in by_id or not by_id[sid]["max"] else num(by_id[sid]["points"]) for sid in section_ids],
            *[_cell(row["verdicts"].get(level, "")) for level in levels],
            "yes" if row.get("provisional") else "no",
            _cell(" ".join(row["blocking"])), _cell(" ".join(row.get("blocking_criteria") or [])),
            _cell(weakest.get("id", "")), _cell(row.get("manual_scored") or ""),
            row["counts"]["error"], row["counts"]["warning"], row["counts"]["info"], row["acknowledged"],
            "yes" if row["unreadable"] else "no",
            _cell(next(iter(row["links"].values()), "")),
        ])
    return out.getvalue()


# --- regrading: compare with an earlier results.jsonl ------------------------------------


class CompareError(Exception):
    """The --compare file cannot be used; the message names file:line and what to do."""


@dataclass
class Earlier:
    file: str
    title: Optional[str]
    points: float
    max: float
    verdicts: dict[str, str]
    manual: tuple[str, ...] = ()  # the manual criteria the interviewer scored in that run


MAX_RESULTS_BYTES = 256 * 1024 * 1024  # a results.jsonl of 10,000 submissions is a few tens of MB


def load_results(path: str) -> list[Earlier]:
    """The submissions of an earlier run's results.jsonl (one cli.md JSON object a line)."""
    import math

    from ..fileio import ReadError, read_limited
    from ..textsafe import show_name

    hint = "give the results.jsonl of an earlier 'designgrade grade --out' run"
    shown = show_name(path)
    try:
        raw = read_limited(path, MAX_RESULTS_BYTES)
    except ReadError as exc:
        raise CompareError(f"{shown}: cannot read the earlier results: {exc.reason}; {hint}") from None
    if len(raw) > MAX_RESULTS_BYTES:
        raise CompareError(f"{shown}: larger than {MAX_RESULTS_BYTES // (1024 * 1024)} MiB, more than any results "
                           f"file; {hint}")
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise CompareError(f"{shown}: cannot read the earlier results: not UTF-8 text; {hint}") from None

    def number(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError("not a number")
        result = float(value)  # OverflowError for a 400-digit integer
        if not math.isfinite(result):
            raise ValueError("not finite")
        return result

    found: list[Earlier] = []
    for number_, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            score = data["score"]
            verdict = score.get("verdict") or {}
            found.append(Earlier(
                file=str(data["file"]), title=None if data.get("title") is None else str(data.get("title")),
                points=number(score["points"]), max=number(score.get("max") or 0),
                verdicts={str(k): str(v) for k, v in verdict.items() if k != "blocking" and isinstance(v, str)},
                manual=tuple(str(m) for m in score.get("manual") or () if isinstance(m, str)),
            ))
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError):
            raise CompareError(f"{shown}:{number_}:1: not a designgrade result (one JSON object with 'file' and "
                               f"'score' a line); {hint}") from None
    return found


@dataclass
class Change:
    file: str
    status: str  # "up", "down", "unchanged", "new" or "gone"
    title: Optional[str] = None
    old_points: Optional[float] = None
    new_points: Optional[float] = None
    old_max: Optional[float] = None
    new_max: Optional[float] = None
    old_verdicts: dict[str, str] = field(default_factory=dict)
    new_verdicts: dict[str, str] = field(default_factory=dict)
    old_manual: tuple[str, ...] = ()
    new_manual: tuple[str, ...] = ()

    def percent(self, which: str) -> Optional[float]:
        points = self.old_points if which == "old" else self.new_points
        maximum = self.old_max if which == "old" else self.new_max
        return None if points is None or not maximum else 100.0 * points / maximum

    @property
    def delta(self) -> Optional[float]:
        """The change of the total in percentage points of the maximum: one unit whether or not the
        rubric's maximum changed between the runs."""
        old, new = self.percent("old"), self.percent("new")
        return None if old is None or new is None else round(round(new, 1) - round(old, 1), 1)

    @property
    def verdicts_moved(self) -> bool:
        return self.old_verdicts != self.new_verdicts

    @property
    def manual_differs(self) -> bool:
        return self.status not in ("new", "gone") and set(self.old_manual) != set(self.new_manual)


def _key(path: str) -> str:
    return os.path.normpath(path)


def compare(earlier: Sequence[Earlier], graded: Iterable[Any]) -> list[Change]:
    """Per submission, how score and verdicts moved; submissions are matched by path, then
    by file name when that is unique on both sides. New ones in input order, then the ones gone."""
    graded = list(graded)
    old_by_key = {_key(e.file): e for e in earlier}
    matched: dict[int, Earlier] = {}
    for index, item in enumerate(graded):
        found = old_by_key.get(_key(item.report.file))
        if found is not None:
            matched[index] = found
    used = {id(e) for e in matched.values()}
    left_old = [e for e in earlier if id(e) not in used]
    old_names: dict[str, list[Earlier]] = {}
    for e in left_old:
        old_names.setdefault(os.path.basename(e.file), []).append(e)
    new_names: dict[str, int] = {}
    for index, item in enumerate(graded):
        if index not in matched:
            name = os.path.basename(item.report.file)
            new_names[name] = new_names.get(name, 0) + 1
    for index, item in enumerate(graded):
        name = os.path.basename(item.report.file)
        if index not in matched and new_names.get(name) == 1 and len(old_names.get(name, [])) == 1:
            matched[index] = old_names[name][0]
            used.add(id(old_names[name][0]))

    changes: list[Change] = []
    for index, item in enumerate(graded):
        score = item.score
        verdicts = {level: score.verdict.get(level, "below") for level in score.bars}
        manual = tuple(getattr(score, "manual", ()) or ())
        old = matched.get(index)
        if old is None:
            changes.append(Change(item.report.file, "new", item.report.title, new_points=score.points,
                                  new_max=score.max, new_verdicts=verdicts, new_manual=manual))
            continue
        change = Change(item.report.file, "unchanged", item.report.title, old.points, score.points, old.max,
                        score.max, old.verdicts, verdicts, old.manual, manual)
        delta = change.delta or 0.0
        change.status = "up" if delta > 0 else "down" if delta < 0 else "unchanged"
        changes.append(change)
    for e in earlier:
        if id(e) not in used:
            changes.append(Change(e.file, "gone", e.title, old_points=e.points, old_max=e.max,
                                  old_verdicts=e.verdicts, old_manual=e.manual))
    return changes


def _score_text(change: Change, which: str) -> str:
    points = change.new_points if which == "new" else change.old_points
    maximum = change.new_max if which == "new" else change.old_max
    percent = change.percent(which)
    if points is None:
        return "\u2013"
    return f"{num(points)}/{num(maximum)}" + ("" if percent is None else f" ({percent:.1f}%)")


def _verdict_moves(change: Change) -> str:
    moves, same = [], []
    for level in sorted(set(change.old_verdicts) | set(change.new_verdicts)):
        old, new = change.old_verdicts.get(level), change.new_verdicts.get(level)
        if old == new:
            same.append(f"{level} {new}")
        elif old is None:
            moves.append(f"{level} {new} (new bar)")
        elif new is None:
            moves.append(f"{level} was {old} (bar gone)")
        else:
            moves.append(f"{level} {old} -> {new}")
    return "; ".join(moves) if moves else "verdicts unchanged (" + ", ".join(same) + ")"


def _verdicts(verdicts: dict[str, str]) -> str:
    return ", ".join(f"{level} {v}" for level, v in sorted(verdicts.items()))


def compare_lines(changes: Sequence[Change]) -> list[str]:
    """Text lines for stdout, like ``alice.yaml: 71.5/100 (71.5%) -> 78/100 (78.0%), +6.5 percentage points;
    L6 below -> meets``, then a tally that counts every design."""
    from ..textsafe import terminal

    lines = []
    for c in changes:
        name = terminal(c.file)
        if c.status == "new":
            lines.append(f"new: {name}: {_score_text(c, 'new')}; {_verdicts(c.new_verdicts)}")
        elif c.status == "gone":
            lines.append(f"gone: {name}: was {_score_text(c, 'old')}; {_verdicts(c.old_verdicts)}")
        else:
            lines.append(f"{name}: {_score_text(c, 'old')} -> {_score_text(c, 'new')}, "
                         f"{c.delta or 0.0:+.1f} percentage points; {_verdict_moves(c)}")
    counted = {s: sum(1 for c in changes if c.status == s) for s in ("up", "down", "unchanged", "new", "gone")}
    moved = sum(1 for c in changes if c.status in ("up", "down", "unchanged") and c.verdicts_moved)
    lines.append(f"compared {len(changes)} designs: {counted['up']} up, {counted['down']} down, "
                 f"{counted['unchanged']} unchanged, {counted['new']} new, {counted['gone']} gone"
                 + (f"; {moved} changed a verdict" if moved else ""))
    differ = [c for c in changes if c.manual_differs]
    if differ:
        lines.append(f"warning: the manual scores differ between the runs for {len(differ)} design"
                     f"{'s' if len(differ) != 1 else ''} (e.g. {terminal(differ[0].file)}: "
                     f"{len(differ[0].old_manual)} manual criteria scored before, {len(differ[0].new_manual)} now); "
                     "part of the change comes from the scores file, not the designs: pass the same --scores")
    return lines


def compare_csv(changes: Sequence[Change]) -> str:
    """Per design: points and maximum of each run, both as percent, and the change in percentage points."""
    levels = sorted({level for c in changes for level in (*c.old_verdicts, *c.new_verdicts)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "title", "status", "old_points", "old_max", "old_percent", "new_points", "new_max",
                     "new_percent", "change_percentage_points", "manual_scores_differ",
                     *[_cell(f"{level}_old") for level in levels], *[_cell(f"{level}_new") for level in levels]])

    def cell(value: Optional[float], percent: bool = False) -> str:
        return "" if value is None else (f"{value:.1f}" if percent else num(value))

    for c in changes:
        writer.writerow([
            _cell(c.file), _cell(c.title or ""), c.status,
            cell(c.old_points), cell(c.old_max), cell(c.percent("old"), True),
            cell(c.new_points), cell(c.new_max), cell(c.percent("new"), True),
            "" if c.delta is None else f"{c.delta:+.1f}", "yes" if c.manual_differs else "no",
            *[_cell(c.old_verdicts.get(level, "")) for level in levels],
            *[_cell(c.new_verdicts.get(level, "")) for level in levels],
        ])
    return out.getvalue()
