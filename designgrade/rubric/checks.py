"""A rubric's own checks, run over the design graph: data in, findings out, no code."""

from __future__ import annotations

from typing import Any, Iterator

from ..findings import Finding, level_rank
from ..graph import DesignGraph
from ..loader import Loaded
from ..techs import normalize
from .model import Check, Match, PathSpec


def _matches(component: Any, match: Match) -> bool:
    if match.kind is not None and getattr(component, "kind", None) != match.kind:
        return False
    if match.tech is not None:
        wanted = [match.tech] if isinstance(match.tech, str) else match.tech
        tech = getattr(component, "tech", None)
        if tech is None or normalize(tech) not in {normalize(t) for t in wanted}:
            return False
    for name, expected in match.fields.items():
        actual = getattr(component, name, None)
        options = expected if isinstance(expected, list) else [expected]
        values = actual if isinstance(actual, list) else [actual]
        if not any(_same(v, o) for v in values for o in options):
            return False
    return True


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(actual) == float(expected)
    return actual is not None and str(actual).lower() == str(expected).lower()


def _path_exists(g: DesignGraph, spec: PathSpec) -> bool:
    starts = g.of_kind(spec.from_)
    modes = spec.modes or ["stream", "batch", "request", "trigger"]
    return any(g.kind(c) == spec.to for c in g.reachable(starts, modes))


def violations(check: Check, g: DesignGraph) -> Iterator[tuple[tuple[Any, ...], str, str | None]]:
    """(YAML path, message, component) for each place the check fails."""
    if check.require is not None:
        if not any(_matches(c, check.require) for c in g.components.values()):
            yield ("components",), check.message, None
    elif check.forbid is not None:
        for cid, component in g.components.items():
            if _matches(component, check.forbid):
                yield g.path_of(cid), f"{check.message} ('{cid}')", cid
    elif check.require_path is not None:
        if not _path_exists(g, check.require_path):
            yield ("flows",), check.message, None
    elif check.forbid_path is not None:
        if _path_exists(g, check.forbid_path):
            yield ("flows",), check.message, None


def run_checks(checks: list[Check], g: DesignGraph, loaded_positions: Loaded | None, level: str) -> list[Finding]:
    """Findings of the rubric's checks at or below ``level`` (codes R001, R002, ... by order)."""
    findings = []
    acknowledged = {t.rule: t.why for t in g.design.tradeoffs if t.why and t.why.strip()}
    for index, check in enumerate(checks):
        if level_rank(check.level) > level_rank(level):
            continue
        for path, message, component in violations(check, g):
            position = loaded_positions.position(path) if loaded_positions else None
            finding = Finding(
                rule=check.id, code=f"R{index + 1:03d}", severity=check.severity, pillar=check.pillar,
                level=check.level, message=message, fix=check.fix or check.rationale,
                line=position.line if position else 1, column=position.column if position else 1,
                component=component,
            )
            if check.id in acknowledged:
                finding.acknowledged, finding.reason = True, acknowledged[check.id].strip()
            findings.append(finding)
    return findings
