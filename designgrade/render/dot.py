"""A placed Scene as Graphviz DOT: every box pinned where place.py put it, edges routed
by Graphviz around them (``layout=nop2``, so ``dot -Tsvg file.dot`` reproduces it).

Candidate text reaches DOT only as HTML-escaped text inside HTML-like labels, or as
double-quoted strings with backslashes doubled (tooltips), so it can neither end a
string nor become markup.
"""

from __future__ import annotations

from typing import Callable, Optional

from .anchors import badge_id, key_id
from .geometry import Box
from .icons import GHOST_ICON, UNKNOWN_ICON, icon_path
from .measure import line_height
from .place import (
    BADGE_H, BADGE_PT, EDGE_PT, ICON, KEY_PT, LANE_PT, LEGEND_PT, LEGEND_SAMPLE_W, NAME_PT,
    NODE_PAD, SUB_PT, TECH_PT, TITLE_PT, DESIGN_PER_ROW, Deco, Layout, badge_width, key_lines, node_badges,
    shown_badges,
)
from .scene import FALLBACK, GHOST, MISSING, MISSING_EDGE, GHOST_EDGE, UNKNOWN, Mark, Scene, SceneEdge, SceneNode
from .text import dot_lines, dot_quote, html_text

FONT = "Helvetica"
INK = "#263238"        # names
MUTED = "#546E7A"      # techs, subtitles, edge labels
SEVERITY_COLORS = {"error": "#D32F2F", "warning": "#EF6C00", "info": "#1E88E5"}
ACK_COLOR = "#90A4AE"
MISSING_COLOR = "#757575"
GHOST_COLOR = "#9E9E9E"
CARD_BORDER = "#B0BEC5"
MODE_STYLES: dict[str, dict[str, str]] = {
    "request": {"color": "#37474F", "style": "solid", "penwidth": "1.6", "arrowhead": "normal"},
    "stream": {"color": "#00897B", "style": "bold", "penwidth": "2.6", "arrowhead": "normal"},
    "batch": {"color": "#8D6E63", "style": "dashed", "penwidth": "1.8", "arrowhead": "normal"},
    "trigger": {"color": "#8E24AA", "style": "dotted", "penwidth": "2.6", "arrowhead": "normal"},
    FALLBACK: {"color": "#90A4AE", "style": "dashed", "penwidth": "1.2", "arrowhead": "empty"},
}
LANE_COLORS = {
    "serving": "#F0ECF8", "model": "#FCEEF0", "data": "#E8F4FD", "training": "#EDF5E8", "monitoring": "#FDF7E3",
}
LANE_BORDER = "#CFD8DC"

IconFile = Callable[[str], Optional[str]]


def scene_to_dot(scene: Scene, layout: Layout, icon_file: IconFile) -> str:
    """The DOT text; ``icon_file`` maps an icon's class path to the image file to name."""
    return _Writer(scene, layout, icon_file).write()


def severity_color(severity: Optional[str], acknowledged: bool = False) -> str:
    if acknowledged:
        return ACK_COLOR
    return SEVERITY_COLORS.get(severity or "", MISSING_COLOR)


