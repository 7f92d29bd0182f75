"""What is monitored, and whether production data reaches the monitors.

A monitor counts when data from the serving side (the model servers, the services that call
them or receive their results, the request path, an on-device model's clients) reaches it by
stream or batch flows, directly or through the stores, streams and processors that carry
logs. Drift is input-distribution monitoring (``data_drift``, or a system metric that names a
drift or distribution measure); quality is ``performance`` against labels.
"""

from __future__ import annotations

import re
from collections import deque
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..graph import DesignGraph

CARRIERS = frozenset({
    "source_db", "event_stream", "data_lake", "data_warehouse", "feature_store", "key_value_store", "cache",
    "vector_db", "semantic_cache", "database", "stream_processor", "batch_processor", "data_validation",
    "llm_evaluation", "service",
})
LOG_SINKS = frozenset({"event_stream", "data_lake", "data_warehouse", "database", "source_db", "monitoring",
                       "llm_evaluation"})
_DRIFT_WORDS = re.compile(r"(drift|psi|kl_|divergence|distribution|shift|wasserstein|\bks\b|jensen|zscore)")


class MonitoringFacts:
    def __init__(self, g: "DesignGraph", serving_side: frozenset[str], continuous: frozenset[str] = frozenset(),
                 prose: Any = None) -> None:
        self.g = g
        self.serving_side = serving_side
        self.continuous = continuous  # learners that train on production data as it arrives
        self.prose = prose  # analysis.prose.Prose: a monitor's notes and the labels of flows into it

    @cached_property
    def monitors(self) -> list[str]:
        return self.g.of_kind("monitoring")

    @cached_property
    def fed(self) -> dict[str, str]:
        """Monitors reached from the serving side -> the serving component whose data reaches it."""
        g = self.g
        origin: dict[str, str] = {}
        queue: deque[str] = deque()
        for cid in sorted(self.serving_side):
            origin.setdefault(cid, cid)
            queue.append(cid)
        found: dict[str, str] = {}
        while queue:
            cid = queue.popleft()
            for edge in g.out_edges(cid, "stream", "batch"):
                nxt = edge.dst
                if nxt in origin:
                    continue
                origin[nxt] = origin[cid]
                kind = g.kind(nxt)
                if kind == "monitoring":
                    found[nxt] = origin[cid]
                if kind in CARRIERS or (kind == "training_pipeline" and nxt in self.continuous):
                    queue.append(nxt)
        return found

    def drift_measure(self, cid: str) -> str | None:
        """How a monitor watches input or score distributions, in words, or None."""
        comp = self.g.get(cid)
        drift = getattr(comp, "data_drift", None)
        if drift is not None:
            return f"data_drift ({drift.metric})" if drift.metric else "data_drift"
        named = [s for s in getattr(comp, "system", []) or [] if _DRIFT_WORDS.search(s.lower())]
        if named:
            return f"system metric {named[0]}"
        said = self.prose.find("drift", owners=[cid]) if self.prose is not None else []
        return f"its notes: \"{said[0].text}\"" if said else None

    def quality_words(self, cid: str) -> str | None:
        """A monitor's own words for model quality against outcomes ("overturn rate per category")."""
        said = self.prose.find("quality", owners=[cid]) if self.prose is not None else []
        return said[0].text if said else None

    @cached_property
    def drift_monitors(self) -> list[str]:
        return [m for m in self.monitors if self.drift_measure(m)]

    @cached_property
    def quality_monitors(self) -> list[str]:
        return [m for m in self.monitors
                if (getattr(self.g.get(m), "performance", None) is not None
                    and (self.g.get(m).performance.metric or self.g.get(m).performance.label_delay is not None))
                or self.quality_words(m)]

    @cached_property
    def online_llm_evaluation(self) -> list[str]:
        return [c for c in self.g.of_kind("llm_evaluation") if getattr(self.g.get(c), "online", None)]


def logs_from(g: "DesignGraph", sources: list[str]) -> list[tuple[str, str]]:
    """(source, sink) for every data flow from ``sources`` into a place logs can be joined later."""
    found = []
    for cid in sources:
        for edge in g.out_edges(cid, "stream", "batch"):
            if g.kind(edge.dst) in LOG_SINKS:
                found.append((cid, edge.dst))
    return found
