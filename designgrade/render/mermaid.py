"""A Scene as a Mermaid ``flowchart LR``: text that GitHub and GitLab draw in Markdown,
with no icons and no Graphviz.

Lanes are subgraphs in the picture's order, coloured by classDef like the SVG lanes;
edge modes are arrow kinds plus linkStyle colours (batch dashed, stream thick, trigger
dotted purple); findings are numbered in the node text (``[1]``) and listed, with
severity classes for the outlines and dashed placeholders for missing parts. Labels are
double-quoted strings in which nothing can end the string or become markup (see
text.mermaid_text), and every id is sanitized.
"""

from __future__ import annotations

import json

from .dot import LANE_BORDER, LANE_COLORS, MODE_STYLES, SEVERITY_COLORS
from .lanes import CLIENT, LANES
from .scene import FALLBACK, GHOST, GHOST_EDGE, MISSING, MISSING_EDGE, Scene, SceneEdge, SceneNode
from .text import clean, mermaid_lines, mermaid_text

LABEL_CHARS = 28
ARROWS = {"request": "-->", "stream": "==>", "batch": "-.->", "trigger": "-.->", FALLBACK: "-.->"}
LINK_WIDTHS = {"request": "1.5px", "stream": "3px", "batch": "1.5px", "trigger": "2.5px", FALLBACK: "1px"}
# Mermaid draws -.-> dotted; a dash array makes batch dashed and trigger dotted, as in the SVG.
LINK_DASHES = {"batch": "stroke-dasharray:6 4", "trigger": "stroke-dasharray:2 4", FALLBACK: "stroke-dasharray:5 4"}
MISSING_COLOR = "#757575"
GHOST_COLOR = "#9E9E9E"
STORE_KINDS = frozenset({
    "source_db", "data_lake", "data_warehouse", "feature_store", "vector_db", "key_value_store",
    "cache", "semantic_cache", "database", "model_registry", "prompt_registry",
})
QUEUE_KINDS = frozenset({"event_stream"})


def scene_to_mermaid(scene: Scene) -> str:
    out: list[str] = ["---", f"title: {_yaml_string(scene.title)}", "---", "flowchart LR"]
    if scene.subtitle:
        out.append(f"  %% {mermaid_text(clean(scene.subtitle))}")
    out += [f"  {_node(n)}" for n in scene.in_lane(CLIENT)]
    lanes = [lane for lane in LANES if scene.in_lane(lane)]
    for lane in lanes:
        title = scene.lane_titles.get(lane, lane).replace(" & ", " and ")  # our own words: no look-alike
        out.append(f'  subgraph lane_{lane} ["{mermaid_text(title)}"]')
        out.append("    direction LR")
        out += [f"    {_node(n)}" for n in scene.in_lane(lane)]
        out.append("  end")

    styles: list[str] = []
    for index, edge in enumerate(scene.edges):
        out.append(f"  {_edge(edge)}")
        styles.append(f"  linkStyle {index} {_link_style(edge)}")
    out += styles

    for lane in lanes:
        out.append(f"  classDef lane_{lane} fill:{LANE_COLORS.get(lane, '#F5F5F5')},stroke:{LANE_BORDER},color:#37474F")
        out.append(f"  class lane_{lane} lane_{lane}")
    out.append("  classDef component fill:#FFFFFF,stroke:#B0BEC5,color:#263238")
    out.append(f"  classDef ghost fill:#FFFFFF,stroke:{GHOST_COLOR},stroke-dasharray:5 5,color:#616161")
    classes: dict[str, list[str]] = {}
    for node in scene.nodes:
        classes.setdefault(_class_of(node), []).append(node.id)
    if scene.overlay:
        for severity, color in SEVERITY_COLORS.items():
            out.append(f"  classDef {severity} fill:#FFFFFF,stroke:{color},stroke-width:3px,color:#263238")
            out.append(f"  classDef missing_{severity} fill:#FAFAFA,stroke:{color},stroke-width:2px,"
                       f"stroke-dasharray:5 5,color:{color}")
        out.append(f"  classDef missing fill:#FAFAFA,stroke:{MISSING_COLOR},stroke-width:2px,"
                   f"stroke-dasharray:5 5,color:{MISSING_COLOR}")
    for name in sorted(classes):
        out.append(f"  class {','.join(classes[name])} {name}")
    if scene.overlay:
        for mark in scene.marks:
            ack = " (acknowledged)" if mark.acknowledged else ""
            out.append(f"  %% [{mark.number}] {mark.severity}{ack} {mermaid_text(mark.code)} "
                       f"{mermaid_text(mark.rule)}: {mermaid_text(clean(mark.message, 200))}")
    for note in scene.notes:
        out.append(f"  %% {mermaid_text(note)}")
    return "\n".join(out) + "\n"


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's syntax is valid YAML) with nothing Mermaid reads."""
    return json.dumps(mermaid_text(clean(text, 120)), ensure_ascii=False)


