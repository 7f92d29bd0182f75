"""What the picture shows, independent of the drawing language: planes, nodes, edges,
the findings overlay and the "missing: X" placeholders.

:func:`build_scene` turns a :class:`~designgrade.graph.DesignGraph` and its findings into
a :class:`Scene`; ``dot.py`` and ``mermaid.py`` only draw a Scene. Everything is ordered
by the design's own order (components as written, flows as written), so the same design
always gives the same Scene.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from ..findings import SEVERITY_RANK
from .text import clean, safe_id

# --- planes ---------------------------------------------------------------------------

# (key, cluster title), in drawing order. Clients sit outside every cluster, at the users' end.
PLANES: tuple[tuple[str, str], ...] = (
    ("data", "Data & features"),
    ("training", "Offline training & scoring"),
    ("serving", "Online serving"),
    ("monitoring", "Monitoring & experimentation"),
    ("llm", "LLM"),
)
USERS = "users"

PLANE_OF_KIND: dict[str, str] = {
    "client": USERS,
    "source_db": "data", "event_stream": "data", "data_lake": "data", "data_warehouse": "data",
    "stream_processor": "data", "batch_processor": "data", "data_validation": "data",
    "feature_store": "data", "vector_db": "data", "database": "data",
    "training_pipeline": "training", "experiment_tracking": "training", "model_registry": "training",
    "batch_inference": "training",
    "online_serving": "serving", "key_value_store": "serving", "cache": "serving",
    "load_balancer": "serving", "api_gateway": "serving", "service": "serving",
    "experimentation": "monitoring", "monitoring": "monitoring",
    "llm": "llm", "embedding_model": "llm", "guardrails": "llm", "llm_gateway": "llm",
    "prompt_registry": "llm", "llm_evaluation": "llm", "semantic_cache": "llm",
}

# Left-to-right order of the planes, from data to users. An edge that runs against it
# (serving logs into a stream, a lookup from serving into a store) is laid out reversed
# so the picture keeps flowing from data to users; its arrow still points the right way.
PLANE_ORDER: dict[str, int] = {"data": 0, "training": 1, "monitoring": 2, "llm": 2, "serving": 3, USERS: 4}

MODES: tuple[str, ...] = ("request", "stream", "batch", "trigger")
FALLBACK = "fallback"  # the mode of the edge from an llm to the llm its ``fallback`` names


def plane_of(kind: Optional[str], llm_system: bool = False) -> str:
    """The plane of a kind; in an LLM system the vector index sits with the LLM parts."""
    if kind == "vector_db" and llm_system:
        return "llm"
    return PLANE_OF_KIND.get(kind or "", "serving")


# --- the scene ------------------------------------------------------------------------


class _Flagged:
    """Something findings can flag: it keeps their messages and the worst severity."""

    severity: Optional[str]
    messages: list[str]

    def add(self, severity: Optional[str], message: str) -> None:
        self.messages.append(message)
        if severity and (self.severity is None or SEVERITY_RANK[severity] > SEVERITY_RANK[self.severity]):
            self.severity = severity


@dataclass
class SceneNode(_Flagged):
    id: str                      # sanitized, stable: the DOT node id and the Mermaid id
    name: str                    # display name: the label, else the component id (cleaned)
    kind: Optional[str]
    tech: Optional[str]
    plane: str
    cid: Optional[str] = None    # the component id; None for a placeholder
    missing: bool = False        # a "missing: X" placeholder
    severity: Optional[str] = None
    messages: list[str] = field(default_factory=list)


@dataclass
class SceneEdge(_Flagged):
    src: str
    dst: str
    mode: str
    label: Optional[str]
    missing: bool = False        # a dashed link of a placeholder, or a missing wire
    severity: Optional[str] = None
    messages: list[str] = field(default_factory=list)


@dataclass
class Scene:
    title: str
    subtitle: str
    nodes: list[SceneNode]
    edges: list[SceneEdge]
    overlay: bool                # findings are drawn
    unplaced: list[str] = field(default_factory=list)  # findings tied to no node
    counts: dict[str, int] = field(default_factory=dict)

    def node(self, nid: str) -> SceneNode:
        return self._index[nid]

    def __post_init__(self) -> None:
        self._index = {n.id: n for n in self.nodes}

    def in_plane(self, plane: str) -> list[SceneNode]:
        return [n for n in self.nodes if n.plane == plane]

    def layout_reversed(self, edge: SceneEdge) -> bool:
        """Whether ``edge`` is laid out from dst to src (see PLANE_ORDER)."""
        if edge.mode in ("request", FALLBACK):
            return True
        src, dst = self._index[edge.src], self._index[edge.dst]
        return PLANE_ORDER.get(src.plane, 3) > PLANE_ORDER.get(dst.plane, 3)


# --- missing parts --------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A dashed edge between a placeholder and the component it would serve.

    ``outgoing``: placeholder -> anchor, else anchor -> placeholder. The anchor is the
    first component (in design order) of the first kind in ``kinds`` the design has.
    """

    kinds: tuple[str, ...]
    mode: str
    outgoing: bool


