"""How models are retrained and how a new model reaches users.

Retraining cadence, per training component: continuous (``schedule: continuous``, or a
pipeline with no schedule that learns from a stream), scheduled, triggered (a trigger flow
from monitoring), manual (``on_trigger`` with nothing that triggers it), or unstated. Release: the gate
a new model must pass (``deployment.gate``, or the pipeline's ``evaluation`` against a
baseline), how it is exposed (shadow, canary, A/B, interleaving, bandit: gradual; all at
once or continuous pushes: not), who promotes it, and whether a model reaches its server
without a person in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from .problem import schedule_seconds

if TYPE_CHECKING:
    from ..flows import Edge
    from ..graph import DesignGraph

GRADUAL = frozenset({"shadow", "canary", "ab_test", "interleaving", "multi_armed_bandit", "blue_green"})
DEPLOY_HOPS = frozenset({"model_registry", "experiment_tracking", "cache", "data_lake", "key_value_store",
                         "service"})


class Retraining(NamedTuple):
    trainer: str
    cadence: str  # continuous, scheduled, triggered, described, unstated, manual
    period: Optional[float]  # seconds between scheduled runs
    schedule: Optional[str]
    triggers: list["Edge"]  # trigger flows from monitoring
    said: Optional[Any] = None  # described: the trainer's own words for when it runs (prose.Said)


AUTOMATED = frozenset({"scheduled", "triggered", "continuous", "described"})


def retraining(g: "DesignGraph", trainer: str, prose: Any = None) -> Retraining:
    found = _retraining(g, trainer)
    if found.cadence in ("manual", "unstated") and prose is not None:
        # "Runs when 5k new labelled photos accumulate", "retrained nightly": the trainer's
        # notes say when it runs without a person, though no field does.
        said = prose.find("retraining", owners=[trainer], also="cadence")
        if said:
            return found._replace(cadence="described", said=said[0])
    return found


def _retraining(g: "DesignGraph", trainer: str) -> Retraining:
    comp = g.components.get(trainer)
    schedule = getattr(comp, "schedule", None)
    triggers = [e for e in g.in_edges(trainer, "trigger") if g.kind(e.src) == "monitoring"]
    if g.kind(trainer) not in ("training_pipeline", "batch_processor", "stream_processor"):
        return Retraining(trainer, "scheduled" if schedule_seconds(schedule) else "manual",
                          schedule_seconds(schedule), schedule, triggers)
    inputs = g.in_edges(trainer, "stream", "batch")
    if schedule == "continuous" or (schedule is None and inputs and all(e.mode == "stream" for e in inputs)):
        return Retraining(trainer, "continuous", None, schedule, triggers)
    period = schedule_seconds(schedule)
    if period is not None:
        return Retraining(trainer, "scheduled", period, schedule, triggers)
    if triggers:
        return Retraining(trainer, "triggered", None, schedule, triggers)
    if schedule == "on_trigger":
        return Retraining(trainer, "manual", None, schedule, triggers)  # waits for a trigger nothing sends
    return Retraining(trainer, "unstated", None, schedule, triggers)


class Release(NamedTuple):
    gate: Optional[str]  # what a new model must show, in words, or None
    gate_metrics: list[str]
    gate_path: tuple[Any, ...]
    strategy: Optional[str]
    gradual: bool
    promotion: Optional[str]  # manual, automatic or None
    rollback: Optional[str]


def release(g: "DesignGraph") -> Release:
    dep = g.deployment
    gate = None
    metrics: list[str] = []
    path: tuple[Any, ...] = ("deployment",) if dep is not None else ()
    if dep is not None and dep.gate is not None and (dep.gate.metric or dep.gate.must_beat):
        beat = f" must beat {dep.gate.must_beat}" if dep.gate.must_beat else ""
        gate = f"deployment.gate: {dep.gate.metric or 'the model'}{beat}"
        metrics = [m for m in [dep.gate.metric, *dep.gate.guardrails] if m]
        path = ("deployment", "gate")
    for cid in g.of_kind("training_pipeline"):
        evaluation = getattr(g.get(cid), "evaluation", None)
        if evaluation is not None and (evaluation.compare_to or evaluation.metric):
            if gate is None:
                against = f" against {evaluation.compare_to}" if evaluation.compare_to else ""
                gate = f"'{cid}' evaluates {evaluation.metric or 'each model'}{against}"
                path = ("components", cid, "evaluation")
            if evaluation.metric and evaluation.metric not in metrics:
                metrics.append(evaluation.metric)
    strategy = dep.strategy if dep is not None else None
    return Release(gate, metrics, path, strategy, strategy in GRADUAL,
                   dep.promotion if dep is not None else None, dep.rollback if dep is not None else None)


def deploys_automatically(g: "DesignGraph", trainer: Optional[str], server: Optional[str]) -> bool:
    """A trained model reaches its server with no person in between: a flow from the trainer,
    through a registry or an artifact store, into the server."""
    if not trainer or not server:
        return False
    dep = g.deployment
    if dep is not None and dep.promotion == "manual":
        return False
    reached = g.reachable([trainer], ("batch", "stream", "request"), through=DEPLOY_HOPS)
    return server in reached
