"""What a design does, computed once and asked by every rule, report and drill question.

The way ruff's rules ask a semantic model instead of re-walking the syntax tree, rules here
ask an :class:`Analysis` instead of walking the graph: how each model's predictions reach
their consumers and how fresh (:mod:`.models`), which component computes features for
training and for serving (:mod:`.features`), how models are retrained and released
(:mod:`.lifecycle`), what is monitored (:mod:`.monitoring`), what an LLM system retrieves
(:mod:`.llm`) and the slowest request path (:mod:`.latency`). Every fact is computed on first
use and kept; each walk is linear in components + flows.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Optional

from . import problem as problem_facts
from .features import FeatureFacts, Leak, leaks
from .latency import Latency, request_latency
from .lifecycle import Release, Retraining, deploys_automatically, release, retraining
from .llm import LlmFacts
from .models import ModelFacts, find_models
from .monitoring import MonitoringFacts, logs_from
from .prose import Prose

if TYPE_CHECKING:
    from ..graph import DesignGraph

__all__ = ["Analysis", "analyze", "ModelFacts"]

# Kinds data passes through on its way to serving (not training or the registry).
DATA_KINDS = frozenset({
    "source_db", "event_stream", "data_lake", "data_warehouse", "stream_processor", "batch_processor",
    "data_validation", "feature_store", "key_value_store", "cache", "database", "vector_db", "service", "client",
    "embedding_model",
})


class Analysis:
    def __init__(self, graph: "DesignGraph") -> None:
        self.graph = graph

    # --- the problem ----------------------------------------------------------------

    @property
    def task(self) -> Optional[str]:
        return self.graph.task

    @property
    def design(self) -> Any:
        return self.graph.design

    @cached_property
    def llm_system(self) -> bool:
        return self.task in problem_facts.LLM_TASKS or self.graph.has_kind("llm")

    @cached_property
    def imbalance(self) -> Optional[str]:
        """Why the classes are imbalanced, in words, or None."""
        g = self.graph
        if g.data.class_imbalance:
            return "class_imbalance is true"
        if self.task in problem_facts.IMBALANCED_TASKS:
            return f"the {self.task} task is imbalanced"
        if self.task in ("classification", "other"):
            text = " ".join(t for t in (g.design.title, getattr(g.problem, "objective", None)) if t)
            match = problem_facts.IMBALANCE_WORDS.search(text)
            if match and g.data.class_imbalance is not False:
                return f"a {match.group(0).lower()} classifier is imbalanced"
        return None

    # --- models ---------------------------------------------------------------------

    @cached_property
    def models(self) -> list[ModelFacts]:
        return find_models(self.graph)

    @cached_property
    def named_models(self) -> list[ModelFacts]:
        """Models the design describes: ``models`` entries, or an LLM that is the model."""
        if self.graph.design.models:
            return self.models
        if self.task in problem_facts.LLM_TASKS:
            return [m for m in self.models if m.server_kind == "llm"]  # the LLM is the model
        return []

    @cached_property
    def trained_models(self) -> list[ModelFacts]:
        """Models trained here. A model of unknown origin counts only when no model of the
        design says where it comes from; beside a vendor's or a trained one it is a side
        model whose training the design leaves out (no-training-path notes it)."""
        known = [m for m in self.models if m.origin != "unknown"]
        if not known:
            return list(self.models)
        return [m for m in self.models if m.origin == "trained"]

    def model(self, name: str) -> Optional[ModelFacts]:
        return next((m for m in self.models if m.name == name), None)

    @cached_property
    def servers(self) -> frozenset[str]:
        return frozenset(m.server for m in self.models if m.server)

    @cached_property
    def serving_side(self) -> frozenset[str]:
        """Model servers, who calls them, who receives their results, the request path,
        LLM gateways, and on-device clients."""
        side = set(self.servers) | set(self.graph.request_path) | set(self.graph.of_kind("llm_gateway"))
        for m in self.models:
            side |= {c for c in m.callers if self.graph.kind(c) != "client"}
            side |= {c.cid for c in m.consumers if c.how == "push" and self.graph.kind(c.cid) != "client"}
            if m.mode == "on_device" and m.server:
                side.add(m.server)
        return frozenset(side)

    @cached_property
    def feeds_serving(self) -> frozenset[str]:
        """Components whose output a model server reads (jobs that feed serving as well)."""
        out: set[str] = set()
        for m in self.models:
            if m.server:
                out |= self.graph.upstream([m.server], ("stream", "batch"), through=("data_validation",))
                out |= {r for r in self.graph.reads(m.server)}
        return frozenset(out)

    # --- features -------------------------------------------------------------------

    def features(self, model: ModelFacts) -> FeatureFacts:
        cache = self.__dict__.setdefault("_features", {})
        if model.name not in cache:
            cache[model.name] = FeatureFacts(self.graph, model, self.serving_side)
        return cache[model.name]

    def leaks(self, trainer: str) -> list[Leak]:
        cache = self.__dict__.setdefault("_leaks", {})
        if trainer not in cache:
            cache[trainer] = leaks(self.graph, trainer, self.serving_side, self.feeds_serving)
        return cache[trainer]

    def unavailable_at_serving(self, model: ModelFacts, source: str) -> bool:
        """Whether nothing on the model's serving side reads ``source`` or what it feeds."""
        if not model.server:
            return False
        near = {model.server} | self.features(model).immediate_callers
        seen = set(near)
        for cid in near:
            seen |= self.graph.reads(cid)
        # walk back through data, not through the training and registry that ship the model
        seen |= self.graph.upstream(list(seen), ("stream", "batch"), through=DATA_KINDS)
        return source not in seen

    # --- lifecycle ------------------------------------------------------------------

    def retraining(self, trainer: str) -> Retraining:
        cache = self.__dict__.setdefault("_retraining", {})
        if trainer not in cache:
            cache[trainer] = retraining(self.graph, trainer, self.prose)
        return cache[trainer]

    @cached_property
    def release(self) -> Release:
        return release(self.graph)

    def deploys_automatically(self, model: ModelFacts) -> bool:
        return deploys_automatically(self.graph, model.trainer, model.server)

    # --- monitoring, latency, LLM ---------------------------------------------------

    @cached_property
    def monitoring(self) -> MonitoringFacts:
        continuous = frozenset(t for t in self.graph.of_kind("training_pipeline")
                               if self.retraining(t).cadence == "continuous")
        return MonitoringFacts(self.graph, self.serving_side, continuous, self.prose)

    def prediction_logs(self, model: ModelFacts) -> list[tuple[str, str]]:
        sources = [model.server] if model.server else []
        sources += sorted(c for c in model.callers if self.graph.kind(c) != "client")
        if self.task in problem_facts.EXPOSURE_TASKS | problem_facts.LLM_TASKS:
            # a client that shows the results logs impressions of them
            sources += model.client_callers
        sources += sorted(c.cid for c in model.consumers if c.how == "push")
        # Each component's log sinks are looked up once: on a big design every model shares
        # hundreds of callers.
        sinks = self.__dict__.setdefault("_log_sinks", {})
        found: list[tuple[str, str]] = []
        for cid in sources:
            if cid not in sinks:
                sinks[cid] = logs_from(self.graph, [cid])
            found.extend(sinks[cid])
        return found

    @cached_property
    def latency(self) -> Latency:
        return request_latency(self.graph)

    @cached_property
    def llm(self) -> LlmFacts:
        return LlmFacts(self.graph)

    @cached_property
    def prose(self) -> Prose:
        """What the design says in words (labels, notes): evidence that can satisfy a rule."""
        return Prose(self.graph)


def analyze(graph: "DesignGraph") -> Analysis:
    return Analysis(graph)
