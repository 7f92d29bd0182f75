"""Score a linted design against a rubric: points from evidence, N/A left out, verdicts per bar.

An automatic criterion earns points only from the satisfied outcomes of its rules (a rule
that does not apply to the design is left out; a criterion none of whose rules applies is
N/A and leaves the maximum). A violated rule earns nothing, unless every finding it raised
is an acknowledged trade-off, which keeps ``acknowledged_credit`` of its share. ``partial``
criteria earn the mean over their applicable rules, the others the minimum. A manual score
(from a scores file) always wins; a manual criterion nobody scored is left out of points
and maximum, and the total carries the range the unscored ones could move it over.

A bar is met when the percent of the points at its level reaches its minimum and no
unacknowledged error finding sits in one of its must-pass criteria; warnings cost points
and never block. A verdict is provisional while the unscored manual criteria at its level
could still flip it (a bar held by a blocker, or out of their reach, is not).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ..findings import Finding, RuleResult, level_rank
from .load import criterion_level, rule_levels
from .model import Criterion, Rubric

SATISFIED, VIOLATED, NA = "satisfied", "violated", "not_applicable"


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
    earned: Optional[float]  # None: not counted (N/A, or a manual criterion nobody scored)
    verdict_credit: Optional[float]  # the share that counts for verdicts (acknowledged counts in full)
    manual: bool
    scored_by: str  # "auto", "manual", "unscored" or "n/a"
    fired: list[str] = field(default_factory=list)  # rules violated and not acknowledged
    raised: list[str] = field(default_factory=list)  # those of them with a finding (the others: no evidence)
    acknowledged: list[str] = field(default_factory=list)
    comment: Optional[str] = None
    source: str = ""
    status: str = ""  # satisfied, partial, violated, not_applicable, manual, unscored
    evidence: list[str] = field(default_factory=list)  # what the design shows (its strengths)
    reasons: list[str] = field(default_factory=list)  # why N/A, or why a rule counted as failed
    errors: list[str] = field(default_factory=list)  # rules with an unacknowledged error finding

    @property
    def passed(self) -> Optional[bool]:
        if self.verdict_credit is None:
            return None
        return self.verdict_credit >= (0.5 if self.scored_by == "manual" else 1.0) - 1e-9

    @property
    def applicable(self) -> bool:
        return self.scored_by != "n/a"


@dataclass
class SectionResult:
    id: str
    title: str
    weight: float
    points: float
    max: float
    criteria: list[CriterionResult]
    unscored_points: float = 0.0  # the points of unscored manual criteria

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
    range: Optional[tuple[float, float]] = None  # percent if every unscored criterion earned nothing / all
    maturity: Optional[dict[str, Any]] = None
    capped: Optional[dict[str, Any]] = None  # {"at": percent, "by": [rules], "uncapped": percent}

    @property
    def percent(self) -> Optional[float]:
        return 100.0 * self.points / self.max if self.max else None

    @property
    def provisional(self) -> bool:
        """Some verdict could still flip once the unscored manual criteria are scored."""
        return bool(self.verdict.get("provisional"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "points": round(self.points, 1),
            "max": round(self.max, 1),
            "percent": None if self.percent is None else round(self.percent, 1),
            "range": None if self.range is None else [round(self.range[0], 1), round(self.range[1], 1)],
            "provisional": self.provisional,
            "sections": [
                {"id": s.id, "title": s.title, "weight": s.weight, "points": round(s.points, 1),
                 "max": round(s.max, 1), "percent": None if s.percent is None else round(s.percent, 1),
                 "applicable": bool(s.max), "criteria": [_criterion_dict(c) for c in s.criteria]}
                for s in self.sections
            ],
            "capped": self.capped,
            "verdict": self.verdict,
            "bars": self.bars,
            "weakest_section": self.weakest,
            "manual": self.manual,
            "unscored": self.unscored,
            "strengths": strengths(self),
            "maturity": self.maturity,
        }


def _criterion_dict(c: CriterionResult) -> dict[str, Any]:
    data = asdict(c)
    data["earned"] = None if c.earned is None else round(c.earned, 2)
    data.pop("verdict_credit")
    data["passed"] = c.passed
    return data


def strengths(score: Score) -> list[dict[str, Any]]:
    """The evidence of satisfied criteria, as reports show a design's strengths."""
    out = []
    for s in score.sections:
        for c in s.criteria:
            if c.evidence and c.earned is not None and c.earned > 0:
                out.append({"criterion": c.id, "title": c.title, "section": s.id, "evidence": list(c.evidence)})
    return out


