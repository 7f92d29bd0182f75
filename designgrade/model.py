"""The design format, version 1: the single source of truth for what a design may say.

The JSON Schema (``designgrade schema``) and the docs' field tables are generated from
these classes. Every model forbids unknown keys so typos surface as findings.

Annotations are real objects here, not strings (no ``from __future__ import annotations``):
pydantic would otherwise evaluate each one at import, which doubled ``lint``'s start-up.
List defaults are written ``[]`` (pydantic copies them per instance) rather than
``default_factory=list``: pydantic inspects a factory's signature, which for a builtin costs
a tokenizer run per field. Kinds without fields of their own share one model, and models are built lazily
(``defer_build``): ``lint`` validates a component with the model
of its own kind only, so a design pays for the kinds it uses, not for all of them.
"""


from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from .units import Duration, Millis, Quantity

FORMAT_VERSION = 1

Level = Literal["L4", "L5", "L6", "L7"]
Task = Literal[
    "recommendation", "ranking", "search", "ads_ctr", "fraud_detection", "classification",
    "regression", "forecasting", "eta", "content_moderation", "anomaly_detection",
    "llm_rag", "llm_assistant", "other",
]
Freshness = Literal["realtime", "seconds", "minutes", "hourly", "daily", "weekly"]
Labels = Literal["explicit", "implicit", "delayed", "none"]
Mode = Literal["stream", "batch", "request", "trigger"]
Role = Literal[
    "candidate_generation", "ranking", "reranking", "classifier", "regressor", "embedding", "generator",
]
Method = Literal["ab_test", "multi_armed_bandit", "interleaving"]
ServingMode = Literal["online", "batch", "stream", "on_device", "in_process"]
Origin = Literal["trained", "pretrained", "vendor"]
Fanout = Literal["parallel", "sequential"]
ExperimentUnit = Literal["user", "session", "request", "account", "device", "store", "region", "time", "cluster"]
AccessControl = Literal["none", "tenant", "document", "role"]
CacheScope = Literal["global", "tenant", "user", "role"]
Promotion = Literal["automatic", "manual"]
GateMethod = Literal["holdout", "backtest", "replay", "progressive"]
Hosting = Literal["api", "self_hosted"]
Optimization = Literal["tensorrt", "onnx", "quantization", "dynamic_batching"]
Strategy = Literal[
    "shadow", "canary", "blue_green", "ab_test", "all_at_once", "interleaving", "multi_armed_bandit",
    "continuous",
]
Rollback = Literal["automatic", "manual"]

COMPONENT_ID = r"^[a-z][a-z0-9_-]*$"
ComponentId = Annotated[str, StringConstraints(pattern=COMPONENT_ID)]
Schedule = Annotated[
    str,
    StringConstraints(
        pattern=r"^(hourly|daily|weekly|monthly|on_trigger|continuous|(\S+\s+){4}\S+)$",
        strip_whitespace=True,
    ),
    Field(description="A cron expression (five fields), or hourly, daily, weekly, monthly, on_trigger, "
                      "continuous (learns from a stream without stopping)."),
]
Hardware = Annotated[
    str,
    StringConstraints(pattern=r"^(cpu|gpu|gpu:[A-Za-z0-9_.-]+)$"),
    Field(description="cpu, gpu, or gpu:<model> such as gpu:a10g or gpu:t4."),
]


def _as_text(value: Any) -> Any:
    # A version written as 3 or 1.2 in YAML is a number; the format reads it as text.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_as_text)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)


# --- problem -------------------------------------------------------------------------


class Metrics(Strict):
    business: list[str] = Field(default=[], description="What the business tracks.")
    online: list[str] = Field(default=[], description="What an A/B test reads.")
    offline: list[str] = Field(default=[], description="What model evaluation reads.")
    guardrails: list[str] = Field(
        default=[], description="Must not get worse while the goal improves."
    )


class Requirements(Strict):
    freshness: Optional[Freshness] = Field(None, description="How fresh a prediction must be.")
    latency_p99_ms: Optional[Millis] = Field(None, description="End-to-end p99 budget of one request.")
    peak_qps: Optional[Quantity] = None
    users: Optional[Quantity] = None
    items: Optional[Quantity] = None


