"""The design's MLOps maturity on Google's scale, from the same rule outcomes as the score.

Judged capability by capability. Level 1 (ML pipeline automation): retraining runs on its
own, data is validated before training, a model is evaluated before release, production is
monitored. Level 2 (CI/CD pipeline automation): models are versioned in a registry and
deployed automatically behind a gate or a gradual rollout, drift starts retraining, and
features have one definition. A capability the design does not need (no feature store
where no feature is shared, no drift trigger where labels are slower than any schedule)
is not asked for. Each missing capability costs one step: a design with everything but
data validation is at level 1, not 0.
"""

from __future__ import annotations

from typing import Any

NAMES = ["manual process", "ML pipeline automation", "CI/CD pipeline automation"]

LEVEL1 = (
    ("retraining runs on its own", "no-automated-retraining"),
    ("data validated before training", "no-data-validation"),
    ("models evaluated before release", "missing-offline-metrics"),
    ("production monitored", "no-monitoring"),
)
LEVEL2 = (
    ("models versioned in a registry", "no-model-registry"),
    ("deployment automated", "no-automated-deployment"),
    ("a gate or gradual rollout for automated releases", "unsafe-auto-deploy"),
    ("drift starts retraining", "no-drift-triggered-retraining"),
    ("one feature definition for training and serving", "missing-feature-store"),
)


def maturity(analysis: Any, outcomes: dict[str, Any]) -> dict[str, Any]:
    evidence: list[str] = []
    missing: dict[int, list[str]] = {1: [], 2: []}
    not_needed: list[str] = []
    for level, capabilities in ((1, LEVEL1), (2, LEVEL2)):
        for name, slug in capabilities:
            result = outcomes.get(slug)
            status = getattr(result, "status", None)
            if slug == "no-automated-deployment" and status == "not_applicable" and not any(
                    analysis.deploys_automatically(m) for m in analysis.trained_models):
                status = "violated"  # a person promoting each model is a choice, but not CI/CD automation
            if status == "satisfied":
                shown = [e["text"] for e in result.evidence][:1]
                evidence.append(f"{name}: {shown[0]}" if shown else name)
            elif status == "not_applicable":
                not_needed.append(name)
            else:
                missing[level].append(name)
    gaps1, gaps2 = len(missing[1]), len(missing[2])
    lost = (1 if gaps2 else 0) + (1 if gaps1 else 0) + (1 if gaps1 > 1 else 0)
    if not analysis.trained_models:
        return {"level": None, "name": "not applicable: no model is trained here", "evidence": [],
                "missing_for_next": [], "not_needed": []}
    level = max(0, 2 - lost)
    nxt = missing[1] if level == 0 else missing[2] + missing[1] if level == 1 else []
    return {
        "level": level,
        "name": NAMES[level],
        "evidence": evidence,
        "missing_for_next": nxt,
        "not_needed": not_needed,
    }
