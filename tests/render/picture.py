"""What a drawn diagram shows, read back from Graphviz's own output: the layout checks of
the tests and the figures of bench/render_bench.py measure this, not the renderer's
intentions.

:func:`read_layout` runs ``dot -Tjson`` on the DOT the renderer wrote (the layout is
pinned, so it is the picture's layout) and gives every text box, node box and edge
curve; :func:`read_badges` finds each finding's badge in the SVG and what holds it.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Iterator, Optional

PAD = 18.0          # the picture's margin (pad=0.25 in) around Graphviz's bounding box
SLIDE = (1600.0, 900.0)
SVG = "{http://www.w3.org/2000/svg}"

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (Graphviz coordinates, y up)


@dataclass
class Text:
    owner: str           # the DOT name of the node (or label box) that draws it
    text: str
    size: float
    box: Box
    color: str = ""


@dataclass
class Curve:
    id: str
    tail: str
    head: str
    points: list[tuple[float, float]]


@dataclass
class Layout:
    width: float         # the whole picture, margin included, in points
    height: float
    left: float = 0.0    # Graphviz's bounding box: y grows upwards from its bottom
    top: float = 0.0
    nodes: dict[str, Box] = field(default_factory=dict)
    tooltips: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    texts: list[Text] = field(default_factory=list)
    curves: list[Curve] = field(default_factory=list)

    def centre(self, name: str) -> tuple[float, float]:
        """The centre of a box as a reader measures it: from the picture's top-left corner."""
        x0, y0, x1, y1 = self.nodes[name]
        return (x0 + x1) / 2 - self.left, self.top - (y0 + y1) / 2

    def components(self) -> dict[str, str]:
        """Component id -> DOT name, from the first part of each node's tooltip."""
        out = {}
        for name, cls in self.classes.items():
            if cls in ("component", "unknown"):
                out[self.tooltips[name].split(" \u00b7 ")[0].split("\n")[0]] = name
        return out

    def slide_px(self, size: float) -> float:
        """What ``size`` points become when the picture is fitted into a 1600 x 900 slide."""
        return size * min(SLIDE[0] / self.width, SLIDE[1] / self.height)


def read_layout(dot_source: str) -> Layout:
    done = subprocess.run(["dot", "-Tjson"], input=dot_source.encode("utf-8"), capture_output=True,
                          timeout=300, check=True)
    graph = json.loads(done.stdout)
    x0, y0, x1, y1 = (float(v) for v in graph["bb"].split(","))
    layout = Layout(x1 - x0 + 2 * PAD, y1 - y0 + 2 * PAD, x0, y1)
    names: dict[int, str] = {}
    for obj in graph.get("objects", []):
        if "nodes" in obj or "pos" not in obj:
            continue  # a cluster
        name = obj["name"]
        names[obj["_gvid"]] = name
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
        layout.nodes[name] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        layout.tooltips[name] = obj.get("tooltip", "")
        layout.classes[name] = obj.get("class", "")
        layout.texts.extend(_texts(name, obj.get("_ldraw_", [])))
    for edge in graph.get("edges", []):
        points: list[tuple[float, float]] = []
        for key in ("_draw_", "_hdraw_", "_tdraw_"):
            for op in edge.get(key, []):
                if op.get("op") in ("b", "B"):
                    points.extend(_bezier(op["points"]))
                elif op.get("op") in ("p", "P", "L"):
                    points.extend((float(px), float(py)) for px, py in op["points"])
        layout.curves.append(Curve(edge.get("id", ""), names[edge["tail"]], names[edge["head"]], points))
    return layout


def _texts(owner: str, ops: list[dict]) -> Iterator[Text]:
    size = 14.0
    color = ""
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "c":
            color = op.get("color", "")
        elif op.get("op") == "T" and op.get("text", "").strip():
            x, y = (float(v) for v in op["pt"])
            width = float(op["width"])
            left = {"l": x, "r": x - width}.get(op.get("align", "c"), x - width / 2)
            # The em box of DejaVu Sans: 0.24 em below the baseline, 0.76 em of capitals above.
            yield Text(owner, op["text"], size, (left, y - 0.24 * size, left + width, y + 0.76 * size), color)


