"""Shared helpers for the renderer's tests: small designs, lint them, skip without Graphviz."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Optional

import pytest
import yaml

from designgrade.engine import lint_text
from designgrade.findings import Finding

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
BASES = sorted((ROOT / "tests" / "rules" / "bases").glob("*.yaml"))

# Four components, one flow of each mode, one cluster per plane it touches.
SMALL = """\
designgrade: 1
title: Small recs
level: L5
problem: {task: recommendation}
components:
  app: {kind: client, tech: web}
  events: {kind: event_stream, tech: kafka}
  lake: {kind: data_lake, tech: s3}
  training: {kind: training_pipeline, tech: airflow, schedule: on_trigger}
  api: {kind: online_serving, tech: fastapi, label: Recs API}
  watch: {kind: monitoring, tech: prometheus}
flows:
  - "app -> api: homepage"
  - "app -> events: clicks"
  - "events -> lake"
  - "lake -> training: daily snapshot"
  - {from: watch, to: training, mode: trigger, label: drift}
  - "api -> events: prediction logs"
  - "events -> watch"
"""

# Quotes, markup, braces, a real newline, DOT escapes (\N, \l), a trailing backslash.
HOSTILE = 'He said "hi" <script>alert(1)</script> {x} [y] |z| #quot; &amp; back\\slash\nline2 \\N\\l end\\'


def hostile_design() -> str:
    """A design whose title, labels, techs and edge labels try to break out of every format."""
    data = {
        "designgrade": 1,
        "title": HOSTILE,
        "problem": {"task": "recommendation"},
        "components": {
            "app": {"kind": "client", "tech": "we<b>b</b>", "label": HOSTILE},
            "end": {"kind": "service", "tech": "fastapi", "label": "]]> --> <!-- {} \"; x"},
            "kv": {"kind": "key_value_store", "tech": "redis"},
        },
        "flows": [{"from": "app", "to": "end", "label": HOSTILE}, "end -> kv"],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def graph_of(text: str) -> Any:
    report = lint_text(text)
    assert report.design is not None and report.design.components, [f.message for f in report.findings]
    return report.design


def report_of(text: str) -> Any:
    return lint_text(text)


def finding(rule: str, severity: str = "warning", component: Optional[str] = None,
            message: str = "something is off", acknowledged: bool = False, line: int = 1,
            flow: Optional[tuple[str, str]] = None) -> Any:
    """A finding as lint makes it; with ``flow``, one about a single flow (read with getattr,
    as the renderer does, so this works whether or not Finding has the field yet)."""
    made = Finding(rule=rule, code="DG999", severity=severity, pillar="structure", level="L4",  # type: ignore[arg-type]
                   message=message, fix="", line=line, column=1, component=component,
                   acknowledged=acknowledged, reason="we chose so" if acknowledged else None)
    if flow is None:
        return made
    fields = {name: getattr(made, name) for name in ("rule", "code", "severity", "pillar", "level", "message",
                                                      "fix", "line", "column", "component", "acknowledged",
                                                      "reason")}
    return SimpleNamespace(**fields, flow=flow)


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
