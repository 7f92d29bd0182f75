"""What the picture shows, independent of geometry and drawing language: lanes, nodes,
edges, numbered findings and the notes of what was left out.

:func:`build_scene` turns a :class:`~designgrade.graph.DesignGraph` and its findings into
a :class:`Scene`; ``place.py`` gives it geometry, ``dot.py`` and ``mermaid.py`` draw it.
Everything follows the design's own order (components as written, flows as written),
so the same design always gives the same Scene. The work is linear in components plus
flows, and the caps below keep what reaches Graphviz small (docs/limits.md).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..findings import SEVERITY_RANK
from .lanes import CLIENT, guess_kind, lane_of, lane_title
from .text import clean, safe_id

# Past these, the picture shows the first components and flows in design order and says
# so in its subtitle: Graphviz's routing grows faster than linearly, and a picture of
# thousands of boxes is not readable anyway.
MAX_COMPONENTS = 150
MAX_FLOWS = 300
MAX_GHOSTS = 12          # distinct unknown names drawn as ghost nodes
MAX_LABELLED_FLOWS = 120  # past this many flows, flow labels move into tooltips

MODES: tuple[str, ...] = ("request", "stream", "batch", "trigger")
FALLBACK = "fallback"  # an llm's ``fallback`` (not a flow)

COMPONENT, UNKNOWN, MISSING, GHOST = "component", "unknown", "missing", "ghost"
FLOW, MISSING_EDGE, GHOST_EDGE = "flow", "missing", "ghost"


@dataclass
class Mark:
    """One finding, numbered, drawn as a badge where it points and listed in the key."""

    number: int
    severity: str                # error | warning | info
    code: str
    rule: str
    message: str
    acknowledged: bool
    anchor: str                  # shared with the HTML report's finding card (anchors.py)


class _Marked:
    marks: list[Mark]
    messages: list[str]

    @property
    def severity(self) -> Optional[str]:
        """The worst severity among the marks the candidate has not acknowledged."""
        live = [m.severity for m in self.marks if not m.acknowledged]
        return max(live, key=lambda s: SEVERITY_RANK.get(s, -1)) if live else None


@dataclass
class SceneNode(_Marked):
    id: str                      # sanitized, stable: DOT, SVG and Mermaid id
    name: str                    # the label, else the component id (cleaned)
    kind: Optional[str]
    tech: Optional[str]
    lane: str
    cid: Optional[str] = None    # the component id; None for a placeholder or a ghost
    role: str = COMPONENT        # component | unknown (kind) | missing (placeholder) | ghost
    note: Optional[str] = None   # what a ghost or an unknown kind probably meant
    marks: list[Mark] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def late(self) -> bool:
        """Placed after the design's own components, so it never moves them."""
        return self.role in (MISSING, GHOST)


@dataclass
class SceneEdge(_Marked):
    id: str
    src: str
    dst: str
    mode: str
    label: Optional[str]
    role: str = FLOW             # flow | fallback | missing | ghost
    ends: tuple[Optional[str], Optional[str]] = (None, None)  # component ids, to match findings
    marks: list[Mark] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class Scene:
    title: str
    subtitle: str
    nodes: list[SceneNode]
    edges: list[SceneEdge]
    overlay: bool                # findings are drawn
    lane_titles: dict[str, str] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)         # every numbered finding: the key
    design_marks: list[Mark] = field(default_factory=list)  # findings about the whole design
    notes: list[str] = field(default_factory=list)          # what the picture leaves out

    def __post_init__(self) -> None:
        self._index = {n.id: n for n in self.nodes}

    def node(self, nid: str) -> SceneNode:
        return self._index[nid]

    def add_node(self, node: SceneNode) -> None:
        self.nodes.append(node)
        self._index[node.id] = node

    def has(self, nid: str) -> bool:
        return nid in self._index

    def in_lane(self, lane: str) -> list[SceneNode]:
        return [n for n in self.nodes if n.lane == lane]

    @property
    def modes(self) -> list[str]:
        """The edge modes the picture draws in their own style, in legend order (dashed
        missing wires and ghost edges have their own legend rows)."""
        used = {e.mode for e in self.edges if e.role in (FLOW, FALLBACK)}
        return [m for m in (*MODES, FALLBACK) if m in used]