def _rule_share(name: str, outcomes: dict[str, RuleResult], findings: list[Finding], ack_credit: float,
                checks: set[str]) -> tuple[Optional[float], float, str, list[str], str, bool]:
    """(credit or None when N/A, credit for verdicts, status, evidence, reason, has an open error)."""
    mine = [f for f in findings if f.rule == name and f.severity != "info"]
    open_ = [f for f in mine if not f.acknowledged]
    error = any(f.severity == "error" for f in open_)
    if name in checks:  # a rubric's own check: it passes when it raises nothing
        if open_:
            return 0.0, 0.0, VIOLATED, [], "", error
        if mine:
            return ack_credit, 1.0, "acknowledged", [], "", False
        return 1.0, 1.0, SATISFIED, [f"the rubric's check '{name}' passes"], "", False
    result = outcomes.get(name)
    if result is None:
        return None, 1.0, NA, [], "the rule did not run (not selected)", False
    if result.status == NA:
        return None, 1.0, NA, [], result.reason or "", False
    if result.status == SATISFIED:
        return 1.0, 1.0, SATISFIED, [e["text"] for e in result.evidence], "", False
    if mine and not open_:
        return ack_credit, 1.0, "acknowledged", [], "", False
    raised = [f for f in findings if f.rule == name]
    if raised and all(f.severity == "info" for f in raised):
        return 1.0, 1.0, SATISFIED, [], "", False  # a note is not a gap
    reason = result.reason or ""
    if result.because:
        reason = f"{reason} (see {result.because})" if reason else f"see {result.because}"
    return 0.0, 0.0, VIOLATED, [], reason, error


def _auto(criterion: Criterion, outcomes: dict[str, RuleResult], findings: list[Finding], ack_credit: float,
          checks: set[str], canonical: Any) -> dict[str, Any]:
    shares: list[tuple[float, float]] = []
    fired, raised, acknowledged, evidence, reasons, errors = [], [], [], [], [], []
    for raw in criterion.rules:
        name = canonical(raw)
        credit, verdict, status, found, reason, error = _rule_share(name, outcomes, findings, ack_credit, checks)
        if credit is None:
            if reason:
                reasons.append(f"{name}: {reason}")
            continue
        shares.append((credit, verdict))
        evidence += found
        if status == VIOLATED:
            fired.append(name)
            if any(f.rule == name for f in findings):
                raised.append(name)
            if reason:
                reasons.append(f"{name}: {reason}")
        elif status == "acknowledged":
            acknowledged.append(name)
        if error:
            errors.append(name)
    if not shares:
        return {"credit": None, "verdict": None, "fired": [], "acknowledged": [], "evidence": [],
                "reasons": reasons, "errors": [], "status": NA}
    if criterion.partial:
        credit = sum(c for c, _ in shares) / len(shares)
        verdict = sum(v for _, v in shares) / len(shares)
    else:
        credit = min(c for c, _ in shares)
        verdict = min(v for _, v in shares)
    status = SATISFIED if credit >= 1 - 1e-9 else VIOLATED if credit <= 1e-9 else "partial"
    return {"credit": credit, "verdict": verdict, "fired": fired, "raised": raised, "acknowledged": acknowledged,
            "evidence": evidence, "reasons": reasons, "errors": errors, "status": status}


