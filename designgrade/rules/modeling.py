"""Model rules (DG4xx): step 3 of the interview framework, kept brief.

The interviewer cares that there is a model, that it is trained on data and reaches its
users, that it beats a simple baseline, and that it is no heavier than the problem needs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..analysis.problem import is_calibration_metric, mentions
from ..outcome import Evidence, Violation, check, gap, missing, not_applicable, satisfied, violated
from ..registry import rule
from .common import article, named, needs_models, quote_ids, unresolved, which

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..outcome import Outcome

# Kinds that can run a model: a server, a batch job, an LLM, an embedding model, the device
# (on-device), a service (in-process), an index or store that holds precomputed outputs.
RUNS_MODELS = frozenset({"online_serving", "batch_inference", "llm", "embedding_model", "client", "service",
                         "vector_db", "key_value_store", "database"})
# Inputs that need a network's capacity: content, sequences and learned embeddings.
_RICH_INPUT = re.compile(r"(text|image|frame|video|audio|speech|transcript|caption|ocr|pixel|token|sequence|"
                         r"embedding|_emb|vector|query|title|description|body|content|history|_ids?\b|_id_|"
                         r"graph|photo|document|sentence|word|prompt|hash)")
# Algorithms whose input is content itself (text, images, audio): their features are not the whole input.
_CONTENT_MODEL = re.compile(r"(bert|roberta|xlm|t5|gpt|llama|vit\b|resnet|efficientnet|clip|cnn|convnet|whisper|"
                            r"wav2vec|yolo|sentence_transformer|encoder_decoder_text)")
_HEAVY = re.compile(r"(transformer|bert|gpt|llm|ppo|reinforcement|\brl\b|_rl_|dqn|deep_rl|diffusion)")


@rule(code="DG401", slug="no-baseline-model", pillar="model", severity="warning", level="L5",
      summary="no model has a simpler baseline or the production model to beat",
      fix="give a model a `baseline` (popularity, logistic regression, the current heuristic) to beat")
def no_baseline_model(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs with a model. Satisfied when a model names a `baseline`, a training
    pipeline evaluates against something (`evaluation.compare_to`), a deployment gate says
    what a new model `must_beat`, or an online experiment tests every change against the
    model in production. Reported when none of these exists.

    ## Why is this bad?
    A simple baseline (popularity, logistic regression, the current heuristic) is the
    first thing to ship and the bar every complex model must clear. Without anything to
    beat, nobody can say whether the two-tower network is worth its cost, or whether ML is
    needed at all. Interviewers expect it in one sentence before any architecture.

    ## Example
    ```yaml
    models:
      ranker: {role: ranking, algorithm: dnn, trained_by: training, served_by: serving}
    ```

    ## Use instead
    ```yaml
    models:
      ranker: {role: ranking, algorithm: dnn, baseline: popularity,
               trained_by: training, served_by: serving}
    ```

    ## References
    - SEED, step 3: propose a Two-Tower network or an XGBoost model as a baseline; keep
      the model brief.
    - RoML, rules 1 and 3: don't be afraid to launch without ML; start with a heuristic.
    - MLTS, Model 5: a simpler model is not better.
    """
    early = needs_models(a)
    if early is not None:
        return early
    for m in a.models:
        if m.baseline:
            return satisfied(Evidence(f"{which(m)} must beat {m.baseline}", m.path))
    g = a.graph
    gate = g.deployment.gate if g.deployment is not None else None
    if gate is not None and gate.must_beat:
        return satisfied(Evidence(f"a new model must beat {gate.must_beat}", ("deployment", "gate")))
    for cid in g.of_kind("training_pipeline"):
        evaluation = getattr(g.get(cid), "evaluation", None)
        if evaluation is not None and evaluation.compare_to:
            return satisfied(Evidence(f"'{cid}' compares each model to {evaluation.compare_to}",
                                      g.path_of(cid, "evaluation")))
    experiments = g.of_kind("experimentation")
    if experiments or (g.deployment is not None and g.deployment.strategy == "ab_test"):
        return satisfied("every change is A/B tested against the model in production")
    names = quote_ids([m.name for m in a.models])
    return violated(Violation(("models",) if g.design.models else ("components",),
                              f"nothing says what the model must beat: no baseline on {names}, no evaluation "
                              f"against production and no experiment"))


