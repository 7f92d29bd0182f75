"""Monitoring and retraining rules (DG6xx): does the design notice when the model degrades?"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..graph import STORE_OR_STREAM, DesignGraph
from ..registry import Violation, rule
from .wording import quote_ids

# What monitoring data may pass through between the serving side and a monitoring
# component: stores and streams (rules.md), plus the processors and validators that
# aggregate or check logs on the way (Kafka -> Flink -> Prometheus is monitoring too).
_LOG_CARRIERS = STORE_OR_STREAM | {"stream_processor", "batch_processor", "data_validation"}
# Where logged predictions can be joined with labels later.
_LOG_SINKS = frozenset({"event_stream", "data_lake", "data_warehouse"})


def _ordered(g: DesignGraph, ids: Iterable[str]) -> list[str]:
    """``ids`` in the order the design declares its components (deterministic messages)."""
    wanted = set(ids)
    return [cid for cid in g.components if cid in wanted]


def _first_serving(g: DesignGraph) -> Any:
    """Where a finding about the serving side points: the online serving component, else any."""
    online = [c for c in g.of_kind("online_serving", "llm") if g.on_request_path(c)]
    serving = online or g.of_kind("online_serving", "llm", "batch_inference", "llm_gateway")
    return g.path_of(serving[0]) if serving else ("components",)


def _duration(seconds: float) -> str:
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


@rule(code="DG601", slug="no-monitoring", pillar="monitoring", severity="warning", level="L5",
      summary="no monitoring component is fed from the serving side",
      fix="log predictions and serving metrics from serving (e.g. into an event_stream) and feed them to a monitoring component")
def no_monitoring(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Checks that some `monitoring` component receives data from the serving side (the
    serving components, llm_gateway, and everything on the request path): by a stream or
    batch flow, directly or through streams and stores. It also fires when the design
    has no monitoring at all. We let the data pass through stores and streams (event_stream,
    data_lake, data_warehouse, feature_store, ...) and through the processors and
    validators that aggregate logs on the way (stream_processor, batch_processor,
    data_validation), so `serving -> kafka -> warehouse -> monitoring` and
    `serving -> kafka -> flink -> prometheus` both count. It does not pass through a
    training_pipeline, registry or service: a monitor fed only by training data or
    training metrics does not see production. Request and trigger flows do not feed it.

    ## Why is this bad?
    A deployed model degrades silently: inputs shift, upstream producers change, labels
    drift. Without production signals flowing into monitoring nobody learns that the model
    is broken until a business metric falls. A monitor that only reads training data
    checks the past, not what the model sees now.

    ## Example
    ```yaml
    flows:
      - "app -> lb -> serving"
      - "app -> events -> lake -> monitor"   # monitors clicks, never the model's predictions
    ```

    ## Use instead
    ```yaml
    flows:
      - "app -> lb -> serving"
      - "serving -> events: prediction logs"
      - "events -> lake -> monitor"
    ```

    ## References
    - SEED, pillar 3: "Deploying the model is only the beginning"; observability gets the
      last ten minutes of the interview.
    - MLTS, Monitoring tests 1-7: production inputs, outputs and system metrics are watched.
    - GCP MLOps levels: level 0 has no monitoring of the deployed model.
    - HTD, section 7: systems that evolve in the real world need live monitoring.
    """
    monitors = g.of_kind("monitoring")
    if not monitors:
        yield Violation(("components",), "the design has no monitoring component: nothing watches the "
                        "deployed model's inputs, predictions or latency")
        return
    side = _ordered(g, g.serving_side)
    fed = g.reachable(side, ["stream", "batch"], through=_LOG_CARRIERS)
    if any(cid in fed for cid in monitors):
        return
    side = [cid for cid in side if cid not in monitors]  # a monitor looked up by request is not fed
    mon = monitors[0]
    inputs = _ordered(g, g.predecessors(mon, "stream", "batch"))
    reads = f"; it reads only {quote_ids(inputs)}" if inputs else ""
    where = f"the serving side ({quote_ids(side)})" if side else "a serving side (the design has none)"
    also = f" (nor is {quote_ids(monitors[1:])})" if len(monitors) > 1 else ""
    yield Violation(g.path_of(mon), f"monitoring '{mon}' is not fed from {where}{also}: no stream or batch "
                    f"flow carries predictions or serving metrics to it, directly or through streams "
                    f"and stores{reads}", component=mon)


