"""What a lint run produces: findings, and a report per design file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Optional

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
LEVELS = ("L4", "L5", "L6", "L7")
PILLARS = ("structure", "objective", "data", "model", "serving", "experimentation", "monitoring", "llm")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


@dataclass
class Finding:
    rule: str
    code: str
    severity: Severity
    pillar: str
    level: str
    message: str
    fix: str
    line: int
    column: int
    component: Optional[str] = None
    acknowledged: bool = False
    reason: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The findings of one design file."""

    file: str
    title: Optional[str] = None
    level: str = "L5"
    findings: list[Finding] = field(default_factory=list)
    hidden: int = 0  # findings above the effective level, reported as a count
    unreadable: bool = False  # the file could not be read as YAML at all
    design: Any = None  # the validated design graph, for grading and rendering
    source: Any = None  # the loaded file (positions), for findings added after lint

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
        }
