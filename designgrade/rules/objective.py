"""Objective rules (DG1xx): the business objective and the metrics that judge the model.

Step 1 of the interview framework: say what is optimized, how a model is evaluated
offline, what an A/B test reads online, and what must not get worse.
"""

from __future__ import annotations

from typing import Iterator

from ..graph import DesignGraph, is_ranking_metric
from ..registry import Violation, rule

RANKING_TASKS = ("recommendation", "ranking", "search")
METRICS = ("problem", "metrics")


def _names(values: list[str]) -> list[str]:
    """The metric names that say something (blank entries do not count)."""
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _is_accuracy(name: str) -> bool:
    """Plain accuracy in any spelling (accuracy, acc, top1_accuracy), not balanced_accuracy."""
    low = name.lower().replace("-", "_")
    return low in ("acc", "accuracy") or ("accuracy" in low and "balanced" not in low)


@rule(code="DG101", slug="missing-business-objective", pillar="objective", severity="warning",
      level="L5", summary="the design does not say which business goal the model serves",
      fix="state problem.objective: the business outcome the system moves, e.g. 'maximize long-term watch time'")
def missing_business_objective(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a design whose `problem.objective` is missing, empty or only whitespace. When
    the whole `problem` section fails validation, schema-violation reports that instead
    (this holds for every objective rule).

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
    if g.problem is None:
        return  # the problem section did not validate; schema-violation reports it
    objective = g.problem.objective
    if objective is None or not objective.strip():
        state = "is empty" if objective is not None else "is missing"
        yield Violation(("problem", "objective"),
                        f"problem.objective {state}: the design never says which business outcome "
                        f"the {g.task or 'ML'} system moves")


@rule(code="DG102", slug="missing-offline-metrics", pillar="objective", severity="warning",
      level="L5", summary="no offline metric, so no model can be evaluated before launch",
      fix="list problem.metrics.offline, e.g. ndcg@10 for ranking, pr_auc for a rare class, mae for regression")
def missing_offline_metrics(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a design whose `problem.metrics.offline` lists no metric (the metrics section
    or the list is missing, or every entry is blank).

    ## Why is this bad?
    Offline metrics are what model evaluation reads: they decide whether a candidate model
    is worth an A/B test, and they are what an automated deployment gate compares against
    production. Without one there is no way to say a retrained model is better, so
    retraining and deployment cannot be automated safely.

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
    if g.problem is not None and not _names(g.metrics.offline):
        yield Violation(METRICS + ("offline",),
                        f"no offline metric for the {g.task or 'ML'} task: problem.metrics.offline is empty, "
                        f"so no model evaluation or deployment gate can compare models")


@rule(code="DG103", slug="missing-online-metrics", pillar="objective", severity="warning",
      level="L5", summary="no online metric, so no A/B test can decide",
      fix="list problem.metrics.online: what the A/B test reads, e.g. ctr, watch_time, conversion_rate")
def missing_online_metrics(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a design whose `problem.metrics.online` lists no metric. Business metrics do
    not stand in for it: they are what the company tracks, often over months, while the
    online metric is what an A/B test reads within its run.

    ## Why is this bad?
    Offline gains often fail to move real users. Only an online metric measured on live
    traffic (CTR, watch time, conversion) can decide whether a new model ships, and it is
    the bridge between the offline metric and the business objective.

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
    if g.problem is not None and not _names(g.metrics.online):
        offline = _names(g.metrics.offline)
        have = f" (offline: {', '.join(offline)})" if offline else ""
        yield Violation(METRICS + ("online",),
                        f"no online metric{have}: problem.metrics.online is empty, so no A/B test can decide "
                        f"whether a new model ships")


@rule(code="DG104", slug="no-guardrail-metrics", pillar="objective", severity="warning",
      level="L6", summary="no guardrail metric says what must not get worse",
      fix="list problem.metrics.guardrails, e.g. p99_latency, unsubscribe_rate, complaint_rate")
def no_guardrail_metrics(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a design whose `problem.metrics.guardrails` is empty. We follow the spec to
    the letter: guardrails listed only on an experimentation component
    (`guardrail_metrics`) do not count, but the message points them out so moving them
    up is a one-line fix.

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
    if g.problem is None or _names(g.metrics.guardrails):
        return
    elsewhere = sorted({m for cid in g.of_kind("experimentation")
                        for m in _names(getattr(g.get(cid), "guardrail_metrics", []) or [])})
    hint = (f"; experimentation lists {', '.join(elsewhere)}, declare them in problem.metrics.guardrails"
            if elsewhere else "")
    yield Violation(METRICS + ("guardrails",),
                    f"problem.metrics.guardrails is empty: nothing says what must not get worse while "
                    f"the goal improves{hint}")


@rule(code="DG105", slug="metric-task-mismatch", pillar="objective", severity="warning",
      level="L5", summary="the offline metrics cannot judge this task",
      fix="use a ranking metric (ndcg@k, map, mrr, recall@k) for ranking tasks; "
          "pr_auc, recall or f1 for an imbalanced task")
def metric_task_mismatch(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Looks at `problem.metrics.offline` and reports either of two mismatches, at most one
    finding per design:

    - a recommendation, ranking or search task with no ranking metric among its offline
      metrics (names starting with ndcg, map, mrr, recall@ or precision@, any case; we do
      not read `mape`, a forecasting error, as map);
    - an imbalanced task (fraud_detection, ads_ctr, content_moderation,
      anomaly_detection, or `data.class_imbalance: true`) whose only offline metric is
      accuracy (`accuracy`, `acc`, `top1_accuracy`...; `balanced_accuracy` is fine).

    With no offline metric at all, missing-offline-metrics reports the design instead.

    ## Why is this bad?
    A ranking is judged by the order of what the user sees first; AUC or accuracy over
    items ignores position. On a task where 1% of examples are positive, a model that
    always says "no" is 99% accurate and catches nothing: accuracy cannot tell a useful
    fraud model from a useless one.

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
    offline = _names(g.metrics.offline)
    if not offline:
        return
    where = METRICS + ("offline",)
    if g.task in RANKING_TASKS and not any(is_ranking_metric(m) for m in offline):
        yield Violation(where, f"the offline metrics of the {g.task} task ({', '.join(offline)}) include no "
                               f"ranking metric such as ndcg@k, map, mrr, recall@k or precision@k")
    elif g.imbalanced_task and all(_is_accuracy(m) for m in offline):
        why = f"the {g.task} task" if g.task in ("fraud_detection", "ads_ctr", "content_moderation",
                                                 "anomaly_detection") else "a task with class imbalance"
        yield Violation(where, f"accuracy ({', '.join(offline)}) is the only offline metric of {why}: "
                               f"a model that always predicts the majority class scores well on it")