def build_scene(graph: Any, findings: Optional[Sequence[Any]], title: Optional[str] = None,
                source: Any = None) -> Scene:
    """The Scene of ``graph``; with ``findings`` (even empty) the overlay is on.

    ``source``: the loaded file (``report.source``), which gives the kind and tech of
    components whose kind is unknown and the position of each flow; optional.
    """
    raw = _raw_components(source)
    components = list(graph.components.items())
    notes: list[str] = []
    if len(components) > MAX_COMPONENTS:
        notes.append(f"showing the first {MAX_COMPONENTS:,} of {len(components):,} components")
        components = components[:MAX_COMPONENTS]

    model_lane = any(lane_of(getattr(c, "kind", None)) == "model" for _, c in components)
    taken: set[str] = set()
    ids: dict[str, str] = {}
    nodes: list[SceneNode] = []
    for cid, component in components:
        ids[cid] = safe_id(cid, taken)
        kind = getattr(component, "kind", None)
        label = getattr(component, "label", None)
        tech = getattr(component, "tech", None)
        role, note = COMPONENT, None
        if kind is None:
            # A kind the schema does not know: the drawing keeps what the candidate wrote
            # and puts it where its did-you-mean (or its tech) belongs.
            written = raw.get(cid, {})
            raw_kind = written.get("kind")
            tech = tech or _text(written.get("tech"))
            label = label or _text(written.get("label"))
            kind = guess_kind(raw_kind, tech)
            role = UNKNOWN
            shown = clean(raw_kind, 30) if isinstance(raw_kind, str) else None
            if shown:
                note = f"kind '{shown}'?" + (f" \u2192 {kind}" if kind else "")
            else:
                note = "no kind" if cid in raw else "kind unknown"
        nodes.append(SceneNode(ids[cid], clean(label or cid), kind, clean(tech, 40) if tech else None,
                               lane_of(kind, model_lane), clean(cid, 60), role, note))

    edges = _flows(graph, ids, notes)
    for cid, component in components:
        backup = getattr(component, "fallback", None)
        if getattr(component, "kind", None) == "llm" and isinstance(backup, str) and backup in ids and backup != cid:
            edges.append(SceneEdge(f"fb_{len(edges)}", ids[cid], ids[backup], FALLBACK, "fallback",
                                   FALLBACK, (cid, backup)))
    _ghosts(graph, ids, taken, nodes, edges, model_lane, notes)

    lanes_used: dict[str, list[Optional[str]]] = {}
    for node in nodes:
        lanes_used.setdefault(node.lane, []).append(node.kind)
    titles = {lane: lane_title(lane, kinds) for lane, kinds in lanes_used.items() if lane != CLIENT}

    design = graph.design
    heading = clean(title if title is not None else getattr(design, "title", None) or "ML system design", 120)
    scene = Scene(heading, "", nodes, edges, findings is not None, titles, notes=notes)
    if findings is not None:
        from .overlay import apply_findings

        apply_findings(scene, graph, list(findings), ids, _flow_positions(graph, source))
        for lane in {n.lane for n in scene.nodes} - set(scene.lane_titles) - {CLIENT}:
            scene.lane_titles[lane] = lane_title(lane, [n.kind for n in scene.in_lane(lane)])
    scene.subtitle = _subtitle(graph, scene)
    return scene


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value.strip() else None


def _raw_components(source: Any) -> dict[str, dict[str, Any]]:
    data = getattr(source, "data", source)
    comps = data.get("components") if isinstance(data, dict) else None
    if not isinstance(comps, dict):
        return {}
    return {str(k): v for k, v in comps.items() if isinstance(v, dict)}