@rule(code="DG402", slug="model-not-deployed", pillar="model", severity="error", level="L4",
      summary="a model's predictions reach no one: nothing runs it, or what runs it is wired to no consumer",
      fix="set the model's served_by to what runs it (online_serving, batch_inference, llm, the client for "
          "on-device, the service it runs inside) and wire its predictions to whoever uses them")
def model_not_deployed(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to each model. Satisfied when something runs the model and its predictions
    reach a consumer: a client or service waits on it, it sends its results on, or its
    batch output lands in a store someone reads. Any of these serves a model: an
    online_serving, batch_inference, llm or embedding_model; the client itself (on-device
    inference); the service it runs inside (in-process); an index or store that holds its
    precomputed outputs. Reported when the model has no `served_by`, names something that
    cannot run it (a training pipeline, a feature store), or is wired to no consumer.

    ## Why is this bad?
    A model whose predictions reach no one is not a system: the design trains it and
    stops, or draws a server nothing calls. It is an error because the answer never gets
    to the point of the prompt.

    ## Example
    ```yaml
    models:
      ranker: {role: ranking, trained_by: training}     # nothing serves it
    ```

    ## Use instead
    ```yaml
    models:
      ranker: {role: ranking, trained_by: training, served_by: batch_scoring}
    flows:
      - "batch_scoring -> predictions"      # a key_value_store
      - "app -> predictions"
    ```

    ## References
    - SEED, step 4: serving is the heavy focus; explain how you will serve the model.
    - GCP, MLOps: the model is deployed as a prediction service; training alone is not a
      system.
    """
    early = needs_models(a)
    if early is not None:
        return early
    problems: list[Violation] = []
    evidence: list[Evidence] = []
    for m in a.models:
        spec_server = getattr(m.spec, "served_by", None) if m.declared else m.name
        if not spec_server:
            problems.append(Violation(m.path + ("served_by",) if m.declared else m.path,
                                      f"{which(m)} has no served_by: nothing runs it for its users"))
            continue
        if m.server is None:
            continue  # unknown-reference reports the name
        kind = m.server_kind
        if kind is None:
            continue  # schema-violation reports the component's kind
        if kind not in RUNS_MODELS:
            problems.append(Violation(m.path + ("served_by",) if m.declared else m.path,
                                      f"{which(m)} is served_by '{m.server}', {article(kind)} {kind}, which cannot "
                                      f"run a model", component=m.server))
            continue
        if not m.reaches_consumer:
            problems.append(Violation(m.path, f"{which(m)} runs in '{m.server}' ({kind}) but its predictions reach "
                                              f"no one: nothing calls it and its output goes nowhere anyone reads",
                                      component=m.server))
            continue
        consumers = quote_ids([c.cid for c in m.consumers], limit=2)
        evidence.append(Evidence(f"{which(m)} runs {m.mode.replace('_', '-')} in {named(a, m.server)} for {consumers}",
                                 m.path))
    if not problems and not evidence:
        return missing("schema-violation", "what serves the model could not be read")
    return check(problems, *evidence)


@rule(code="DG403", slug="no-model", pillar="model", severity="error", level="L4",
      summary="the design names no model", aliases=("no-models",),
      fix="add a models entry: role, algorithm, baseline, trained_by and served_by")
def no_model(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design, an empty one included. Satisfied by a `models` entry, or, in
    an LLM task, by the llm component that is the model. Reported when neither exists:
    serving and training boxes alone do not say what is predicted, from what, or how well.

    ## Why is this bad?
    An ML system design without a model is a data platform diagram. Step 3 of the
    framework may be brief, but it has to say what the model is and what it predicts, or
    nothing else in the design (features, serving, monitoring) can be judged. An error.

    ## Example
    ```yaml
    components:
      app: {kind: client}
      fraud_service: {kind: service}
    flows:
      - "app -> fraud_service"
    ```

    ## Use instead
    ```yaml
    models:
      fraud: {role: classifier, algorithm: xgboost, baseline: rules_engine,
              trained_by: training, served_by: scoring}
    ```

    ## References
    - SEED, step 3: propose a baseline model (a two-tower network, XGBoost) and move on.
    - XA, step 4: model development follows the framing of the ML objective.
    """
    g = a.graph
    if a.named_models:
        names = quote_ids([m.name for m in a.named_models])
        return satisfied(Evidence(f"models: {names}", ("models",) if g.design.models else ()))
    if unresolved(a):
        return missing("schema-violation", "a component's kind could not be read")
    boxes = [cid for cid in g.components if g.kind(cid) in ("online_serving", "batch_inference", "training_pipeline")]
    if boxes:
        text = (f"the design names no model: {quote_ids(boxes)} serve or train nothing it describes "
                f"(what is predicted, by which algorithm, against which baseline)")
    else:
        text = "the design has no model: nothing is trained, served or scored"
    return violated(Violation(("models",) if g.design.models is not None else ("components",), text))


@rule(code="DG404", slug="no-training-path", pillar="model", severity="error", level="L4",
      summary="a model is neither trained here nor declared pretrained or a vendor's",
      aliases=("model-not-trained",),
      fix="set trained_by to the training_pipeline that trains it, or say `origin: pretrained` / `origin: vendor`")
def no_training_path(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to each model. Satisfied when the model is trained here (`trained_by`, or a
    training pipeline that ships models to its server), or says where it comes from:
    `origin: pretrained` (weights used as they are) or `origin: vendor` (an external model
    behind an API; an llm with `hosting: api` or a vendor's tech is one). Reported for
    each model when none of the design's models says where it comes from. A side model
    whose training is left out, next to models that are trained or a vendor's (a small
    client-side filter beside a hosted LLM), costs points but is not raised: it is a
    follow-up question, not a blocker.

    ## Why is this bad?
    A model that appears from nowhere cannot be retrained when the world changes, and
    nobody can say what data it learned from. An interviewer asks "where does this model
    come from?" before anything else about it, so it is an error.

    ## Example
    ```yaml
    models:
      ranker: {role: ranking, served_by: serving}
    ```

    ## Use instead
    ```yaml
    models:
      ranker: {role: ranking, trained_by: training, served_by: serving}
      embedder: {role: embedding, origin: pretrained, served_by: encoder}
    ```

    ## References
    - GCP, MLOps level 0-1: a model is the output of a training pipeline run on data.
    - MLTS, Infra 1: training is reproducible.
    """
    early = needs_models(a)
    if early is not None:
        return early
    problems, evidence, unknown = [], [], []
    for m in a.models:
        if m.origin in ("pretrained", "vendor"):
            evidence.append(Evidence(f"{which(m)} is {'a vendor model' if m.origin == 'vendor' else 'pretrained'}",
                                     m.path))
        elif m.trainer:
            evidence.append(Evidence(f"{which(m)} is trained by {named(a, m.trainer)}", m.path))
        elif m.declared and getattr(m.spec, "trained_by", None):
            continue  # unknown-reference reports the name
        else:
            unknown.append(m)
    if unknown and not evidence:
        problems = [Violation(m.path, f"{which(m)} is not trained anywhere in the design and does not say it is "
                                      f"pretrained or a vendor's: where does it come from?") for m in unknown]
    elif unknown:
        return gap(f"{quote_ids([m.name for m in unknown])}: the design does not say how "
                   f"{'it is' if len(unknown) == 1 else 'they are'} trained")
    return check(problems, *evidence)


@rule(code="DG405", slug="no-data-source", pillar="model", severity="error", level="L4",
      summary="a model is trained on nothing: no data reaches its training",
      aliases=("training-without-data-source",),
      fix="draw the data that training reads: events, a lake or warehouse, a feature store")
def no_data_source(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models trained here. Satisfied when data reaches the component that
    trains the model by a stream or batch flow (from a lake, a warehouse, a feature store,
    events, a federated aggregator). Reported when nothing flows into it.

    ## Why is this bad?
    Training with no data is not a design: "Machine Learning is 80% data engineering", and
    the data pipeline is step 2 of the framework. Without it nothing can be said about
    labels, leakage or freshness. An error.

    ## Example
    ```yaml
    flows:
      - "training -> registry -> serving"     # nothing flows into training
    ```

    ## Use instead
    ```yaml
    flows:
      - "app -> events -> lake"
      - "lake -> training"
      - "training -> registry -> serving"
    ```

    ## References
    - SEED, Pillar 1: construct the data ingestion layer explicitly.
    - XA, step 3: data preparation comes before training.
    """
    early = needs_models(a)
    if early is not None:
        return early
    if not a.trained_models:
        return not_applicable("no model is trained here: each is pretrained or a vendor's")
    problems, evidence = [], []
    for trainer in sorted({m.trainer for m in a.trained_models if m.trainer}):
        inputs = a.graph.predecessors(trainer, "stream", "batch")
        mine = [m for m in a.trained_models if m.trainer == trainer]
        if inputs:
            evidence.append(Evidence(f"{named(a, trainer)} reads {quote_ids(sorted(inputs), 3)}",
                                     a.graph.path_of(trainer)))
        else:
            problems.append(Violation(a.graph.path_of(trainer),
                                      f"'{trainer}' trains {quote_ids([m.name for m in mine])} but no data flows "
                                      f"into it", component=trainer))
    if not problems and not evidence:
        return missing("no-training-path", "no trained model says what trains it")
    return check(problems, *evidence)


@rule(code="DG406", slug="overbuilt-model", pillar="model", severity="warning", level="L6",
      summary="a heavy model (GPUs, transformers, deep RL) on a handful of tabular features",
      fix="start from a gradient-boosted tree or a linear model on CPU, and move up only if it loses")
def overbuilt_model(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models that list their `features`. Reports a model served on GPUs, or whose
    algorithm is a transformer or deep reinforcement learning, when every listed feature
    is a tabular signal (counts, rates, windows, attributes) and none is content a network
    is needed for (text, images, audio, sequences, learned embeddings or IDs). A model
    sized to its inputs satisfies it; LLM tasks are not applicable.

    ## Why is this bad?
    A few dozen tabular features are the home ground of gradient-boosted trees: a GPU
    fleet or a deep policy costs tens of times more to run and to debug and rarely wins.
    Staff candidates are expected to justify model weight with the inputs and the data
    volume, and to start simple (the guide: "Keep this shockingly brief... XGBoost as a
    baseline").

    ## Example
    ```yaml
    components:
      ranker: {kind: online_serving, hardware: gpu:a100}
    models:
      ranker: {algorithm: transformer, served_by: ranker,
               features: [like_velocity_1m, author_affinity_30d]}
    ```

    ## Use instead
    ```yaml
    components:
      ranker: {kind: online_serving, hardware: cpu}
    models:
      ranker: {algorithm: lightgbm, served_by: ranker,
               features: [like_velocity_1m, author_affinity_30d]}
    ```

    ## References
    - SEED, step 3: keep the model brief; propose XGBoost or a two-tower network as a
      baseline.
    - RoML, rule 1-3: launch simple, add complexity when the data demands it.
    - MLL, MLCOST: size compute to the model; GPUs only where they pay.
    """
    if a.task in ("llm_rag", "llm_assistant"):
        return not_applicable("an LLM task")
    early = needs_models(a)
    if early is not None:
        return early
    problems, judged = [], 0
    for m in a.models:
        features = m.feature_names
        if not features:
            continue
        judged += 1
        heavy = []
        if m.on_gpu:
            heavy.append(f"served on {m.hardware}")
        if _HEAVY.search(m.algorithm):
            heavy.append(f"a {m.algorithm}")
        rich = [f for f in features if _RICH_INPUT.search(f.lower())]
        content = _CONTENT_MODEL.search(m.algorithm) or a.task == "content_moderation"
        if heavy and not rich and not content:
            problems.append(Violation(m.path, f"{which(m)} is {' and '.join(heavy)} for {len(features)} tabular "
                                              f"features ({', '.join(features[:3])}): a gradient-boosted tree on "
                                              f"CPU would fit", component=m.server))
    if not judged:
        return not_applicable("no model lists its features")
    return check(problems, "each model is sized to its inputs")


@rule(code="DG407", slug="no-calibration", pillar="model", severity="warning", level="L5",
      summary="probabilities are used as values, but nothing calibrates or measures them",
      fix="calibrate (isotonic or Platt, or recalibrate after downsampling) and track log loss or calibration")
def no_calibration(a: "Analysis") -> "Outcome":
    """## What it does
    Applies where a model's scores are used as probabilities: an ads task (an auction
    multiplies bid by pCTR) or a design that downsamples negatives (which shifts every
    score). Satisfied by a calibration or probability metric (calibration, log loss,
    normalized entropy, Brier), a model's `calibration` method, or a recalibration step
    in `imbalance_handling`. Reported otherwise; other designs are not applicable.

    ## Why is this bad?
    An auction that ranks by bid x pCTR charges advertisers and picks winners by the
    probability itself: a model that ranks well but over-predicts by 30% overspends every
    budget. Downsampling negatives multiplies the odds by a known factor that must be
    undone. Interviewers for ads roles always ask how the model is calibrated.

    ## Example
    ```yaml
    problem:
      task: ads_ctr
      metrics: {offline: [auc]}
    ```

    ## Use instead
    ```yaml
    problem:
      task: ads_ctr
      metrics: {offline: [auc, log_loss, calibration_by_bucket]}
    ```

    ## References
    - McMahan et al., "Ad Click Prediction: a View from the Trenches" (KDD 2013):
      calibration and log loss for CTR models.
    - He et al., "Practical Lessons from Predicting Clicks on Ads at Facebook" (2014):
      normalized entropy, and recalibration after negative downsampling.
    """
    handling = a.graph.data.imbalance_handling
    downsampled = mentions(handling, r"downsampl|subsampl|undersampl")
    if a.task != "ads_ctr" and not downsampled:
        return not_applicable("scores are not used as probabilities here")
    early = needs_models(a)
    if early is not None:
        return early
    metrics = [*a.graph.metrics.offline, *a.graph.metrics.online]
    measured = [m for m in metrics if isinstance(m, str) and is_calibration_metric(m)]
    if measured:
        return satisfied(Evidence(f"{measured[0]} measures the probabilities", ("problem", "metrics", "offline")))
    methods = [m for m in a.models if getattr(m.spec, "calibration", None)]
    if methods:
        return satisfied(Evidence(f"{which(methods[0])} is calibrated ({methods[0].spec.calibration})", methods[0].path))
    logistic = [m for m in a.models if "logistic" in m.algorithm and not downsampled]
    if logistic:
        return satisfied(Evidence(f"{which(logistic[0])} is a logistic model trained on all data, calibrated by its "
                                  f"loss", logistic[0].path))
    recal = mentions(handling, r"calibrat")
    if recal:
        return satisfied(Evidence(f"{recal[0]} after downsampling", ("problem", "data", "imbalance_handling")))
    why = ("the auction uses the predicted probability itself" if a.task == "ads_ctr"
           else f"{downsampled[0]} shifts every score")
    return violated(Violation(("problem", "metrics", "offline"),
                              f"nothing calibrates or measures the probabilities, but {why}: no log loss or "
                              f"calibration metric and no calibration step"))
