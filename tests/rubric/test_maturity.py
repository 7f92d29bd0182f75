"""MLOps maturity from the same rule outcomes as the score, capability by capability."""

from __future__ import annotations

import yaml

from designgrade.engine import Options, lint_loaded
from designgrade.loader import load_text
from designgrade.rubric.maturity import maturity

from ..rules.harness import base, patch


def maturity_of(changes=None, name="ranking"):
    data = patch(base(name), changes or {})
    report = lint_loaded("d.yaml", load_text(yaml.safe_dump(data, sort_keys=False)), Options(level="L7"))
    return maturity(report.analysis, report.outcomes)


def test_strong_base_is_level_2_with_evidence():
    result = maturity_of()
    assert result["level"] == 2 and result["name"] == "CI/CD pipeline automation"
    assert any(e.startswith("retraining runs on its own") for e in result["evidence"])
    assert result["missing_for_next"] == []


def test_manual_promotion_is_level_1_and_says_what_is_missing():
    result = maturity_of({"deployment": {"promotion": "manual"}, "flows": [
        "app -> lb -> serving", "serving -> features: online features", "serving -> experiments: assignment",
        "app -> events: clicks", "serving -> events: prediction logs", "events -> validation -> stream -> features",
        "events -> lake", "lake -> validation -> training", "features -> training: point-in-time features",
        "training -> registry", "lake -> monitor", {"from": "monitor", "to": "training", "mode": "trigger"}]})
    assert result["level"] == 1  # a person promoting each model is a fair choice, but not CI/CD automation
    assert "deployment automated" in result["missing_for_next"]


def test_one_missing_capability_costs_one_step_not_everything():
    """A design with everything but data validation is at level 1, not 0."""
    result = maturity_of({"components": {"validation": None}, "flows": [
        "app -> lb -> serving", "serving -> features: online features", "serving -> experiments: assignment",
        "app -> events: clicks", "serving -> events: prediction logs", "events -> stream -> features",
        "events -> lake", "lake -> training", "features -> training: point-in-time features",
        "training -> registry", "registry -> serving: canary", "lake -> monitor",
        {"from": "monitor", "to": "training", "mode": "trigger"}],
        "deployment": {"strategy": "canary", "gate": {"metric": "ndcg@10", "must_beat": "production"},
                       "rollback": "automatic"}})
    assert result["level"] == 1
    assert "data validated before training" in result["missing_for_next"]


def test_a_design_that_trains_nothing_has_no_maturity_level():
    result = maturity_of(name="rag")
    assert result["level"] is None and "no model is trained here" in result["name"]
