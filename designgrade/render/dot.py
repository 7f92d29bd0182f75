"""A Scene drawn with mingrammer/diagrams: the DOT source of the architecture diagram.

diagrams is imported here, inside functions, never by ``designgrade`` itself. The
Diagram is only used to build DOT (``d.dot.source``); it is never rendered by
diagrams (whose ``__exit__`` writes files into the working directory).
"""

from __future__ import annotations

import contextvars
import html
from typing import Any

from .errors import DIAGRAMS_HINT, RenderError
from .icons import NEEDS_BACKGROUND, icon_class, icon_path
from .layout import PLANES, USERS, Scene, SceneEdge, SceneNode
from .text import clean, dot_lines, wrap

FONT = "Sans-Serif"
SEVERITY_COLORS = {"error": "#D32F2F", "warning": "#F57C00", "info": "#1E88E5"}
MISSING_COLOR = "#757575"  # a placeholder whose finding has no severity
MODE_STYLES: dict[str, dict[str, str]] = {
    "request": {"color": "#37474F", "style": "solid", "penwidth": "1.6", "arrowhead": "normal"},
    "stream": {"color": "#00897B", "style": "bold", "penwidth": "2.6", "arrowhead": "normal"},
    "batch": {"color": "#8D6E63", "style": "dashed", "penwidth": "1.6", "arrowhead": "normal"},
    "trigger": {"color": "#8E24AA", "style": "dotted", "penwidth": "2.6", "arrowhead": "normal"},
    # Not a flow: an llm's ``fallback`` names another llm.
    "fallback": {"color": "#90A4AE", "style": "dashed", "penwidth": "1.2", "arrowhead": "empty"},
}
MODE_MEANING = {
    "request": "request (online call)",
    "stream": "stream (events)",
    "batch": "batch (scheduled)",
    "trigger": "trigger (starts a run)",
}
PLANE_COLORS = {
    "data": "#E8F4FD", "training": "#EDF5E8", "serving": "#F0ECF8",
    "monitoring": "#FDF7E3", "llm": "#FCEEF0",
}
ICON_SIZE = 1.2   # inches: the icon's square; the label goes below it
LINE_HEIGHT = 0.2
NAME_WIDTH = 16   # characters per label line
MAX_NAME_LINES = 3

GRAPH_ATTRS = {
    "pad": "0.4",
    "splines": "spline",
    "nodesep": "0.45",
    "ranksep": "0.45",
    "newrank": "true",
        "outputorder": "edgesfirst",
    "fontname": FONT,
    "labelloc": "t",
    "labeljust": "l",
    "bgcolor": "white",
}
NODE_ATTRS = {"fontname": FONT, "fontsize": "12", "imagepos": "tc", "imagescale": "true"}
EDGE_ATTRS = {"fontname": FONT, "fontsize": "11", "arrowsize": "0.8"}


def scene_to_dot(scene: Scene) -> str:
    """The DOT text of ``scene``; deterministic for a given scene and diagrams install."""
    try:
        import diagrams  # noqa: F401
    except ImportError:
        raise RenderError(DIAGRAMS_HINT) from None
    # A fresh context: diagrams keeps the current diagram and cluster in contextvars.
    return contextvars.copy_context().run(_build, scene)


def _build(scene: Scene) -> str:
    import diagrams
    from diagrams import Cluster, Diagram

    graph_attrs = dict(GRAPH_ATTRS, label=_title_label(scene))
    if scene.unplaced:
        graph_attrs["tooltip"] = _nohtml(dot_lines(scene.unplaced))
    d = Diagram(
        "architecture", filename="architecture", direction="LR", show=False, outformat="png",
        graph_attr=graph_attrs, node_attr=NODE_ATTRS, edge_attr=EDGE_ATTRS,
    )
    # A label of the Digraph's own name would be unescaped: set it explicitly above.
    diagrams.setdiagram(d)
    try:
        made: dict[str, Any] = {}
        for key, title in PLANES:
            members = scene.in_plane(key)
            if not members:
                continue
            attrs = {
                "label": _nohtml(dot_lines([title])), "fontsize": "14", "fontcolor": "#37474F",
                "bgcolor": PLANE_COLORS[key], "pencolor": "#B0BEC5", "style": "rounded",
                "margin": "14",
            }
            with Cluster(key, graph_attr=attrs):
                for node in members:
                    made[node.id] = _node(node)
        for node in scene.in_plane(USERS):
            made[node.id] = _node(node)
        _legend(scene)
        for edge in scene.edges:
            _edge(d, scene, made, edge)
        return d.dot.source
    finally:
        diagrams.setdiagram(None)


def _nohtml(text: str) -> str:
    from graphviz import nohtml

    return nohtml(text)


def _title_label(scene: Scene) -> str:
    """An HTML-like label: the title, then the subtitle in grey. Text is HTML-escaped."""
    title = html.escape(scene.title, quote=True)
    sub = html.escape(scene.subtitle, quote=True)
    rows = f'<FONT POINT-SIZE="22"><B>{title}</B></FONT>'
    if sub:
        rows += f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="14" COLOR="#546E7A">{sub}</FONT>'
    return f"<{rows}<BR ALIGN=\"LEFT\"/>>"