class DataSpec(Strict):
    labels: Optional[Labels] = None
    label_delay: Optional[Duration] = Field(None, description="How long until the truth is known.")
    class_imbalance: Optional[bool] = None
    imbalance_handling: list[str] = Field(default=[])
    bias_handling: list[str] = Field(
        default=[],
        description="How labels the system itself shapes are corrected: position_feature, "
                    "inverse_propensity_weighting, randomized_holdout, reject_inference, sampled_review, ...",
    )


class Problem(Strict):
    task: Task
    objective: Optional[str] = Field(None, description="The business objective, free text.")
    metrics: Optional[Metrics] = None
    requirements: Optional[Requirements] = None
    data: Optional[DataSpec] = None


# --- components ----------------------------------------------------------------------


DataClass = Literal["personal", "financial", "health", "credentials", "proprietary", "public"]


class ComponentBase(Strict):
    tech: Optional[str] = Field(None, description="The technology; known ones get icons.")
    label: Optional[str] = Field(None, description="Display name.")
    latency_ms: Optional[Millis] = Field(
        None, description="Its p99 contribution when it sits on the online request path."
    )
    notes: Optional[str] = None
    data_classes: list[DataClass] = Field(
        default=[], description="What it holds or returns that needs protecting: personal, financial, health, "
                                "credentials, proprietary (code, internal documents) or public."
    )
    redacts: list[DataClass] = Field(
        default=[], description="The data classes it removes or tokenizes from what it passes on (a guardrail, "
                                "a redaction step)."
    )
    freshness: Optional[Freshness] = Field(
        None, description="As a consumer: how fresh the predictions it reads must be (realtime .. weekly)."
    )
    fanout: Optional[Fanout] = Field(
        None, description="How it calls its request-path successors: parallel (the slowest counts, the "
                          "default) or sequential (their latencies add up)."
    )


class Feature(Strict):
    name: str
    source: Optional[str] = None
    window: Optional[str] = None


class Evaluation(Strict):
    compare_to: Optional[str] = None
    metric: Optional[str] = None
    method: Optional[GateMethod] = Field(
        None, description="holdout, backtest (rolling-origin), replay (off-policy) or progressive validation."
    )


class Autoscaling(Strict):
    min: Optional[Annotated[int, Field(ge=0)]] = None
    max: Optional[Annotated[int, Field(ge=1)]] = None
    metric: Optional[str] = None


class DataDrift(Strict):
    metric: Optional[str] = Field(None, description="kl_divergence, psi, ...")
    threshold: Optional[Annotated[float, Field(ge=0, allow_inf_nan=False)]] = None
    window: Optional[Duration] = None


class Performance(Strict):
    metric: Optional[str] = None
    label_delay: Optional[Duration] = None



class PlainComponent(ComponentBase):
    """A component of a kind with no fields of its own."""

    kind: Literal[
        "client", "data_lake", "data_warehouse", "stream_processor", "data_validation",
        "experiment_tracking", "key_value_store", "cache", "load_balancer", "api_gateway",
        "guardrails", "prompt_registry", "service", "database",
    ]


class SourceDb(ComponentBase):
    kind: Literal["source_db"]
    cdc: Optional[bool] = None


class EventStream(ComponentBase):
    kind: Literal["event_stream"]
    retention: Optional[Duration] = None





class BatchProcessor(ComponentBase):
    kind: Literal["batch_processor"]
    schedule: Optional[Schedule] = None
    point_in_time: Optional[bool] = Field(
        None, description="It writes dated snapshots and never rewrites past ones (history as it was)."
    )



class FeatureStore(ComponentBase):
    kind: Literal["feature_store"]
    online_store: Optional[str] = Field(None, description="The online store's tech, e.g. redis.")
    offline_store: Optional[str] = Field(None, description="The offline store's tech, e.g. s3.")
    point_in_time: Optional[bool] = None
    features: list[Feature] = Field(default=[])


class VectorDb(ComponentBase):
    kind: Literal["vector_db"]
    index: Optional[str] = None
    embedding_model: Optional[str] = Field(
        None, description="The id of the embedding_model component that built the index."
    )
    access_control: Optional[AccessControl] = Field(
        None, description="Who may retrieve what: none, tenant (partitioned per tenant), document "
                          "(per-document ACLs filtered at query time) or role."
    )
    syncs_deletes: Optional[bool] = Field(
        None, description="Deletions and retractions in the sources reach the index."
    )


