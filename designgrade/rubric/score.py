"""Score a linted design against a rubric: points per section, verdicts per bar.

Automatic criteria pass when none of their rules fires; with ``partial`` they earn the
share of their rules that do not fire. An acknowledged finding keeps
``acknowledged_credit`` of the points, and never blocks a verdict. A manual score (from a
scores file) always wins over the automatic one. Manual criteria without a score are left
out of points and max, and never block.

Each bar is judged on the criteria at or below its level, so a staff-only gap does not
hold back the senior bar; a design with no unacknowledged error or warning at a bar's
level earns every automatic point there and meets it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ..findings import Finding, level_rank
from .load import criterion_level, rule_levels
from .model import Criterion, Rubric


@dataclass
class ManualScore:
    score: float
    comment: Optional[str] = None


@dataclass
class CriterionResult:
    id: str
    title: str
    section: str
    level: str
    points: float
    earned: Optional[float]  # None: a manual criterion nobody scored
    verdict_credit: Optional[float]  # the share that counts for verdicts (acknowledged counts in full)
    manual: bool
    scored_by: str  # "auto", "manual" or "unscored"
    fired: list[str] = field(default_factory=list)  # unacknowledged rules that fired
    acknowledged: list[str] = field(default_factory=list)
    comment: Optional[str] = None
    source: str = ""

    @property
    def passed(self) -> Optional[bool]:
        if self.verdict_credit is None:
            return None
        return self.verdict_credit >= (0.5 if self.scored_by == "manual" else 1.0) - 1e-9


@dataclass
class SectionResult:
    id: str
    title: str
    weight: float
    points: float
    max: float
    criteria: list[CriterionResult]

    @property
    def percent(self) -> Optional[float]:
        return 100.0 * self.points / self.max if self.max else None


@dataclass
class Score:
    rubric: str
    points: float
    max: float
    sections: list[SectionResult]
    verdict: dict[str, Any]
    bars: dict[str, dict[str, Any]]
    weakest: Optional[dict[str, Any]]
    unscored: list[str]
    manual: list[str]
    maturity: Optional[dict[str, Any]] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "points": round(self.points, 1),
            "max": round(self.max, 1),
            "percent": round(100.0 * self.points / self.max, 1) if self.max else None,
            "sections": [
                {"id": s.id, "title": s.title, "weight": s.weight, "points": round(s.points, 1),
                 "max": round(s.max, 1), "percent": None if s.percent is None else round(s.percent, 1),
                 "criteria": [_criterion_dict(c) for c in s.criteria]}
                for s in self.sections
            ],
            "verdict": self.verdict,
            "bars": self.bars,
            "weakest_section": self.weakest,
            "manual": self.manual,
            "unscored": self.unscored,
            "maturity": self.maturity,
        }


def _criterion_dict(c: CriterionResult) -> dict[str, Any]:
    data = asdict(c)
    data["earned"] = None if c.earned is None else round(c.earned, 2)
    data.pop("verdict_credit")
    data["passed"] = c.passed
    return data


def _auto_credit(criterion: Criterion, findings: list[Finding], ack_credit: float) -> tuple[float, float, list[str], list[str]]:
    """(credit, credit for verdicts, fired unacknowledged, acknowledged) for an automatic criterion."""
    per_rule: list[tuple[float, float]] = []
    fired: list[str] = []
    acknowledged: list[str] = []
    for rule in criterion.rules:
        mine = [f for f in findings if f.rule == rule and f.severity != "info"]
        if any(not f.acknowledged for f in mine):
            fired.append(rule)
            per_rule.append((0.0, 0.0))
        elif mine:
            acknowledged.append(rule)
            per_rule.append((ack_credit, 1.0))
        else:
            per_rule.append((1.0, 1.0))
    if criterion.partial:
        credit = sum(c for c, _ in per_rule) / len(per_rule)
        verdict = sum(v for _, v in per_rule) / len(per_rule)
    else:
        credit = min(c for c, _ in per_rule)
        verdict = min(v for _, v in per_rule)
    return credit, verdict, fired, acknowledged


def score(rubric: Rubric, findings: list[Finding], manual: Optional[dict[str, ManualScore]] = None,
          unreadable: bool = False) -> Score:
    """Score findings against a rubric; an unreadable design earns no automatic point."""
    manual = manual or {}
    levels = rule_levels(rubric)
    sections: list[SectionResult] = []
    for section in rubric.sections:
        results = []
        for criterion in section.criteria:
            level = criterion_level(criterion, levels)
            given = manual.get(criterion.id)
            if given is not None:
                share = max(0.0, min(given.score / criterion.points, 1.0))
                result = CriterionResult(criterion.id, criterion.title, section.id, level, criterion.points,
                                         share * criterion.points, share, criterion.manual, "manual",
                                         comment=given.comment, source=criterion.source)
            elif criterion.manual:
                result = CriterionResult(criterion.id, criterion.title, section.id, level, criterion.points,
                                         None, None, True, "unscored", source=criterion.source)
            else:
                credit, verdict, fired, acked = _auto_credit(criterion, findings, rubric.acknowledged_credit)
                if unreadable:
                    credit, verdict, fired = 0.0, 0.0, ["invalid-yaml"]
                result = CriterionResult(criterion.id, criterion.title, section.id, level, criterion.points,
                                         credit * criterion.points, verdict, False, "auto", fired, acked,
                                         source=criterion.source)
            results.append(result)
        sections.append(_section_result(section.id, section.title, section.weight, results))

    points = sum(s.points for s in sections)
    maximum = sum(s.max for s in sections)
    bars: dict[str, dict[str, Any]] = {}
    verdict: dict[str, Any] = {}
    blocking: list[str] = []
    by_id = {c.id: c for s in sections for c in s.criteria}
    for level in sorted(rubric.bars, key=level_rank):
        bar = rubric.bars[level]
        percent = _bar_percent(rubric, sections, level)
        holding = []
        for name in bar.must_pass:
            result = by_id[name]
            if result.passed is False:
                holding.extend(result.fired or [result.id])
        below_score = percent is not None and percent + 1e-9 < bar.min_score
        meets = not holding and not below_score
        verdict[level] = "meets" if meets else "below"
        bars[level] = {"percent": None if percent is None else round(percent, 1), "min_score": bar.min_score,
                       "blocking": holding, "below_min_score": below_score}
        if not meets:
            blocking.extend(b for b in holding if b not in blocking)
    verdict["blocking"] = blocking
    weighted = [s for s in sections if s.percent is not None]
    weakest = min(weighted, key=lambda s: s.percent) if weighted else None  # type: ignore[arg-type, return-value]
    return Score(
        rubric=rubric.id, points=points, max=maximum, sections=sections, verdict=verdict, bars=bars,
        weakest=None if weakest is None else {"id": weakest.id, "title": weakest.title,
                                              "percent": round(weakest.percent or 0.0, 1)},
        unscored=[c.id for s in sections for c in s.criteria if c.scored_by == "unscored"],
        manual=[c.id for s in sections for c in s.criteria if c.scored_by == "manual"],
    )


def _section_result(sid: str, title: str, weight: float, results: list[CriterionResult]) -> SectionResult:
    scored = [c for c in results if c.earned is not None]
    total = sum(c.points for c in scored)
    earned = sum(c.earned or 0.0 for c in scored)
    if not total:
        return SectionResult(sid, title, weight, 0.0, 0.0, results)
    return SectionResult(sid, title, weight, weight * earned / total, weight, results)


def _bar_percent(rubric: Rubric, sections: list[SectionResult], level: str) -> Optional[float]:
    """The verdict score of a bar: criteria at or below its level, acknowledged counting in full."""
    points = maximum = 0.0
    for section in sections:
        mine = [c for c in section.criteria
                if level_rank(c.level) <= level_rank(level) and c.verdict_credit is not None]
        total = sum(c.points for c in mine)
        if not total:
            continue
        earned = sum(c.points * (c.verdict_credit or 0.0) for c in mine)
        points += section.weight * earned / total
        maximum += section.weight
    return 100.0 * points / maximum if maximum else None
