"""Custom rubric checks: each operator fires where it must and not elsewhere."""

from __future__ import annotations

import pytest
import yaml

from designgrade.engine import Options, lint_loaded
from designgrade.loader import load_text
from designgrade.rubric.checks import run_checks
from designgrade.rubric.model import Check

from ..rules.harness import base


def graph_of(patch=None):
    from ..rules.harness import patch as apply

    data = apply(base("ranking"), patch or {})
    loaded = load_text(yaml.safe_dump(data, sort_keys=False))
    report = lint_loaded("d.yaml", loaded, Options(level="L7"))
    return report.design, loaded


def check(**spec):
    return Check.model_validate({"id": "custom", "message": "custom message", "rationale": "because", **spec})


@pytest.mark.parametrize("spec, patch, fires", [
    ({"require": {"kind": "feature_store"}}, None, 0),
    ({"require": {"kind": "vector_db"}}, None, 1),
    ({"require": {"kind": "event_stream", "tech": ["kafka", "pulsar"]}}, None, 0),
    ({"require": {"kind": "event_stream", "tech": "kinesis"}}, None, 1),
    ({"require": {"kind": "online_serving", "fields": {"hardware": "cpu"}}}, None, 0),
    ({"require": {"kind": "online_serving", "fields": {"hardware": ["gpu", "gpu:t4"]}}}, None, 1),
    ({"require": {"kind": "feature_store", "fields": {"point_in_time": True}}}, None, 0),
    ({"require": {"kind": "feature_store", "fields": {"point_in_time": True}}},
     {"components": {"features": {"point_in_time": False}}}, 1),
    ({"forbid": {"tech": "fastapi"}}, None, 1),
    ({"forbid": {"kind": "online_serving", "fields": {"hardware": "gpu"}}}, None, 0),
    ({"require_path": {"from": "client", "to": "online_serving", "modes": ["request"]}}, None, 0),
    ({"require_path": {"from": "client", "to": "training_pipeline", "modes": ["request"]}}, None, 1),
    ({"forbid_path": {"from": "client", "to": "feature_store"}}, None, 1),
    ({"forbid_path": {"from": "monitoring", "to": "client"}}, None, 0),
])
def test_operators(spec, patch, fires):
    g, loaded = graph_of(patch)
    findings = run_checks([check(**spec)], g, loaded, "L6")
    assert len(findings) == fires
    for f in findings:
        assert f.rule == "custom" and f.code == "R001" and f.fix == "because"
        assert f.message.startswith("custom message")


def test_forbid_points_at_the_component():
    g, loaded = graph_of()
    (finding,) = run_checks([check(forbid={"kind": "load_balancer"})], g, loaded, "L6")
    assert finding.component == "lb"
    assert finding.line == loaded.positions[("components", "lb")].line


def test_check_above_the_level_is_not_run_and_tradeoff_acknowledges():
    g, loaded = graph_of({"tradeoffs": [{"rule": "custom", "why": "we are on-prem"}]})
    assert run_checks([check(require={"kind": "vector_db"}, level="L6")], g, loaded, "L5") == []
    (finding,) = run_checks([check(require={"kind": "vector_db"})], g, loaded, "L5")
    assert finding.acknowledged and finding.reason == "we are on-prem"