def _flows(graph: Any, ids: dict[str, str], notes: list[str]) -> list[SceneEdge]:
    """The design's flows among the drawn components: duplicates once, a chain's label
    once (on its first hop, not on every hop)."""
    drawn = [e for e in graph.edges if e.src in ids and e.dst in ids]
    if len(drawn) > MAX_FLOWS:
        notes.append(f"showing the first {MAX_FLOWS:,} of {len(drawn):,} flows")
        drawn = drawn[:MAX_FLOWS]
    labelled = len(drawn) <= MAX_LABELLED_FLOWS
    if not labelled:
        notes.append("flow labels are in the tooltips")
    labelled_paths: set[tuple[Any, Optional[str]]] = set()
    seen: dict[tuple[str, str, str], SceneEdge] = {}
    edges: list[SceneEdge] = []
    for edge in drawn:
        label = clean(edge.label) if edge.label else None
        key = (edge.src, edge.dst, edge.mode)
        if key in seen:
            continue
        chain = (tuple(edge.path), label)
        shown = label if labelled and label and chain not in labelled_paths else None
        if label:
            labelled_paths.add(chain)
        scene_edge = SceneEdge(f"f_{len(edges)}", ids[edge.src], ids[edge.dst], edge.mode, shown, FLOW,
                               (edge.src, edge.dst))
        if label and not shown:
            scene_edge.messages.append(label)
        seen[key] = scene_edge
        edges.append(scene_edge)
    return edges


def _ghosts(graph: Any, ids: dict[str, str], taken: set[str], nodes: list[SceneNode],
            edges: list[SceneEdge], model_lane: bool, notes: list[str]) -> None:
    """Flows naming no component: a dashed edge to a ghost node named for the unknown id
    and its closest existing id."""
    known = list(graph.components)
    by_name: dict[str, SceneNode] = {}
    dropped = 0
    lane_by_id = {n.cid: n.lane for n in nodes if n.cid}
    for raw in getattr(graph, "dangling", ()):
        ends = []
        for end, other in ((raw.src, raw.dst), (raw.dst, raw.src)):
            if end in ids:
                ends.append(ids[end])
                continue
            if not isinstance(end, str) or (end not in by_name and len(by_name) >= MAX_GHOSTS):
                break
            ghost = by_name.get(end)
            if ghost is None:
                match = difflib.get_close_matches(end, known, n=1, cutoff=0.6) if len(known) < 5000 else []
                lane = lane_by_id.get(match[0]) if match else lane_by_id.get(other)
                ghost = SceneNode(f"GHOST_{safe_id(end, taken)}", clean(end, 40), None, None,
                                  lane or "serving", None, GHOST,
                                  f"did you mean {match[0]}?" if match else "not a component")
                by_name[end] = ghost
                nodes.append(ghost)
            ends.append(ghost.id)
        if len(ends) != 2 or ends[0] == ends[1]:
            dropped += 1
            continue
        mode = raw.mode or "request"
        label = clean(raw.label) if raw.label else None
        edges.append(SceneEdge(f"g_{len(edges)}", ends[0], ends[1], mode, label, GHOST_EDGE, (raw.src, raw.dst)))
    if dropped:
        notes.append(f"{dropped:,} more flows to unknown components are not drawn")


def _flow_positions(graph: Any, source: Any) -> dict[tuple[int, int], tuple[str, str]]:
    """(line, column) of each flow naming an unknown component -> its ends, to put the
    unknown-reference finding on the ghost edge it is about."""
    position = getattr(source, "position", None)
    if position is None:
        return {}
    out: dict[tuple[int, int], tuple[str, str]] = {}
    for raw in getattr(graph, "dangling", ()):
        try:
            where = position(raw.path)
        except Exception:  # a source of another shape: positions are a nicety
            return {}
        out.setdefault((where.line, where.column), (raw.src, raw.dst))
    return out


def _subtitle(graph: Any, scene: Scene) -> str:
    parts = []
    task = getattr(graph, "task", None)
    if task:
        parts.append(clean(task).replace("_", " "))
    level = getattr(graph.design, "level", None)
    if level:
        parts.append(clean(level))
    if scene.overlay:
        counts = {"error": 0, "warning": 0, "info": 0}
        for mark in scene.marks:
            if not mark.acknowledged:
                counts[mark.severity] += 1
        found = [f"{n} {s if s == 'info' or n == 1 else s + 's'}" for s, n in counts.items() if n]
        parts.append(", ".join(found) if found else "no findings")
    parts.extend(scene.notes)
    return " \u00b7 ".join(parts)
