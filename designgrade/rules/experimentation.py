"""Experimentation rules (DG5xx): how a new model is validated live and released safely.

Live validation is judged by what the task allows: an A/B test (or interleaving, or a
bandit) where users can be randomized; a shadow run, a canary and delayed-label
monitoring where holding protection back is costly (fraud, moderation) or randomizing is
impossible (one grid, one forecast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.problem import (EXPOSURE_TASKS, LIVE_QUALITY, LLM_TASKS, is_off_policy_metric, mentions,
                                metric_parts, names_metric)
from ..outcome import Evidence, Violation, not_applicable, satisfied, violated
from ..registry import rule
from .common import named, needs_models, needs_trained, quote_ids, said, which

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..outcome import Outcome

# Tasks whose users can be randomized and whose standard evidence is an online experiment.
AB_TASKS = EXPOSURE_TASKS | LLM_TASKS | frozenset({"eta"})

LIVE_STRATEGIES = ("ab_test", "interleaving", "multi_armed_bandit")
SHADOW_LIKE = ("shadow", "canary", "blue_green")


@rule(code="DG501", slug="no-online-experiment", pillar="experimentation", severity="warning", level="L5",
      summary="no new model is validated on live traffic in a way the task allows",
      fix="add an experimentation component (A/B test, interleaving or a bandit); where users cannot be "
          "randomized, a shadow run or canary judged on live labels")
def no_online_experiment(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with a model. Satisfied by an experimentation component, a
    deployment strategy of ab_test, interleaving or multi_armed_bandit, or, in an LLM
    system, an llm_evaluation with `online: true`. For tasks where an online experiment is
    not the standard evidence (fraud, moderation and anomaly detection, where holding
    protection back costs real harm; classification, regression and forecasting, where
    there may be one consumer or a regulator), a shadow, canary or blue-green deployment,
    a backtest gate, exploration or a randomized holdout, or an online metric measured
    against live labels (precision, overturn rate, error) satisfies it too; an off-policy
    online metric (counterfactual, replay, IPS) satisfies it for any task. Not applicable
    when no model is trained here (a vendor's or a pretrained model). Reported when
    nothing validates a new model live.

    ## Why is this bad?
    Offline metrics are proxies; only live evidence shows a new model helps. Where users
    can be randomized that evidence is an experiment; where they cannot, it is a shadow
    run judged on live labels. A design with neither ships models on faith.

    ## Example
    ```yaml
    problem: {task: recommendation}
    deployment: {strategy: all_at_once}
    ```

    ## Use instead
    ```yaml
    components:
      experiments: {kind: experimentation, tech: statsig, method: ab_test}
    flows:
      - "experiments -> serving: variant"
    ```

    ## References
    - SEED, step 4: implement A/B testing frameworks (multi-armed bandits) to validate
      the model live.
    - RoML, rule 34: hold out a small slice of traffic to measure.
    - APG, 7.1-7.2: shadow deployments where A/B tests are not possible.
    """
    early = needs_models(a)
    if early is not None:
        return early
    g = a.graph
    if not a.trained_models and not a.llm_system:
        return not_applicable("no model is trained here: there is no new version of the design's own to test "
                              "live")
    experiments = g.of_kind("experimentation")
    if experiments:
        method = getattr(g.get(experiments[0]), "method", None)
        how = f" ({method})" if method else ""
        return satisfied(Evidence(f"new models are tested live by {named(a, experiments[0])}{how}",
                                  g.path_of(experiments[0])))
    strategy = g.deployment.strategy if g.deployment is not None else None
    if strategy in LIVE_STRATEGIES:
        return satisfied(Evidence(f"deployment.strategy {strategy}", ("deployment", "strategy")))
    if a.llm_system and a.monitoring.online_llm_evaluation:
        cid = a.monitoring.online_llm_evaluation[0]
        return satisfied(Evidence(f"'{cid}' evaluates live traffic", g.path_of(cid)))
    bandits = [m for m in a.models if "bandit" in m.algorithm]
    if bandits:
        return satisfied(Evidence(f"{which(bandits[0])} explores live and is judged off-policy on what it logged",
                                  bandits[0].path))
    off_policy = [name for name in g.metrics.online if is_off_policy_metric(name)]
    if off_policy:
        return satisfied(Evidence(f"the online metrics include {', '.join(off_policy[:2])}: live estimates that "
                                  f"the model's own choices do not bias", ("problem", "metrics", "online")))
    if a.task not in AB_TASKS:
        # Where users cannot be randomized, exploration or a holdout with logged propensities, or
        # live labels on what each model decided, is the evidence an experiment would give.
        explored = [m for m in a.models if (getattr(m.spec, "exploration", None) or "none").strip().lower() != "none"]
        if explored:
            return satisfied(Evidence(f"{which(explored[0])} explores ({explored[0].spec.exploration}): live "
                                      f"outcomes the model did not choose", explored[0].path))
        words = said(a, "exploration")
        if words is not None:
            return satisfied(words)
        live = mentions(g.metrics.online, LIVE_QUALITY)
        if live:
            return satisfied(Evidence(f"each model is judged live on labelled outcomes ({', '.join(live[:2])})",
                                      ("problem", "metrics", "online")))
        method = getattr(getattr(g.deployment, "gate", None), "method", None) if g.deployment else None
        backtests = [c for c in g.of_kind("training_pipeline")
                     if getattr(getattr(g.get(c), "evaluation", None), "method", None) == "backtest"]
        if strategy in SHADOW_LIKE:
            return satisfied(Evidence(f"new models run as a {strategy} before they act", ("deployment", "strategy")))
        if method == "backtest" or backtests:
            return satisfied("new models are validated by backtests")
    online = g.metrics.online
    reads = f" to read the online metrics ({', '.join(online)})" if online else ""
    how = f"deployment strategy is {strategy}" if strategy else "no deployment strategy"
    return violated(Violation(("deployment",) if g.deployment is not None else ("components",),
                              f"no experimentation component{reads} and {how}: no new model is validated on live "
                              f"traffic"))


