"""Where everything goes: lanes, rows and columns, every box and label, computed here so
the picture is the same every time and the findings never move a component.

Graphviz only routes the edges around the boxes placed here (``layout=nop2``). The steps:

1. The design's own components are laid out from the design alone: clients in a column
   on the left; the serving and model lanes share columns along the request path (the
   longest call chain from a client decides a column); data, training and monitoring
   lanes are layered along their own flows and shifted under what they talk to. A column
   holds up to three rows per lane; a crowded column spills into the next.
2. Placeholders for missing parts and ghost nodes for unknown references go into free
   cells of their lane, or a column appended at its end, never a new row: the clean and
   the findings picture put every component at the same spot.
3. Each edge label (with its badges) is a box placed near the middle of its edge where it
   hits nothing; the edge is then drawn through it, so no other edge can cross it.
4. The title and the design box go on top; the legend and the findings key beside or
   below the lanes, whichever fits a 16:9 slide better.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from .geometry import Box, Index
from .lanes import CLIENT, LANES
from .measure import line_height, text_width
from .scene import FALLBACK, FLOW, GHOST, MISSING, Mark, Scene, SceneEdge, SceneNode
from .text import fit, shorten

# Sizes, in points.
NAME_PT, TECH_PT, EDGE_PT, LANE_PT = 14.0, 13.0, 12.0, 14.0
TITLE_PT, SUB_PT, KEY_PT, LEGEND_PT, BADGE_PT = 22.0, 13.0, 12.0, 11.0, 10.0
ICON = 36.0
NODE_W = 156.0
NODE_PAD = 5.0
TEXT_W = NODE_W - 2 * NODE_PAD - 4
MAX_NAME_LINES = 3
BADGE_H = 16.0
BADGES_PER_ROW = 2
MAX_BADGES = 4          # a default cap for a row of badges
DESIGN_PER_ROW = 10     # the design box shows every badge, ten a row
LABEL_W = 124.0         # an edge label wraps at this width
LABEL_LINES = 3
LABEL_PAD = 5.0
GX = 60.0               # gap between columns
ARROW_ROOM = 26.0       # each side of a label sitting in a column gap
GY = 34.0               # gap between rows in a lane
LANE_HEAD = 30.0        # the lane title strip
LANE_PAD = 12.0
LANE_GAP = 22.0
MARGIN = 18.0
MAX_ROWS = 3
KEY_W = 520.0           # the findings key right of the lanes: rows wrap at this width...
KEY_LINES = 2           # ...on up to two lines
KEY_MIN_COLUMN = 380.0  # a column of the key under the lanes is at least this wide
LEGEND_SAMPLE_W = 28.0
MAX_KEY_ROWS = 24
SLIDE = (1600.0, 900.0)


@dataclass
class NodeBox:
    box: Box
    lines: list[str]            # name lines
    sub: Optional[str]          # the tech line (or a ghost's / unknown kind's note)


@dataclass
class Deco:
    """An edge's label and badges, drawn as one box the edge passes through."""

    box: Box
    lines: list[str]
    marks: list[Mark]


@dataclass
class LaneBox:
    key: str
    title: str
    box: Box
    title_box: Box


@dataclass
class Layout:
    width: float
    height: float
    node_w: float
    node_h: float
    nodes: dict[str, NodeBox] = field(default_factory=dict)
    decos: dict[str, Deco] = field(default_factory=dict)
    lanes: list[LaneBox] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    title_box: Optional[Box] = None
    subtitle: str = ""
    design_box: Optional[Box] = None
    legend_box: Optional[Box] = None
    legend_rows: list[tuple[str, str]] = field(default_factory=list)  # (sample, meaning)
    key_box: Optional[Box] = None
    key_rows: list[Mark] = field(default_factory=list)
    key_more: int = 0
    lanes_top: float = 0.0
    key_text_w: float = KEY_W
    key_line_limit: int = KEY_LINES
    key_columns: int = 1


# --- sizes -----------------------------------------------------------------------------


def badge_width(mark_or_text: object) -> float:
    text = str(mark_or_text.number) if isinstance(mark_or_text, Mark) else str(mark_or_text)
    return max(BADGE_H, text_width(text, BADGE_PT, bold=True) + 8)


