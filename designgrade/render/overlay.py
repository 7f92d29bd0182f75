"""The findings drawn on a Scene: a numbered badge on the component or flow each finding
is about, dashed "missing: X" placeholders and wires for expected parts the design
lacks, and a design box for findings about the design as a whole.

Findings are numbered in the order the reports list them (severity, then position), so
badge 3 is the third finding of ``designgrade lint`` output sorted the same way, and the
key in the picture reads top to bottom like the report's cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from .anchors import finding_anchor
from .scene import MISSING, MISSING_EDGE, Mark, Scene, SceneEdge, SceneNode
from .text import clean

SEVERITY_ORDER = ("error", "warning", "info")


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
    lane: str
    kinds: tuple[str, ...]       # a component of these kinds would fill the gap
    links: tuple[Link, ...]
    # When such a component exists but is not wired in (no-monitoring with a monitoring
    # that nothing feeds), draw the links to it as dashed "missing" edges instead.
    wire_existing: bool = False
    edge_only: bool = False      # draw only a dashed edge (no node), e.g. a retraining trigger


_SERVING = ("online_serving", "llm", "batch_inference", "service")
_RAW = ("event_stream", "data_lake", "source_db")

# Finding rule slug -> the part it says is missing. Rules without an entry get a badge on
# their component or flow, or in the design box.
MISSING_PARTS: dict[str, Missing] = {
    "no-monitoring": Missing(
        "monitoring", "monitoring", "monitoring", ("monitoring",),
        (Link(_SERVING, "stream", False),), wire_existing=True),
    "no-model-registry": Missing(
        "model_registry", "model registry", "training", ("model_registry",),
        (Link(("training_pipeline",), "batch", False), Link(("online_serving", "batch_inference"), "batch", True)),
        wire_existing=True),
    "missing-feature-store": Missing(
        "feature_store", "feature store", "data", ("feature_store",),
        (Link(("training_pipeline",), "batch", True), Link(("online_serving",), "request", False))),
    "no-online-experiment": Missing(
        "experimentation", "A/B experimentation", "monitoring", ("experimentation",),
        (Link(("online_serving", "service", "llm", "batch_inference"), "batch", True),)),
    "no-data-validation": Missing(
        "data_validation", "data validation", "data", ("data_validation",),
        (Link(_RAW, "batch", False), Link(("training_pipeline",), "batch", True))),
    "no-prediction-logging": Missing(
        "prediction_log", "prediction log", "data", ("event_stream", "data_lake", "data_warehouse"),
        (Link(_SERVING, "stream", False),), wire_existing=True),
    "no-streaming-ingestion": Missing(
        "event_stream", "event stream", "data", ("event_stream",),
        (Link(("client",), "stream", False),)),
    "no-load-balancer": Missing(
        "load_balancer", "load balancer", "serving", ("load_balancer", "api_gateway"),
        (Link(("client",), "request", False), Link(("online_serving",), "request", True))),
    "batch-without-key-value-store": Missing(
        "key_value_store", "key-value store", "serving", ("key_value_store", "cache"),
        (Link(("batch_inference",), "batch", False),
         Link(("service", "online_serving", "api_gateway", "load_balancer"), "request", False))),
    "llm-no-guardrails": Missing(
        "guardrails", "guardrails", "model", ("guardrails",),
        (Link(("llm_gateway", "llm"), "request", True),)),
    "llm-no-evaluation": Missing(
        "llm_evaluation", "LLM evaluation", "model", ("llm_evaluation",),
        (Link(("llm",), "batch", False),)),
    "llm-no-cost-controls": Missing(
        "llm_gateway", "LLM gateway or semantic cache", "model", ("llm_gateway", "semantic_cache"),
        (Link(("llm",), "request", True),)),
    "llm-no-fallback": Missing(
        "fallback_llm", "fallback LLM", "model", (),
        (Link(("llm",), "request", False),)),
    "no-automated-retraining": Missing(
        "retraining_trigger", "retraining trigger", "monitoring", (),
        (Link(("monitoring",), "trigger", False), Link(("training_pipeline",), "trigger", True)), edge_only=True),
    "no-drift-triggered-retraining": Missing(
        "retraining_trigger", "drift-triggered retraining", "monitoring", (),
        (Link(("monitoring",), "trigger", False), Link(("training_pipeline",), "trigger", True)), edge_only=True),
}
# Findings that restate a missing part's consequence: their badge goes on its placeholder.
SAME_PART = {"no-data-drift-monitoring": "no-monitoring", "no-concept-drift-monitoring": "no-monitoring"}
MISSING_PREFIX = "MISSING_"  # upper case: never equal to a sanitized (lower-case) component id


def number(findings: Iterable[Any]) -> list[tuple[Any, Mark]]:
    """Each finding with its Mark, in report order: the candidate's findings by severity
    and position, then the acknowledged trade-offs the same way."""
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    ordered = sorted(findings, key=lambda f: (bool(getattr(f, "acknowledged", False)),
                                              rank.get(getattr(f, "severity", None), 3),
                                              _int(getattr(f, "line", 0)), _int(getattr(f, "column", 0))))
    out = []
    for index, f in enumerate(ordered, 1):
        severity = getattr(f, "severity", None)
        code = clean(getattr(f, "code", ""), 12)
        message = clean(getattr(f, "message", ""), 300)
        out.append((f, Mark(index, severity if severity in rank else "info", code,
                            clean(getattr(f, "rule", ""), 60), message,
                            bool(getattr(f, "acknowledged", False)),
                            finding_anchor(getattr(f, "code", ""), getattr(f, "rule", ""), getattr(f, "line", 0),
                                           getattr(f, "column", 0), getattr(f, "message", "")))))
    return out


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def apply_findings(scene: Scene, graph: Any, findings: list[Any], ids: dict[str, str],
                   flow_positions: dict[tuple[int, int], tuple[str, str]]) -> None:
    """Number ``findings`` and put each one's badge where it points (see the module doc)."""
    edge_of: dict[tuple[Optional[str], Optional[str]], SceneEdge] = {}
    for edge in scene.edges:
        edge_of.setdefault(edge.ends, edge)
    drawn_for: dict[str, list[Any]] = {}  # rule slug -> the placeholder node and edges drawn for it
    for finding, mark in number(findings):
        scene.marks.append(mark)
        text = f"{mark.number}. {mark.code} {mark.rule}: {mark.message}"
        rule = getattr(finding, "rule", "")
        target: Any = None
        spec = MISSING_PARTS.get(rule)
        if spec is not None and not mark.acknowledged:
            if rule not in drawn_for:
                drawn_for[rule] = _place(spec, graph, ids, scene)
            drawn = drawn_for[rule]
            for item in drawn:
                item.messages.append(text)
            # The badge goes on the placeholder node, else on the first dashed wire.
            target = next((i for i in drawn if isinstance(i, SceneNode)), drawn[0] if drawn else None)
        elif rule in SAME_PART and drawn_for.get(SAME_PART[rule]):
            target = next((i for i in drawn_for[SAME_PART[rule]] if isinstance(i, SceneNode)), None)
        if target is None:
            target = _located(finding, graph, ids, scene, edge_of, flow_positions)
        if target is None:
            scene.design_marks.append(mark)
            continue
        target.marks.append(mark)
        if text not in target.messages:
            target.messages.append(text)


