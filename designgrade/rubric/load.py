"""Read a rubric (built-in name or file), validate it, and report every problem with line:col."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from ..findings import level_rank
from ..loader import Loaded, load_file, load_text
from ..registry import all_rules
from ..validate import Issue, validate_section
from .model import Rubric

BUILTIN = ("l5", "l6")


@dataclass(frozen=True)
class RubricProblem:
    line: int
    column: int
    message: str


class RubricError(Exception):
    """A rubric that cannot be used: every problem, each with a position."""

    def __init__(self, source: str, problems: list[RubricProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.lines()[0] if problems else source)

    def lines(self) -> list[str]:
        return [f"{self.source}:{p.line}:{p.column}: {p.message}" for p in self.problems]


def builtin_text(name: str) -> str:
    return resources.files("designgrade").joinpath("rubrics", f"{name}.yaml").read_text(encoding="utf-8")


def load_rubric(name_or_path: str) -> Rubric:
    """A built-in rubric by name (l5, l6) or a rubric file; raises RubricError."""
    key = name_or_path.lower()
    if key in BUILTIN and not Path(name_or_path).is_file():
        return parse_rubric(load_text(builtin_text(key)), f"rubrics/{key}.yaml")
    if not os.path.lexists(name_or_path):
        hint = f"; built-in rubrics: {', '.join(BUILTIN)}"
        raise RubricError(name_or_path, [RubricProblem(1, 1, f"no rubric file or built-in rubric '{name_or_path}'{hint}")])
    return parse_rubric(load_file(name_or_path), name_or_path)


def parse_rubric(loaded: Loaded, source: str) -> Rubric:
    problems = [RubricProblem(p.position.line, p.position.column, p.message) for p in loaded.problems]
    if loaded.fatal:
        raise RubricError(source, problems)
    issues: list[Issue] = []
    if not isinstance(loaded.data, dict):
        issues.append(Issue((), "a rubric is a mapping with rubric, id, title, sections and bars"))
        rubric = None
    else:
        rubric = validate_section(Rubric, loaded.data, (), issues, optional=False)
    if rubric is not None and not issues:
        issues.extend(_semantic_issues(rubric))
    elif isinstance(loaded.data, dict):
        issues.extend(_raw_rule_names(loaded.data))
    for issue in issues:
        position = loaded.position(issue.path)
        problems.append(RubricProblem(position.line, position.column, issue.message))
    if problems or rubric is None:
        raise RubricError(source, problems)
    return rubric


def criterion_level(criterion: Any, rule_levels: dict[str, str]) -> str:
    if criterion.level:
        return criterion.level
    levels = [rule_levels[r] for r in criterion.rules if r in rule_levels]
    return max(levels, key=level_rank) if levels else "L5"


def rule_levels(rubric: Rubric) -> dict[str, str]:
    levels = {r.slug: r.level for r in all_rules()}
    levels.update({a: r.level for r in all_rules() for a in r.aliases})
    levels.update({c.id: c.level for c in rubric.checks})
    return levels


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _semantic_issues(rubric: Rubric) -> list[Issue]:
    from ..model import KINDS

    issues: list[Issue] = []
    slugs = [r.slug for r in all_rules()] + [a for r in all_rules() for a in r.aliases]
    check_ids = [c.id for c in rubric.checks]
    levels = rule_levels(rubric)
    criteria: dict[str, tuple[Any, tuple[Any, ...]]] = {}
    section_ids: set[str] = set()
    total = sum(section.weight for section in rubric.sections)
    if rubric.sections and abs(total - 100) > 1e-6:
        # The score is out of the weights' sum: 105 would grade "105/105" and its percent bars shift.
        issues.append(Issue(("sections",), f"the section weights sum to {total:g}, not 100; a weight is the share "
                                           "of a 100-point score a section carries: make them sum to 100"))
    for s_index, section in enumerate(rubric.sections):
        if section.id in section_ids:
            issues.append(Issue(("sections", s_index, "id"), f"section id '{section.id}' is used twice"))
        section_ids.add(section.id)
        for c_index, criterion in enumerate(section.criteria):
            path = ("sections", s_index, "criteria", c_index)
            if criterion.id in criteria:
                issues.append(Issue(path + ("id",), f"criterion id '{criterion.id}' is used twice"))
            criteria[criterion.id] = (criterion, path)
            if criterion.manual and criterion.rules:
                issues.append(Issue(path + ("rules",), f"criterion '{criterion.id}' is manual: it cannot also "
                                                       "name rules; split it in two"))
            if not criterion.manual and not criterion.rules:
                issues.append(Issue(path, f"criterion '{criterion.id}' needs rules (automatic) or manual: true"))
            for r_index, name in enumerate(criterion.rules):
                if name not in slugs and name not in check_ids:
                    issues.append(Issue(path + ("rules", r_index), f"'{name}' is neither a rule nor a check of "
                                        f"this rubric{_did_you_mean(name, slugs + check_ids)}"))
    for level, bar in rubric.bars.items():
        for index, name in enumerate(bar.must_pass):
            where = ("bars", level, "must_pass", index)
            if name not in criteria:
                issues.append(Issue(where, f"bar {level} must pass '{name}', which is not a criterion"
                                    f"{_did_you_mean(name, list(criteria))}"))
                continue
            criterion = criteria[name][0]
            own = criterion_level(criterion, levels)
            if level_rank(own) > level_rank(level):
                issues.append(Issue(where, f"bar {level} cannot require '{name}', a criterion of level {own}"))
    for index, check in enumerate(rubric.checks):
        path = ("checks", index)
        if check.id in slugs:
            issues.append(Issue(path + ("id",), f"check id '{check.id}' is the slug of a built-in rule; "
                                                "choose another"))
        operators = [op for op in ("require", "forbid", "require_path", "forbid_path") if getattr(check, op)]
        if len(operators) != 1:
            issues.append(Issue(path, f"check '{check.id}' needs exactly one of require, forbid, require_path, "
                                      f"forbid_path (has {len(operators) or 'none'})"))
        for op in operators:
            spec = getattr(check, op)
            kinds = [spec.kind] if op in ("require", "forbid") else [spec.from_, spec.to]
            for key, kind in zip(("kind",) if op in ("require", "forbid") else ("from", "to"), kinds):
                if kind is not None and kind not in KINDS:
                    issues.append(Issue(path + (op, key), f"'{kind}' is not a component kind"
                                        f"{_did_you_mean(kind, list(KINDS))}"))
    return issues


def _raw_rule_names(data: dict[str, Any]) -> list[Issue]:
    """Unknown rule names, even when the rest of the rubric does not validate."""
    slugs = [r.slug for r in all_rules()] + [a for r in all_rules() for a in r.aliases]
    checks = data.get("checks")
    check_ids = [c.get("id") for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []
    issues = []
    sections = data.get("sections")
    for s_index, section in enumerate(sections if isinstance(sections, list) else []):
        criteria = section.get("criteria") if isinstance(section, dict) else None
        for c_index, criterion in enumerate(criteria if isinstance(criteria, list) else []):
            rules = criterion.get("rules") if isinstance(criterion, dict) else None
            for r_index, name in enumerate(rules if isinstance(rules, list) else []):
                if isinstance(name, str) and name not in slugs and name not in check_ids:
                    issues.append(Issue(("sections", s_index, "criteria", c_index, "rules", r_index),
                                        f"'{name}' is neither a rule nor a check of this rubric"
                                        f"{_did_you_mean(name, slugs + [str(c) for c in check_ids])}"))
    return issues


def builtin_rubrics() -> list[Rubric]:
    return [load_rubric(name) for name in BUILTIN]


def find_scores_target(name: str, candidates: list[str]) -> Optional[str]:
    """The one submission a scores-file key names (by path, file name or stem), or None when
    it names none or several (see scores_file.assign_scores, which reports both)."""
    from .scores_file import assign_scores

    try:
        assigned, _ = assign_scores({name: {}}, candidates)
    except RubricError:
        return None
    return next(iter(assigned), None)