def badges_size(marks: list[Mark], per_row: int, limit: int = MAX_BADGES) -> tuple[float, float]:
    if not marks:
        return 0.0, 0.0
    shown = shown_badges(marks, limit)
    rows = [shown[i:i + per_row] for i in range(0, len(shown), per_row)]
    width = max(sum(badge_width(b) + 1 for b in row) + 1 for row in rows)
    return width, len(rows) * (BADGE_H + 1) + 1


def shown_badges(marks: list[Mark], limit: int = MAX_BADGES) -> list[object]:
    """The badges a box shows: up to ``limit``, the last one "+N" when there are more."""
    if len(marks) <= limit:
        return list(marks)
    return [*marks[: limit - 1], f"+{len(marks) - limit + 1}"]


def node_badges(marks: list[Mark], room: float) -> tuple[int, int]:
    """(per row, at most) for the badges on one side of a node's icon: two rows in ``room``
    points."""
    widest = max((badge_width(m) for m in shown_badges(marks)), default=BADGE_H)
    per_row = max(1, int((room - 1) // (widest + 1)))
    return per_row, per_row * 2


def node_text(node: SceneNode, name_lines: int) -> tuple[list[str], Optional[str]]:
    """The name lines and the tech line of a node: the name is cut first, with an ellipsis,
    so the tech always shows."""
    if node.role == MISSING:
        lines = fit(f"missing: {node.name}", TEXT_W, NAME_PT, name_lines + 1)
        return lines[:name_lines], (lines[name_lines] if len(lines) > name_lines else None)
    if node.role == GHOST:
        # "did you mean feature_store?", or just "-> feature_store?" when that is too long
        note = node.note or ""
        if text_width(note, TECH_PT) > TEXT_W and note.startswith("did you mean "):
            note = "\u2192 " + note.removeprefix("did you mean ")
        return fit(node.name + "?", TEXT_W, NAME_PT, name_lines), shorten(note, TEXT_W, TECH_PT)
    sub = node.tech or (node.note if node.role == "unknown" else None)
    return fit(node.name, TEXT_W, NAME_PT, name_lines), (shorten(sub, TEXT_W, TECH_PT) if sub else None)


# --- layering --------------------------------------------------------------------------


def _layers(members: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layers of ``members`` along ``edges`` (among them), after dropping the
    edges that close a cycle (found depth first in design order)."""
    inside = set(members)
    out: dict[str, list[str]] = defaultdict(list)
    for src, dst in edges:
        if src in inside and dst in inside and src != dst:
            out[src].append(dst)
    state: dict[str, int] = {}
    order: list[str] = []
    kept: dict[str, list[str]] = defaultdict(list)
    for root in members:
        if root in state:
            continue
        stack = [(root, iter(out[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                if state.get(child) == 1:
                    continue  # a back edge: it would close a cycle
                kept[node].append(child)
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(out[child])))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                order.append(node)
                stack.pop()
    layer = dict.fromkeys(members, 0)
    for node in reversed(order):  # a topological order of the kept edges
        for child in kept[node]:
            layer[child] = max(layer[child], layer[node] + 1)
    return layer


# --- the layout ------------------------------------------------------------------------


def place(scene: Scene) -> Layout:
    base = [n for n in scene.nodes if not n.late]
    name_lines = max((len(fit(n.name, TEXT_W, NAME_PT, MAX_NAME_LINES)) for n in base), default=1)
    name_lines = max(1, min(MAX_NAME_LINES, name_lines))
    node_h = (2 * NODE_PAD + ICON + 4 + name_lines * line_height(NAME_PT) + line_height(TECH_PT) + 2)
    layout = Layout(0, 0, NODE_W, round(node_h, 1))
    grid = _Grid(scene, layout, name_lines)
    grid.arrange()
    _header(scene, layout, grid.right())  # from the design's own width, so it never changes
    grid.settle_clients()
    grid.place_late()
    _frame(scene, layout, grid)
    _design_box(scene, layout)
    _decorate(scene, layout, grid)
    _side(scene, layout, grid)
    return layout


class _Grid:
    """Cells of each lane: (row, column) -> node id, with the x of each column."""

    def __init__(self, scene: Scene, layout: Layout, name_lines: int) -> None:
        self.scene = scene
        self.layout = layout
        self.name_lines = name_lines
        self.lanes: list[str] = []
        self.rows: dict[str, int] = {}
        self.cells: dict[str, dict[tuple[int, int], str]] = {}
        self.col_x: dict[str, list[float]] = {}
        self.cell_of: dict[str, tuple[str, int, int]] = {}
        self.clients: list[str] = []
        self.client_links: dict[str, list[str]] = {}
        self.client_y: dict[str, float] = {}
        self.position = {n.id: i for i, n in enumerate(scene.nodes)}
        self.client_x = 0.0
        self.lanes_left = 0.0
        # Only the design's own flows shape the layout: a dashed "missing" wire between two
        # existing components must not move them.
        self.base_edges = [e for e in scene.edges if e.role in (FLOW, FALLBACK)
                           and not (scene.node(e.src).late or scene.node(e.dst).late)]

    # The design's components -------------------------------------------------------

    def arrange(self) -> None:
        scene = self.scene
        base = [n for n in scene.nodes if not n.late]
        by_lane: dict[str, list[str]] = defaultdict(list)
        for node in base:
            by_lane[node.lane].append(node.id)
        self.clients = by_lane.pop(CLIENT, [])
        self.lanes = [lane for lane in LANES if by_lane.get(lane)]
        if not self.lanes:
            self.lanes = ["serving"]
        pairs = [(e.src, e.dst) for e in self.base_edges]
        labelled = {(e.src, e.dst) for e in self.base_edges if e.label}

        # The online plane (serving and model lanes) shares one set of columns.
        online = [lane for lane in ("serving", "model") if by_lane.get(lane)]
        groups: list[list[str]] = [online] if online else []
        groups += [[lane] for lane in self.lanes if lane not in online]
        self.client_x = MARGIN + NODE_W / 2
        self.lanes_left = MARGIN + NODE_W + GX if self.clients else MARGIN
        layers = {}
        linked = {n for pair in pairs for n in pair}
        for group in groups:
            members = [nid for lane in group for nid in by_lane[lane]]
            layer = _layers(members, pairs)
            # A component with no flow at all stands at the end of its lane, out of the way.
            end = max((layer[n] for n in members if n in linked), default=-1) + 1
            for nid in members:
                if nid not in linked:
                    layer[nid] = end
            layers[tuple(group)] = layer
        self._choose_rows(groups, by_lane, layers)
        placed_x: dict[str, float] = {}
        for group in groups:
            layer = layers[tuple(group)]
            self._fill(group, by_lane, layer, pairs, placed_x)
            gaps = self._gaps(group, labelled)
            shift = self._shift(group, pairs, placed_x, gaps)
            for lane in group:
                self.col_x[lane] = self._xs(gaps, shift)
                for (row, col), nid in self.cells[lane].items():
                    placed_x[nid] = self.col_x[lane][col]
        self._place_clients(pairs, labelled)

    def _choose_rows(self, groups: list[list[str]], by_lane: dict[str, list[str]],
                     layers: dict[tuple[str, ...], dict[str, int]]) -> None:
        """Rows per lane: as few as fit the picture's width, the width chosen so the whole
        fits a 16:9 slide best (a lane with room to spare spreads out instead of stacking)."""
        counts = {}
        for group in groups:
            layer = layers[tuple(group)]
            for lane in group:
                sizes: dict[int, int] = defaultdict(int)
                for nid in by_lane[lane]:
                    sizes[layer[nid]] += 1
                counts[lane] = sizes

        def columns(group: list[str], rows: dict[str, int]) -> int:
            top = max((k for lane in group for k in counts[lane]), default=0)
            return sum(max(-(-counts[lane].get(k, 0) // rows[lane]) for lane in group) for k in range(top + 1))

        def best_rows(group: list[str], width: int) -> dict[str, int]:
            options = [{}]
            for lane in group:
                options = [dict(o, **{lane: r}) for o in options for r in range(1, MAX_ROWS + 1)]
            fitting = [o for o in options if columns(group, o) <= width]
            if not fitting:
                return {lane: MAX_ROWS for lane in group}
            return min(fitting, key=lambda o: (sum(o.values()), columns(group, o)))

        narrowest = max(columns(g, {lane: MAX_ROWS for lane in g}) for g in groups)
        best: tuple[float, dict[str, int]] = (-1.0, {})
        for width in range(narrowest, narrowest + 8):
            rows = {lane: r for g in groups for lane, r in best_rows(g, width).items()}
            used = max(columns(g, rows) for g in groups)
            # Labelled gaps make a column about 20 pt wider than GX on average.
            w = 2 * MARGIN + (NODE_W + GX if self.clients else 0) + used * (NODE_W + GX + 20)
            h = 2 * MARGIN + 70 + sum(LANE_HEAD + r * self.layout.node_h + (r - 1) * GY + LANE_PAD + LANE_GAP
                                      for r in rows.values())
            score = min(SLIDE[0] / w, SLIDE[1] / h)
            if score > best[0] + 1e-6:
                best = (score, rows)
        self.rows.update(best[1])

    def _fill(self, group: list[str], by_lane: dict[str, list[str]], layer: dict[str, int],
              pairs: list[tuple[str, str]], placed_x: dict[str, float]) -> None:
        """Rows and columns: each layer gets as many columns as its busiest lane needs."""
        per: dict[str, dict[int, list[str]]] = {}
        for lane in group:
            buckets: dict[int, list[str]] = defaultdict(list)
            for nid in by_lane[lane]:
                buckets[layer[nid]].append(nid)
            per[lane] = buckets
        top = max(layer.values(), default=0)
        col = 0
        neighbours: dict[str, list[str]] = defaultdict(list)
        for src, dst in pairs:
            neighbours[src].append(dst)
            neighbours[dst].append(src)
        for lane in group:
            self.cells.setdefault(lane, {})
        for k in range(top + 1):
            span = max(-(-len(per[lane].get(k, [])) // self.rows[lane]) for lane in group)
            if span == 0:
                continue
            for lane in group:
                rows = self.rows[lane]
                members = self._ordered(per[lane].get(k, []), lane, neighbours, placed_x)
                for index, nid in enumerate(members):
                    cell = (index % rows, col + index // rows)
                    self.cells[lane][cell] = nid
                    self.cell_of[nid] = (lane, cell[0], cell[1])
            col += span

    def _ordered(self, members: list[str], lane: str, neighbours: dict[str, list[str]],
                 placed_x: dict[str, float]) -> list[str]:
        """A layer's nodes top to bottom: near the rows of what they connect to in this
        lane, and those that talk to the lanes above first."""
        position = self.position
        lane_rank = {name: i for i, name in enumerate(self.lanes)}

        def score(nid: str) -> tuple[float, float, int]:
            rows = [self.cell_of[o][1] for o in neighbours[nid]
                    if o in self.cell_of and self.cell_of[o][0] == lane]
            mine = lane_rank.get(lane, 0)
            bias = 0.0
            for o in neighbours[nid]:
                other = self.scene.node(o).lane
                if other == CLIENT or lane_rank.get(other, mine) < mine:
                    bias -= 1
                elif lane_rank.get(other, mine) > mine:
                    bias += 1
            return (sum(rows) / len(rows) if rows else 0.0, bias, position.get(nid, 0))

        return sorted(members, key=score)

    def _gaps(self, group: list[str], labelled: set[tuple[str, str]]) -> list[float]:
        """The gap after each column: wider where a labelled edge runs between neighbours."""
        ncols = max((c for lane in group for (_, c) in self.cells[lane]), default=0) + 1
        gaps = [GX] * ncols
        for edge in self.base_edges:
            if not edge.label or edge.src not in self.cell_of or edge.dst not in self.cell_of:
                continue
            (la, ra, ca), (lb, rb, cb) = self.cell_of[edge.src], self.cell_of[edge.dst]
            if la in group and la == lb and ra == rb and abs(ca - cb) == 1:
                lines = fit(edge.label, LABEL_W, EDGE_PT, LABEL_LINES)
                need = max(text_width(line, EDGE_PT) for line in lines) + 2 * LABEL_PAD + 2 * ARROW_ROOM
                left = min(ca, cb)
                gaps[left] = max(gaps[left], need)
        return gaps

    def _shift(self, group: list[str], pairs: list[tuple[str, str]], placed_x: dict[str, float],
               gaps: list[float]) -> float:
        """How far right to move a lane so it sits under what it talks to (the median
        offset to its neighbours in lanes already placed), never left of the lane start."""
        xs = self._xs(gaps, 0.0)
        offsets = []
        for src, dst in pairs:
            for mine, other in ((src, dst), (dst, src)):
                if mine in self.cell_of and self.cell_of[mine][0] in group and other in placed_x:
                    offsets.append(placed_x[other] - xs[self.cell_of[mine][2]])
        if not offsets:
            return 0.0
        offsets.sort()
        # Only into room the lanes above already take: aligning never widens the picture.
        room = max(placed_x.values(), default=xs[-1]) - xs[-1]
        return max(0.0, min(offsets[len(offsets) // 2], room))

    def _xs(self, gaps: list[float], shift: float) -> list[float]:
        x = self.lanes_left + LANE_PAD + NODE_W / 2 + shift
        out = []
        for gap in gaps:
            out.append(x)
            x += NODE_W + gap
        return out

    def _place_clients(self, pairs: list[tuple[str, str]], labelled: set[tuple[str, str]]) -> None:
        """Clients stand in a column left of the lanes; the gap to the lanes leaves room for
        the label of a client's flow."""
        if not self.clients:
            return
        self.client_links = {nid: [dst for src, dst in pairs if src == nid and dst in self.cell_of]
                             + [src for src, dst in pairs if dst == nid and src in self.cell_of]
                             for nid in self.clients}
        widest = max((text_width(line, EDGE_PT) for e in self.base_edges if e.label and e.src in self.clients
                      for line in fit(e.label, LABEL_W, EDGE_PT, LABEL_LINES)), default=0)
        gap = max(GX, widest + 2 * LABEL_PAD + 2 * ARROW_ROOM) if widest else GX
        if gap > GX:
            extra = gap - GX
            self.lanes_left += extra
            for lane in self.col_x:
                self.col_x[lane] = [x + extra for x in self.col_x[lane]]

    def settle_clients(self) -> None:
        """Each client level with the first component it talks to, the next one down when
        that spot is taken (lanes are fixed by now, so this moves nothing else)."""
        taken: list[float] = []
        pitch = self.layout.node_h + GY
        for nid in self.clients:
            links = self.client_links.get(nid, [])
            y = self.row_y(self.cell_of[links[0]][0], self.cell_of[links[0]][1]) if links else self.row_y(self.lanes[0], 0)
            while any(abs(y - other) < pitch - 1 for other in taken):
                y += pitch
            taken.append(y)
            self.client_y[nid] = y
        if not taken:
            return
        # Many clients of one entry point would hang below the lanes: lift the column as far
        # as the top lane allows.
        last = self.lanes[-1]
        bottom = self.row_y(last, self.rows[last] - 1)
        lift = min(max(taken) - bottom, min(taken) - self.row_y(self.lanes[0], 0))
        if lift > 0:
            for nid in self.client_y:
                self.client_y[nid] -= lift

    def right(self) -> float:
        """The right edge of the lanes."""
        right = max((xs[-1] for xs in self.col_x.values() if xs), default=self.lanes_left)
        return max(right + NODE_W / 2 + LANE_PAD, self.lanes_left + 320)

    def lane_height(self, lane: str) -> float:
        rows = self.rows[lane]
        return LANE_HEAD + rows * self.layout.node_h + (rows - 1) * GY + LANE_PAD

    def lane_top(self, lane: str) -> float:
        y = self.layout.lanes_top
        for other in self.lanes:
            if other == lane:
                return y
            y += self.lane_height(other) + LANE_GAP
        return y

    def row_y(self, lane: str, row: int) -> float:
        return self.lane_top(lane) + LANE_HEAD + self.layout.node_h / 2 + row * (self.layout.node_h + GY)

    # Placeholders and ghosts ------------------------------------------------------------

    def place_late(self) -> None:
        scene = self.scene
        late = [n for n in scene.nodes if n.late]
        links: dict[str, list[str]] = defaultdict(list)
        for edge in scene.edges:
            links[edge.src].append(edge.dst)
            links[edge.dst].append(edge.src)
        for node in late:
            lane = node.lane if node.lane != CLIENT else "serving"
            if lane not in self.cells:
                # A lane only placeholders need goes at the bottom, so no lane moves.
                self.lanes.append(lane)
                self.cells[lane] = {}
                self.rows[lane] = 1
                self.col_x[lane] = self._xs([GX], 0.0)
            anchor = [p for p in (self._centre(o) for o in links[node.id]) if p is not None]
            ax = sum(p[0] for p in anchor) / len(anchor) if anchor else self.col_x[lane][0]
            ay = sum(p[1] for p in anchor) / len(anchor) if anchor else self.row_y(lane, 0)
            cells = self.cells[lane]
            ncols = len(self.col_x[lane])
            free = [(r, c) for c in range(ncols) for r in range(self.rows[lane]) if (r, c) not in cells]
            if not free:
                self.col_x[lane].append(self.col_x[lane][-1] + NODE_W + GX)
                free = [(r, ncols) for r in range(self.rows[lane])]
            best = min(free, key=lambda rc: (abs(self.col_x[lane][rc[1]] - ax) + abs(self.row_y(lane, rc[0]) - ay),
                                             rc[1], rc[0]))
            cells[best] = node.id
            self.cell_of[node.id] = (lane, best[0], best[1])

    def _centre(self, nid: str) -> Optional[tuple[float, float]]:
        if nid in self.cell_of:
            lane, row, col = self.cell_of[nid]
            return self.col_x[lane][col], self.row_y(lane, row)
        if nid in self.client_y:
            return self.client_x, self.client_y[nid]
        return None


# --- frame: lanes, boxes, title ------------------------------------------------------------


def _header(scene: Scene, layout: Layout, right: float) -> None:
    width = max(right - MARGIN, 480)
    layout.title_lines = fit(scene.title, width, TITLE_PT, 2, bold=True)
    title_h = len(layout.title_lines) * line_height(TITLE_PT) + line_height(SUB_PT) + 6
    layout.subtitle = shorten(scene.subtitle, width, SUB_PT)
    title_w = max(max((text_width(t, TITLE_PT, True) for t in layout.title_lines), default=0),
                  text_width(layout.subtitle, SUB_PT))
    layout.title_box = Box(MARGIN + title_w / 2 + 2, MARGIN + title_h / 2, title_w + 4, title_h)
    layout.lanes_top = MARGIN + max(title_h, 40) + 14


def _frame(scene: Scene, layout: Layout, grid: _Grid) -> None:
    node_h = layout.node_h
    right = grid.right()
    for lane in grid.lanes:
        top = grid.lane_top(lane)
        height = grid.lane_height(lane)
        for (row, col), nid in grid.cells[lane].items():
            node = scene.node(nid)
            lines, sub = node_text(node, _lines_for(layout))
            box = Box(grid.col_x[lane][col], grid.row_y(lane, row), NODE_W, node_h)
            layout.nodes[nid] = NodeBox(box, lines, sub)
        title = scene.lane_titles.get(lane, lane)
        # A margin round the title: a routed edge may graze a box's corner, never its text.
        tw = text_width(title, LANE_PT, bold=True) + 16
        th = line_height(LANE_PT) + 6
        title_box = Box(grid.lanes_left + 6 + tw / 2, top + 2 + th / 2, tw, th)
        layout.lanes.append(LaneBox(lane, title, Box.from_edges(grid.lanes_left, top, right, top + height),
                                    title_box))
    for nid in grid.clients:
        node = scene.node(nid)
        lines, sub = node_text(node, _lines_for(layout))
        box = Box(grid.client_x, grid.client_y[nid], NODE_W, node_h)
        layout.nodes[nid] = NodeBox(box, lines, sub)
    bottom = max((lane.box.bottom for lane in layout.lanes), default=layout.lanes_top)
    bottom = max([bottom] + [nb.box.bottom for nb in layout.nodes.values()])
    layout.width = right + MARGIN
    layout.height = bottom + MARGIN


def _design_box(scene: Scene, layout: Layout) -> None:
    """The box of findings about the whole design, on top beside the title (placed before
    the edge labels, which must keep clear of it)."""
    if not scene.design_marks:
        return
    bw, bh = badges_size(scene.design_marks, DESIGN_PER_ROW, len(scene.design_marks))
    label_w = text_width("Design-wide findings", LEGEND_PT) + 10
    w, h = label_w + bw + 16, max(bh, line_height(LEGEND_PT)) + 12
    tb = layout.title_box
    assert tb is not None
    layout.design_box = Box(tb.right + 30 + w / 2, MARGIN + h / 2, w, h)
    layout.width = max(layout.width, layout.design_box.right + MARGIN)


def _lines_for(layout: Layout) -> int:
    return max(1, round((layout.node_h - (2 * NODE_PAD + ICON + 4 + line_height(TECH_PT) + 2))
                        / line_height(NAME_PT)))


# --- edge labels and badges --------------------------------------------------------------


def deco_lines(edge: SceneEdge) -> list[str]:
    return fit(edge.label, LABEL_W, EDGE_PT, LABEL_LINES) if edge.label else []


def deco_size(lines: list[str], marks: list[Mark]) -> tuple[float, float]:
    bw, bh = badges_size(marks, 4, len(marks))  # every badge, four a row
    tw = max((text_width(line, EDGE_PT) for line in lines), default=0.0)
    th = len(lines) * line_height(EDGE_PT)
    return max(tw, bw) + 2 * LABEL_PAD + 2, th + bh + 2 * LABEL_PAD


def _decorate(scene: Scene, layout: Layout, grid: _Grid) -> None:
    index = Index()
    for nb in layout.nodes.values():
        index.add(nb.box.grown(8))
    for lane in layout.lanes:
        index.add(lane.title_box.grown(8))
    for box in (layout.title_box, layout.design_box):
        if box is not None:
            index.add(box.grown(8))
    # The design's own labels first, in design order, then what the findings add.
    ordered = sorted(scene.edges, key=lambda e: (e.role != "flow", bool(e.marks)))
    for edge in ordered:
        lines = deco_lines(edge)
        if not lines and not edge.marks:
            continue
        if edge.src not in layout.nodes or edge.dst not in layout.nodes:
            continue
        w, h = deco_size(lines, edge.marks)
        a, b = layout.nodes[edge.src].box, layout.nodes[edge.dst].box
        box = _spot(index, a, b, w, h, layout)
        index.add(box.grown(8))
        layout.decos[edge.id] = Deco(box, lines, edge.marks)
        layout.width = max(layout.width, box.right + MARGIN)
        layout.height = max(layout.height, box.bottom + MARGIN)


def _spot(index: Index, a: Box, b: Box, w: float, h: float, layout: Layout) -> Box:
    """A free spot for a w x h label: on the straight line between the two boxes if
    possible, else beside it, else spiralling out from the middle."""
    dx, dy = b.x - a.x, b.y - a.y
    length = max((dx * dx + dy * dy) ** 0.5, 1.0)
    nx, ny = -dy / length, dx / length
    hw, hh = w / 2, h / 2

    def free(x: float, y: float) -> bool:
        return y - hh > 0 and x - hw > 0 and not index.hits_edges(x - hw, y - hh, x + hw, y + hh)

    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74):
        for off in (0, 14, -14, 28, -28, 42, -42, 60, -60):
            x, y = a.x + dx * t + nx * off, a.y + dy * t + ny * off
            if free(x, y):
                return Box(x, y, w, h)
    cx, cy = a.x + dx / 2, a.y + dy / 2
    for ring in range(1, 60):
        r = ring * 14.0
        steps = 6 * ring
        for i in range(steps):
            angle = 2 * math.pi * i / steps
            x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
            if free(x, y):
                return Box(x, y, w, h)
    return Box(layout.width + w / 2, cy, w, h)  # past everything: always free


# --- title, design box, legend, key ---------------------------------------------------------



def legend_rows(scene: Scene) -> list[tuple[str, str]]:
    """(what, meaning) for each mark the picture uses, in a fixed order: badges first
    (Graphviz 2.43's json output crashes on a rounded badge drawn after a dotted line)."""
    meanings = {
        "request": "request (online call)", "stream": "stream (events)", "batch": "batch (scheduled)",
        "trigger": "trigger (starts a run)", FALLBACK: "fallback LLM",
    }
    rows: list[tuple[str, str]] = []
    if scene.overlay:
        used = {m.severity for m in scene.marks if not m.acknowledged}
        for severity in ("error", "warning", "info"):
            if severity in used:
                rows.append((severity, f"{severity} (see key)"))
        if any(m.acknowledged for m in scene.marks):
            rows.append(("acknowledged", "trade-off"))
    rows += [(mode, meanings[mode]) for mode in scene.modes if mode in meanings]
    roles = {n.role for n in scene.nodes} | {e.role for e in scene.edges}
    if MISSING in roles:
        rows.append(("missing", "missing part"))
    if GHOST in roles:
        rows.append(("ghost", "unknown reference"))
    return rows


def legend_size(rows: list[tuple[str, str]]) -> tuple[float, float]:
    w = max((text_width(meaning, LEGEND_PT) for _, meaning in rows), default=60) + LEGEND_SAMPLE_W + 24
    w = max(w, text_width("Legend", LEGEND_PT, True) + 16)
    return w, (len(rows) + 1) * (line_height(LEGEND_PT) + 5) + 10


def key_lines(mark: Mark, width: float = KEY_W, lines: int = KEY_LINES) -> list[str]:
    ack = " (acknowledged)" if mark.acknowledged else ""
    return fit(f"{mark.code} {mark.rule}{ack}: {mark.message}", width, KEY_PT, lines)


def key_size(rows: list[Mark], more: int, width: float, lines: int, columns: int) -> tuple[float, float]:
    """The key's box: ``columns`` columns of rows whose text wraps at ``width``."""
    per_column = -(-len(rows) // columns)
    text_w = max((text_width(line, KEY_PT) for m in rows for line in key_lines(m, width, lines)), default=100)
    w = columns * (text_w + 34) + (columns - 1) * 16 + 16
    w = max(w, text_width("Findings", KEY_PT, True) + 20)
    tallest = max((sum(len(key_lines(m, width, lines)) for m in rows[c * per_column:(c + 1) * per_column])
                   for c in range(columns)), default=0)
    n = per_column
    return w, line_height(KEY_PT) + 12 + tallest * line_height(KEY_PT) + n * 5 + (line_height(KEY_PT) + 5 if more else 0) + 8


def _side(scene: Scene, layout: Layout, grid: _Grid) -> None:
    """The legend in the bottom-left corner (under the clients when it fits there), the
    findings key beside it under the lanes, or right of the lanes, whichever fits a 16:9
    slide better."""
    layout.legend_rows = legend_rows(scene)
    rows = scene.marks[:MAX_KEY_ROWS] if scene.overlay else []
    layout.key_rows = rows
    layout.key_more = len(scene.marks) - len(rows) if scene.overlay else 0
    lw, lh = legend_size(layout.legend_rows)
    lanes_top = layout.lanes[0].box.top if layout.lanes else MARGIN
    lanes_bottom = max((lane.box.bottom for lane in layout.lanes), default=lanes_top)
    right, bottom = layout.width - MARGIN, layout.height - MARGIN
    column = grid.lanes_left - 14 - MARGIN
    clients_bottom = max((layout.nodes[c].box.bottom for c in grid.clients), default=lanes_top)
    under_clients = bool(grid.clients) and lw <= column and clients_bottom + 40 + lh <= lanes_bottom
    if under_clients:
        layout.legend_box = Box(MARGIN + lw / 2, lanes_bottom - lh / 2, lw, lh)
        band_left = grid.lanes_left
    else:
        layout.legend_box = Box(MARGIN + lw / 2, bottom + 24 + lh / 2, lw, lh)
        band_left = MARGIN + lw + 24
    if not rows:
        if not under_clients:
            layout.height = bottom + 24 + lh + MARGIN
        return
    # Right of the lanes: a column of rows wrapped on two lines.
    sw, sh = key_size(rows, layout.key_more, KEY_W, KEY_LINES, 1)
    side = (right + 24 + sw + MARGIN, max(bottom, lanes_top + sh) + MARGIN)
    if not under_clients:
        side = (side[0], max(side[1], bottom + 24 + lh + MARGIN))
    # Under the lanes: one line a row, in as many columns as fit at a readable width, so
    # the band stays a few lines tall.
    room = max(right - band_left, KEY_MIN_COLUMN)
    columns = max(1, min(len(rows), 3, int((room + 16) // (KEY_MIN_COLUMN + 16))))
    text_w = (room - 16 * (columns - 1) - 16) / columns - 34
    bw, bh = key_size(rows, layout.key_more, text_w, 1, columns)
    below = (max(right, band_left + bw) + MARGIN, bottom + 24 + max(bh, 0 if under_clients else lh) + MARGIN)
    if _fit(*side) > _fit(*below):
        layout.key_box = Box(right + 24 + sw / 2, lanes_top + sh / 2, sw, sh)
        layout.key_text_w, layout.key_line_limit, layout.key_columns = KEY_W, KEY_LINES, 1
        layout.width, layout.height = side
    else:
        layout.key_box = Box(band_left + bw / 2, bottom + 24 + bh / 2, bw, bh)
        layout.key_text_w, layout.key_line_limit, layout.key_columns = text_w, 1, columns
        layout.width, layout.height = below


def _fit(width: float, height: float) -> float:
    """Points to pixels when the picture is fitted into a 1600 x 900 slide."""
    return min(SLIDE[0] / width, SLIDE[1] / height)
