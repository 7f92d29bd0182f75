"""The design as a graph: components, typed edges, the request path, and the terms of rules.md.

Rules query this module instead of the raw YAML, so each term ("A reads B", "serving
side", "automated retraining", ...) is defined once.
"""

from __future__ import annotations

from collections import defaultdict, deque
from functools import cached_property
from typing import Any, Iterable, Iterator, Optional

from . import model as m
from .flows import Edge, RawEdge, infer_mode
from .loader import LoadProblem
from .validate import Issue

SERVING_KINDS = frozenset({"online_serving", "batch_inference", "llm"})
STORE_OR_STREAM = frozenset({
    "source_db", "event_stream", "data_lake", "data_warehouse", "feature_store",
    "key_value_store", "cache", "vector_db", "semantic_cache",
})
IMBALANCED_TASKS = frozenset({"fraud_detection", "ads_ctr", "content_moderation", "anomaly_detection"})
LLM_TASKS = frozenset({"llm_rag", "llm_assistant"})
RANKING_METRICS = ("ndcg", "map", "mrr", "recall@", "precision@")
SLOW_FRESHNESS = frozenset({"hourly", "daily", "weekly"})
FAST_FRESHNESS = frozenset({"realtime", "seconds", "minutes"})


class DesignGraph:
    def __init__(
        self,
        design: m.Design,
        raw_edges: Iterable[RawEdge] = (),
        issues: Iterable[Issue] = (),
        load_problems: Iterable[LoadProblem] = (),
    ) -> None:
        self.design = design
        self.components: dict[str, Any] = dict(design.components or {})
        self.issues = list(issues)
        self.load_problems = list(load_problems)
        self.edges: list[Edge] = []
        self.dangling: list[RawEdge] = []
        # Duplicate edges count once; the copy with the largest latency_ms stands for them.
        unique: dict[tuple[str, str, str], Edge] = {}
        for raw in raw_edges:
            if raw.src not in self.components or raw.dst not in self.components:
                self.dangling.append(raw)
                continue
            mode = raw.mode or infer_mode(self.kind(raw.src), self.kind(raw.dst))
            edge = Edge(raw.src, raw.dst, mode, raw.label, raw.latency_ms, raw.path, raw.mode is not None)
            self.edges.append(edge)
            key = (edge.src, edge.dst, edge.mode)
            if key not in unique or (edge.latency_ms or 0) > (unique[key].latency_ms or 0):
                unique[key] = edge
        self.out: dict[str, list[Edge]] = defaultdict(list)
        self.into: dict[str, list[Edge]] = defaultdict(list)
        # Edges by mode too: walks ask "the request flows into X" millions of times on big designs.
        self._out_mode: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._into_mode: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for edge in unique.values():
            self.out[edge.src].append(edge)
            self.into[edge.dst].append(edge)
            self._out_mode[(edge.src, edge.mode)].append(edge)
            self._into_mode[(edge.dst, edge.mode)].append(edge)

    # --- components -----------------------------------------------------------------

    @cached_property
    def _kinds(self) -> dict[str, Optional[str]]:
        return {cid: getattr(c, "kind", None) for cid, c in self.components.items()}

    def kind(self, cid: str) -> Optional[str]:
        return self._kinds.get(cid)

    def of_kind(self, *kinds: str) -> list[str]:
        return [cid for cid, c in self.components.items() if getattr(c, "kind", None) in kinds]

    def has_kind(self, *kinds: str) -> bool:
        return any(getattr(c, "kind", None) in kinds for c in self.components.values())

    def get(self, cid: str) -> Any:
        return self.components[cid]

    @staticmethod
    def path_of(cid: str, *fields: str) -> tuple[Any, ...]:
        return ("components", cid, *fields)

    # --- edges ----------------------------------------------------------------------

    def out_edges(self, cid: str, *modes: str) -> list[Edge]:
        if not modes:
            return list(self.out.get(cid, ()))
        if len(modes) == 1:
            return list(self._out_mode.get((cid, modes[0]), ()))
        return [e for mode in modes for e in self._out_mode.get((cid, mode), ())]

    def in_edges(self, cid: str, *modes: str) -> list[Edge]:
        if not modes:
            return list(self.into.get(cid, ()))
        if len(modes) == 1:
            return list(self._into_mode.get((cid, modes[0]), ()))
        return [e for mode in modes for e in self._into_mode.get((cid, mode), ())]

    def successors(self, cid: str, *modes: str) -> list[str]:
        return [e.dst for e in self.out_edges(cid, *modes)]

    def predecessors(self, cid: str, *modes: str) -> list[str]:
        return [e.src for e in self.in_edges(cid, *modes)]

    def has_edge(self, src: str, dst: str, *modes: str) -> bool:
        return any(e.dst == dst for e in self.out_edges(src, *modes))

    def reads(self, cid: str) -> set[str]:
        """What ``cid`` reads: a stream or batch flow B -> cid, or a request flow cid -> B."""
        read = {e.src for e in self.in_edges(cid, "stream", "batch")}
        read.update(e.dst for e in self.out_edges(cid, "request"))
        return read

    def readers(self, cid: str) -> set[str]:
        """Who reads ``cid`` (the inverse of :meth:`reads`)."""
        found = {e.dst for e in self.out_edges(cid, "stream", "batch")}
        found.update(e.src for e in self.in_edges(cid, "request"))
        return found

    def walk(self, starts: Iterable[str], modes: Iterable[str], through: Optional[Iterable[str]] = None,
             backwards: bool = False) -> Iterator[Edge]:
        """The edges of ``modes`` from ``starts`` outward (into them, ``backwards``), breadth
        first, each newly found component once. With ``through``, only components of those
        kinds are walked past (others are found but not looked beyond)."""
        modes = tuple(modes)
        through_kinds = frozenset(through) if through is not None else None
        seen: set[str] = set()
        queue = deque(starts)
        while queue:
            cid = queue.popleft()
            for edge in (self.in_edges(cid, *modes) if backwards else self.out_edges(cid, *modes)):
                found = edge.src if backwards else edge.dst
                if found in seen:
                    continue
                seen.add(found)
                yield edge
                if through_kinds is None or self.kind(found) in through_kinds:
                    queue.append(found)

    def upstream(self, starts: Iterable[str], modes: Iterable[str], through: Optional[Iterable[str]] = None) -> set[str]:
        """Components that reach ``starts`` along edges of ``modes`` (walking edges backwards)."""
        return {e.src for e in self.walk(starts, modes, through, backwards=True)}

    def reachable(self, starts: Iterable[str], modes: Iterable[str], through: Optional[Iterable[str]] = None) -> set[str]:
        """Components reached from ``starts`` along edges of ``modes`` (a start only if reached again)."""
        return {e.dst for e in self.walk(starts, modes, through)}

    # --- the request path -----------------------------------------------------------

    @cached_property
    def clients(self) -> list[str]:
        return self.of_kind("client")

    @cached_property
    def request_path(self) -> set[str]:
        """Non-client components reached from a client by request flows."""
        return {c for c in self.reachable(self.clients, ["request"]) if self.kind(c) != "client"}

    def on_request_path(self, cid: str) -> bool:
        return cid in self.request_path

    @cached_property
    def serving_side(self) -> set[str]:
        side = set(self.of_kind(*SERVING_KINDS, "llm_gateway"))
        side.update(self.request_path)
        return side

    @cached_property
    def request_latency(self) -> tuple[float, list[str]]:
        """The slowest request path from a client: (milliseconds, the chain). See analysis.latency."""
        from .analysis.latency import request_latency

        result = request_latency(self)
        return result.total, result.chain

    def stands_before(self, target: str, kinds: Iterable[str]) -> bool:
        """Whether a component of ``kinds`` lies on a request path from a client to ``target``."""
        kinds = frozenset(kinds)
        # Components that can reach target by request edges, walking backwards.
        seen = {target}
        queue = deque([target])
        while queue:
            cid = queue.popleft()
            for edge in self.in_edges(cid, "request"):
                if edge.src not in seen:
                    seen.add(edge.src)
                    queue.append(edge.src)
        reached_from_client = self.reachable(self.clients, ["request"]) | set(self.clients)
        return any(self.kind(c) in kinds for c in seen & reached_from_client if c != target)

    # --- the problem ----------------------------------------------------------------

    @property
    def problem(self) -> Optional[m.Problem]:
        return self.design.problem

    @property
    def task(self) -> Optional[str]:
        return self.problem.task if self.problem else None

    @property
    def requirements(self) -> m.Requirements:
        req = self.problem.requirements if self.problem else None
        return req if req is not None else m.Requirements()

    @property
    def metrics(self) -> m.Metrics:
        metrics = self.problem.metrics if self.problem else None
        return metrics if metrics is not None else m.Metrics()

    @property
    def data(self) -> m.DataSpec:
        data = self.problem.data if self.problem else None
        return data if data is not None else m.DataSpec()

    @property
    def freshness(self) -> Optional[str]:
        return self.requirements.freshness

    @property
    def models(self) -> dict[str, m.Model]:
        return dict(self.design.models or {})

    @property
    def deployment(self) -> Optional[m.Deployment]:
        return self.design.deployment

    # --- terms of rules.md ----------------------------------------------------------

    @cached_property
    def imbalanced_task(self) -> bool:
        return bool(self.data.class_imbalance) or self.task in IMBALANCED_TASKS

    @cached_property
    def llm_system(self) -> bool:
        return self.task in LLM_TASKS or self.has_kind("llm")

    @cached_property
    def has_training(self) -> bool:
        return self.has_kind("training_pipeline") or any(mod.trained_by for mod in self.models.values())

    def serves_model(self, cid: str) -> bool:
        if self.design.models is not None:
            return any(mod.served_by == cid for mod in self.models.values())
        return self.kind(cid) in ("online_serving", "llm") and self.on_request_path(cid)

    @cached_property
    def retrain_triggers(self) -> list[Edge]:
        """Trigger flows from monitoring into a training_pipeline."""
        return [
            e for e in self.edges
            if e.mode == "trigger" and self.kind(e.src) == "monitoring" and self.kind(e.dst) == "training_pipeline"
        ]

    @cached_property
    def scheduled_training(self) -> list[str]:
        return [
            t for t in self.of_kind("training_pipeline")
            if getattr(self.get(t), "schedule", None) not in (None, "on_trigger")
        ]

    @cached_property
    def automated_retraining(self) -> bool:
        return bool(self.retrain_triggers or self.scheduled_training)

    @cached_property
    def automated_deployment(self) -> bool:
        return any(
            self.kind(e.dst) in SERVING_KINDS for r in self.of_kind("model_registry") for e in self.out_edges(r)
        )


def is_ranking_metric(name: str) -> bool:
    """rules.md: ndcg, map, mrr, recall@, precision@ by prefix; but mape is a forecasting error."""
    lowered = name.strip().lower()
    return lowered.startswith(RANKING_METRICS) and not lowered.startswith("mape")
