"""Where each model's features are computed, for training and for serving.

Two code paths are the classic skew: serving reads features that a stream job (or a
request-time service) computes from raw data, while training gets the same raw data by
another route and computes them again. One code path is: a feature store both sides read,
features logged at serving time that training reads back, or one job that feeds both.

Point-in-time correctness: training that joins current-state snapshots (a source_db copied
into a warehouse) sees values written after each label's time. A source written by the
serving side itself holds what was logged at prediction time, and a job that writes dated
snapshots (``point_in_time: true``, or one that also feeds serving, so the snapshots serving
read are the ones training reads) keeps history as it was.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, Optional

from .models import ModelFacts

if TYPE_CHECKING:
    from ..graph import DesignGraph

PROCESSORS = frozenset({"stream_processor", "batch_processor"})
HAND_ROLLED = frozenset({"key_value_store", "cache", "database"})
# Stores and steps data passes through on its way into training.
TRAINING_CARRIERS = frozenset({"data_lake", "data_warehouse", "event_stream", "data_validation", "database",
                               "source_db", "key_value_store", "cache"})
MODEL_OUTPUT_KINDS = frozenset({"batch_inference", "online_serving", "embedding_model", "llm"})
DATA = ("stream", "batch")


class Producer(NamedTuple):
    cid: str  # the component that computes features for serving
    via: Optional[str]  # the store serving reads them from, if any
    reads: tuple[str, ...]  # the raw inputs it computes them from


class TwoPaths(NamedTuple):
    producer: Producer  # the serving side's code path
    training_side: str  # the component that computes the same data for training (a job, or the trainer)
    raw: str  # the raw data both start from


class Leak(NamedTuple):
    source: str  # the current-state data (a source_db, or a feature_store that is not point-in-time)
    through: Optional[str]  # the warehouse or job it reaches training through


class FeatureFacts:
    def __init__(self, g: "DesignGraph", model: ModelFacts, serving_side: frozenset[str]) -> None:
        self.g = g
        self.model = model
        self.serving_side = serving_side

    # --- serving side ---------------------------------------------------------------

    @cached_property
    def serving_reads(self) -> set[str]:
        """What the server reads (lookups by request, data flows into it)."""
        s = self.model.server
        if not s:
            return set()
        return self.g.reads(s)

    @cached_property
    def feature_stores(self) -> list[str]:
        """Feature stores the serving side reads (the server, or a caller that passes them on)."""
        s = self.model.server
        if not s:
            return []
        near = {s} | self.immediate_callers
        return sorted({r for c in near for r in self.g.reads(c) if self.g.kind(r) == "feature_store"})

    @cached_property
    def immediate_callers(self) -> set[str]:
        s = self.model.server
        if not s:
            return set()
        return {e.src for e in self.g.in_edges(s, "request") if self.g.kind(e.src) not in ("client",)}

    def _writers(self, cid: str) -> set[str]:
        return {e.src for e in self.g.in_edges(cid, *DATA)}

    def _inputs(self, cid: str) -> tuple[str, ...]:
        return tuple(sorted(e.src for e in self.g.in_edges(cid, *DATA)))

    @cached_property
    def producers(self) -> list[Producer]:
        """Explicit serving-side feature computations: a stream or batch job writing a store
        the server reads (or feeding it directly), and a service that reads raw data and
        calls the server with what it computed."""
        g, s = self.g, self.model.server
        if not s or self.model.mode in ("on_device",):
            return []
        found: dict[str, Producer] = {}
        for read in sorted(self.serving_reads):
            kind = g.kind(read)
            if kind in PROCESSORS:
                found.setdefault(read, Producer(read, None, self._inputs(read)))
            elif kind in HAND_ROLLED | {"feature_store", "data_validation"}:
                for writer in sorted(self._writers(read)):
                    if g.kind(writer) in PROCESSORS:
                        found.setdefault(writer, Producer(writer, read, self._inputs(writer)))
        for caller in sorted(self.immediate_callers):
            if g.kind(caller) not in ("service", "api_gateway"):
                continue
            raw = []
            for read in sorted(e.dst for e in g.out_edges(caller, "request")):
                if read == s:
                    continue
                kind = g.kind(read)
                writers = self._writers(read)
                if kind in HAND_ROLLED and not any(g.kind(w) in PROCESSORS | MODEL_OUTPUT_KINDS for w in writers):
                    raw.append(read)
                elif kind == "event_stream" or (kind == "source_db"):
                    raw.append(read)
            if raw:
                found.setdefault(caller, Producer(caller, None, tuple(raw)))
        return list(found.values())

    # --- the two sides compared ----------------------------------------------------

    @cached_property
    def two_paths(self) -> Optional[TwoPaths]:
        """A serving-side computation whose raw inputs also reach training by a route that
        does not pass through it: training computes the same features again."""
        trainer = self.model.trainer
        if not trainer or self.model.origin in ("pretrained", "vendor"):
            return None
        shared = {fs for fs in self.feature_stores if fs in self.g.upstream([trainer], DATA)}
        if shared:
            return None
        for producer in self.producers:
            if self.model.updated_by and producer.cid == self.model.updated_by:
                continue  # the model's own online state, not a feature pipeline
            hit = _reaches_avoiding(self.g, self._origins(producer), trainer, producer.cid)
            if hit is None:
                continue
            raw, side = hit
            if self.g.kind(raw) in PROCESSORS and raw in producer.reads:
                # the producer builds on a job whose output training reads too: the features
                # are computed once, upstream of both; the producer adds a step (candidates,
                # a ranking table), not a second definition
                continue
            if (side == trainer and self.g.kind(producer.cid) == "batch_processor"
                    and self.g.kind(raw) in ("data_warehouse", "data_lake")):
                # a batch job over the warehouse that training also reads: its tables live there,
                # and training reading them is one code path (the dbt pattern)
                continue
            return TwoPaths(producer, side, raw)
        return None

    def _origins(self, producer: Producer) -> list[str]:
        """Where the producer's raw inputs come from: the stores it reads, who fills them (by
        data flows, or by request flows from whatever ingests into them) and what feeds those."""
        g = self.g
        out: list[str] = []
        for cid in producer.reads:
            out.append(cid)
            if g.kind(cid) not in HAND_ROLLED:
                continue
            readers = self.model.callers | {self.model.server, producer.cid}
            fillers = self._writers(cid) | {e.src for e in g.in_edges(cid, "request") if e.src not in readers}
            for filler in sorted(fillers):
                out.append(filler)
                out.extend(sorted(e.src for e in g.in_edges(filler)))
        return out

    @cached_property
    def declared_two_sources(self) -> list[tuple[str, str, str]]:
        """Features the design says are computed by two different components: (name, training, serving)."""
        out = []
        for item in getattr(self.model.spec, "features", None) or []:
            if isinstance(item, str):
                continue
            train, serve = item.training or item.source, item.serving or item.source
            if train and serve and train != serve:
                out.append((item.name, train, serve))
        return out


def _reaches_avoiding(g: "DesignGraph", starts: list[str], target: str, avoid: str) -> Optional[tuple[str, str]]:
    """Whether data from ``starts`` reaches ``target`` without passing ``avoid``: (the start it
    came from, the last processor before the target or the target itself)."""
    parent: dict[str, Optional[str]] = {}
    origin: dict[str, str] = {}
    queue: deque[str] = deque()
    for start in starts:
        if start != avoid and start not in parent:
            parent[start] = None
            origin[start] = start
            queue.append(start)
    while queue:
        cid = queue.popleft()
        for edge in g.out_edges(cid, *DATA):
            nxt = edge.dst
            if nxt == avoid or nxt in parent:
                continue
            parent[nxt] = cid
            origin[nxt] = origin[cid]
            if nxt == target:
                side, cur = target, cid
                while cur is not None:
                    if g.kind(cur) in PROCESSORS:
                        side = cur
                        break
                    cur = parent[cur]
                return origin[nxt], side
            if g.kind(nxt) not in ("training_pipeline", "model_registry"):
                queue.append(nxt)
    return None


def leaks(g: "DesignGraph", trainer: str, serving_side: frozenset[str],
          feeds_serving: frozenset[str]) -> list[Leak]:
    """Current-state data that reaches ``trainer``: a feature_store declared not
    point-in-time, a source_db read directly, or a warehouse holding snapshots of one,
    reached through training-only steps."""
    found: list[Leak] = []
    seen = {trainer}
    queue: deque[tuple[str, Optional[str]]] = deque([(trainer, None)])
    while queue:
        cid, through = queue.popleft()
        for edge in g.in_edges(cid, *DATA):
            src = edge.src
            if src in seen:
                continue
            seen.add(src)
            kind = g.kind(src)
            comp = g.components[src]
            if kind == "feature_store":
                if getattr(comp, "point_in_time", None) is False:
                    found.append(Leak(src, through))
                continue  # features from a store are as-of-time unless it says otherwise
            if kind == "source_db":
                if _current_state(g, src, serving_side):
                    found.append(Leak(src, through))
                continue
            if kind == "data_warehouse":
                for db in _snapshot_feeders(g, src, serving_side):
                    found.append(Leak(db, src))
                continue
            if kind in PROCESSORS:
                if getattr(comp, "point_in_time", None) is True or src in feeds_serving:
                    continue  # dated snapshots, or the same snapshots serving read
                queue.append((src, src))
            elif kind == "data_validation":
                queue.append((src, through))
    return found


def _current_state(g: "DesignGraph", db: str, serving_side: frozenset[str]) -> bool:
    """A source_db holds current state unless it ships a change log or the serving side
    writes it (rows logged at prediction time)."""
    if getattr(g.components[db], "cdc", None) is True:
        return False
    return not any(e.src in serving_side for e in g.in_edges(db, *DATA))


def _snapshot_feeders(g: "DesignGraph", warehouse: str, serving_side: frozenset[str]) -> list[str]:
    return sorted(e.src for e in g.walk([warehouse], DATA, through=("batch_processor", "data_validation"),
                                        backwards=True)
                  if g.kind(e.src) == "source_db" and _current_state(g, e.src, serving_side))