class TrainingPipeline(ComponentBase):
    kind: Literal["training_pipeline"]
    schedule: Optional[Schedule] = None
    data_window: Optional[Duration] = None
    evaluation: Optional[Evaluation] = None



class ModelRegistry(ComponentBase):
    kind: Literal["model_registry"]
    stages: list[str] = Field(default=[])


class BatchInference(ComponentBase):
    kind: Literal["batch_inference"]
    schedule: Optional[Schedule] = None


class OnlineServing(ComponentBase):
    kind: Literal["online_serving"]
    replicas: Optional[Annotated[int, Field(ge=1)]] = None
    max_qps_per_replica: Optional[Quantity] = None
    hardware: Optional[Hardware] = None
    optimizations: list[Optimization] = Field(default=[])
    autoscaling: Optional[Autoscaling] = None
    container: Optional[str] = None
    platform: Optional[str] = None
    fallback: Optional[str] = Field(
        None, description="Free text: the strategy when the model or a store fails."
    )






class Experimentation(ComponentBase):
    kind: Literal["experimentation"]
    method: Optional[Method] = None
    guardrail_metrics: list[str] = Field(default=[])
    unit: Optional[ExperimentUnit] = Field(None, description="What is randomized: user, session, store, ...")
    holdout: Optional[Annotated[float, Field(gt=0, lt=1)]] = Field(
        None, description="The share of units held out (0.15 for 15%)."
    )
    min_detectable_effect: Optional[str] = Field(
        None, description="The effect the experiment is powered to detect, e.g. 1% relative."
    )


class Monitoring(ComponentBase):
    kind: Literal["monitoring"]
    data_drift: Optional[DataDrift] = None
    performance: Optional[Performance] = None
    system: list[str] = Field(default=[])
    alerts: list[str] = Field(default=[])


class Llm(ComponentBase):
    kind: Literal["llm"]
    hosting: Optional[Hosting] = None
    fallback: Optional[str] = Field(None, description="The id of another llm component.")
    data_retention: Optional[Text] = Field(
        None, description="What the host keeps of prompts and outputs: zero, 30d, ... (a vendor API)."
    )


class EmbeddingModel(ComponentBase):
    kind: Literal["embedding_model"]
    version: Optional[Text] = None
    hosting: Optional[Hosting] = None
    data_retention: Optional[Text] = Field(
        None, description="What the host keeps of the text sent to it (a vendor API)."
    )



Scalar = Union[str, int, float, bool]


class SemanticCache(ComponentBase):
    kind: Literal["semantic_cache"]
    scope: Optional[CacheScope] = Field(
        None, description="Whose answers a hit may return: global, tenant, user or role."
    )


class LlmGateway(ComponentBase):
    kind: Literal["llm_gateway"]
    rate_limits: Optional[Union[str, dict[str, Scalar]]] = None
    budget: Optional[Union[str, float]] = None



class LlmEvaluation(ComponentBase):
    kind: Literal["llm_evaluation"]
    offline: Optional[bool] = None
    online: Optional[bool] = None





COMPONENT_MODELS: tuple[type[ComponentBase], ...] = (
    PlainComponent, SourceDb, EventStream, BatchProcessor, FeatureStore, VectorDb, TrainingPipeline,
    ModelRegistry, BatchInference, OnlineServing, Experimentation, Monitoring, Llm, EmbeddingModel,
    SemanticCache, LlmGateway, LlmEvaluation,
)
# The kinds in the order design-format.md lists them.
KINDS: tuple[str, ...] = (
    "client", "source_db", "event_stream", "data_lake", "data_warehouse", "stream_processor",
    "batch_processor", "data_validation", "feature_store", "vector_db", "training_pipeline",
    "experiment_tracking", "model_registry", "batch_inference", "online_serving", "key_value_store",
    "cache", "load_balancer", "api_gateway", "experimentation", "monitoring", "llm", "embedding_model",
    "guardrails", "llm_gateway", "prompt_registry", "llm_evaluation", "semantic_cache", "service",
    "database",
)
KIND_MODELS: dict[str, type[ComponentBase]] = {
    kind: model
    for model in COMPONENT_MODELS
    for kind in model.model_fields["kind"].annotation.__args__  # type: ignore[union-attr]
}
KIND_MODELS = {kind: KIND_MODELS[kind] for kind in KINDS}

Component = Annotated[Union[COMPONENT_MODELS], Field(discriminator="kind")]  # type: ignore[valid-type]


