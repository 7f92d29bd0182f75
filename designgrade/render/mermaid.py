"""A Scene as a Mermaid ``flowchart LR``: text that GitHub and GitLab draw in Markdown,
with no icons and no Graphviz.

Planes are subgraphs, severities and placeholders are classDef classes, modes are arrow
kinds plus linkStyle colors. Every label is a double-quoted string with Mermaid's
``#NN;`` entities for specials (see text.mermaid_text), and every id is sanitized.
"""

from __future__ import annotations

import json

from .layout import FALLBACK, PLANES, USERS, Scene, SceneEdge, SceneNode
from .text import clean, mermaid_lines, mermaid_text, wrap

ARROWS = {"request": "-->", "stream": "==>", "batch": "-.->", "trigger": "-.->", FALLBACK: "-.->"}
LINK_STYLES = {
    "request": "stroke:#37474F,stroke-width:1.5px",
    "stream": "stroke:#00897B,stroke-width:2.5px",
    "batch": "stroke:#8D6E63,stroke-width:1.5px",
    "trigger": "stroke:#8E24AA,stroke-width:2.5px",
    FALLBACK: "stroke:#90A4AE,stroke-width:1px",
}
SEVERITY_COLORS = {"error": "#D32F2F", "warning": "#F57C00", "info": "#1E88E5"}
MISSING_COLOR = "#757575"
STORE_KINDS = frozenset({
    "source_db", "data_lake", "data_warehouse", "feature_store", "vector_db", "key_value_store",
    "cache", "semantic_cache", "database", "model_registry", "prompt_registry",
})
QUEUE_KINDS = frozenset({"event_stream"})


def scene_to_mermaid(scene: Scene) -> str:
    out: list[str] = []
    out += ["---", f"title: {_yaml_string(scene.title)}", "---", "flowchart LR"]
    if scene.subtitle:
        out.append(f"  %% {mermaid_text(clean(scene.subtitle))}")
    for key, title in PLANES:
        members = scene.in_plane(key)
        if not members:
            continue
        out.append(f'  subgraph P_{key} ["{mermaid_text(title)}"]')
        out += [f"    {_node(n)}" for n in members]
        out.append("  end")
    out += [f"  {_node(n)}" for n in scene.in_plane(USERS)]

    by_mode: dict[str, list[int]] = {}
    missing_links: dict[str, list[int]] = {}
    for index, edge in enumerate(scene.edges):
        out.append(f"  {_edge(edge)}")
        if edge.missing:
            missing_links.setdefault(edge.severity or "", []).append(index)
        else:
            by_mode.setdefault(edge.mode, []).append(index)

    for mode, style in LINK_STYLES.items():
        if by_mode.get(mode):
            out.append(f"  linkStyle {','.join(map(str, by_mode[mode]))} {style}")
    for severity, indexes in sorted(missing_links.items()):
        color = SEVERITY_COLORS.get(severity, MISSING_COLOR)
        out.append(f"  linkStyle {','.join(map(str, indexes))} stroke:{color},stroke-width:1.5px,color:{color}")

    if scene.overlay:
        for severity, color in SEVERITY_COLORS.items():
            out.append(f"  classDef {severity} stroke:{color},stroke-width:3px")
        out.append(f"  classDef missing fill:#FAFAFA,stroke:{MISSING_COLOR},stroke-width:2px,"
                   f"stroke-dasharray:5 5,color:{MISSING_COLOR}")
        for severity, color in SEVERITY_COLORS.items():
            out.append(f"  classDef missing{severity} fill:#FAFAFA,stroke:{color},stroke-width:2px,"
                       f"stroke-dasharray:5 5,color:{color}")
        classes: dict[str, list[str]] = {}
        for node in scene.nodes:
            name = _class_of(node)
            if name:
                classes.setdefault(name, []).append(node.id)
        for name in sorted(classes):
            out.append(f"  class {','.join(classes[name])} {name}")
        for node in scene.nodes:
            for message in node.messages:
                out.append(f"  %% {node.id}: {mermaid_text(clean(message, 200))}")
        for message in scene.unplaced:
            out.append(f"  %% design: {mermaid_text(clean(message, 200))}")
    return "\n".join(out) + "\n"


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's syntax is valid YAML), with <, > and & escaped too."""
    return (json.dumps(clean(text, 120), ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _label(node: SceneNode) -> str:
    if node.missing:
        return mermaid_lines(["missing:", *wrap(node.name.removeprefix("missing: "), 24)])
    lines = wrap(node.name, 24)[:3]
    if node.tech:
        lines.append(f"({clean(node.tech, 24)})")
    return mermaid_lines(lines)


def _node(node: SceneNode) -> str:
    text = f'"{_label(node)}"'
    if node.missing:
        return f"{node.id}[{text}]"
    if node.kind == "client":
        return f"{node.id}([{text}])"
    if node.kind in STORE_KINDS:
        return f"{node.id}[({text})]"
    if node.kind in QUEUE_KINDS:
        return f"{node.id}[[{text}]]"
    return f"{node.id}({text})"


def _edge(edge: SceneEdge) -> str:
    arrow = "-.->" if edge.missing else ARROWS.get(edge.mode, "-->")
    if edge.label:
        return f'{edge.src} {arrow}|"{mermaid_lines(wrap(edge.label, 30))}"| {edge.dst}'
    return f"{edge.src} {arrow} {edge.dst}"


def _class_of(node: SceneNode) -> str:
    if node.missing:
        return f"missing{node.severity}" if node.severity else "missing"
    return node.severity or ""
