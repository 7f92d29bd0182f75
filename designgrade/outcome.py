"""What a rule concludes about a design: satisfied, violated or not applicable.

- **satisfied**: the design shows what the rule asks for; the outcome names the evidence
  ("training reads point-in-time features from 'features' (feast)"), which reports show as
  the design's strengths and which earns a criterion its points.
- **violated**: the design lacks it or gets it wrong. Usually with findings (what an
  interviewer would raise); without one when the cause is reported by another rule (a
  missing prerequisite: no model, no monitoring at all) or when nothing in the design makes
  the absence matter enough to raise (a gap: it costs points, it is not raised).
- **not applicable**: the design legitimately chose something that makes the rule moot (its
  task, its serving mode, its labels); a criterion whose rules are all N/A leaves the maximum.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

SATISFIED = "satisfied"
VIOLATED = "violated"
NOT_APPLICABLE = "not_applicable"
STATUSES = (SATISFIED, VIOLATED, NOT_APPLICABLE)


class Violation(NamedTuple):
    """One occurrence of a rule: where in the YAML, and what is wrong there."""

    path: tuple[Any, ...]
    message: str
    fix: Optional[str] = None
    component: Optional[str] = None
    flow: Optional[tuple[str, str]] = None  # the edge it is about, when it is about one


class Evidence(NamedTuple):
    """What satisfies a rule, in words, and where the design shows it."""

    text: str
    path: tuple[Any, ...] = ()
    component: Optional[str] = None


class Outcome(NamedTuple):
    status: str
    violations: tuple[Violation, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    reason: Optional[str] = None  # why N/A, why not raised, or which rule reports the cause
    because: Optional[str] = None  # the slug of the rule that reports the root cause

    @property
    def satisfied(self) -> bool:
        return self.status == SATISFIED

    @property
    def violated(self) -> bool:
        return self.status == VIOLATED

    @property
    def applicable(self) -> bool:
        return self.status != NOT_APPLICABLE


def satisfied(*evidence: Evidence | str) -> Outcome:
    return Outcome(SATISFIED, evidence=tuple(e if isinstance(e, Evidence) else Evidence(e) for e in evidence))


def violated(*violations: Violation) -> Outcome:
    """Violated, with the findings an interviewer would raise (at least one)."""
    if not violations:
        raise ValueError("violated() needs a violation; use gap() for a silent one")
    return Outcome(VIOLATED, violations=tuple(violations))


def gap(reason: str) -> Outcome:
    """Violated without a finding: the design does not show it, nothing makes that matter enough to raise."""
    return Outcome(VIOLATED, reason=reason)


def missing(because: str, reason: str) -> Outcome:
    """Violated because a prerequisite is missing; the rule ``because`` reports the cause."""
    return Outcome(VIOLATED, reason=reason, because=because)


def not_applicable(reason: str) -> Outcome:
    return Outcome(NOT_APPLICABLE, reason=reason)


def check(problems: list[Violation], *evidence: Evidence | str) -> Outcome:
    """Violated when there are problems, else satisfied by the evidence."""
    return violated(*problems) if problems else satisfied(*evidence)
