"""Monitoring and retraining rules (DG6xx): does the design notice when the model degrades,
and is the model retrained as often as its world changes?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..analysis.problem import FRESHNESS_SECONDS, LIVE_QUALITY, mentions, say_seconds
from ..outcome import Evidence, Violation, check, gap, missing, not_applicable, satisfied, violated
from ..registry import rule
from .common import named, needs_models, needs_trained, quote_ids, unresolved, which

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..outcome import Outcome

# Tasks whose data moves within days: ads and feeds (RoML 8: ad systems update daily).
FAST_DRIFT_TASKS = ("ads_ctr", "recommendation", "ranking", "search")


def _no_monitoring(a: "Analysis") -> Optional["Outcome"]:
    """The outcome of a rule about what monitoring measures when there is nothing to ask."""
    early = needs_models(a)
    if early is not None:
        return early
    if not a.monitoring.monitors:
        if unresolved(a):
            return missing("schema-violation", "a component's kind could not be read")
        return missing("no-monitoring", "the design has no monitoring at all")
    return None


def _on_device_private(a: "Analysis") -> bool:
    """Every model runs on the device and only aggregates leave it (no raw data store fed from it)."""
    g = a.graph
    devices = [m.server for m in a.models if m.mode == "on_device" and m.server]
    if not devices or len(devices) != len(a.models):
        return False
    sinks = ("event_stream", "data_lake", "data_warehouse", "database", "source_db", "feature_store")
    return not any(g.kind(e.dst) in sinks for d in devices for e in g.out_edges(d, "stream", "batch"))


@rule(code="DG601", slug="no-monitoring", pillar="monitoring", severity="warning", level="L5",
      summary="nothing monitors the deployed model in production",
      fix="log predictions and serving metrics from serving (e.g. into an event_stream) and feed them to a "
          "monitoring component")
def no_monitoring(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with components. A design with no monitoring component at all is
    reported whatever else it lacks (a model too). Otherwise, for designs with a model,
    satisfied when a `monitoring` component receives production data: from the model servers, the services that call them or act on their
    results, the request path, or an on-device model's clients, by stream or batch flows,
    directly or through the streams, stores and jobs that carry logs
    (`serving -> kafka -> warehouse -> monitoring` counts). Reported when the design has
    no monitoring at all, or none that production data reaches (a monitor fed only by
    training data checks the past).

    ## Why is this bad?
    A deployed model degrades silently: inputs shift, upstream producers change, labels
    drift. Without production signals flowing into monitoring nobody learns the model is
    broken until a business metric falls.

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
    - HTD, section 7: systems that evolve in the real world need live monitoring.
    """
    g = a.graph
    if not g.components:
        return missing("empty-design", "the design has no components")
    monitors = a.monitoring.monitors
    if not monitors:
        if unresolved(a):
            return missing("schema-violation", "a component's kind could not be read")
        return violated(Violation(("components",), "the design has no monitoring component: nothing watches the "
                                                   "deployed model's inputs, predictions or latency"))
    early = needs_models(a)
    if early is not None:
        return early
    fed = a.monitoring.fed
    if fed:
        mon, source = next(iter(fed.items()))
        return satisfied(Evidence(f"{named(a, mon)} watches production data from '{source}'", g.path_of(mon)))
    mon = monitors[0]
    inputs = sorted(g.predecessors(mon, "stream", "batch"))
    reads = f"; it reads only {quote_ids(inputs)}" if inputs else ""
    return violated(Violation(g.path_of(mon), f"monitoring '{mon}' is not fed from production: no flow carries "
                              f"predictions or serving metrics to it, directly or through streams and stores{reads}",
                              component=mon))


@rule(code="DG602", slug="no-data-drift-monitoring", pillar="monitoring", severity="warning", level="L5",
      summary="nothing monitors the input distributions (data drift)",
      fix="add data_drift to a monitoring component: {metric: psi, threshold: 0.2, window: 1d}")