def score(rubric: Rubric, findings: list[Finding], manual: Optional[dict[str, ManualScore]] = None,
          unreadable: bool = False, outcomes: Optional[dict[str, RuleResult]] = None) -> Score:
    """Score a linted design. Without outcomes (an unreadable design) no automatic point is earned."""
    from ..registry import canonical

    manual = manual or {}
    outcomes = outcomes or {}
    levels = rule_levels(rubric)
    checks = {c.id for c in rubric.checks}
    sections: list[SectionResult] = []
    for section in rubric.sections:
        results = []
        for criterion in section.criteria:
            level = criterion_level(criterion, levels)
            given = manual.get(criterion.id)
            common = dict(id=criterion.id, title=criterion.title, section=section.id, level=level,
                          points=criterion.points, source=criterion.source)
            if given is not None:
                share = max(0.0, min(given.score / criterion.points, 1.0))
                result = CriterionResult(**common, earned=share * criterion.points, verdict_credit=share,
                                         manual=criterion.manual, scored_by="manual", comment=given.comment,
                                         status="manual")
            elif criterion.manual:
                result = CriterionResult(**common, earned=None, verdict_credit=None, manual=True,
                                         scored_by="unscored", status="unscored")
            elif unreadable:
                result = CriterionResult(**common, earned=0.0, verdict_credit=0.0, manual=False, scored_by="auto",
                                         fired=["invalid-yaml"], raised=["invalid-yaml"], status=VIOLATED,
                                         errors=["invalid-yaml"],
                                         reasons=["the file could not be read"])
            else:
                auto = _auto(criterion, outcomes, findings, rubric.acknowledged_credit, checks, canonical)
                if auto["credit"] is None:
                    result = CriterionResult(**common, earned=None, verdict_credit=None, manual=False,
                                             scored_by="n/a", status=NA, reasons=auto["reasons"])
                else:
                    result = CriterionResult(**common, earned=auto["credit"] * criterion.points,
                                             verdict_credit=auto["verdict"], manual=False, scored_by="auto",
                                             fired=auto["fired"], raised=auto["raised"],
                                             acknowledged=auto["acknowledged"],
                                             status=auto["status"], evidence=auto["evidence"],
                                             reasons=auto["reasons"], errors=auto["errors"])
            results.append(result)
        sections.append(_section_result(section.id, section.title, section.weight, results))

    points = sum(s.points for s in sections)
    maximum = sum(s.max for s in sections)
    bars: dict[str, dict[str, Any]] = {}
    verdict: dict[str, Any] = {}
    blocking: list[str] = []
    blocking_criteria: list[str] = []
    by_id = {c.id: c for s in sections for c in s.criteria}
    for level in sorted(rubric.bars, key=level_rank):
        bar = rubric.bars[level]
        percent = _bar_percent(sections, level)
        holding, held_by = [], []
        for name in bar.must_pass:
            result = by_id.get(name)
            if result is not None and result.errors:
                holding.extend(e for e in result.errors if e not in holding)
                held_by.append(name)
        below_score = percent is None or percent + 1e-9 < bar.min_score
        meets = not holding and not below_score
        pending = [c.id for s in sections for c in s.criteria
                   if c.scored_by == "unscored" and level_rank(c.level) <= level_rank(level)]
        if pending and not holding:
            # Provisional only while the interviewer's scores could still flip the verdict.
            low, high = _bar_percent(sections, level, 0.0), _bar_percent(sections, level, 1.0)
            flips = (low is None or low + 1e-9 < bar.min_score) != (high is None or high + 1e-9 < bar.min_score)
            pending = pending if flips else []
        elif holding:
            pending = []
        verdict[level] = "meets" if meets else "below"
        bars[level] = {"percent": None if percent is None else round(percent, 1), "min_score": bar.min_score,
                       "blocking": holding, "blocking_criteria": held_by, "below_min_score": below_score,
                       "provisional": bool(pending),
                       "unscored": pending}
        if not meets:
            blocking.extend(b for b in holding if b not in blocking)
            blocking_criteria.extend(c for c in held_by if c not in blocking_criteria)
    verdict["blocking"] = blocking
    verdict["blocking_criteria"] = blocking_criteria
    verdict["provisional"] = any(b["provisional"] for b in bars.values())
    weighted = [s for s in sections if s.percent is not None]
    weakest = min(weighted, key=lambda s: s.percent) if weighted else None  # type: ignore[arg-type, return-value]
    unscored = [c.id for s in sections for c in s.criteria if c.scored_by == "unscored"]
    capped = None
    value_range = _range(sections) if unscored else None
    if rubric.blocker_cap is not None and blocking and maximum:
        # Each further criterion held by a blocker lowers the ceiling: an answer with four
        # blockers is not a near-miss like an answer with one.
        cap = max(0.0, rubric.blocker_cap - rubric.blocker_step * (max(len(blocking_criteria), 1) - 1))
        limit = cap * maximum / 100.0
        if points > limit:
            capped = {"at": cap, "by": list(blocking), "uncapped": round(100.0 * points / maximum, 1)}
            points = limit
        if value_range is not None:
            value_range = (min(value_range[0], cap), min(value_range[1], cap))
    if value_range is not None and round(value_range[0]) == round(value_range[1]):
        value_range = None  # the unscored criteria cannot move the total
    return Score(
        rubric=rubric.id, points=points, max=maximum, sections=sections, verdict=verdict, bars=bars,
        weakest=None if weakest is None else {"id": weakest.id, "title": weakest.title,
                                              "percent": round(weakest.percent or 0.0, 1)},
        unscored=unscored,
        manual=[c.id for s in sections for c in s.criteria if c.scored_by == "manual"],
        range=value_range, capped=capped,
    )


