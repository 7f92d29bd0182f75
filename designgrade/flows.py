"""Flows: the short (``"a -> b: label"``), chained, unquoted and long forms, read into edges."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

Path_ = tuple[Any, ...]

STREAM_KINDS = frozenset({"event_stream", "stream_processor"})
BATCH_SINKS_OF_CLIENT = frozenset({"source_db", "data_lake", "data_warehouse", "monitoring", "llm_evaluation"})
ONLINE_KINDS = frozenset({
    "load_balancer", "api_gateway", "online_serving", "cache", "key_value_store", "feature_store",
    "vector_db", "llm", "embedding_model", "guardrails", "llm_gateway", "semantic_cache", "service",
})


class Edge(NamedTuple):
    src: str
    dst: str
    mode: str
    label: Optional[str]
    latency_ms: Optional[float]
    path: Path_
    explicit_mode: bool = False

    def __str__(self) -> str:
        return f"{self.src} -> {self.dst}"


class RawEdge(NamedTuple):
    """An edge as written, before its endpoints are known to exist."""

    src: str
    dst: str
    label: Optional[str]
    mode: Optional[str]
    latency_ms: Optional[float]
    path: Path_
    text: str


class FlowError(ValueError):
    pass


def parse_short(text: str, path: Path_, label: Optional[str] = None) -> list[RawEdge]:
    """``"a -> b -> c: label"`` -> edges a->b and b->c carrying the label."""
    chain = text
    if label is None and ":" in text:
        chain, _, written = text.partition(":")
        label = written.strip() or None
    parts = [p.strip() for p in chain.split("->")]
    if len(parts) < 2:
        raise FlowError(f"the flow {text!r} has no '->'; write 'from -> to' or 'from -> to: label'")
    if any(not p for p in parts):
        raise FlowError(f"the flow {text!r} has an empty endpoint; write 'from -> to' with both ids")
    pairs = list(zip(parts, parts[1:]))
    for src, dst in pairs:
        check_endpoints(src, dst, text)
    return [RawEdge(src, dst, label, None, None, path, text) for src, dst in pairs]


def check_endpoints(src: str, dst: str, text: str) -> None:
    if src == dst:
        raise FlowError(f"the flow {text!r} goes from '{src}' to itself; name two different components")


def infer_mode(src_kind: Optional[str], dst_kind: Optional[str]) -> str:
    """design-format.md, flows: first match wins."""
    if src_kind in STREAM_KINDS or dst_kind in STREAM_KINDS:
        return "stream"
    if src_kind == "monitoring" and dst_kind == "training_pipeline":
        return "trigger"
    if src_kind == "client" and dst_kind in BATCH_SINKS_OF_CLIENT:
        return "batch"
    if src_kind == "online_serving" and dst_kind == "source_db":
        return "request"  # a model server looks records up; it does not write the product's database
    if src_kind == "client" or (src_kind in ONLINE_KINDS and dst_kind in ONLINE_KINDS):
        return "request"
    return "batch"
