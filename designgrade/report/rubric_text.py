"""`designgrade rubrics show` and `designgrade explain <criterion>`: the rubric as something to study."""

from __future__ import annotations

from typing import Optional

from ..findings import level_rank
from ..registry import find_rule
from ..rubric.model import Rubric
from ..rubric.study import CriterionView, added_at, criteria


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _rule_line(name: str, rubric: Rubric) -> str:
    rule = find_rule(name)
    if rule is not None:
        return f"{rule.slug} ({rule.code}, {rule.severity}): {rule.summary}"
    check = next((c for c in rubric.checks if c.id == name), None)
    if check is not None:
        return f"{check.id} (rubric check, {check.severity}): {check.message}"
    return name


def _how_scored(view: CriterionView) -> str:
    c = view.criterion
    if c.manual:
        return "scored by the interviewer (--scores)"
    return ("partial credit: a share for each rule satisfied" if c.partial
            else "all or nothing: every rule satisfied")


def _below(rubric: Rubric, level: str) -> Optional[str]:
    lower = [lvl for lvl in rubric.bars if level_rank(lvl) < level_rank(level)]
    return max(lower, key=level_rank) if lower else None


def show_text(rubric: Rubric, markdown: bool = False) -> str:
    """Every section and criterion with its level, points, share, rules and guidance, then what each bar adds."""
    views = criteria(rubric)
    out: list[str] = []
    h1, h2, bullet = ("# ", "## ", "- ") if markdown else ("", "", "  ")
    out += [f"{h1}{rubric.id}: {rubric.title}", ""]
    if rubric.description:
        out += [" ".join(rubric.description.split()), ""]
    out.append(f"{h2}Bars" if markdown else "Bars")
    if markdown:
        out.append("")
    for level in sorted(rubric.bars, key=level_rank):
        bar = rubric.bars[level]
        out.append(f"{bullet}{level}: at least {_num(bar.min_score)}% of the points that count at {level}, "
                   f"and must pass {', '.join(bar.must_pass) or 'nothing'}")
    if rubric.blocker_cap is not None:
        out.append(f"{bullet}an error finding in a must-pass criterion caps the score at {_num(rubric.blocker_cap)}%")
    out.append("")
    for section in rubric.sections:
        total = sum(s.weight for s in rubric.sections)
        head = f"{section.id}: {section.title} (weight {_num(section.weight)}, {_num(100 * section.weight / total)}% of the score)"
        out += [f"{h2}{head}" if markdown else head, ""] if markdown else [head]
        for view in (v for v in views if v.section.id == section.id):
            out += _criterion_lines(view, rubric, markdown)
        out.append("")
    for level in sorted(rubric.bars, key=level_rank):
        lower = _below(rubric, level)
        if lower is None:
            continue
        adds = added_at(rubric, level)
        title = f"What {level} adds over {lower}"
        out += [f"{h2}{title}" if markdown else title, ""] if markdown else [title]
        if not adds:
            out.append(f"{bullet}no criterion of its own; the bar is higher ({_num(rubric.bars[level].min_score)}%)")
        for view in adds:
            kind = "manual" if view.criterion.manual else ", ".join(view.criterion.rules)
            must = f"; must pass for {', '.join(view.must_pass_for)}" if view.must_pass_for else ""
            out.append(f"{bullet}{view.id}: {view.criterion.title} ({kind}{must})")
        out.append("")
    out.append("designgrade explain CRITERION prints one criterion; designgrade explain RULE prints a rule.")
    return "\n".join(out).rstrip() + "\n"


def _criterion_lines(view: CriterionView, rubric: Rubric, markdown: bool) -> list[str]:
    c = view.criterion
    must = f", must pass for {', '.join(view.must_pass_for)}" if view.must_pass_for else ""
    head = (f"{c.id} [{view.level}, {_num(c.points)} pts, {_num(view.share)}% of the score{must}]: {c.title}")
    if markdown:
        lines = [f"- **{c.id}** ({view.level}, {_num(c.points)} pts, {_num(view.share)}% of the score{must}): {c.title}"]
        indent = "  - "
    else:
        lines = [f"  {head}"]
        indent = "      "
    if c.manual:
        lines.append(f"{indent}manual: {' '.join((c.guidance or 'no guidance given').split())}")
    else:
        lines += [f"{indent}{_rule_line(name, rubric)}" for name in c.rules]
    return lines


def criterion_text(views: list[CriterionView], rubrics: dict[str, Rubric]) -> str:
    """One criterion, as each rubric that has it defines it."""
    out: list[str] = []
    for view in views:
        c = view.criterion
        rubric = rubrics[view.rubric]
        head = f"{c.id}  (criterion of rubric {view.rubric}, section {view.section.id})"
        out += [head, "=" * len(head), "", c.title + ".", ""]
        must = f"; must pass for {', '.join(view.must_pass_for)}" if view.must_pass_for else ""
        out += [f"Counts from {view.level}: {_num(c.points)} points, {_num(view.share)}% of the score{must}.",
                f"How it is scored: {_how_scored(view)}.", ""]
        if c.manual:
            out += ["What earns the points", "---------------------", " ".join((c.guidance or "no guidance given").split()), ""]
        else:
            out += ["Rules", "-----"] + [f"- {_rule_line(name, rubric)}" for name in c.rules]
            out += ["", "designgrade explain RULE shows what satisfies each rule and how to fix it.", ""]
        out += ["Source", "------", c.source, ""]
    return "\n".join(out).rstrip() + "\n"