def _node(node: SceneNode) -> Any:
    from diagrams import Node

    if node.missing:
        return _placeholder(node)
    lines = wrap(node.name, NAME_WIDTH)[:MAX_NAME_LINES]
    if node.tech:
        lines.append(f"({clean(node.tech, 24)})")
    path = icon_path(node.kind, node.tech)
    try:
        cls = icon_class(path)
    except (ImportError, AttributeError):
        cls = Node  # an older diagrams without this icon: a plain box
    attrs: dict[str, str] = {
        "width": f"{ICON_SIZE:.2f}",
        "height": f"{ICON_SIZE + 0.16 + LINE_HEIGHT * len(lines):.2f}",
        "fixedsize": "true",
        "labelloc": "b",
        "tooltip": _nohtml(dot_lines(_tooltip(node))),
    }
    if path in NEEDS_BACKGROUND or node.severity:
        attrs.update(shape="box", style="rounded", color="transparent", penwidth="0")
    if path in NEEDS_BACKGROUND:
        attrs.update(style="rounded,filled", fillcolor="#90A4AE")
    if node.severity:
        attrs.update(color=SEVERITY_COLORS[node.severity], penwidth="3.5")
    return cls(_nohtml(dot_lines(lines)), nodeid=node.id, **attrs)


def _tooltip(node: SceneNode) -> list[str]:
    head = " \u00b7 ".join(p for p in (node.cid, (node.kind or "").replace("_", " "), node.tech) if p)
    return [head, *node.messages] if node.messages else [head]


def _placeholder(node: SceneNode) -> Any:
    from diagrams import Node

    color = SEVERITY_COLORS.get(node.severity or "", MISSING_COLOR)
    lines = ["missing:", *wrap(node.name.removeprefix("missing: "), NAME_WIDTH)[:MAX_NAME_LINES]]
    return Node(
        _nohtml(dot_lines(lines)), nodeid=node.id, shape="box", style="rounded,dashed",
        color=color, fontcolor=color, penwidth="2", fixedsize="false", labelloc="c",
        width=f"{ICON_SIZE + 0.2:.2f}", height="0.8", fontsize="13",
        tooltip=_nohtml(dot_lines(node.messages or [node.name])),
    )


def _edge(d: Any, scene: Scene, made: dict[str, Any], edge: SceneEdge) -> None:
    from diagrams import Edge

    style = dict(MODE_STYLES.get(edge.mode, MODE_STYLES["batch"]))
    attrs: dict[str, str] = {}
    if edge.missing:
        color = SEVERITY_COLORS.get(edge.severity or "", MISSING_COLOR)
        style.update(color=color, style="dashed", penwidth="1.8")
        attrs["fontcolor"] = color
    if edge.label:
        attrs["label"] = _nohtml(dot_lines(wrap(edge.label, 18)))
    ends = [scene.node(n) for n in (edge.src, edge.dst)]
    tip = [f"{ends[0].cid or ends[0].name} \u2192 {ends[1].cid or ends[1].name} ({edge.mode})", *edge.messages]
    attrs["tooltip"] = _nohtml(dot_lines(tip))
    attrs.setdefault("fontcolor", "#455A64")
    attrs["fontsize"] = EDGE_ATTRS["fontsize"]
    if scene.layout_reversed(edge):
        # Laid out dst -> src so the picture flows from data to users; drawn src -> dst.
        d.connect(made[edge.dst], made[edge.src], Edge(reverse=True, **style, **attrs))
    else:
        d.connect(made[edge.src], made[edge.dst], Edge(forward=True, **style, **attrs))


def _legend(scene: Scene) -> None:
    """One node whose HTML-like table explains edge styles, outlines and placeholders.

    Only constant text goes in here, so it needs no escaping.
    """
    from diagrams import Node

    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for mode, meaning in MODE_MEANING.items():
        st = MODE_STYLES[mode]
        cell_style = {"solid": "", "bold": "", "dashed": ' STYLE="dashed"', "dotted": ' STYLE="dotted"'}[st["style"]]
        width = "3" if float(st["penwidth"]) > 2 else "2"
        rows.append(
            f'<TR><TD WIDTH="44" HEIGHT="14" FIXEDSIZE="TRUE" SIDES="B" BORDER="{width}" COLOR="{st["color"]}"'
            f'{cell_style}></TD><TD ALIGN="LEFT">{meaning}</TD></TR>'
        )
    if scene.overlay:
        for severity, color in SEVERITY_COLORS.items():
            rows.append(
                f'<TR><TD WIDTH="44" HEIGHT="20" FIXEDSIZE="TRUE" BORDER="3" COLOR="{color}" STYLE="rounded"></TD>'
                f'<TD ALIGN="LEFT">{severity} finding</TD></TR>'
            )
        rows.append(
            f'<TR><TD WIDTH="44" HEIGHT="20" FIXEDSIZE="TRUE" BORDER="2" COLOR="{MISSING_COLOR}" STYLE="dashed">'
            f'<FONT POINT-SIZE="9" COLOR="{MISSING_COLOR}">missing</FONT></TD>'
            f'<TD ALIGN="LEFT">expected part the design lacks</TD></TR>'
        )
    table = (
        '<<TABLE BORDER="1" COLOR="#B0BEC5" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2" STYLE="rounded">'
        + "".join(rows) + "</TABLE>>"
    )
    Node(table, nodeid="LEGEND", shape="plain", fixedsize="false", fontsize="11", labelloc="c",
         tooltip="legend")