# --- flows, models, deployment, tradeoffs ----------------------------------------------


class Flow(Strict):
    """The long form of an edge."""

    from_: str = Field(alias="from")
    to: str
    label: Optional[str] = None
    mode: Optional[Mode] = Field(None, description="Default: inferred from the kinds at both ends.")
    latency_ms: Optional[Millis] = Field(None, description="p99 of this hop on the request path.")


ShortFlow = Annotated[
    str,
    Field(
        pattern=r"->",
        description='An edge or chain: "a -> b", "a -> b: label", "client -> lb -> api".',
    ),
]
LabelledFlow = Annotated[
    dict[str, str],
    Field(
        min_length=1,
        max_length=1,
        description="An unquoted short-form edge: `- a -> b: label` reads as {'a -> b': 'label'}.",
    ),
]
FlowItem = Annotated[Union[ShortFlow, Flow, LabelledFlow], Field(union_mode="left_to_right")]


class ModelFeature(Strict):
    """A model input with the components that compute it (one source: one code path)."""

    name: str
    source: Optional[str] = Field(
        None, description="The component that computes it for training and serving, or `request` when it comes "
                          "with the request (an id, the query, the slot position)."
    )
    training: Optional[str] = Field(None, description="The component that computes it for training.")
    serving: Optional[str] = Field(None, description="The component that computes it at serving time.")


class Model(Strict):
    role: Optional[Role] = None
    algorithm: Optional[str] = None
    baseline: Optional[str] = Field(None, description="The simpler model it must beat.")
    trained_by: Optional[str] = Field(None, description="Component id.")
    served_by: Optional[str] = Field(None, description="Component id.")
    features: list[Union[str, ModelFeature]] = Field(default=[])
    origin: Optional[Origin] = Field(
        None, description="trained (by trained_by), pretrained (weights used as they are) or vendor (an "
                          "external model behind an API): a model that is not trained here needs no training path."
    )
    serving: Optional[ServingMode] = Field(
        None, description="How predictions are made: online, batch, stream (asynchronous, from events), "
                          "on_device or in_process (inside the service that uses them). Default: from served_by."
    )
    updated_by: Optional[str] = Field(
        None, description="A component that updates part of the model online (per-user or per-item "
                          "parameters, bandit posteriors) between retrainings."
    )
    exploration: Optional[str] = Field(
        None, description="How it shows what it is unsure of: thompson_sampling, epsilon_greedy, ... or none."
    )
    calibration: Optional[str] = Field(None, description="How scores become probabilities: platt, isotonic, ...")


class Gate(Strict):
    metric: Optional[str] = None
    must_beat: Optional[str] = None
    guardrails: list[str] = Field(
        default=[], description="Metrics a new model must not make worse, checked with the main one."
    )
    method: Optional[GateMethod] = Field(
        None, description="holdout, backtest (rolling-origin), replay (off-policy) or progressive validation."
    )


class Deployment(Strict):
    strategy: Optional[Strategy] = None
    gate: Optional[Gate] = Field(None, description="What a new model must show first.")
    rollback: Optional[Rollback] = None
    promotion: Optional[Promotion] = Field(
        None, description="Who promotes a new model: automatic (the pipeline) or manual (a person approves)."
    )


class Tradeoff(Strict):
    rule: str = Field(description="The slug of the rule whose finding this acknowledges.")
    why: str = Field(description="The candidate's reason.")


class DesignHeader(Strict):
    designgrade: Literal[1] = Field(description="Format version.")
    title: str
    level: Level = Field("L5", description="Target level.")
    notes: Optional[str] = None


class Design(DesignHeader):
    """An ML system design, version 1."""

    model_config = ConfigDict(title="designgrade design", defer_build=True)

    problem: Problem
    components: dict[ComponentId, Component]  # type: ignore[valid-type]
    flows: list[FlowItem]
    models: Optional[dict[str, Model]] = None
    deployment: Optional[Deployment] = None
    tradeoffs: list[Tradeoff] = Field(default=[])


TOP_LEVEL_KEYS: tuple[str, ...] = (
    "designgrade", "title", "level", "problem", "components", "flows", "models",
    "deployment", "tradeoffs", "notes",
)
REQUIRED_TOP_LEVEL: tuple[str, ...] = ("designgrade", "title", "problem", "components", "flows")