@dataclass(frozen=True)
class Missing:
    key: str                     # the placeholder's id suffix
    what: str                    # "missing: <what>"
    plane: str
    kinds: tuple[str, ...]       # a component of these kinds would fill the gap
    links: tuple[Link, ...]
    # When such a component exists but is not wired in (no-monitoring with a monitoring
    # that nothing feeds), draw the links to it as dashed "missing" edges instead.
    wire_existing: bool = False
    edge_only: bool = False      # draw only a dashed edge (no node), e.g. a retraining trigger


_SERVING = ("online_serving", "llm", "batch_inference", "service")
_RAW = ("event_stream", "data_lake", "source_db")

# Finding rule slug -> the part it says is missing. Rules without an entry mark their
# component (outline and tooltip) or, with no component, are listed in the title tooltip.
MISSING: dict[str, Missing] = {m_slug: m for m_slug, m in (
    ("no-monitoring", Missing(
        "monitoring", "monitoring", "monitoring", ("monitoring",),
        (Link(_SERVING, "stream", False),), wire_existing=True)),
    ("no-model-registry", Missing(
        "model_registry", "model registry", "training", ("model_registry",),
        (Link(("training_pipeline",), "batch", False), Link(("online_serving", "batch_inference"), "batch", True)),
        wire_existing=True)),
    ("missing-feature-store", Missing(
        "feature_store", "feature store", "data", ("feature_store",),
        (Link(("training_pipeline",), "batch", True), Link(("online_serving",), "request", False)))),
    ("no-online-experiment", Missing(
        "experimentation", "A/B experimentation", "monitoring", ("experimentation",),
        (Link(("online_serving", "service", "llm", "batch_inference"), "batch", True),))),
    ("no-data-validation", Missing(
        "data_validation", "data validation", "data", ("data_validation",),
        (Link(_RAW, "batch", False), Link(("training_pipeline",), "batch", True)))),
    ("no-prediction-logging", Missing(
        "prediction_log", "prediction log", "data", ("event_stream", "data_lake", "data_warehouse"),
        (Link(_SERVING, "stream", False),), wire_existing=True)),
    ("no-streaming-ingestion", Missing(
        "event_stream", "event stream", "data", ("event_stream",),
        (Link(("client",), "stream", False),))),
    ("no-load-balancer", Missing(
        "load_balancer", "load balancer", "serving", ("load_balancer", "api_gateway"),
        (Link(("client",), "request", False), Link(("online_serving",), "request", True)))),
    ("batch-without-key-value-store", Missing(
        "key_value_store", "key-value store", "serving", ("key_value_store", "cache"),
        (Link(("batch_inference",), "batch", False), Link(("service", "online_serving", "api_gateway",
                                                              "load_balancer"), "request", False)))),
    ("llm-no-guardrails", Missing(
        "guardrails", "guardrails", "llm", ("guardrails",),
        (Link(("llm_gateway", "llm"), "request", True),))),
    ("llm-no-evaluation", Missing(
        "llm_evaluation", "LLM evaluation", "llm", ("llm_evaluation",),
        (Link(("llm",), "batch", False),))),
    ("llm-no-cost-controls", Missing(
        "llm_gateway", "LLM gateway or semantic cache", "llm", ("llm_gateway", "semantic_cache"),
        (Link(("llm",), "request", True),))),
    ("llm-no-fallback", Missing(
        "fallback_llm", "fallback LLM", "llm", (),
        (Link(("llm",), "request", False),))),
    ("no-automated-retraining", Missing(
        "retraining_trigger", "retraining trigger", "monitoring", (),
        (Link(("monitoring",), "trigger", False), Link(("training_pipeline",), "trigger", True)), edge_only=True)),
    ("no-drift-triggered-retraining", Missing(
        "retraining_trigger", "drift-triggered retraining", "monitoring", (),
        (Link(("monitoring",), "trigger", False), Link(("training_pipeline",), "trigger", True)), edge_only=True)),
)}
MISSING_PREFIX = "MISSING_"  # upper case: never equal to a sanitized (lower-case) component id


