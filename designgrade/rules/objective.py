"""Objective rules (DG1xx): the business objective and the metrics that judge the model.

Step 1 of the interview framework: say what is optimized, how a model is evaluated
offline, what live traffic reads, and what must not get worse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.problem import (
    EXPOSURE_TASKS, LLM_TASKS, RANKING_TASKS, is_accuracy, is_off_policy_metric, is_probabilistic_metric,
    is_ranking_metric,
)
from ..outcome import Evidence, Violation, missing, not_applicable, satisfied, violated
from ..registry import rule
from .common import quote_ids

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..outcome import Outcome

METRICS = ("problem", "metrics")
LLM_PLANE = ("llm", "llm_gateway", "guardrails", "prompt_registry", "llm_evaluation", "semantic_cache")


def _names(values: list[str]) -> list[str]:
    """The metric names that say something (blank entries do not count)."""
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _no_problem(a: "Analysis") -> "Outcome | None":
    if a.graph.problem is None:
        return missing("schema-violation", "the problem section did not validate")
    return None


@rule(code="DG101", slug="missing-business-objective", pillar="objective", severity="warning",
      level="L5", summary="the design does not say which business goal the model serves",
      fix="state problem.objective: the business outcome the system moves, e.g. 'maximize long-term watch time'")
def missing_business_objective(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Reports one whose `problem.objective` is missing, empty or
    only whitespace; a stated objective satisfies it. When the whole `problem` section
    fails validation, schema-violation reports that instead (as for every objective rule).

    ## Why is this bad?
    Every later choice (the label, the offline metric, what the A/B test reads, how fresh
    predictions must be) follows from what the business is trying to move. Interviewers
    expect the answer to open with it; a candidate who jumps to "a deep neural network"
    before saying what is optimized is the classic failing start. It also keeps the team
    honest about whether ML is needed at all.

    ## Example
    ```yaml
    problem:
      task: recommendation
      metrics: {offline: [ndcg@10], online: [ctr]}
    ```

    ## Use instead
    ```yaml
    problem:
      task: recommendation
      objective: Maximize long-term member watch time
      metrics: {offline: [ndcg@10], online: [ctr]}
    ```

    ## References
    - SEED (the interview guide), step 1 "Business Objective Clarification": what is the
      metric we are optimizing? Revenue? CTR? Watch time?
    - XA, steps 1-2: clarify the business goal and frame it as an ML objective.
    - RoML, rules 1-2: know the objective before launching ML, and measure it first.
    """
    early = _no_problem(a)
    if early is not None:
        return early
    objective = a.graph.problem.objective
    if objective is None or not objective.strip():
        state = "is empty" if objective is not None else "is missing"
        return violated(Violation(("problem", "objective"),
                                  f"problem.objective {state}: the design never says which business outcome "
                                  f"the {a.task or 'ML'} system moves"))
    return satisfied(Evidence(f"objective: {objective.strip()[:120]}", ("problem", "objective")))


def _evaluation_metrics(a: "Analysis") -> list[tuple[str, tuple]]:
    """Offline evaluation wherever the design states it: problem.metrics.offline, a training
    pipeline's evaluation, a deployment gate, an offline LLM evaluation."""
    g = a.graph
    found = [(m, METRICS + ("offline",)) for m in _names(g.metrics.offline)]
    for cid in g.of_kind("training_pipeline"):
        evaluation = getattr(g.get(cid), "evaluation", None)
        if evaluation is not None and evaluation.metric:
            found.append((evaluation.metric, g.path_of(cid, "evaluation")))
    gate = g.deployment.gate if g.deployment is not None else None
    if gate is not None and gate.metric:
        found.append((gate.metric, ("deployment", "gate")))
    for cid in g.of_kind("llm_evaluation"):
        if getattr(g.get(cid), "offline", None):
            found.append((f"offline evaluation by '{cid}'", g.path_of(cid)))
    return found


@rule(code="DG102", slug="missing-offline-metrics", pillar="objective", severity="error",
      level="L5", summary="nothing evaluates a model before it ships: no offline metric anywhere",
      fix="list problem.metrics.offline, e.g. ndcg@10 for ranking, pr_auc for a rare class, mae for regression")