def _section_result(sid: str, title: str, weight: float, results: list[CriterionResult]) -> SectionResult:
    counted = [c for c in results if c.earned is not None]
    total = sum(c.points for c in counted)
    earned = sum(c.earned or 0.0 for c in counted)
    unscored = sum(c.points for c in results if c.scored_by == "unscored")
    if not total:
        return SectionResult(sid, title, weight, 0.0, 0.0, results, unscored)
    return SectionResult(sid, title, weight, weight * earned / total, weight, results, unscored)


def _range(sections: list[SectionResult]) -> Optional[tuple[float, float]]:
    """The total percent if every unscored manual criterion earned nothing, and if it earned all."""
    low = high = maximum = 0.0
    for s in sections:
        counted = [c for c in s.criteria if c.earned is not None]
        total = sum(c.points for c in counted) + s.unscored_points
        if not total:
            continue
        earned = sum(c.earned or 0.0 for c in counted)
        low += s.weight * earned / total
        high += s.weight * (earned + s.unscored_points) / total
        maximum += s.weight
    if not maximum:
        return None
    return 100.0 * low / maximum, 100.0 * high / maximum


def _bar_percent(sections: list[SectionResult], level: str, unscored_as: Optional[float] = None) -> Optional[float]:
    """The verdict score of a bar: counted criteria at or below its level, acknowledged in full.
    ``unscored_as``: count the unscored manual criteria at this credit (0 or 1) instead of leaving them out."""
    points = maximum = 0.0
    for section in sections:
        mine = [c for c in section.criteria if level_rank(c.level) <= level_rank(level) and
                (c.verdict_credit is not None or (unscored_as is not None and c.scored_by == "unscored"))]
        total = sum(c.points for c in mine)
        if not total:
            continue
        earned = sum(c.points * (c.verdict_credit if c.verdict_credit is not None else (unscored_as or 0.0))
                     for c in mine)
        points += section.weight * earned / total
        maximum += section.weight
    return 100.0 * points / maximum if maximum else None