# --- building -------------------------------------------------------------------------


def build_scene(graph: Any, findings: Optional[Sequence[Any]], title: Optional[str] = None) -> Scene:
    """The Scene of ``graph``; with ``findings`` (even empty) the overlay is on."""
    overlay = findings is not None
    findings = list(findings or ())
    taken: set[str] = set()
    ids: dict[str, str] = {}
    nodes: list[SceneNode] = []
    llm_system = bool(getattr(graph, "llm_system", False))
    for cid, component in graph.components.items():
        kind = getattr(component, "kind", None)
        ids[cid] = safe_id(cid, taken)
        name = clean(getattr(component, "label", None) or cid)
        tech = getattr(component, "tech", None)
        nodes.append(SceneNode(ids[cid], name, kind, clean(tech, 40) if tech else None,
                               plane_of(kind, llm_system), clean(cid, 60)))

    edges: list[SceneEdge] = []
    seen: set[tuple[str, str, str, Optional[str]]] = set()
    for edge in graph.edges:
        label = clean(edge.label) if edge.label else None
        key = (ids[edge.src], ids[edge.dst], edge.mode, label)
        if key not in seen:
            seen.add(key)
            edges.append(SceneEdge(ids[edge.src], ids[edge.dst], edge.mode, label))

    for cid, component in graph.components.items():
        backup = getattr(component, "fallback", None)
        if getattr(component, "kind", None) == "llm" and isinstance(backup, str) and backup in ids and backup != cid:
            edges.append(SceneEdge(ids[cid], ids[backup], FALLBACK, "fallback"))

    by_id = {n.id: n for n in nodes}
    unplaced: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    if overlay:
        _overlay(graph, findings, ids, by_id, nodes, edges, unplaced, counts)

    design = graph.design
    heading = clean(title if title is not None else getattr(design, "title", None) or "ML system design", 120)
    return Scene(heading, _subtitle(graph, overlay, counts), nodes, edges, overlay, unplaced, counts)


def _subtitle(graph: Any, overlay: bool, counts: dict[str, int]) -> str:
    parts = []
    task = getattr(graph, "task", None)
    if task:
        parts.append(clean(task).replace("_", " "))
    level = getattr(graph.design, "level", None)
    if level:
        parts.append(clean(level))
    if overlay:
        found = [f"{n} {s if s == 'info' or n == 1 else s + 's'}" for s, n in counts.items() if n]
        parts.append(", ".join(found) if found else "no findings")
    return " \u00b7 ".join(parts)


