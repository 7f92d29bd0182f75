"""Each model, and how its predictions reach whoever uses them.

A model is a ``models`` entry; a design without a ``models`` section is read as one unnamed
model per wired serving component (online_serving, batch_inference, llm), named after it.
For each model this module works out how it serves (online for a caller that waits, batch
into a store, asynchronously from a stream, on the device, in-process inside a service),
who consumes its predictions and how fresh they need them.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from .problem import FRESHNESS_SECONDS

if TYPE_CHECKING:
    from ..graph import DesignGraph

SERVING_KINDS = frozenset({"online_serving", "batch_inference", "llm"})
# Where batch output can rest before someone reads it.
PREDICTION_STORES = frozenset({
    "key_value_store", "cache", "database", "source_db", "feature_store", "vector_db", "data_warehouse",
    "data_lake", "semantic_cache",
})
# What batch output may pass through on its way to a store.
BATCH_HOPS = frozenset({"event_stream", "stream_processor", "batch_processor", "data_lake", "data_warehouse",
                        "data_validation"})
STORE_KINDS = PREDICTION_STORES | frozenset({"event_stream"})
# Who can act on a prediction: people, and the services that act for them.
ACTORS = frozenset({"client", "service", "api_gateway", "llm_gateway", "load_balancer"})
# Components that carry a trained model from training to where it runs.
DEPLOY_HOPS = frozenset({"model_registry", "experiment_tracking", "cache", "data_lake", "key_value_store"})
# Model APIs run by a vendor: the design sends its data to them and trains nothing.
VENDOR_TECHS = frozenset({"openai", "anthropic", "bedrock", "azure_openai", "vertex_ai", "cohere", "gemini",
                          "openai_embeddings", "mistral_api", "together", "groq", "voyage", "aws_rekognition",
                          "rekognition", "google_vision", "cloud_vision", "azure_vision", "azure_cognitive_services",
                          "perspective_api", "hive_moderation", "sagemaker_jumpstart", "huggingface_inference_api"})


class Consumer(NamedTuple):
    cid: str
    how: str  # request (waits for it), push (sent to it), store (reads it where it was written), device
    via: Optional[str] = None  # the store or sender in between
    freshness: Optional[str] = None  # its own `freshness`, when it states one


class ModelFacts:
    """One model and how it serves; properties are computed on first use."""

    def __init__(self, g: "DesignGraph", name: str, spec: Any, declared: bool) -> None:
        self.g = g
        self.name = name
        self.spec = spec  # the models entry (designgrade.model.Model), or None when inferred
        self.declared = declared
        trained_by = getattr(spec, "trained_by", None) if spec is not None else None
        served_by = getattr(spec, "served_by", None) if spec is not None else name
        self.trainer: Optional[str] = trained_by if trained_by in g.components else None
        self.server: Optional[str] = served_by if served_by in g.components else None
        if not declared and self.server is not None:
            self.trainer = _inferred_trainer(g, self.server)

    def __repr__(self) -> str:
        return f"ModelFacts({self.name!r}, {self.mode}, trainer={self.trainer!r}, server={self.server!r})"

    # --- what the design says -----------------------------------------------------

    @property
    def path(self) -> tuple[Any, ...]:
        """Where a finding about this model points."""
        if self.declared:
            return ("models", self.name)
        return ("components", self.server) if self.server else ("components",)

    @property
    def role(self) -> Optional[str]:
        return getattr(self.spec, "role", None)

    @property
    def algorithm(self) -> str:
        return (getattr(self.spec, "algorithm", None) or "").lower()

    @property
    def baseline(self) -> Optional[str]:
        value = getattr(self.spec, "baseline", None)
        return value.strip() if isinstance(value, str) and value.strip() else None

    @property
    def feature_names(self) -> list[str]:
        names = []
        for item in getattr(self.spec, "features", None) or []:
            names.append(item if isinstance(item, str) else item.name)
        return names

    @property
    def server_kind(self) -> Optional[str]:
        return self.g.kind(self.server) if self.server else None

    @cached_property
    def origin(self) -> str:
        """trained, pretrained, vendor or unknown."""
        stated = getattr(self.spec, "origin", None)
        if stated:
            return stated
        if self.trainer:
            return "trained"
        server = self.g.components.get(self.server) if self.server else None
        kind = getattr(server, "kind", None)
        tech = (getattr(server, "tech", None) or "").lower().replace("-", "_").replace(" ", "_")
        if kind in ("llm", "embedding_model", "service") and (
                getattr(server, "hosting", None) == "api" or tech in VENDOR_TECHS):
            return "vendor"
        words = self.algorithm
        if "vendor" in words or "third_party" in words or "third-party" in words:
            return "vendor"
        if "pretrained" in words or "pre-trained" in words or "off-the-shelf" in words:
            return "pretrained"
        if kind == "llm":
            return "pretrained"  # an LLM comes pretrained; fine-tuning would name trained_by
        return "unknown"

    @property
    def updated_by(self) -> Optional[str]:
        value = getattr(self.spec, "updated_by", None)
        return value if value in self.g.components else None

    # --- how it is called ------------------------------------------------------------

    @cached_property
    def callers(self) -> set[str]:
        """Everything that reaches the server by request flows (who waits on it)."""
        if not self.server:
            return set()
        return self.g.upstream([self.server], ["request"]) - {self.server}

    @cached_property
    def client_callers(self) -> list[str]:
        """Clients that wait on this model: they reach its server (or, on the device, are it)."""
        if self.mode == "on_device":
            return [self.server] if self.server else []
        if self.mode in ("batch", "index"):
            return sorted({c.cid for c in self.consumers if c.how == "store" and self.g.kind(c.cid) == "client"}
                          | {cl for c in self.consumers if c.how == "store"
                             for cl in self._clients_reaching(c.cid)})
        return sorted(c for c in self.callers if self.g.kind(c) == "client")

    def _clients_reaching(self, cid: str) -> set[str]:
        return {c for c in self.g.upstream([cid], ["request"]) if self.g.kind(c) == "client"}

    @cached_property
    def roots(self) -> list[str]:
        """The callers nobody calls: whoever starts a request to this model."""
        return sorted(c for c in self.callers if not self.g.in_edges(c, "request"))

    @cached_property
    def stream_fed(self) -> bool:
        """Requests start from events: the server, or a caller nobody calls, reads a stream."""
        starts = [self.server] + self.roots if self.server else []
        return any(self.g.kind(e.src) in ("event_stream", "stream_processor")
                   for c in starts for e in self.g.in_edges(c, "stream"))

    @cached_property
    def mode(self) -> str:
        """online, batch, stream, on_device, in_process, index, or none (not served)."""
        stated = getattr(self.spec, "serving", None)
        if stated:
            return stated
        kind = self.server_kind
        if kind is None:
            return "none"
        if kind == "client":
            return "on_device"
        if kind == "service":
            return "in_process"
        if kind == "batch_inference":
            return "batch"
        if kind in ("online_serving", "llm", "embedding_model"):
            clients = [c for c in self.callers if self.g.kind(c) == "client"]
            if not clients and self.stream_fed:
                return "stream"
            if kind == "embedding_model" and not self.callers:
                return "batch"
            return "online"
        if kind in PREDICTION_STORES:
            return "index"
        return "none"

    # --- where predictions go ----------------------------------------------------

    @cached_property
    def prediction_stores(self) -> list[str]:
        """For batch and index models: the stores the predictions rest in."""
        if not self.server:
            return []
        if self.mode == "index":
            return [self.server]
        if self.mode != "batch":
            return []
        found: list[str] = []
        seen = {self.server}
        queue = deque([self.server])
        while queue:
            cid = queue.popleft()
            for edge in self.g.out_edges(cid, "stream", "batch", "request"):
                nxt = edge.dst
                if nxt in seen:
                    continue
                seen.add(nxt)
                kind = self.g.kind(nxt)
                if kind in PREDICTION_STORES:
                    found.append(nxt)
                if kind in BATCH_HOPS or (kind in PREDICTION_STORES and kind != "key_value_store"):
                    queue.append(nxt)
        return found

    @cached_property
    def outputs(self) -> list[str]:
        """Where an online, stream or in-process model sends or writes its results."""
        if not self.server or self.mode in ("batch", "index", "none"):
            return []
        out = []
        for edge in self.g.out_edges(self.server):
            kind = self.g.kind(edge.dst)
            if edge.mode == "request" and kind in STORE_KINDS | {"feature_store"}:
                continue  # a lookup, not a result
            if edge.mode == "trigger":
                continue
            out.append(edge.dst)
        return out

    @cached_property
    def consumers(self) -> list[Consumer]:
        g = self.g
        found: dict[str, Consumer] = {}

        def add(cid: str, how: str, via: Optional[str] = None) -> None:
            if cid not in found and cid != self.server:
                found[cid] = Consumer(cid, how, via, getattr(g.components.get(cid), "freshness", None))

        mode = self.mode
        if mode == "none":
            return []
        if mode == "on_device":
            add_self = self.server
            found[add_self] = Consumer(add_self, "device", None, getattr(g.components.get(add_self), "freshness", None))
            return list(found.values())
        if mode in ("batch", "index"):
            if mode == "batch" and self.server:
                for edge in g.out_edges(self.server):
                    if g.kind(edge.dst) in ACTORS and edge.mode != "trigger":
                        add(edge.dst, "push", self.server)  # delivered straight to who acts on it
            for store in self.prediction_stores:
                for edge in g.in_edges(store, "request"):
                    add(edge.src, "store", store)
                for edge in g.out_edges(store, "stream", "batch"):
                    if g.kind(edge.dst) in ACTORS:
                        add(edge.dst, "store", store)
            return list(found.values())
        for cid in sorted(self.callers):
            if g.kind(cid) == "client":
                add(cid, "request")
        if not found:
            for cid in self.roots:
                add(cid, "request")
        # Results sent onwards: to services, then on to the clients they notify.
        seen = {self.server}
        queue = deque(self.outputs)
        while queue:
            cid = queue.popleft()
            if cid in seen:
                continue
            seen.add(cid)
            kind = g.kind(cid)
            if kind in ACTORS:
                add(cid, "push", self.server)
                if kind != "client":
                    queue.extend(e.dst for e in g.out_edges(cid) if e.mode != "trigger"
                                 and g.kind(e.dst) in ACTORS)
            elif kind in PREDICTION_STORES:
                for edge in g.in_edges(cid, "request"):
                    if g.kind(edge.src) in ACTORS and edge.src not in self.callers:
                        add(edge.src, "store", cid)
        return list(found.values())

    @cached_property
    def reaches_consumer(self) -> bool:
        return bool(self.consumers)

    @cached_property
    def needed_freshness(self) -> tuple[Optional[str], str]:
        """(freshness, where it comes from): the strictest a consumer states, else the problem's."""
        req = self.g.requirements.freshness
        stated = [(c.freshness, c.cid) for c in self.consumers if c.freshness]
        if not stated:
            return req, "requirements.freshness"
        freshness, cid = min(stated, key=lambda fc: FRESHNESS_SECONDS[fc[0]])
        unstated = len(stated) < len(self.consumers)
        if unstated and req and FRESHNESS_SECONDS[req] < FRESHNESS_SECONDS[freshness]:
            return req, "requirements.freshness"  # a consumer that states nothing needs what the problem says
        return freshness, f"consumer '{cid}'"

    @property
    def hardware(self) -> Optional[str]:
        server = self.g.components.get(self.server) if self.server else None
        return getattr(server, "hardware", None)

    @property
    def on_gpu(self) -> bool:
        hw = self.hardware
        return bool(hw) and hw.startswith("gpu")


def _inferred_trainer(g: "DesignGraph", server: str) -> Optional[str]:
    """The training_pipeline that ships models to ``server`` (directly or through a registry)."""
    found = sorted(c for c in g.upstream([server], ["batch", "stream", "request"], through=DEPLOY_HOPS)
                   if g.kind(c) == "training_pipeline")
    return found[0] if found else None


def find_models(g: "DesignGraph") -> list[ModelFacts]:
    models = g.design.models
    if models is not None:
        return [ModelFacts(g, name, spec, True) for name, spec in models.items()]
    inferred = []
    for cid in g.components:
        if g.kind(cid) in SERVING_KINDS and (g.out.get(cid) or g.into.get(cid)):
            inferred.append(ModelFacts(g, cid, None, False))
    return inferred
