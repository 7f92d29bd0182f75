"""Boxes and a spatial index: the small geometry the layout and its checks need."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Box:
    """An axis-aligned box by its centre and size, in points, y growing downwards."""

    x: float
    y: float
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2

    def grown(self, by: float) -> "Box":
        return Box(self.x, self.y, self.w + 2 * by, self.h + 2 * by)

    def overlaps(self, other: "Box") -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    @staticmethod
    def from_edges(left: float, top: float, right: float, bottom: float) -> "Box":
        return Box((left + right) / 2, (top + bottom) / 2, right - left, bottom - top)


class Index:
    """Boxes bucketed on a grid, so "does this box hit anything" looks at a few neighbours
    instead of every box (labels are placed by trying many spots). Boxes are kept as
    edge tuples: this is the layout's inner loop."""

    def __init__(self, cell: float = 96.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def add(self, box: Box) -> None:
        edges = (box.left, box.top, box.right, box.bottom)
        c = self.cell
        for i in range(int(edges[0] // c), int(edges[2] // c) + 1):
            for j in range(int(edges[1] // c), int(edges[3] // c) + 1):
                self.buckets.setdefault((i, j), []).append(edges)

    def hits(self, box: Box) -> bool:
        return self.hits_edges(box.left, box.top, box.right, box.bottom)

    def hits_edges(self, left: float, top: float, right: float, bottom: float) -> bool:
        c = self.cell
        buckets = self.buckets
        for i in range(int(left // c), int(right // c) + 1):
            for j in range(int(top // c), int(bottom // c) + 1):
                for x0, y0, x1, y1 in buckets.get((i, j), ()):
                    if left < x1 and x0 < right and top < y1 and y0 < bottom:
                        return True
        return False