def _overlay(
    graph: Any, findings: list[Any], ids: dict[str, str], by_id: dict[str, SceneNode],
    nodes: list[SceneNode], edges: list[SceneEdge], unplaced: list[str], counts: dict[str, int],
) -> None:
    drawn_for: dict[str, list[Any]] = {}  # rule slug -> the placeholder node and edges drawn for it
    for finding in findings:
        rule = clean(getattr(finding, "rule", ""), 60)
        severity = getattr(finding, "severity", None)
        severity = severity if severity in counts else None
        message = clean(getattr(finding, "message", ""), 300)
        component = getattr(finding, "component", None)
        target = by_id.get(ids.get(component, "")) if isinstance(component, str) else None
        if getattr(finding, "acknowledged", False):
            # An acknowledged trade-off is the candidate's decision: noted, not flagged.
            reason = clean(getattr(finding, "reason", None) or "", 200)
            note = f"[trade-off] {rule}: {message}" + (f" (why: {reason})" if reason else "")
            (target.messages if target is not None else unplaced).append(note)
            continue
        if severity:
            counts[severity] += 1
        text = f"[{severity or 'note'}] {rule}: {message}"
        spec = MISSING.get(rule)
        if spec is not None:
            if rule not in drawn_for:
                drawn_for[rule] = _place(spec, graph, ids, by_id, nodes, edges)
            drawn = drawn_for[rule]
            for item in drawn:
                item.add(severity, text)
            if any(isinstance(item, SceneNode) for item in drawn):
                continue
            if drawn and target is None:
                continue
        if target is not None:
            target.add(severity, text)
        else:
            unplaced.append(text)


def _anchor(kinds: Iterable[str], graph: Any, ids: dict[str, str], placeholders: dict[str, str]) -> Optional[str]:
    for kind in kinds:
        found = graph.of_kind(kind)
        if found:
            return ids[found[0]]
        if kind in placeholders:
            return placeholders[kind]
    return None


def _place(
    spec: Missing, graph: Any, ids: dict[str, str], by_id: dict[str, SceneNode],
    nodes: list[SceneNode], edges: list[SceneEdge],
) -> list[Any]:
    """Draw the placeholder for ``spec`` (a node and its dashed links, or dashed links to an
    existing component); return what was drawn, empty when nothing fits."""
    placeholders = {n.kind: n.id for n in nodes if n.missing and n.kind}
    existing = _anchor(spec.kinds, graph, ids, {}) if spec.kinds else None
    drawn: list[Any] = []
    if spec.edge_only or (existing is not None and spec.wire_existing):
        if spec.edge_only:
            src = _anchor(spec.links[0].kinds, graph, ids, placeholders)
            dst = _anchor(spec.links[1].kinds, graph, ids, placeholders)
            pairs = [(src, dst, spec.links[0].mode)]
        else:
            pairs = []
            for link in spec.links:
                other = _anchor(link.kinds, graph, ids, placeholders)
                pairs.append((existing, other, link.mode) if link.outgoing else (other, existing, link.mode))
        for src, dst, mode in pairs:
            if src and dst and src != dst and not _has_edge(edges, src, dst):
                edge = SceneEdge(src, dst, mode, f"missing: {spec.what}", missing=True)
                edges.append(edge)
                drawn.append(edge)
        return drawn
    if existing is not None:
        return drawn  # the kind is there; the finding is about how it is used
    node = SceneNode(MISSING_PREFIX + spec.key, f"missing: {spec.what}",
                     spec.kinds[0] if spec.kinds else None, None, spec.plane, missing=True)
    if node.id in by_id:
        return drawn
    nodes.append(node)
    by_id[node.id] = node
    drawn.append(node)
    for link in spec.links:
        other = _anchor(link.kinds, graph, ids, placeholders)
        if other is None:
            continue
        src, dst = (node.id, other) if link.outgoing else (other, node.id)
        edge = SceneEdge(src, dst, link.mode, None, missing=True)
        edges.append(edge)
        drawn.append(edge)
    return drawn


def _has_edge(edges: list[SceneEdge], src: str, dst: str) -> bool:
    return any(e.src == src and e.dst == dst for e in edges)
