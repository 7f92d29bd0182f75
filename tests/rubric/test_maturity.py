from __future__ import annotations

from designgrade.rubric.maturity import maturity

from .test_checks import graph_of


def test_strong_base_is_level_2():
    g, _ = graph_of()
    assert maturity(g)["level"] == 2


def test_manual_deployment_is_level_1_and_says_what_is_missing():
    g, _ = graph_of({"flows": ["app -> lb -> serving", "lake -> validation -> training", "features -> training",
                               "training -> registry", {"from": "monitor", "to": "training", "mode": "trigger"}]})
    result = maturity(g)
    assert result["level"] == 1
    assert "automated deployment (a model_registry flowing to serving)" in result["missing_for_next"]


def test_no_validation_is_level_0():
    g, _ = graph_of({"components": {"validation": None},
                     "flows": ["app -> lb -> serving", "lake -> training", "training -> registry"]})
    result = maturity(g)
    assert result["level"] == 0
    assert "data_validation" in result["missing_for_next"]
