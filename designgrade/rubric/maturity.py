"""The design's MLOps maturity on Google's scale (rules.md, "Beyond findings: maturity").

Level 0: manual training or deployment. Level 1: automated retraining by an orchestrated
training_pipeline, with data_validation and a model evaluation. Level 2: level 1 plus
automated deployment behind a gate with automatic rollback, a model_registry and a
feature_store.
"""

from __future__ import annotations

from typing import Any

from ..graph import DesignGraph


def maturity(g: DesignGraph) -> dict[str, Any]:
    pipelines = g.of_kind("training_pipeline")
    deployment = g.deployment
    gate = deployment is not None and deployment.gate is not None and bool(
        deployment.gate.metric or deployment.gate.must_beat)
    evaluation = gate or any(
        getattr(g.get(p), "evaluation", None) is not None and g.get(p).evaluation.compare_to for p in pipelines)

    level1 = {
        "an orchestrated training_pipeline": ", ".join(pipelines) if pipelines else None,
        "automated retraining (a schedule or a drift trigger)": _retraining(g) if g.automated_retraining else None,
        "data_validation": ", ".join(g.of_kind("data_validation")) or None,
        "a model evaluation (evaluation.compare_to or deployment.gate)": "yes" if evaluation else None,
    }
    level2 = {
        "automated deployment (a model_registry flowing to serving)":
            "yes" if g.automated_deployment else None,
        "a deployment.gate": "yes" if gate else None,
        "rollback: automatic": "yes" if deployment is not None and deployment.rollback == "automatic" else None,
        "a model_registry": ", ".join(g.of_kind("model_registry")) or None,
        "a feature_store": ", ".join(g.of_kind("feature_store")) or None,
    }
    has1 = all(level1.values())
    has2 = has1 and all(level2.values())
    level = 2 if has2 else 1 if has1 else 0
    evidence = [f"{k}: {v}" for k, v in {**level1, **level2}.items() if v]
    nxt = level1 if level == 0 else level2 if level == 1 else {}
    return {
        "level": level,
        "name": ["manual process", "ML pipeline automation", "CI/CD pipeline automation"][level],
        "evidence": evidence,
        "missing_for_next": [k for k, v in nxt.items() if not v],
    }


def _retraining(g: DesignGraph) -> str:
    if g.retrain_triggers:
        return "drift trigger " + ", ".join(str(e) for e in g.retrain_triggers)
    return "schedule on " + ", ".join(g.scheduled_training)