def _numbers(node_or_edge: object) -> str:
    marks = getattr(node_or_edge, "marks", [])
    return " ".join(f"[{m.number}]" for m in marks[:6]) + (" \u2026" if len(marks) > 6 else "")


def _label(node: SceneNode) -> str:
    if node.role == MISSING:
        lines = ["missing:", node.name]
    elif node.role == GHOST:
        lines = [node.name + "?", node.note or ""]
    else:
        lines = [node.name if len(node.name) <= 40 else node.name[:39] + "\u2026"]
        if node.tech:
            lines.append(node.tech if len(node.tech) <= 30 else node.tech[:29] + "\u2026")
    numbers = _numbers(node)
    if numbers:
        lines.append(numbers)
    return mermaid_lines([line for line in lines if line])


def _node(node: SceneNode) -> str:
    text = f'"{_label(node)}"'
    if node.role in (MISSING, GHOST):
        return f"{node.id}[{text}]"
    if node.kind == "client":
        return f"{node.id}([{text}])"
    if node.kind in STORE_KINDS:
        return f"{node.id}[({text})]"
    if node.kind in QUEUE_KINDS:
        return f"{node.id}[[{text}]]"
    return f"{node.id}({text})"


def _edge(edge: SceneEdge) -> str:
    arrow = "-.->" if edge.role in (MISSING_EDGE, GHOST_EDGE) else ARROWS.get(edge.mode, "-->")
    text = edge.label or ""
    if len(text) > LABEL_CHARS * 2:
        text = text[: LABEL_CHARS * 2 - 1] + "\u2026"
    numbers = _numbers(edge)
    parts = [p for p in (text, numbers) if p]
    if parts:
        return f'{edge.src} {arrow}|"{mermaid_lines(parts)}"| {edge.dst}'
    return f"{edge.src} {arrow} {edge.dst}"


def _link_style(edge: SceneEdge) -> str:
    if edge.role == MISSING_EDGE:
        color = SEVERITY_COLORS.get(edge.severity or "", MISSING_COLOR)
        return f"stroke:{color},stroke-width:2px,stroke-dasharray:6 4,color:{color}"
    if edge.role == GHOST_EDGE:
        return f"stroke:{GHOST_COLOR},stroke-width:1.5px,stroke-dasharray:6 4"
    style = MODE_STYLES.get(edge.mode, MODE_STYLES["batch"])
    parts = [f"stroke:{style['color']}", f"stroke-width:{LINK_WIDTHS.get(edge.mode, '1.5px')}"]
    if edge.mode in LINK_DASHES:
        parts.append(LINK_DASHES[edge.mode])
    return ",".join(parts)


def _class_of(node: SceneNode) -> str:
    if node.role == MISSING:
        return f"missing_{node.severity}" if node.severity else "missing"
    if node.role == GHOST:
        return "ghost"
    return node.severity or "component"