def _bezier(points: list[list[float]]) -> Iterator[tuple[float, float]]:
    pts = [(float(x), float(y)) for x, y in points]
    for i in range(0, len(pts) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = pts[i:i + 4]
        for k in range(33):
            t = k / 32
            u = 1 - t
            yield (u ** 3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t ** 3 * dx,
                   u ** 3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t ** 3 * dy)


def _inside(point: tuple[float, float], box: Box, slack: float) -> bool:
    return box[0] + slack < point[0] < box[2] - slack and box[1] + slack < point[1] < box[3] - slack


def _overlap(a: Box, b: Box, slack: float = 0.5) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def text_overlaps(layout: Layout) -> list[tuple[str, str]]:
    """Pairs of texts of different boxes that overprint each other."""
    found = []
    texts = sorted(layout.texts, key=lambda t: t.box[0])
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if b.box[0] >= a.box[2]:
                break
            if a.owner != b.owner and _overlap(a.box, b.box):
                found.append((f"{a.owner}: {a.text}", f"{b.owner}: {b.text}"))
    return found


def boxes_overlapping(layout: Layout) -> list[tuple[str, str]]:
    """Pairs of node or label boxes that overlap."""
    items = sorted(layout.nodes.items(), key=lambda kv: kv[1][0])
    found = []
    for i, (a, box_a) in enumerate(items):
        for b, box_b in items[i + 1:]:
            if box_b[0] >= box_a[2]:
                break
            if _overlap(box_a, box_b):
                found.append((a, b))
    return found


def edges_through_text(layout: Layout, slack: float = 1.0) -> list[tuple[str, str]]:
    """(edge, text) where an edge's line or arrowhead runs through text it does not own:
    an edge owns only the label box it passes through."""
    found = []
    for curve in layout.curves:
        own = {curve.tail, curve.head} & {n for n in layout.nodes if n.startswith("LABEL_")}
        for text in layout.texts:
            if text.owner in own:
                continue
            if any(_inside(p, text.box, slack) for p in curve.points):
                found.append((curve.id or f"{curve.tail}->{curve.head}", f"{text.owner}: {text.text}"))
    return found


def drawn_flows(layout: Layout) -> set[tuple[str, str]]:
    """(tail, head) node names of every drawn edge, an edge through a label box counted once."""
    into: dict[str, str] = {}
    out: dict[str, str] = {}
    pairs = set()
    for curve in layout.curves:
        if curve.head.startswith("LABEL_"):
            into[curve.head] = curve.tail
        elif curve.tail.startswith("LABEL_"):
            out[curve.tail] = curve.head
        else:
            pairs.add((curve.tail, curve.head))
    for label, tail in into.items():
        if label in out:
            pairs.add((tail, out[label]))
    return pairs


def node_text_px(layout: Layout) -> float:
    """The smallest label text (name or tech; not a badge's white number) of any component
    box, in pixels on a 1600 x 900 slide."""
    sizes = [t.size for t in layout.texts
             if layout.classes.get(t.owner) in ("component", "unknown") and t.color.lower() not in ("white", "#ffffff")]
    return layout.slide_px(min(sizes)) if sizes else 0.0


def read_badges(svg: str) -> dict[str, list[str]]:
    """Finding anchor -> the ids of the groups (dg-node-*, dg-label-*, dg-design) holding its badge."""
    root = ET.fromstring(svg)
    found: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if not (gid.startswith(("dg-node-", "dg-label-")) or gid == "dg-design"):
            continue
        for inner in group.iter(f"{SVG}g"):
            iid = inner.get("id", "")
            if iid.startswith("a_badge-"):
                found.setdefault(iid.removeprefix("a_badge-"), []).append(gid)
    return found


def badge_holder(found: dict[str, list[str]], anchor: str) -> Optional[str]:
    holders = found.get(anchor, [])
    return holders[0] if len(holders) == 1 else None