@rule(code="DG602", slug="no-data-drift-monitoring", pillar="monitoring", severity="warning", level="L5",
      summary="nothing monitors the input distributions (data drift)",
      fix="add data_drift to a monitoring component: {metric: psi, threshold: 0.2, window: 1d}")
def no_data_drift_monitoring(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires when no `monitoring` component declares `data_drift` (a distance between the
    training and the live input distributions: PSI, KL divergence, Jensen-Shannon, ...).
    In an LLM system an `llm_evaluation` with `online: true` also counts, since it scores
    live traffic. A design without any monitoring component fires too (no-monitoring
    reports the missing component itself). An empty `data_drift: {}` counts as declared;
    drift-without-threshold then asks for its threshold.

    ## Why is this bad?
    Data drift is the early warning: it needs no labels, so it fires days or weeks before
    label-based quality metrics can. A new client version, a broken upstream feature or a
    seasonal shift shows up first in the inputs.

    ## Example
    ```yaml
    monitor:
      kind: monitoring
      system: [latency, error_rate]
    ```

    ## Use instead
    ```yaml
    monitor:
      kind: monitoring
      data_drift: {metric: psi, threshold: 0.2, window: 1d}
      system: [latency, error_rate]
      alerts: [pagerduty]
    ```

    ## References
    - SEED, pillar 3: data drift is a change of input distributions; monitor KL divergence
      on incoming features.
    - CH: data distribution shifts; input drift is detectable without labels.
    - MLTS, Monitor 2-3: serving inputs are checked against the training data.
    - GCP MLOps level 1: a distribution change is one of the retraining triggers.
    """
    monitors = g.of_kind("monitoring")
    if any(g.get(cid).data_drift is not None for cid in monitors):
        return
    if g.llm_system and any(g.get(cid).online for cid in g.of_kind("llm_evaluation")):
        return
    if not monitors:
        yield Violation(("components",), "no monitoring component, so no input distribution is compared "
                        "with the training data (data drift)")
        return
    extra = " and no llm_evaluation scores live traffic (online: true)" if g.llm_system else ""
    yield Violation(g.path_of(monitors[0], "data_drift"),
                    f"no monitoring component ({quote_ids(monitors)}) declares data_drift{extra}: "
                    f"input distribution shifts go unnoticed until labels arrive", component=monitors[0])


@rule(code="DG603", slug="no-concept-drift-monitoring", pillar="monitoring", severity="warning", level="L5",
      summary="nothing monitors model quality against labels (concept drift)",
      fix="add performance to a monitoring component: {metric: auc, label_delay: 7d}")
def no_concept_drift_monitoring(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires when no `monitoring` component declares `performance` with a `metric`: a model
    quality metric computed by joining predictions with the labels that arrive later. A
    `performance` block without a metric does not count. A design without labels still
    needs a proxy (sampled human labels, user feedback), so `labels: none` is no excuse.

    ## Why is this bad?
    Concept drift changes the relationship between inputs and the target while the inputs
    look the same, so data drift monitors miss it. Only the model's live quality, measured
    against the truth, shows that the model has become wrong.

    ## Example
    ```yaml
    monitor:
      kind: monitoring
      data_drift: {metric: psi, threshold: 0.2}
      alerts: [pagerduty]
    ```

    ## Use instead
    ```yaml
    monitor:
      kind: monitoring
      data_drift: {metric: psi, threshold: 0.2}
      performance: {metric: auc, label_delay: 7d}
      alerts: [pagerduty]
    ```

    ## References
    - SEED, pillar 3: concept drift vs data drift (purchasing habits changing in a recession).
    - MLTS, Monitor 7: the model's prediction quality is monitored in production.
    - HTD, section 7: prediction bias and live quality as monitoring signals.
    - CH: natural labels and feedback loop length decide when quality can be measured.
    """
    monitors = g.of_kind("monitoring")
    if any(g.get(cid).performance is not None and g.get(cid).performance.metric for cid in monitors):
        return
    if not monitors:
        yield Violation(("components",), "no monitoring component, so the model's live quality is never "
                        "measured against labels (concept drift)")
        return
    delay = g.data.label_delay
    when = f" (arriving after {_duration(delay)})" if delay else ""
    yield Violation(g.path_of(monitors[0], "performance"),
                    f"no monitoring component ({quote_ids(monitors)}) declares a performance metric against "
                    f"labels{when}: concept drift goes unnoticed", component=monitors[0])


@rule(code="DG604", slug="drift-without-threshold", pillar="monitoring", severity="warning", level="L5",
      summary="data drift is measured but has no threshold or no alert",
      fix="give data_drift a threshold (PSI 0.2 is a common cut-off) and route it to alerts")
def drift_without_threshold(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    For each `monitoring` component with `data_drift`, checks that the drift has a
    `threshold` and that the component has `alerts`. One finding per component names
    what is missing; it points at `data_drift` when the threshold is missing, else at
    `alerts`.

    ## Why is this bad?
    A drift metric nobody compares with a limit, or a limit that pages nobody, is a
    dashboard, not monitoring: no retraining is triggered and no owner acts. Every
    monitored signal needs a decision rule and an action.

    ## Example
    ```yaml
    monitor:
      kind: monitoring
      data_drift: {metric: psi, window: 1d}
    ```

    ## Use instead
    ```yaml
    monitor:
      kind: monitoring
      data_drift: {metric: psi, threshold: 0.2, window: 1d}
      alerts: [pagerduty]
    ```

    ## References
    - SEED, pillar 3: "If a threshold is broken, an automated pipeline triggers".
    - HTD, section 7: alerts need actionable thresholds and owners.
    - Research notes, default numbers: PSI above 0.1 is moderate and above 0.25 a major
      shift; 0.2 is a common practitioner cut-off.
    """
    for cid in g.of_kind("monitoring"):
        comp = g.get(cid)
        drift = comp.data_drift
        if drift is None:
            continue
        missing = []
        if drift.threshold is None:
            missing.append("no threshold")
        if not comp.alerts:
            missing.append("no alerts")
        if not missing:
            continue
        metric = f" ({drift.metric})" if drift.metric else ""
        path = g.path_of(cid, "data_drift") if drift.threshold is None else g.path_of(cid, "alerts")
        yield Violation(path, f"monitoring '{cid}' measures data drift{metric} with {' and '.join(missing)}: "
                        f"a shift is recorded but nothing decides or pages on it", component=cid)


@rule(code="DG605", slug="no-automated-retraining", pillar="monitoring", severity="warning", level="L5",
      summary="the model is only retrained by hand", training=True,
      fix="give the training_pipeline a schedule (daily, weekly, cron) or a trigger flow from monitoring")
def no_automated_retraining(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires on a design that trains a model but never retrains it automatically: no
    `trigger` flow goes from monitoring into a training_pipeline, and no training_pipeline
    has a schedule other than `on_trigger` (a missing schedule counts as none). One
    finding for the design, at the first training_pipeline's `schedule`.

    ## Why is this bad?
    A model trained once goes stale as the world changes; manual retraining happens a
    couple of times a year at best (MLOps level 0). Continuous training is the first step
    of MLOps maturity and what interviewers expect a senior candidate to describe.

    ## Example
    ```yaml
    training:
      kind: training_pipeline
      schedule: on_trigger      # and nothing triggers it
    ```

    ## Use instead
    ```yaml
    training:
      kind: training_pipeline
      schedule: daily
    flows:
      - {from: monitor, to: training, mode: trigger, label: drift alert}
    ```

    ## References
    - GCP MLOps levels: level 0 retrains manually and rarely; level 1 automates training
      with triggers (schedule, new data, performance drop, distribution change).
    - SEED, pillar 3: an automated pipeline retrains on the last 30 days of data.
    - RoML, rule 8: know the freshness requirements of your system.
    """
    if g.automated_retraining:
        return
    pipelines = g.of_kind("training_pipeline")
    if not pipelines:
        trained = [(name, mod.trained_by) for name, mod in g.models.items() if mod.trained_by]
        name, by = trained[0]
        yield Violation(("models", name, "trained_by"), f"model '{name}' is trained by '{by}', which is not "
                        f"a training_pipeline with a schedule or a monitoring trigger: retraining is manual")
        return
    first = pipelines[0]
    schedules = ", ".join(f"'{t}' ({g.get(t).schedule or 'no schedule'})" for t in pipelines[:4])
    verb = "runs" if len(pipelines) == 1 else "run"
    yield Violation(g.path_of(first, "schedule"), f"no automated retraining: {schedules} never {verb} by "
                    f"itself and no trigger flow from monitoring starts a training_pipeline, so the model is "
                    f"retrained only by hand",
                    component=first)


@rule(code="DG606", slug="no-drift-triggered-retraining", pillar="monitoring", severity="warning", level="L6",
      summary="retraining runs on a fixed schedule only, never when drift is detected", training=True,
      fix="add a trigger flow from the monitoring component into the training_pipeline")
def no_drift_triggered_retraining(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires when a training_pipeline runs on a schedule (anything but `on_trigger`) and no
    `trigger` flow goes from a monitoring component into any training_pipeline. The
    trigger must be a direct flow (rules.md, automated retraining); one finding for the
    design, at the first scheduled pipeline's `schedule`.

    ## Why is this bad?
    A fixed schedule retrains too often when nothing changed (wasted compute) and too late
    when the world shifts between runs. Staff-level designs close the loop: a drift or
    quality alert starts retraining, followed by evaluation and a gated rollout.

    ## Example
    ```yaml
    training: {kind: training_pipeline, schedule: weekly}
    monitor: {kind: monitoring, data_drift: {metric: psi, threshold: 0.2}}
    ```

    ## Use instead
    ```yaml
    flows:
      - {from: monitor, to: training, mode: trigger, label: drift alert}
    ```

    ## References
    - SEED, pillar 3: "If a threshold is broken, an automated pipeline triggers".
    - GCP MLOps level 1: performance drop and distribution change trigger the pipeline.
    - Research notes, level expectations: L6 shows automated retraining on drift with
      evaluation gates and safe rollout.
    """
    scheduled = g.scheduled_training
    if not scheduled or g.retrain_triggers:
        return
    first = scheduled[0]
    monitors = g.of_kind("monitoring")
    source = f"'{monitors[0]}' has no trigger flow into it" if monitors else "the design has no monitoring"
    runs = ", ".join(f"'{t}' ({g.get(t).schedule})" for t in scheduled[:4])
    verb = "retrains" if len(scheduled) == 1 else "retrain"
    yield Violation(g.path_of(first, "schedule"), f"{runs} {verb} only on a fixed schedule and {source}: "
                    f"drift detected between runs does not start retraining", component=first)


@rule(code="DG607", slug="no-prediction-logging", pillar="monitoring", severity="warning", level="L5",
      summary="predictions are not logged where labels can be joined",
      fix="log each prediction with its features and model version from serving into an event_stream or warehouse")
def no_prediction_logging(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires when no stream or batch flow goes from the serving side into an event_stream,
    data_lake or data_warehouse. In an LLM system a flow into a monitoring or
    llm_evaluation component also counts (traces go straight to an LLM observability
    tool). The flow must leave a serving-side component that is not itself a store or
    stream (serving, batch_inference, gateways, services, llms): a store on the request
    path exporting its own contents (a feature store's offline copy) is not prediction
    logging. A request flow is a lookup and does not count.

    ## Why is this bad?
    Logged predictions, with the features and model version used, are what later gets
    joined with labels: for quality monitoring, for measuring training-serving skew, and
    as the next training set. The ML Test Score calls logging serving features back
    "perhaps the most important and least implemented" test.

    ## Example
    ```yaml
    flows:
      - "app -> lb -> serving"
      - "app -> events: clicks"
    ```

    ## Use instead
    ```yaml
    flows:
      - "app -> lb -> serving"
      - "app -> events: clicks"
      - "serving -> events: prediction logs"
    ```

    ## References
    - RoML, rules 29 and 37: log features at serving time and measure skew.
    - MLTS, Monitor 3: training and serving features are compared.
    - CH: natural labels are joined with logged predictions.
    - SEED, pillar 3: monitoring needs the production inputs and outputs.
    """
    sinks = set(_LOG_SINKS)
    if g.llm_system:
        sinks |= {"monitoring", "llm_evaluation"}
    side = _ordered(g, (c for c in g.serving_side if g.kind(c) not in STORE_OR_STREAM))
    for cid in side:
        if any(g.kind(dst) in sinks for dst in g.successors(cid, "stream", "batch")):
            return
    targets = "an event_stream, data_lake or data_warehouse" + (", monitoring or llm_evaluation"
                                                                  if g.llm_system else "")
    who = f"the serving side ({quote_ids(side)})" if side else "the serving side (the design has none)"
    yield Violation(_first_serving(g), f"no flow from {who} into {targets}: predictions are not logged, "
                    f"so labels cannot be joined and skew cannot be measured")