def no_data_drift_monitoring(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with a model and monitoring. Satisfied by a monitor with
    `data_drift`, or a system metric that measures a distribution (PSI, KL, score
    distribution shift); in an LLM system an llm_evaluation with `online: true` also
    counts. Reported otherwise. Not applicable where the model's inputs never leave the
    device (on-device models that report only aggregates), or where the model learns
    continuously from labels that arrive within the hour and live quality is monitored:
    there, quality monitoring sees drift directly.

    ## Why is this bad?
    Labels often arrive days or weeks late; input drift is the early warning (a new app
    version, a broken upstream field, a new market). The interview guide asks for KL
    divergence or PSI on incoming features against the training distribution.

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
    - SEED, pillar 3: monitor KL divergence on incoming feature distributions.
    - CH, "Designing Machine Learning Systems": data distribution shifts and how to detect them.
    - MLTS, Monitor 2: data invariants hold in training and serving inputs.
    """
    if _on_device_private(a):
        return not_applicable("the model's inputs never leave the device")
    early = _no_monitoring(a)
    if early is not None:
        return early
    g = a.graph
    drift = a.monitoring.drift_monitors
    if drift:
        return satisfied(Evidence(f"'{drift[0]}' watches {a.monitoring.drift_measure(drift[0])}", g.path_of(drift[0])))
    if a.llm_system and a.monitoring.online_llm_evaluation:
        cid = a.monitoring.online_llm_evaluation[0]
        return satisfied(Evidence(f"'{cid}' scores live traffic", g.path_of(cid)))
    delay = g.data.label_delay
    continuous = [m for m in a.trained_models if m.trainer and a.retraining(m.trainer).cadence == "continuous"]
    if continuous and a.monitoring.quality_monitors and delay is not None and delay <= 3600:
        return not_applicable("the model learns continuously from labels within the hour, and live quality is "
                              "monitored")
    mon = a.monitoring.monitors[0]
    return violated(Violation(g.path_of(mon), f"no monitoring component ({quote_ids(a.monitoring.monitors)}) watches "
                              f"input distributions: shifts go unnoticed until labels arrive", component=mon))


@rule(code="DG603", slug="no-concept-drift-monitoring", pillar="monitoring", severity="warning", level="L5",
      summary="nothing monitors model quality against labels (concept drift)",
      fix="add performance to a monitoring component: {metric: auc, label_delay: 7d}")
def no_concept_drift_monitoring(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with a model, monitoring and labels (`data.labels` is not `none`).
    Satisfied by a monitor with a `performance` metric measured against labels (with its
    label delay), or, in an LLM system, an llm_evaluation with `online: true`. Reported
    otherwise.

    ## Why is this bad?
    The relationship between inputs and outcome changes (a recession changes what people
    buy, fraudsters change tactics) while input distributions look the same. Only quality
    measured against real outcomes, joined when the labels arrive, shows it.

    ## Example
    ```yaml
    monitor: {kind: monitoring, data_drift: {metric: psi, threshold: 0.2}, alerts: [pagerduty]}
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
    - SEED, pillar 3: concept drift versus data drift.
    - HTD, section 7: monitor prediction quality; prediction bias.
    - MLTS, Monitor 7: the model's quality does not regress on served data.
    """
    if a.graph.data.labels == "none":
        return not_applicable("the design has no labels to measure quality against")
    early = _no_monitoring(a)
    if early is not None:
        return early
    g = a.graph
    quality = a.monitoring.quality_monitors
    if quality:
        perf = g.get(quality[0]).performance
        if perf is None:
            return satisfied(Evidence(f"'{quality[0]}' says: \"{a.monitoring.quality_words(quality[0])}\"",
                                      g.path_of(quality[0])))
        when = f" after {say_seconds(perf.label_delay)}" if perf.label_delay else ""
        return satisfied(Evidence(f"'{quality[0]}' tracks {perf.metric or 'quality'} on labels{when}",
                                  g.path_of(quality[0], "performance")))
    live = mentions(g.metrics.online, LIVE_QUALITY)
    if live:
        return satisfied(Evidence(f"the online metrics measure the model against live labels ({', '.join(live[:2])})",
                                  ("problem", "metrics", "online")))
    if a.llm_system and a.monitoring.online_llm_evaluation:
        cid = a.monitoring.online_llm_evaluation[0]
        return satisfied(Evidence(f"'{cid}' scores live answers", g.path_of(cid)))
    mon = a.monitoring.monitors[0]
    delay = g.data.label_delay
    when = f" (labels arrive after {say_seconds(delay)})" if delay else ""
    return violated(Violation(g.path_of(mon), f"no monitoring component ({quote_ids(a.monitoring.monitors)}) measures "
                              f"model quality against labels{when}: concept drift goes unnoticed", component=mon))


@rule(code="DG604", slug="drift-without-threshold", pillar="monitoring", severity="warning", level="L5",
      summary="drift is measured but has no threshold or no alert",
      fix="give data_drift a threshold (PSI 0.2 is a common cut-off) and route it to alerts")
def drift_without_threshold(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to monitors that measure drift. Satisfied when each has a threshold (for
    `data_drift`) and somewhere to send it (`alerts`, or a trigger flow into retraining).
    Reported otherwise; designs that measure no drift are not applicable.

    ## Why is this bad?
    A drift number nobody compares against anything is a dashboard, not monitoring: the
    shift is recorded but nothing decides or pages on it.

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
    - Research notes, default numbers: PSI under 0.1 is insignificant, 0.1-0.25 moderate,
      over 0.25 a major shift; 0.2 is a common practitioner cut-off.
    - HTD, section 7: every alert maps to an action.
    """
    g = a.graph
    drift = a.monitoring.drift_monitors
    if not drift:
        return not_applicable("no monitor measures drift")
    problems, evidence = [], []
    for cid in drift:
        comp = g.get(cid)
        missing_ = []
        if comp.data_drift is not None and comp.data_drift.threshold is None:
            missing_.append("no threshold")
        acts = comp.alerts or g.out_edges(cid, "trigger")
        if not acts:
            missing_.append("no alerts")
        if missing_:
            path = g.path_of(cid, "data_drift") if "no threshold" in missing_ else g.path_of(cid)
            problems.append(Violation(path, f"monitoring '{cid}' measures {a.monitoring.drift_measure(cid)} with "
                                            f"{' and '.join(missing_)}: a shift is recorded but nothing decides or "
                                            f"pages on it", component=cid))
        else:
            evidence.append(Evidence(f"'{cid}' alerts on a drift threshold", g.path_of(cid)))
    return check(problems, *evidence)


@rule(code="DG605", slug="no-automated-retraining", pillar="monitoring", severity="warning", level="L5",
      summary="the model is only retrained by hand",
      fix="give the training_pipeline a schedule (daily, weekly, cron, continuous) or a trigger flow from monitoring")
def no_automated_retraining(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models trained here. Satisfied when the component that trains a model runs
    on its own: a schedule, a trigger flow from monitoring, or continuous learning (`schedule: continuous`, or a pipeline with no
    schedule that learns from a stream); a model whose per-user or per-item parameters
    are updated online (`updated_by`) counts too. Reported when a model is trained by
    something that is not a pipeline at all (a notebook, a service) or by a pipeline that
    waits for a trigger nothing sends. A pipeline that says nothing about when it runs
    costs points but is not raised.

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
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    problems, evidence, unstated = [], [], []
    for m in a.trained_models:
        if m.updated_by:
            evidence.append(Evidence(f"{which(m)} is updated online by '{m.updated_by}'", m.path))
            continue
        if not m.trainer:
            continue
        r = a.retraining(m.trainer)
        if r.cadence == "continuous":
            evidence.append(Evidence(f"'{m.trainer}' trains {which(m)} continuously", g.path_of(m.trainer)))
        elif r.cadence == "scheduled":
            evidence.append(Evidence(f"'{m.trainer}' retrains {which(m)} {r.schedule}", g.path_of(m.trainer, "schedule")))
        elif r.cadence == "triggered":
            how = f"when '{r.triggers[0].src}' detects drift" if r.triggers else "when new data arrives"
            evidence.append(Evidence(f"'{m.trainer}' retrains {which(m)} {how}", g.path_of(m.trainer)))
        elif r.cadence == "described" and r.said is not None:
            evidence.append(Evidence(f"'{m.trainer}' says when it retrains {which(m)}: \"{r.said.text}\"",
                                     r.said.path))
        elif r.cadence == "manual" or (r.schedule == "on_trigger"):
            problems.append(Violation(g.path_of(m.trainer), f"{which(m)} is trained by '{m.trainer}', which runs only "
                                      f"when someone starts it: retraining is manual", component=m.trainer))
        else:
            unstated.append(m.trainer)
    if problems:
        return violated(*{v.component: v for v in problems}.values())
    if unstated:
        return gap(f"{quote_ids(sorted(set(unstated)))} say{'s' if len(set(unstated)) == 1 else ''} nothing about "
                   f"when they run")
    if evidence:
        return satisfied(*evidence)
    return missing("no-training-path", "no trained model says what trains it")


@rule(code="DG606", slug="no-drift-triggered-retraining", pillar="monitoring", severity="warning", level="L6",
      summary="a fast-moving model retrains weekly or slower and detected drift does not start a retrain",
      fix="add a trigger flow from the monitoring component into the training_pipeline")
def no_drift_triggered_retraining(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models retrained on a schedule. Satisfied by a trigger flow from monitoring
    into the pipeline. Not applicable to continuous training, nor where labels take at
    least as long to arrive as the schedule's period (a monthly retrain of a model whose
    labels mature in 90 days gets nothing fresher from a trigger). Reported when the task
    moves fast (ads, recommendations, feeds, search), the schedule is weekly or slower,
    and monitoring already detects drift and alerts on it, yet the alert starts nothing;
    other scheduled designs without a trigger cost points but are not raised.

    ## Why is this bad?
    A fixed schedule either retrains when nothing changed or waits a week while a broken
    upstream field or a trend shift degrades the model. The guide's staff loop: when the
    drift threshold breaks, an automated pipeline retrains, evaluates and deploys.

    ## Example
    ```yaml
    training: {kind: training_pipeline, schedule: weekly}
    monitor: {kind: monitoring, data_drift: {metric: psi, threshold: 0.2}, alerts: [pagerduty]}
    ```

    ## Use instead
    ```yaml
    flows:
      - {from: monitor, to: training, mode: trigger, label: PSI over 0.2}
    ```

    ## References
    - SEED, pillar 3: if a threshold is broken, an automated pipeline triggers retraining.
    - GCP, MLOps level 1: distribution change as a retraining trigger.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    delay = g.data.label_delay
    problems, evidence, gaps, judged = [], [], [], 0
    for trainer in sorted({m.trainer for m in a.trained_models if m.trainer}):
        r = a.retraining(trainer)
        if r.triggers:
            judged += 1
            evidence.append(Evidence(f"'{r.triggers[0].src}' starts '{trainer}' on drift", g.path_of(trainer)))
            continue
        if r.cadence != "scheduled" or r.period is None:
            continue
        if delay is not None and delay >= r.period:
            continue
        judged += 1
        alerting = [m for m in a.monitoring.drift_monitors if g.get(m).alerts]
        if a.task in FAST_DRIFT_TASKS and r.period >= FRESHNESS_SECONDS["weekly"] and alerting:
            problems.append(Violation(g.path_of(trainer, "schedule"), f"'{trainer}' retrains a {a.task} model only "
                                      f"{r.schedule}, and drift alerts from '{alerting[0]}' start nothing: a shift can "
                                      f"run for days", component=trainer))
        else:
            gaps.append(trainer)
    if problems:
        return violated(*problems)
    if gaps:
        return gap(f"{quote_ids(gaps)} retrain{'s' if len(gaps) == 1 else ''} on a schedule only")
    if evidence:
        return satisfied(*evidence)
    if not judged:
        unstated = [m for m in a.trained_models if m.trainer
                    and a.retraining(m.trainer).cadence in ("unstated", "manual")]
        if unstated:
            return missing("no-automated-retraining", "retraining is not automated")
        return not_applicable("retraining is continuous or described in words, or labels arrive slower than "
                              "any schedule")
    return not_applicable("nothing to trigger")


@rule(code="DG607", slug="no-prediction-logging", pillar="monitoring", severity="warning", level="L5",
      summary="predictions are not logged where labels can be joined",
      fix="log each prediction with its features and model version from serving into an event_stream or warehouse")
def no_prediction_logging(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to each model that serves predictions. Satisfied when the serving side (its
    server, the service it runs inside or that calls it, or the service that acts on its
    result) has a stream or batch flow into a place logs can be joined later: an
    event_stream, lake, warehouse, database or source_db (a prediction table counts), or
    monitoring and LLM evaluation. In search, recommendation, ads and LLM products the
    client that shows the results counts too: its impression log records what was shown.
    An on-device model satisfies it by reporting to monitoring or an aggregator. Reported
    otherwise.

    ## Why is this bad?
    Without a record of what was predicted, with which features and model version,
    labels cannot be joined to predictions, live quality cannot be measured and skew
    cannot be detected. The ML Test Score calls it "perhaps the most important and least
    implemented" test.

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
    - MLTS, Monitor 3 ("perhaps the most important and least implemented").
    - RoML, rule 29: log the features used at serving time.
    """
    early = needs_models(a)
    if early is not None:
        return early
    g = a.graph
    problems, evidence = {}, []
    for m in a.models:
        if m.mode == "none" or not m.server:
            continue
        logs = a.prediction_logs(m)
        if m.mode == "on_device":
            logs += [(m.server, e.dst) for e in g.out_edges(m.server) if g.kind(e.dst) in ("monitoring", "service")]
        if m.mode in ("batch", "index") and m.prediction_stores:
            logs.append((m.server, m.prediction_stores[0]))
        if logs:
            src, sink = logs[0]
            evidence.append(Evidence(f"{which(m)}: '{src}' logs to {named(a, sink)}", m.path))
        else:
            problems.setdefault(m.server, Violation(g.path_of(m.server), f"{which(m)} is served by '{m.server}', "
                                f"but nothing on its serving side logs predictions where labels can be joined",
                                component=m.server))
    if problems:
        return violated(*problems.values())
    if evidence:
        return satisfied(*evidence)
    return missing("model-not-deployed", "no model is served")


@rule(code="DG608", slug="retraining-cadence-unjustified", pillar="monitoring", severity="warning", level="L5",
      summary="the retraining cadence does not fit how fast the task changes or how often predictions are used",
      fix="retrain as often as the data moves (daily for ads) and no more often than the predictions are used")
def retraining_cadence_unjustified(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models retrained on a schedule. Reported when an ads model retrains weekly
    or slower with nothing that triggers sooner (campaigns and creatives churn daily), or
    when a model retrains more often than its predictions are used (hourly retraining for
    a daily decision buys nothing but cost). Satisfied when the cadence sits between the
    two; continuous and triggered training are not applicable.

    ## Why is this bad?
    Cadence is a trade-off an interviewer expects reasoned: too slow and the model misses
    what changed this week; faster than the decision it informs and every extra run is
    cost, risk and on-call with no user benefit.

    ## Example
    ```yaml
    problem: {task: ads_ctr}
    components:
      training: {kind: training_pipeline, schedule: weekly}
    ```

    ## Use instead
    ```yaml
    components:
      training: {kind: training_pipeline, schedule: daily}
    ```

    ## References
    - RoML, rule 8: know the freshness requirements of your system; ad systems update daily.
    - GCP, MLOps level 1: retraining triggers follow how fast the data changes.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    problems, evidence, judged = [], [], 0
    for m in a.trained_models:
        if not m.trainer:
            continue
        r = a.retraining(m.trainer)
        if r.cadence != "scheduled" or r.period is None:
            continue
        judged += 1
        freshness, source = m.needed_freshness
        used = FRESHNESS_SECONDS.get(freshness or "", None)
        if a.task == "ads_ctr" and r.period >= FRESHNESS_SECONDS["weekly"] and not r.triggers:
            problems.append(Violation(g.path_of(m.trainer, "schedule"), f"'{m.trainer}' retrains the ads model "
                                      f"{r.schedule}, but campaigns and creatives change daily and nothing triggers "
                                      f"a sooner retrain", component=m.trainer))
        elif used is not None and used >= FRESHNESS_SECONDS["hourly"] and r.period * 6 <= used:
            problems.append(Violation(g.path_of(m.trainer, "schedule"), f"'{m.trainer}' retrains {which(m)} every "
                                      f"{say_seconds(r.period)}, but its predictions are used {freshness} ({source}): "
                                      f"most runs change nothing anyone sees", component=m.trainer))
        else:
            evidence.append(Evidence(f"'{m.trainer}' retrains {r.schedule} for {freshness or 'its'} predictions",
                                     g.path_of(m.trainer, "schedule")))
    if not judged:
        return not_applicable("no model is retrained on a fixed schedule alone")
    return check(list({v.component: v for v in problems}.values()), *evidence)