class _Writer:
    """Writes the DOT. Every id it gives starts with ``dg-``: the SVG is inlined into HTML
    reports, whose own ids must not collide with the picture's."""

    def __init__(self, scene: Scene, layout: Layout, icon_file: IconFile) -> None:
        self.scene = scene
        self.layout = layout
        self.icon_file = icon_file
        self.out: list[str] = []

    def pos(self, box: Box) -> str:
        # Graphviz's y grows upwards.
        return f'"{box.x:.1f},{self.layout.height - box.y:.1f}!"'

    def node(self, nid: str, box: Box, label: str, **attrs: str) -> None:
        fields = [f"pos={self.pos(box)}", f"width={box.w / 72:.3f}", f"height={box.h / 72:.3f}",
                  f"label=<{label}>"]
        fields += [f"{k}={v}" for k, v in attrs.items()]
        self.out.append(f"  {nid} [{', '.join(fields)}];")

    def write(self) -> str:
        lo = self.layout
        out = self.out
        out.append("digraph architecture {")
        out.append(f'  graph [layout=nop2, splines=true, outputorder=edgesfirst, bgcolor="white", pad=0.25, esep="+2", '
                   f'bb="0,0,{lo.width:.1f},{lo.height:.1f}", fontname="{FONT}", '
                   f'tooltip={dot_quote(self.scene.title)}];')
        out.append(f'  node [shape=box, fixedsize=true, margin=0, fontname="{FONT}", fontsize=12, '
                   f'style="rounded,filled", fillcolor="white", color="white", penwidth=0];')
        out.append(f'  edge [fontname="{FONT}", arrowsize=0.8];')
        self._lanes()
        self._title()
        for node in self.scene.nodes:
            if node.id in lo.nodes:
                self._component(node)
        for edge in self.scene.edges:
            self._edge(edge)
        self._design_box()
        self._legend()
        self._key()
        out.append("}")
        return "\n".join(out) + "\n"

    # Lanes and title ------------------------------------------------------------------

    def _lanes(self) -> None:
        for lane in self.layout.lanes:
            b = lane.box
            h = self.layout.height
            members = [nid for nid, nb in self.layout.nodes.items()
                       if self.scene.node(nid).lane == lane.key and b.left <= nb.box.x <= b.right
                       and b.top <= nb.box.y <= b.bottom]
            fill = LANE_COLORS.get(lane.key, "#F5F5F5")
            self.out.append(f"  subgraph cluster_{lane.key} {{")
            self.out.append(f'    graph [bb="{b.left:.1f},{h - b.bottom:.1f},{b.right:.1f},{h - b.top:.1f}", '
                            f'label="", style="rounded,filled", fillcolor="{fill}", color="{LANE_BORDER}", '
                            f'id="dg-lane-{lane.key}"];')
            for nid in members:
                self.out.append(f"    {nid};")
            self.out.append("  }")
            title = f'<FONT POINT-SIZE="{LANE_PT:g}" COLOR="#37474F"><B>{html_text(lane.title)}</B></FONT>'
            self.node(f"LANE_{lane.key}", lane.title_box, title, fillcolor=f'"{fill}"', color=f'"{fill}"',
                      id=f'"dg-lane-title-{lane.key}"', tooltip=dot_quote(lane.title))

    def _title(self) -> None:
        lo = self.layout
        if lo.title_box is None:
            return
        rows = "".join(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{TITLE_PT:g}" COLOR="{INK}"><B>{html_text(t)}'
                       f"</B></FONT></TD></TR>" for t in lo.title_lines)
        if lo.subtitle:
            rows += (f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{SUB_PT:g}" COLOR="{MUTED}">'
                     f"{html_text(lo.subtitle)}</FONT></TD></TR>")
        table = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE>'
        self.node("TITLE", lo.title_box, table, id='"dg-title"', tooltip=dot_quote(self.scene.title))

    # Components, placeholders, ghosts ---------------------------------------------------

    def _component(self, node: SceneNode) -> None:
        lo = self.layout
        nb = lo.nodes[node.id]
        if node.role == GHOST:
            icon = GHOST_ICON
        elif node.role == MISSING:
            icon = icon_path(node.kind, None) if node.kind else UNKNOWN_ICON
        else:
            icon = icon_path(node.kind, node.tech)
        side = (lo.node_w - ICON) / 2 - NODE_PAD
        image = self.icon_file(icon)
        img = f'<IMG SRC="{html_text(image)}" SCALE="TRUE"/>' if image else ""
        name_color = INK
        sub_color = MUTED
        color, penwidth, style = CARD_BORDER, "1", "rounded,filled"
        if node.role == MISSING:
            color = severity_color(node.severity)
            name_color = sub_color = color
            penwidth, style = "2", "rounded,filled,dashed"
        elif node.role == GHOST:
            color, name_color, penwidth, style = GHOST_COLOR, "#616161", "1.6", "rounded,filled,dashed"
        elif node.severity:
            color, penwidth = severity_color(node.severity), "2.5"
        elif node.role == UNKNOWN:
            style = "rounded,filled,dashed"
        # Badges right of the icon, then left of it: up to eight on a card, the last "+N".
        per_row, per_side = node_badges(node.marks, side)
        shown = shown_badges(node.marks, 2 * per_side)
        right, left = _badge_table(shown[:per_side], per_row), _badge_table(shown[per_side:], per_row)
        name = "<BR/>".join(html_text(line) for line in nb.lines) or " "
        name_h = max(1, len(nb.lines)) * line_height(NAME_PT)
        rows = (f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{side:.0f}" HEIGHT="{ICON:.0f}" VALIGN="TOP" ALIGN="LEFT">'
                f"{left or ' '}</TD>"
                f'<TD FIXEDSIZE="TRUE" WIDTH="{ICON:.0f}" HEIGHT="{ICON:.0f}">{img}</TD>'
                f'<TD FIXEDSIZE="TRUE" WIDTH="{side:.0f}" HEIGHT="{ICON:.0f}" VALIGN="TOP" ALIGN="RIGHT">'
                f"{right}</TD></TR>"
                f'<TR><TD COLSPAN="3" HEIGHT="{name_h:.0f}" VALIGN="TOP"><FONT POINT-SIZE="{NAME_PT:g}" '
                f'COLOR="{name_color}">{name}</FONT></TD></TR>')
        if nb.sub:
            rows += (f'<TR><TD COLSPAN="3"><FONT POINT-SIZE="{TECH_PT:g}" COLOR="{sub_color}">'
                     f"{html_text(nb.sub)}</FONT></TD></TR>")
        table = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE>')
        tip = [_head(node), *node.messages]
        self.node(node.id, nb.box, table, color=f'"{color}"', penwidth=penwidth, style=f'"{style}"',
                  id=f'"dg-node-{node.id}"', tooltip=dot_lines(tip), **{"class": f'"{node.role}"'})

    # Edges ----------------------------------------------------------------------------

    def _edge(self, edge: SceneEdge) -> None:
        lo = self.layout
        if edge.src not in lo.nodes or edge.dst not in lo.nodes:
            return
        style = dict(MODE_STYLES.get(edge.mode, MODE_STYLES["batch"]))
        if edge.role == MISSING_EDGE:
            style.update(color=severity_color(edge.severity), style="dashed", penwidth="2")
        elif edge.role == GHOST_EDGE:
            style.update(color=GHOST_COLOR, style="dashed", penwidth="1.6")
        ends = [self.scene.node(n) for n in (edge.src, edge.dst)]
        tip = [f"{ends[0].cid or ends[0].name} \u2192 {ends[1].cid or ends[1].name} ({edge.mode})", *edge.messages]
        common = (f'color="{style["color"]}", style="{style["style"]}", penwidth={style["penwidth"]}, '
                  f'tooltip={dot_lines(tip)}, class="{edge.role} {edge.mode}"')
        deco = lo.decos.get(edge.id)
        if deco is None:
            self.out.append(f'  {edge.src} -> {edge.dst} [{common}, arrowhead={style["arrowhead"]}, '
                            f'id="dg-edge-{edge.id}"];')
            return
        did = f"LABEL_{edge.id}"
        self._deco(did, edge, deco, style["color"])
        self.out.append(f'  {edge.src} -> {did} [{common}, arrowhead=none, id="dg-edge-{edge.id}-1"];')
        self.out.append(f'  {did} -> {edge.dst} [{common}, arrowhead={style["arrowhead"]}, '
                        f'id="dg-edge-{edge.id}-2"];')

    def _deco(self, did: str, edge: SceneEdge, deco: Deco, color: str) -> None:
        rows = ""
        text_color = color if edge.role == MISSING_EDGE else MUTED
        for line in deco.lines:
            rows += (f'<TR><TD><FONT POINT-SIZE="{EDGE_PT:g}" COLOR="{text_color}">{html_text(line)}'
                     f"</FONT></TD></TR>")
        if deco.marks:
            rows += f"<TR><TD>{_badges(deco.marks, 4, len(deco.marks))}</TD></TR>"
        table = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{rows}</TABLE>')
        tip = [t for t in (edge.label, *edge.messages) if t] or [edge.mode]
        self.node(did, deco.box, table, id=f'"dg-label-{edge.id}"', tooltip=dot_lines(tip), **{"class": '"label"'})

    # Design box, legend, key --------------------------------------------------------------

    def _design_box(self) -> None:
        box = self.layout.design_box
        if box is None:
            return
        table = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR>'
                 f'<TD><FONT POINT-SIZE="{LEGEND_PT:g}" COLOR="{INK}">Design-wide findings</FONT></TD>'
                 f"<TD>{_badges(self.scene.design_marks, DESIGN_PER_ROW, len(self.scene.design_marks))}</TD>"
                 "</TR></TABLE>")
        self.node("DESIGN", box, table, color=f'"{CARD_BORDER}"', penwidth="1", id='"dg-design"',
                  tooltip=dot_lines(f"{m.number}. {m.code} {m.rule}: {m.message}" for m in self.scene.design_marks))

    def _legend(self) -> None:
        box = self.layout.legend_box
        if box is None:
            return
        rows = (f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="{LEGEND_PT:g}" COLOR="{INK}"><B>Legend</B>'
                f"</FONT></TD></TR>")
        for what, meaning in self.layout.legend_rows:
            rows += f"<TR>{_sample(what)}<TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"{LEGEND_PT:g}\" COLOR=\"{INK}\">" \
                    f"{html_text(meaning)}</FONT></TD></TR>"
        table = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">{rows}</TABLE>'
        self.node("LEGEND", box, table, color=f'"{CARD_BORDER}"', penwidth="1", id='"dg-legend"', tooltip='"legend"')

    def _key(self) -> None:
        lo = self.layout
        if lo.key_box is None:
            return
        columns = lo.key_columns
        per_column = -(-len(lo.key_rows) // columns)
        head = (f'<TR><TD COLSPAN="{2 * columns}" ALIGN="LEFT"><FONT POINT-SIZE="{KEY_PT:g}" COLOR="{INK}">'
                f"<B>Findings</B></FONT></TD></TR>")
        rows = ""
        for i in range(per_column):
            cells = ""
            for c in range(columns):
                index = c * per_column + i
                if index < len(lo.key_rows):
                    cells += self._key_cells(lo.key_rows[index])
                else:
                    cells += "<TD></TD><TD></TD>"
            rows += f"<TR>{cells}</TR>"
        if lo.key_more:
            rows += (f'<TR><TD></TD><TD ALIGN="LEFT" COLSPAN="{2 * columns - 1}"><FONT POINT-SIZE="{KEY_PT:g}" '
                     f'COLOR="{MUTED}">and {lo.key_more:,} more: run designgrade lint</FONT></TD></TR>')
        table = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">{head}{rows}</TABLE>'
        self.node("KEY", lo.key_box, table, color=f'"{CARD_BORDER}"', penwidth="1", id='"dg-key"',
                  tooltip='"findings"')

    def _key_cells(self, mark: Mark) -> str:
        lo = self.layout
        text = "<BR/>".join(html_text(line) for line in key_lines(mark, lo.key_text_w, lo.key_line_limit))
        tip = html_text(f"{mark.code} {mark.rule}: {mark.message}")
        return (f'<TD VALIGN="TOP">{_badge(mark, link=False)}</TD><TD ALIGN="LEFT" BALIGN="LEFT" '
                f'ID="{key_id(mark.anchor)}" TOOLTIP="{tip}" HREF="#a_{badge_id(mark.anchor)}">'
                f'<FONT POINT-SIZE="{KEY_PT:g}" COLOR="{INK}">{text}</FONT></TD>')


def _head(node: SceneNode) -> str:
    if node.role == MISSING:
        return f"missing: {node.name}"
    parts = [node.cid or node.name, (node.kind or "").replace("_", " "), node.tech or "", node.note or ""]
    return " \u00b7 ".join(p for p in parts if p)


def _badge(mark: object, link: bool = True) -> str:
    """One numbered badge: a rounded tile in the finding's colour, linked to its key row."""
    if not isinstance(mark, Mark):
        return _tile(ACK_COLOR, str(mark), "", badge_width(mark))
    color = severity_color(mark.severity, mark.acknowledged)
    attrs = ""
    if link:
        tip = html_text(f"{mark.number}. {mark.code} {mark.rule}: {mark.message}")
        attrs = f' ID="{badge_id(mark.anchor)}" HREF="#a_{key_id(mark.anchor)}" TOOLTIP="{tip}"'
    return _tile(color, str(mark.number), attrs, badge_width(mark))


def _tile(color: str, text: str, attrs: str = "", width: float = BADGE_H) -> str:
    """A rounded tile of fixed size (a nested table would otherwise stretch to its cell)."""
    return (f'<TABLE FIXEDSIZE="TRUE" WIDTH="{width:.0f}" HEIGHT="{BADGE_H:.0f}" BORDER="0" CELLBORDER="0" '
            f'CELLPADDING="0" CELLSPACING="0" STYLE="rounded" BGCOLOR="{color}"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{width:.0f}" HEIGHT="{BADGE_H:.0f}"{attrs}>'
            f'<FONT POINT-SIZE="{BADGE_PT:g}" COLOR="white"><B>{html_text(text)}</B></FONT></TD></TR></TABLE>')


def _badges(marks: list[Mark], per_row: int, limit: int = 4) -> str:
    return _badge_table(shown_badges(marks, limit), per_row)


def _badge_table(shown: list[object], per_row: int) -> str:
    if not shown:
        return ""
    rows = [shown[i:i + per_row] for i in range(0, len(shown), per_row)]
    body = "".join("<TR>" + "".join(f"<TD>{_badge(b)}</TD>" for b in row) + "</TR>" for row in rows)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0">{body}</TABLE>'


def _sample(what: str) -> str:
    """The legend's picture of one mark, in its real colour and style."""
    size = f'WIDTH="{LEGEND_SAMPLE_W:.0f}" HEIGHT="14" FIXEDSIZE="TRUE"'
    if what in MODE_STYLES:
        st = MODE_STYLES[what]
        dash = {"dashed": ' STYLE="dashed"', "dotted": ' STYLE="dotted"'}.get(st["style"], "")
        width = "3" if float(st["penwidth"]) > 2 else "2"
        return f'<TD {size} SIDES="B" BORDER="{width}" COLOR="{st["color"]}"{dash}></TD>'
    # Empty dashed boxes: Graphviz 2.43's json output crashes on a dashed cell holding text.
    if what == "missing":
        return f'<TD {size} BORDER="2" COLOR="{MISSING_COLOR}" STYLE="dashed"></TD>'
    if what == "ghost":
        return f'<TD {size} BORDER="2" COLOR="{GHOST_COLOR}" STYLE="dashed"></TD>'
    return f'<TD WIDTH="{LEGEND_SAMPLE_W:.0f}">{_tile(SEVERITY_COLORS.get(what, ACK_COLOR), "1")}</TD>'
