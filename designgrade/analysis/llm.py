"""What an LLM system retrieves from, who can ask it, and what it caches.

Retrieval sources are traced back from each vector index through the embedding models,
jobs and lakes that fill it to where the documents come from. Records (a source_db,
database or warehouse: tickets, accounts, internal pages) are the design's own data, held
for many people at once; who may retrieve which of them is a question an index of public
articles does not raise.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..graph import DesignGraph

RECORD_KINDS = frozenset({"source_db", "database", "data_warehouse"})
INDEX_FEEDERS = frozenset({"embedding_model", "batch_processor", "stream_processor", "data_lake",
                           "event_stream", "data_validation", "data_warehouse", "service"})


class LlmFacts:
    def __init__(self, g: "DesignGraph") -> None:
        self.g = g

    @cached_property
    def llms(self) -> list[str]:
        return self.g.of_kind("llm")

    @cached_property
    def request_llms(self) -> list[str]:
        return [c for c in self.llms if c in self.g.request_path]

    @cached_property
    def retrieval(self) -> list[str]:
        """Vector indexes read on the request path of an LLM system."""
        return [v for v in self.g.of_kind("vector_db")
                if v in self.g.request_path or any(r in self.g.request_path for r in self.g.readers(v))]

    def sources(self, index: str) -> list[str]:
        """Where an index's documents come from: the data components that feed it, traced back."""
        g = self.g
        seen = {index}
        queue = deque([index])
        found: list[str] = []
        while queue:
            cid = queue.popleft()
            for edge in g.in_edges(cid, "stream", "batch", "request"):
                src = edge.src
                if edge.mode == "request" and g.kind(src) != "embedding_model":
                    continue  # a reader looking something up, not a writer
                if src in seen:
                    continue
                seen.add(src)
                kind = g.kind(src)
                if kind in RECORD_KINDS or kind in ("data_lake", "event_stream", "client"):
                    found.append(src)
                if kind in INDEX_FEEDERS:
                    queue.append(src)
            if g.kind(cid) == "embedding_model":
                # an embedding model is fed by whoever calls it with documents
                for edge in g.in_edges(cid, "request"):
                    if edge.src not in seen and g.kind(edge.src) in INDEX_FEEDERS:
                        seen.add(edge.src)
                        queue.append(edge.src)
        return found

    def record_sources(self, index: str) -> list[str]:
        return [s for s in self.sources(index) if self.g.kind(s) in RECORD_KINDS]

    @cached_property
    def audiences(self) -> list[str]:
        """Clients that reach an LLM or its retrieval by request."""
        targets = set(self.request_llms) | set(self.retrieval)
        return [c for c in self.g.clients if self.g.reachable([c], ["request"]) & targets]

    @cached_property
    def semantic_caches(self) -> list[str]:
        return self.g.of_kind("semantic_cache")