@rule(code="DG502", slug="unsafe-auto-deploy", pillar="experimentation", severity="warning", level="L6",
      summary="retrained models reach all users automatically with no gate and no gradual exposure",
      fix="set deployment.gate (a metric the new model must beat) or a gradual strategy (shadow, canary, "
          "ab_test), and rollback: automatic")
def unsafe_auto_deploy(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models that reach their server with no person in between: a flow from
    training, or from a registry, into the server, and no `deployment.promotion: manual`.
    Reported when such a model reaches users with no gate (`deployment.gate`: a metric
    the new model must show before it ships) and no gradual exposure (shadow, canary,
    blue_green, ab_test, interleaving, bandit): an all-at-once or continuous push of an
    unchecked model. A training pipeline's `evaluation` alone is not a gate: it measures
    each model but stops nothing. A gate or gradual exposure satisfies it. Designs that
    deploy by hand (manual promotion, nothing wired from training to serving) are not
    applicable.

    ## Why is this bad?
    With both loops automated no human looks at a model before users do. A retrain on a
    corrupted day, pushed to all traffic at once, degrades every user until someone
    notices on a dashboard. A warning: interviewers raise it and mark it down, but treat it
    as a gap in rollout practice rather than a broken design.

    ## Example
    ```yaml
    components:
      training: {kind: training_pipeline, schedule: weekly}
    flows:
      - "training -> serving: new model"
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
    - APG, 7.1-7.4: gradual rollout strategies with rollback.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    auto = [m for m in a.trained_models if m.trainer and m.server and a.deploys_automatically(m)]
    if not auto:
        return not_applicable("no trained model reaches serving without a person in between")
    release = a.release
    nets = []
    gate = g.deployment.gate if g.deployment is not None else None
    if gate is not None and (gate.metric or gate.must_beat):
        nets.append(release.gate)
    if release.gradual:
        nets.append(f"a {release.strategy} rollout")
    if nets:
        return satisfied(Evidence(f"automated releases pass {' and '.join(nets)}", release.gate_path or ("deployment",)))
    m = auto[0]
    strategy = f"strategy {release.strategy}" if release.strategy else "no rollout strategy"
    where = ("deployment",) if g.deployment is not None else g.path_of(m.trainer)
    measured = f" ('{m.trainer}' measures each model, but nothing stops a worse one)" if release.gate else ""
    return violated(Violation(where, f"a new {which(m)} goes from '{m.trainer}' to '{m.server}' automatically with no "
                              f"deployment gate and {strategy}{measured}: every user gets an unchecked model at "
                              f"once", component=m.server))


_EXPLORE = r"explor|bandit|thompson|ucb|epsilon|random"


@rule(code="DG503", slug="feedback-loop-without-exploration", pillar="experimentation", severity="warning",
      level="L6", summary="the model learns from what it chose to show, with nothing that explores",
      fix="reserve a small exploration slice (epsilon-greedy, Thompson sampling) or a random holdout and log "
          "propensities; set the model's exploration")
def feedback_loop_without_exploration(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models that decide what people are shown (recommendation, ranking,
    search, ads) and learn from implicit feedback on it (`data.labels: implicit`).
    Satisfied when something explores: a model's `exploration` (other than `none`), a
    bandit algorithm, a multi_armed_bandit experiment or strategy, or exploration named in
    `problem.data.bias_handling`. Reported otherwise.

    ## Why is this bad?
    A model trained on engagement with what it already showed only learns more about
    those items: new items and creators never get the impressions that would prove them,
    and the system narrows onto its own past choices. Staff candidates name the loop and
    the exploration budget that breaks it.

    ## Example
    ```yaml
    problem:
      task: recommendation
      data: {labels: implicit}
    models:
      ranker: {role: ranking, algorithm: two_tower}
    ```

    ## Use instead
    ```yaml
    models:
      ranker: {role: ranking, algorithm: two_tower, exploration: epsilon_greedy_2pct}
    ```

    ## References
    - HTD, section 4: direct and hidden feedback loops.
    - RoML, rules 35-36: beware of feedback loops; positional features.
    - Li et al., "A Contextual-Bandit Approach to Personalized News Article
      Recommendation" (WWW 2010).
    """
    if a.task not in EXPOSURE_TASKS or a.graph.data.labels != "implicit":
        return not_applicable("the model does not learn from feedback on what it shows")
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    for m in a.models:
        stated = (getattr(m.spec, "exploration", None) or "").strip()
        if stated and stated.lower() != "none":
            return satisfied(Evidence(f"{which(m)} explores ({stated})", m.path))
        if mentions([m.algorithm], r"bandit|thompson|ucb|epsilon"):
            return satisfied(Evidence(f"{which(m)} is a {m.algorithm}", m.path))
    bandits = [c for c in g.of_kind("experimentation") if getattr(g.get(c), "method", None) == "multi_armed_bandit"]
    if bandits or (g.deployment is not None and g.deployment.strategy == "multi_armed_bandit"):
        return satisfied("a multi-armed bandit explores")
    named_ = mentions(g.data.bias_handling, _EXPLORE)
    if named_:
        return satisfied(Evidence(f"exploration: {named_[0]}", ("problem", "data", "bias_handling")))
    words = said(a, "exploration")
    if words is not None:
        return satisfied(words)
    m = next((m for m in a.trained_models if m.reaches_consumer), a.trained_models[0])
    return violated(Violation(m.path, f"{which(m)} chooses what users see and learns from their clicks on it, with "
                              f"no exploration: new items never get the impressions that would prove them",
                              component=m.server))


@rule(code="DG504", slug="no-experiment-power-analysis", pillar="experimentation", severity="warning",
      level="L6", summary="an experiment on a small population with no power estimate",
      fix="estimate the minimum detectable effect for the population and holdout (experimentation."
          "min_detectable_effect), and run longer or pool where it is too large")
def no_experiment_power_analysis(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with an experimentation component whose population
    (`requirements.users`) is under 200,000. Satisfied when the experiment states a
    `min_detectable_effect`. Reported otherwise. Larger populations, or designs that do
    not state their size, are not applicable.

    ## Why is this bad?
    With 30,000 accounts, an 8% base rate and a 15% holdout, only large effects are
    detectable in a quarter; a null result then says nothing and a noisy win is luck.
    Staff candidates size the experiment before trusting it.

    ## Example
    ```yaml
    problem:
      requirements: {users: 30k}
    components:
      experiments: {kind: experimentation, method: ab_test, holdout: 0.15}
    ```

    ## Use instead
    ```yaml
    components:
      experiments: {kind: experimentation, method: ab_test, holdout: 0.15,
                    min_detectable_effect: 2pp churn over two quarters}
    ```

    ## References
    - Kohavi, Tang and Xu, "Trustworthy Online Controlled Experiments" (2020): power and
      the minimum detectable effect.
    - RoML, rule 34: hold out enough traffic to measure.
    """
    g = a.graph
    experiments = g.of_kind("experimentation")
    users = g.requirements.users
    if not experiments or users is None or users >= 200_000:
        return not_applicable("no experiment on a small, stated population")
    powered = [c for c in experiments if (getattr(g.get(c), "min_detectable_effect", None) or "").strip()]
    if powered:
        return satisfied(Evidence(f"'{powered[0]}' is powered for {g.get(powered[0]).min_detectable_effect}",
                                  g.path_of(powered[0])))
    cid = experiments[0]
    holdout = getattr(g.get(cid), "holdout", None)
    arm = f" and a {holdout:.0%} holdout" if holdout else ""
    return violated(Violation(g.path_of(cid), f"'{cid}' experiments on {int(users):,} units{arm} with no minimum "
                              f"detectable effect: a small population may not be able to show the effect at all",
                              component=cid))


@rule(code="DG505", slug="gate-ignores-guardrails", pillar="experimentation", severity="warning", level="L6",
      summary="the release gate checks one metric while a guardrail it could check offline can regress",
      fix="add the offline-measurable guardrails to deployment.gate.guardrails (must not get worse)")
def gate_ignores_guardrails(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with a release gate (`deployment.gate`, or a training pipeline's
    `evaluation`). Reported when a guardrail metric (`problem.metrics.guardrails`) is also
    an offline metric, so the gate could check it, but the gate does not (its metric, the
    pipeline's evaluation metric and `deployment.gate.guardrails`). Satisfied when every
    offline-measurable guardrail is gated; designs without a gate are not applicable.

    ## Why is this bad?
    A model can beat production on its headline metric (macro-F1) and still lose on the
    one that matters most for a slice (recall on the abuse queue). The gate is the last
    automatic check before users; it should hold the guardrails as well.

    ## Example
    ```yaml
    problem:
      metrics:
        offline: [macro_f1, abuse_queue_recall]
        guardrails: [abuse_queue_recall]
    deployment:
      gate: {metric: macro_f1, must_beat: production}
    ```

    ## Use instead
    ```yaml
    deployment:
      gate: {metric: macro_f1, must_beat: production, guardrails: [abuse_queue_recall]}
    ```

    ## References
    - MLTS, Model 6 and Infra 4: release gates check slices, not only the aggregate.
    - RoML, rule 39: launch decisions are multi-metric.
    """
    release = a.release
    if not release.gate:
        return not_applicable("no release gate")
    g = a.graph
    offline = {m.strip() for m in g.metrics.offline if isinstance(m, str)}
    gated = {m.strip() for m in release.gate_metrics}
    parts = [p for m in gated for p in metric_parts(m)]
    missing_ = [m for m in g.metrics.guardrails if isinstance(m, str) and m.strip() in offline
                and names_metric(m, parts) is None]
    if missing_:
        return violated(Violation(release.gate_path, f"the release gate checks {', '.join(sorted(gated)) or 'one metric'} "
                                  f"but not the guardrail {quote_ids(missing_)}, which is measured offline: a model "
                                  f"can pass while it regresses"))
    return satisfied(Evidence(f"the gate checks {', '.join(sorted(gated)) or 'the model'}", release.gate_path))

