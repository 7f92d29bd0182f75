"""What a lint run produces: findings, and a report per design file."""

from __future__ import annotations

from typing import Any, Literal, Optional

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
LEVELS = ("L4", "L5", "L6", "L7")
PILLARS = ("structure", "objective", "data", "model", "serving", "experimentation", "monitoring", "llm")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


_FINDING_FIELDS = ("rule", "code", "severity", "pillar", "level", "message", "fix", "line", "column",
                   "component", "acknowledged", "reason", "flow")


class Finding:
    """One finding: a rule, where it points, what is wrong and how to fix it."""

    # A plain class rather than a dataclass: lint creates it at start-up, and a
    # dataclass costs a code generation pass at import.
    __slots__ = _FINDING_FIELDS

    def __init__(self, rule: str, code: str, severity: Severity, pillar: str, level: str, message: str,
                 fix: str, line: int, column: int, component: Optional[str] = None,
                 acknowledged: bool = False, reason: Optional[str] = None,
                 flow: Optional[tuple[str, str]] = None) -> None:
        self.rule, self.code, self.severity, self.pillar, self.level = rule, code, severity, pillar, level
        self.message, self.fix, self.line, self.column = message, fix, line, column
        self.component, self.acknowledged, self.reason = component, acknowledged, reason
        self.flow = flow  # (from, to) when the finding is about one flow

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["flow"] = list(self.flow) if self.flow else None
        return data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Finding({self.code} {self.rule} {self.line}:{self.column} {self.message!r})"


class RuleResult:
    """What one rule concluded about one design (see designgrade.outcome)."""

    __slots__ = ("rule", "status", "evidence", "reason", "because", "level")

    def __init__(self, rule: str, status: str, evidence: list[dict[str, Any]], reason: Optional[str],
                 because: Optional[str], level: str) -> None:
        self.rule, self.status, self.evidence = rule, status, evidence  # evidence: {text, line, column}
        self.reason, self.because, self.level = reason, because, level

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.evidence:
            data["evidence"] = self.evidence
        if self.reason:
            data["reason"] = self.reason
        if self.because:
            data["because"] = self.because
        return data

    def __repr__(self) -> str:
        return f"RuleResult({self.rule} {self.status})"


class Report:
    """The findings of one design file."""

    def __init__(self, file: str, title: Optional[str] = None, level: str = "L5",
                 findings: Optional[list[Finding]] = None, hidden: int = 0, unreadable: bool = False,
                 design: Any = None, source: Any = None) -> None:
        self.file = file
        self.title = title
        self.level = level
        self.findings: list[Finding] = findings if findings is not None else []
        self.hidden = hidden  # findings above the effective level, reported as a count
        self.hidden_level: Optional[str] = None  # the lowest level that shows all of them
        self.unreadable = unreadable  # the file could not be read as YAML at all
        self.design = design  # the validated design graph, for grading and rendering
        self.source = source  # the loaded file (positions), for findings added after lint
        self.outcomes: dict[str, RuleResult] = {}  # every rule's conclusion, hidden levels included
        self.analysis: Any = None  # what the design does (designgrade.analysis.Analysis)

    def __repr__(self) -> str:
        return f"Report({self.file!r}, {len(self.findings)} findings)"

    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def failing(self, fail_on: Severity) -> list[Finding]:
        bar = SEVERITY_RANK[fail_on]
        return [f for f in self.findings if not f.acknowledged and SEVERITY_RANK[f.severity] >= bar]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "title": self.title,
            "level": self.level,
            "findings": [f.to_dict() for f in self.findings],
            "hidden": self.hidden,
            "hidden_level": self.hidden_level,
            "outcomes": {slug: r.to_dict() for slug, r in self.outcomes.items()},
        }
