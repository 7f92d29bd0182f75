"""Experimentation rules (DG5xx): is a new model validated live, and rolled out safely?"""

from __future__ import annotations

from typing import Any, Iterator

from ..graph import SERVING_KINDS, DesignGraph
from ..registry import Violation, rule


@rule(code="DG501", slug="no-online-experiment", pillar="experimentation", severity="warning", level="L5",
      summary="no A/B test or bandit validates a new model on live traffic",
      fix="add an experimentation component (ab_test, multi_armed_bandit or interleaving) reading the "
          "online metrics, or deploy with strategy ab_test")
def no_online_experiment(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires when the design has no experimentation component (of any method: ab_test,
    multi_armed_bandit, interleaving) and `deployment.strategy` is not `ab_test`. In an
    LLM system an llm_evaluation with `online: true` also counts. A canary, shadow or
    blue-green rollout does not count: it checks that the new model is healthy, not that
    it moves the online metric. The finding points at `components:`.

    One exception, our judgment call: a fraud or anomaly task with delayed labels whose
    deployment strategy is `shadow` and whose monitoring measures a `performance` metric
    against the labels. There the challenger scores all live traffic in the shadow and is
    judged on matured labels; a short A/B test could not read a 60-day chargeback rate,
    and letting fraud through for a holdout costs real money (Stripe Radar works this way).

    ## Why is this bad?
    Offline gains often fail to show up online: NDCG improves while watch time does not,
    or the new model shifts traffic in ways the offline set never saw. Only a controlled
    experiment on live traffic, with a holdout and guardrail metrics, tells whether the
    model is better for the business. The interview guide asks for "A/B testing
    frameworks (e.g., multi-armed bandits) to validate the model live".

    ## Example
    ```yaml
    components:
      serving: {kind: online_serving}
    deployment: {strategy: canary}
    ```

    ## Use instead
    ```yaml
    components:
      serving: {kind: online_serving}
      experiments: {kind: experimentation, tech: statsig, method: ab_test,
                    guardrail_metrics: [p99_latency]}
    flows:
      - "serving -> experiments: assignment"
    ```

    ## References
    - SEED, step 4 of the framework: implement A/B testing (e.g. multi-armed bandits) to
      validate the model live.
    - RoML, rule 34 and 39: hold out a slice of traffic; launch decisions weigh several
      online metrics.
    - MLTS, Model 2: offline proxy metrics are checked against the online impact.
    - XA, evaluation step: online evaluation by A/B test decides the launch.
    """
    if g.has_kind("experimentation"):
        return
    strategy = g.deployment.strategy if g.deployment else None
    if strategy == "ab_test":
        return
    if g.llm_system and any(getattr(g.get(c), "online", None) for c in g.of_kind("llm_evaluation")):
        return
    if _shadow_on_matured_labels(g, strategy):
        return
    online = g.metrics.online
    reads = f" to read the online metrics ({', '.join(online)})" if online else ""
    how = f"deployment strategy is {strategy}, not ab_test" if strategy else "no deployment strategy ab_test"
    extra = " and no llm_evaluation with online: true" if g.llm_system else ""
    yield Violation(
        ("components",),
        f"no experimentation component{reads}, {how}{extra}: no new model is validated on live traffic",
    )


def _shadow_on_matured_labels(g: DesignGraph, strategy: object) -> bool:
    return (
        strategy == "shadow"
        and g.task in ("fraud_detection", "anomaly_detection")
        and g.data.labels == "delayed"
        and any(getattr(getattr(g.get(c), "performance", None), "metric", None) for c in g.of_kind("monitoring"))
    )


@rule(code="DG502", slug="unsafe-auto-deploy", pillar="experimentation", severity="error", level="L6",
      summary="models retrain and deploy automatically without a gate, a gradual rollout and automatic rollback",
      training=True,
      fix="set deployment.gate (a metric the new model must beat), a gradual strategy (canary, shadow, "
          "blue_green or ab_test) and rollback: automatic")
def unsafe_auto_deploy(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Fires when the design both retrains automatically (a trigger flow from monitoring
    into a training_pipeline, or a schedule other than `on_trigger`) and deploys
    automatically (a model_registry flows into a serving component), but `deployment`
    lacks any of the three safety nets: a `gate` naming a metric or a model to beat,
    a strategy other than `all_at_once`, and `rollback: automatic`. A missing
    `deployment` section lacks all three. One finding, naming every missing net, at the
    first missing field (without a `deployment` section, at the `models:` key it would
    follow, else `flows:`). A training_pipeline's `evaluation.compare_to` alone is not a
    gate: it measures, but does not stop the rollout.

    ## Why is this bad?
    With both loops automated no human looks at a model before users do. A retrain on a
    corrupted or drifted day, pushed to all traffic at once with no automatic way back,
    degrades every user until someone notices on a dashboard. The interview guide's
    loop deploys the new model only "if it beats the baseline", and production checklists
    ask for canaries and practised rollback.

    ## Example
    ```yaml
    flows:
      - {from: monitor, to: training, mode: trigger}
      - "training -> registry -> serving"
    deployment: {strategy: all_at_once}
    ```

    ## Use instead
    ```yaml
    deployment:
      strategy: canary
      gate: {metric: ndcg@10, must_beat: production}
      rollback: automatic
    ```

    ## References
    - SEED, pillar 3: retrain on drift, run shadow A/B evaluations, and auto-deploy only
      if the new model beats the baseline.
    - MLTS, Infrastructure 4, 6, 7: validate a model before serving, canary it, and be
      able to roll it back quickly.
    - GCP, MLOps level 2: automated deployment follows automated model validation.
    - APG, 7.1-7.4: gradual rollout strategies with rollback.
    - HTD, section 7: automated actions need limits.
    """
    if not (g.automated_retraining and g.automated_deployment):
        return
    dep = g.deployment
    gate = dep.gate if dep else None
    problems: list[tuple[tuple[Any, ...], str]] = []
    if gate is None or not ((gate.metric or "").strip() or (gate.must_beat or "").strip()):
        problems.append((("deployment", "gate"), "no gate"))
    if dep is not None and dep.strategy == "all_at_once":
        problems.append((("deployment", "strategy"), "strategy all_at_once"))
    if dep is None or dep.rollback != "automatic":
        rollback = f"rollback {dep.rollback}" if dep is not None and dep.rollback else "no automatic rollback"
        problems.append((("deployment", "rollback"), rollback))
    if not problems:
        return
    retrain = [f"{e.src} -> {e.dst} trigger" for e in g.retrain_triggers]
    retrain += [f"'{t}' runs {g.get(t).schedule}" for t in g.scheduled_training]
    deploys = [f"{r} -> {e.dst}" for r in g.of_kind("model_registry") for e in g.out_edges(r)
               if g.kind(e.dst) in SERVING_KINDS]
    # Without a deployment section, point at the top-level key it would follow.
    where = problems[0][0] if dep is not None else (("models",) if g.design.models is not None else ("flows",))
    yield Violation(
        where,
        f"models retrain automatically ({'; '.join(retrain)}) and deploy automatically "
        f"({', '.join(deploys)}), but deployment has {', '.join(p[1] for p in problems)}",
    )
