"""The lanes of the picture, as engineers draw an ML system: the request path across the
top, then the model plane beside it, data and features, training and the registry, and
monitoring and experimentation along the bottom. Which lane each kind goes in, what the
lanes are called, and where a component of an unknown kind belongs.
"""

from __future__ import annotations

from typing import Iterable, Optional

CLIENT = "client"

# Top to bottom. Clients stand left of the lanes, level with the serving lane.
LANES: tuple[str, ...] = ("serving", "model", "data", "training", "monitoring")

TITLES = {
    "serving": "Online serving",
    "data": "Data & features",
    "training": "Training & registry",
    "monitoring": "Monitoring & experimentation",
}

LANE_OF_KIND: dict[str, str] = {
    "client": CLIENT,
    "load_balancer": "serving", "api_gateway": "serving", "service": "serving",
    "online_serving": "serving", "key_value_store": "serving", "cache": "serving",
    "llm": "model", "embedding_model": "model", "guardrails": "model", "llm_gateway": "model",
    "prompt_registry": "model", "llm_evaluation": "model", "semantic_cache": "model",
    "source_db": "data", "database": "data", "event_stream": "data", "data_lake": "data",
    "data_warehouse": "data", "stream_processor": "data", "batch_processor": "data",
    "data_validation": "data", "feature_store": "data", "vector_db": "data",
    "training_pipeline": "training", "experiment_tracking": "training", "model_registry": "training",
    "batch_inference": "training",
    "experimentation": "monitoring", "monitoring": "monitoring",
}

# Kinds that make the model lane an LLM lane; an embedding model alone (a recommender's
# two-tower model, say) is retrieval, not an LLM.
_LLM_KINDS = frozenset({"llm", "llm_gateway", "guardrails", "prompt_registry", "llm_evaluation", "semantic_cache"})
_RETRIEVAL_KINDS = frozenset({"embedding_model", "vector_db"})


def lane_of(kind: Optional[str], model_lane: bool = False) -> str:
    """The lane of a kind. The vector index sits with the models that fill and query it
    when the design has any (``model_lane``), else with the data."""
    if kind == "vector_db" and model_lane:
        return "model"
    return LANE_OF_KIND.get(kind or "", "serving")


def lane_title(lane: str, kinds: Iterable[Optional[str]]) -> str:
    """The title of ``lane`` for the kinds drawn in it: the model lane is named for what it holds."""
    if lane != "model":
        return TITLES.get(lane, lane)
    present = {k for k in kinds if k}
    llm = bool(present & _LLM_KINDS)
    retrieval = bool(present & _RETRIEVAL_KINDS)
    if llm and retrieval:
        return "LLM & retrieval"
    if llm:
        return "LLM"
    return "Embeddings & retrieval"


def guess_kind(raw_kind: object, tech: object) -> Optional[str]:
    """The kind a component of an unknown kind most likely is: the did-you-mean of its
    kind, else the kind its kind or tech names as a technology (``kind: kafka``)."""
    from ..model import KINDS
    from ..techs import normalize, techs_for

    if isinstance(raw_kind, str) and raw_kind.strip():
        import difflib

        word = raw_kind.strip().lower()
        match = difflib.get_close_matches(word, KINDS, n=1, cutoff=0.6)
        if match:
            return match[0]
        prefixed = [k for k in KINDS if len(word) >= 3 and k.startswith(word)]
        if prefixed:
            return prefixed[0]
    for word in (raw_kind, tech):
        if isinstance(word, str) and word.strip():
            name = normalize(word)
            for kind in KINDS:
                if name in techs_for(kind):
                    return kind
    return None