def _located(finding: Any, graph: Any, ids: dict[str, str], scene: Scene,
             edge_of: dict[tuple[Optional[str], Optional[str]], SceneEdge],
             flow_positions: dict[tuple[int, int], tuple[str, str]]) -> Any:
    """The flow or component a finding names, when it is drawn."""
    flow = getattr(finding, "flow", None)
    if isinstance(flow, (tuple, list)) and len(flow) == 2:
        edge = edge_of.get((flow[0], flow[1]))
        if edge is not None:
            return edge
    position = (getattr(finding, "line", None), getattr(finding, "column", None))
    if getattr(finding, "component", None) is None and position in flow_positions:
        edge = edge_of.get(flow_positions[position])  # a flow to an unknown component
        if edge is not None:
            return edge
    component = getattr(finding, "component", None)
    if isinstance(component, str) and component in ids and scene.has(ids[component]):
        return scene.node(ids[component])
    if isinstance(flow, (tuple, list)) and len(flow) == 2 and flow[0] in ids:
        return scene.node(ids[flow[0]])
    return None


def _anchor(kinds: Iterable[str], graph: Any, ids: dict[str, str], placeholders: dict[str, str]) -> Optional[str]:
    for kind in kinds:
        for cid in graph.of_kind(kind):
            if cid in ids:
                return ids[cid]
        if kind in placeholders:
            return placeholders[kind]
    return None


def _place(spec: Missing, graph: Any, ids: dict[str, str], scene: Scene) -> list[Any]:
    """Draw the placeholder for ``spec`` (a node and its dashed links, or dashed links to
    an existing component); return what was drawn, empty when nothing fits."""
    placeholders = {n.kind: n.id for n in scene.nodes if n.role == MISSING and n.kind}
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
        wired = {(e.src, e.dst) for e in scene.edges}
        for src, dst, mode in pairs:
            if src and dst and src != dst and (src, dst) not in wired:
                edge = SceneEdge(f"m_{len(scene.edges)}", src, dst, mode, f"missing: {spec.what}", MISSING_EDGE)
                scene.edges.append(edge)
                drawn.append(edge)
        return drawn
    if existing is not None:
        return drawn  # the kind is there; the finding is about how it is used
    nid = MISSING_PREFIX + spec.key
    if scene.has(nid):
        return drawn
    node = SceneNode(nid, spec.what, spec.kinds[0] if spec.kinds else None, None, spec.lane, role=MISSING)
    scene.add_node(node)
    drawn.append(node)
    for link in spec.links:
        other = _anchor(link.kinds, graph, ids, placeholders)
        if other is None:
            continue
        src, dst = (node.id, other) if link.outgoing else (other, node.id)
        edge = SceneEdge(f"m_{len(scene.edges)}", src, dst, link.mode, None, MISSING_EDGE)
        scene.edges.append(edge)
        drawn.append(edge)
    return drawn
