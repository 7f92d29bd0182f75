"""The rubric as study material: each criterion with its effective level, weight share and rules.

`designgrade rubrics show` and `designgrade explain <criterion>` read this; the formatting
lives in report/rubric_text.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..findings import level_rank
from .load import BUILTIN, builtin_rubrics, criterion_level, rule_levels
from .model import Criterion, Rubric, Section


@dataclass
class CriterionView:
    rubric: str
    section: Section
    criterion: Criterion
    level: str
    # Share of the whole rubric's points this criterion carries, in percent: what losing it costs.
    share: float
    must_pass_for: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.criterion.id


def criteria(rubric: Rubric) -> list[CriterionView]:
    levels = rule_levels(rubric)
    total_weight = sum(s.weight for s in rubric.sections) or 1.0
    views: list[CriterionView] = []
    for section in rubric.sections:
        section_points = sum(c.points for c in section.criteria) or 1.0
        for criterion in section.criteria:
            share = 100 * section.weight / total_weight * criterion.points / section_points
            must = [lvl for lvl, bar in rubric.bars.items() if criterion.id in bar.must_pass]
            views.append(CriterionView(rubric.id, section, criterion, criterion_level(criterion, levels),
                                       share, sorted(must, key=level_rank)))
    return views


def added_at(rubric: Rubric, level: str) -> list[CriterionView]:
    """Criteria that first count at `level`: what that bar asks beyond the one below it."""
    return [view for view in criteria(rubric) if view.level == level]


def find_criterion(name: str, rubric: Optional[Rubric] = None) -> list[CriterionView]:
    """The criterion with this id in the given rubric, else in every built-in one (one view each)."""
    rubrics = [rubric] if rubric is not None else builtin_rubrics()
    return [view for r in rubrics for view in criteria(r) if view.id == name]


def criterion_ids(rubric: Optional[Rubric] = None) -> list[str]:
    rubrics = [rubric] if rubric is not None else builtin_rubrics()
    return sorted({c.id for r in rubrics for s in r.sections for c in s.criteria})


def builtin_names() -> tuple[str, ...]:
    return tuple(BUILTIN)