def missing_offline_metrics(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Reports one in which nothing evaluates a model offline: no
    `problem.metrics.offline`, no training pipeline `evaluation.metric`, no deployment
    gate metric and no offline LLM evaluation. Any of them satisfies it.

    ## Why is this bad?
    Offline metrics decide whether a candidate model is worth an A/B test, and they are
    what an automated deployment gate compares against production. With none anywhere
    there is no way to say a model is good or a retrained one better. An interviewer
    treats "no evaluation at all" as a blocker, so it is an error.

    ## Example
    ```yaml
    problem:
      task: ranking
      metrics:
        online: [ctr]
    ```

    ## Use instead
    ```yaml
    problem:
      task: ranking
      metrics:
        online: [ctr]
        offline: [ndcg@10, recall@100]
    ```

    ## References
    - SEED, step 1: "State the evaluation metrics clearly (e.g. NDCG, Precision@K)".
    - XA, step 2 (offline and online evaluation metrics); MLTS, Model 6 and Infra 4
      (a model is validated against a metric before it serves).
    - RoML, rule 2: design and implement metrics first.
    """
    early = _no_problem(a)
    if early is not None:
        return early
    found = _evaluation_metrics(a)
    if not found:
        return violated(Violation(METRICS + ("offline",),
                                  f"nothing evaluates a model for the {a.task or 'ML'} task: no offline metric in "
                                  f"problem.metrics.offline, no training evaluation and no deployment gate"))
    names = sorted({name for name, _ in found})
    return satisfied(Evidence(f"offline evaluation by {', '.join(names[:4])}", found[0][1]))


@rule(code="DG103", slug="missing-online-metrics", pillar="objective", severity="warning",
      level="L5", summary="no online metric, so nothing live can decide whether a model works",
      fix="list problem.metrics.online: what live traffic is judged by, e.g. ctr, watch_time, live_mape")
def missing_online_metrics(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Reports one that names no metric measured on live traffic:
    `problem.metrics.online` is empty and no monitoring component reads a `performance`
    metric against live labels. Either satisfies it. Business metrics do not stand in:
    they are what the company tracks over months, not what a release is judged by.

    ## Why is this bad?
    Offline gains often fail to move real outcomes. Only a metric measured on live traffic
    (CTR, watch time, conversion, or the live error of a forecast in a shadow run) can
    decide whether a new model ships. Where an A/B test is impossible (one grid, one
    forecast) the live metric is what the shadow run and the monitoring read.

    ## Example
    ```yaml
    problem:
      metrics:
        offline: [ndcg@10]
    ```

    ## Use instead
    ```yaml
    problem:
      metrics:
        offline: [ndcg@10]
        online: [ctr, watch_time]
    ```

    ## References
    - SEED, step 4: implement A/B testing frameworks to validate the model live; step 1
      names CTR and watch time.
    - RoML, rules 2 and 34 (measure online; hold out traffic for the experiment).
    - MLTS, Model 2: offline proxy metrics must be checked against the online impact.
    """
    early = _no_problem(a)
    if early is not None:
        return early
    online = _names(a.graph.metrics.online)
    if online:
        return satisfied(Evidence(f"online metrics: {', '.join(online[:4])}", METRICS + ("online",)))
    for cid in a.monitoring.quality_monitors:
        perf = a.graph.get(cid).performance
        if perf.metric:
            return satisfied(Evidence(f"'{cid}' reads {perf.metric} on live labels", a.graph.path_of(cid)))
    offline = _names(a.graph.metrics.offline)
    have = f" (offline: {', '.join(offline)})" if offline else ""
    return violated(Violation(METRICS + ("online",),
                              f"no online metric{have}: problem.metrics.online is empty and no monitor reads live "
                              f"quality, so nothing live decides whether a new model works"))


@rule(code="DG104", slug="no-guardrail-metrics", pillar="objective", severity="warning",
      level="L6", summary="no guardrail metric says what must not get worse",
      fix="list problem.metrics.guardrails, e.g. p99_latency, unsubscribe_rate, complaint_rate")
def no_guardrail_metrics(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Reports one that names no guardrail: nothing in
    `problem.metrics.guardrails`, an experimentation component's `guardrail_metrics` or a
    deployment gate's `guardrails`. Any of them satisfies it.

    ## Why is this bad?
    A model that wins on its goal metric can still lose the business: more clicks through
    clickbait, more watch time through autoplay, a better model that is too slow. A
    launch needs counter-metrics that must not regress, decided before the experiment
    starts. Raising them unprompted is a staff-level signal.

    ## Example
    ```yaml
    problem:
      metrics:
        online: [ctr]
        offline: [ndcg@10]
    ```

    ## Use instead
    ```yaml
    problem:
      metrics:
        online: [ctr]
        offline: [ndcg@10]
        guardrails: [p99_latency, hide_rate]
    ```

    ## References
    - RoML, rule 39: launch decisions are multi-metric; watch what must not get worse.
    - XA, step 7 (online evaluation with counter-metrics).
    """
    early = _no_problem(a)
    if early is not None:
        return early
    g = a.graph
    listed = _names(g.metrics.guardrails)
    if listed:
        return satisfied(Evidence(f"guardrails: {', '.join(listed[:4])}", METRICS + ("guardrails",)))
    for cid in g.of_kind("experimentation"):
        names = _names(getattr(g.get(cid), "guardrail_metrics", []) or [])
        if names:
            return satisfied(Evidence(f"'{cid}' guards {', '.join(names[:4])}", g.path_of(cid, "guardrail_metrics")))
    gate = g.deployment.gate if g.deployment is not None else None
    if gate is not None and _names(gate.guardrails):
        return satisfied(Evidence(f"the deployment gate guards {', '.join(gate.guardrails[:4])}",
                                  ("deployment", "gate")))
    return violated(Violation(METRICS + ("guardrails",),
                              "no guardrail metric anywhere: nothing says what must not get worse while the goal "
                              "improves (latency, complaints, unsubscribes)"))


@rule(code="DG105", slug="metric-task-mismatch", pillar="objective", severity="warning",
      level="L5", summary="the offline metrics cannot judge this task",
      fix="use a ranking metric (ndcg@k, recall@k) or a probability metric (log loss, AUC) for ranking; "
          "pr_auc, recall or f1 for an imbalanced task")
def metric_task_mismatch(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with offline metrics, on two kinds of task:

    - a recommendation, ranking, search or ads task, which is satisfied by a ranking
      metric (ndcg, map, mrr, recall or precision at k, hit rate, `retrieval_recall_at_k`),
      a probability metric for pointwise scorers (log loss, normalized entropy, AUC,
      calibration) or an off-policy estimate for a bandit or online learner (replay,
      IPS, progressive validation); it is reported when the metrics are none of these
      (accuracy or RMSE alone, say);
    - an imbalanced task (fraud_detection, ads_ctr, content_moderation, anomaly_detection,
      `data.class_imbalance: true`, or a classifier whose title or objective names a rare
      class such as spam, abuse or fraud), which is reported when no metric sees the rare
      class (accuracy is the only one).

    Other tasks are not applicable. With no offline metric, missing-offline-metrics
    reports the design instead.

    ## Why is this bad?
    A ranking is judged by the order of what the user sees first, or, for a pointwise
    scorer, by well-calibrated probabilities; plain accuracy measures neither. On a task
    where 1% of examples are positive, a model that always says "no" is 99% accurate and
    catches nothing: accuracy cannot tell a useful fraud model from a useless one.

    ## Example
    ```yaml
    problem:
      task: fraud_detection
      metrics:
        offline: [accuracy]
    ```

    ## Use instead
    ```yaml
    problem:
      task: fraud_detection
      metrics:
        offline: [pr_auc, recall_at_1pct_fpr]
    ```

    ## References
    - SEED, step 1: NDCG and Precision@K for the recommendation prompt; Pillar 1,
      handling imbalance.
    - XA, step 2: pick offline metrics that fit the task (ranking metrics for ranking).
    - CH, "Designing Machine Learning Systems", class imbalance: accuracy misleads.
    """
    early = _no_problem(a)
    if early is not None:
        return early
    offline = [name for name, _ in _evaluation_metrics(a) if not name.startswith("offline evaluation by")]
    ranking_like = a.task in RANKING_TASKS or a.task in EXPOSURE_TASKS
    if not offline:
        if ranking_like or a.imbalance:
            return missing("missing-offline-metrics", "no offline metric to judge")
        return not_applicable(f"the {a.task} task has no metric family to check")
    where = METRICS + ("offline",)
    if ranking_like:
        fitting = [m for m in offline if is_ranking_metric(m) or is_probabilistic_metric(m) or is_off_policy_metric(m)]
        if not fitting:
            return violated(Violation(where, f"the offline metrics of the {a.task} task ({', '.join(offline)}) "
                                             f"judge neither the order of results (ndcg@k, recall@k) nor the "
                                             f"scores (log loss, AUC)"))
        if not a.imbalance:
            return satisfied(Evidence(f"{fitting[0]} fits a {a.task} task", where))
    if a.imbalance:
        seeing = [m for m in offline if not is_accuracy(m)]
        if all(is_accuracy(m) for m in offline):
            return violated(Violation(where, f"accuracy ({', '.join(offline)}) is the only offline metric, but "
                                             f"{a.imbalance}: a model that always predicts the majority class "
                                             f"scores well on it"))
        return satisfied(Evidence(f"{seeing[0]} sees the rare class", where))
    return not_applicable(f"the {a.task} task is neither a ranking nor an imbalanced one")


@rule(code="DG106", slug="boxes-without-reasoning", pillar="objective", severity="error", level="L4",
      summary="many components, and not one requirement, metric, objective or model that justifies them",
      fix="state the objective, the metrics, the requirements (latency, QPS, freshness) and the models; "
          "then keep only the components they need")
def boxes_without_reasoning(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs of five or more components. Reports one that states nothing that
    could justify them: no objective, no metric, no requirement (freshness, latency, QPS,
    scale), no description of the data and labels, and no models. Any of those satisfies it.

    ## Why is this bad?
    A diagram with every box of the textbook and no reasoning shows vocabulary, not
    design: nothing says which boxes the problem needs, so none of them can earn credit.
    Interviewers fail this answer whatever it draws, so it is an error.

    ## Example
    ```yaml
    problem: {task: recommendation}
    components:
      app: {kind: client}
      lb: {kind: load_balancer}
      serving: {kind: online_serving}
      features: {kind: feature_store}
      training: {kind: training_pipeline}
    ```

    ## Use instead
    ```yaml
    problem:
      task: recommendation
      objective: Maximize long-term watch time
      metrics: {offline: [ndcg@10], online: [watch_time]}
      requirements: {freshness: daily, peak_qps: 20k, latency_p99_ms: 150}
    models:
      ranker: {role: ranking, algorithm: lightgbm, trained_by: training, served_by: serving}
    ```

    ## References
    - SEED, "The ML System Design Framework": step 1 (objective and metrics) comes before
      any architecture.
    - XA, step 1: clarify requirements before designing.
    """
    g = a.graph
    if len(g.components) < 5:
        return not_applicable("fewer than five components")
    p = g.problem
    stated = []
    if p is not None and p.objective and p.objective.strip():
        stated.append("an objective")
    if any(_names(v) for v in (g.metrics.offline, g.metrics.online, g.metrics.business, g.metrics.guardrails)):
        stated.append("metrics")
    r = g.requirements
    if any(v is not None for v in (r.freshness, r.latency_p99_ms, r.peak_qps, r.users, r.items)):
        stated.append("requirements")
    d = g.data
    if d.labels or d.label_delay is not None or d.class_imbalance is not None:
        stated.append("the data")
    if g.design.models:
        stated.append("models")
    if stated:
        return satisfied(f"the design states {', '.join(stated)}")
    return violated(Violation(("problem",), f"{len(g.components)} components, but no objective, metric, requirement, "
                                            f"data description or model says why any of them is there"))


@rule(code="DG107", slug="unjustified-components", pillar="objective", severity="warning", level="L5",
      summary="LLM components in a system where no model uses them",
      fix="remove the LLM components, or add the model that uses them and say what it does for the task")
def unjustified_components(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs whose task is not an LLM task (llm_rag, llm_assistant). Reports
    LLM-plane components (llm, llm_gateway, guardrails, prompt_registry, llm_evaluation,
    semantic_cache) when no model of the design is an LLM: nothing says what they do for a
    recommender or a fraud model. A design without them, or one with a `models` entry
    served by its llm (an LLM that writes explanations or labels data, say), satisfies it.

    ## Why is this bad?
    Boxes added because they are fashionable cost money and attention and raise the
    question of what they are for. Interviewers read them as buzzwords unless the design
    says which part of the problem they solve.

    ## Example
    ```yaml
    problem: {task: recommendation}
    components:
      llm: {kind: llm, tech: openai}
      sem_cache: {kind: semantic_cache, tech: redis}
    ```

    ## Use instead
    ```yaml
    problem: {task: recommendation}
    models:
      explainer: {role: generator, algorithm: llm, served_by: llm}   # writes "because you watched"
    ```

    ## References
    - Sculley et al., Hidden Technical Debt in ML Systems (2015): every component is a
      dependency to maintain.
    - SEED, Pillar 2: the trap of an overly complex architecture for the problem.
    """
    if a.task in LLM_TASKS:
        return not_applicable(f"the {a.task} task uses LLM components by design")
    plane = [cid for cid in a.graph.components if a.graph.kind(cid) in LLM_PLANE]
    if not plane:
        return satisfied("no component without a use for the task")
    if any(m.server_kind == "llm" for m in a.named_models if m.declared):
        return satisfied("the LLM components serve a model the design names")
    return violated(Violation(a.graph.path_of(plane[0]),
                              f"{quote_ids(plane)} are LLM components in a {a.task} system where no model "
                              f"uses an LLM: nothing says what they do for the task", component=plane[0]))
