"""Model rules (DG4xx): step 3 of the interview framework, kept brief.

The interviewer cares about a baseline to beat and about where each model runs, more
than about the architecture.
"""

from __future__ import annotations

from typing import Iterator

from ..graph import SERVING_KINDS, DesignGraph
from ..registry import Violation, rule

# An embedding model can be served by an embedding_model component (the query tower).
EMBEDDING_ROLES = ("embedding", "candidate_generation")


@rule(code="DG401", slug="no-baseline-model", pillar="model", severity="warning", level="L5",
      training=True, summary="no model names a simpler baseline it must beat",
      fix="give a model a `baseline` (popularity, logistic regression, the current heuristic) to beat")
def no_baseline_model(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    In a design that trains a model, reports when no model names a `baseline`, or when
    the design has no `models` section at all. One model with a baseline is enough: a
    reranker that must beat the ranker's own order counts. A training_pipeline's
    `evaluation.compare_to` does not stand in for it, since it usually names the model in
    production rather than a simple one.

    ## Why is this bad?
    A simple baseline (popularity, logistic regression, the current heuristic) is the
    first thing to ship and the bar every complex model must clear. Without it, nobody can
    say whether the two-tower network is worth its cost, or whether ML is needed at all.
    Interviewers expect it in one sentence before any architecture.

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
    models = g.models
    if any(mod.baseline and mod.baseline.strip() for mod in models.values()):
        return
    if g.design.models is None:
        yield Violation(("models",), "the design trains a model but has no models section, so no baseline "
                                     "model is named for it to beat")
        return
    names = ", ".join(f"'{n}'" for n in sorted(models)) or "none"
    yield Violation(("models",), f"no model names a baseline to beat (models: {names})")


@rule(code="DG402", slug="model-not-deployed", pillar="model", severity="warning", level="L5",
      summary="a model is not served by anything that runs it",
      fix="set the model's served_by to an online_serving, batch_inference or llm component")
def model_not_deployed(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports each model whose `served_by` is missing, or names a component that is not of
    a serving kind (online_serving, batch_inference, llm). Our judgment: a model with
    role `embedding` or `candidate_generation` may also be served by an embedding_model
    component (the query tower of a two-tower retriever). A `served_by` that names no
    component is left to unknown-reference.

    ## Why is this bad?
    A model that nothing serves never reaches a user: the design trains it and stops.
    Naming a vector_db, a key_value_store or a service as the server hides where the
    model actually runs, how it scales and how a new version is rolled out.

    ## Example
    ```yaml
    models:
      ranker: {role: ranking, trained_by: training, served_by: predictions}   # a key_value_store
    ```

    ## Use instead
    ```yaml
    models:
      ranker: {role: ranking, trained_by: training, served_by: batch_scoring}   # batch_inference
    ```

    ## References
    - SEED, step 4: serving is the heavy focus; explain how you will serve the model.
    - GCP, MLOps: the model is deployed as a prediction service; training alone is not a
      system.
    - MLTS, Infra 1-3: the model is tested through to serving.
    """
    for name, mod in sorted(g.models.items()):
        served = mod.served_by
        if not served or not served.strip():
            yield Violation(("models", name, "served_by"),
                            f"model '{name}' has no served_by: nothing runs it for users")
            continue
        if served not in g.components:
            continue  # unknown-reference reports it
        kind = g.kind(served)
        if kind in SERVING_KINDS or (kind == "embedding_model" and mod.role in EMBEDDING_ROLES):
            continue
        yield Violation(("models", name, "served_by"),
                        f"model '{name}' is served_by '{served}', {'an' if kind[0] in 'aeiou' else 'a'} {kind}, not an online_serving, "
                        f"batch_inference or llm component")
