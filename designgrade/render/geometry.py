"""Boxes and a spatial index: the small geometry the layout and its checks need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator


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
    instead of every box (labels are placed by trying many spots)."""

    def __init__(self, cell: float = 96.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[Box]] = {}

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        c = self.cell
        for i in range(int(box.left // c), int(box.right // c) + 1):
            for j in range(int(box.top // c), int(box.bottom // c) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        for key in self._cells(box):
            self.buckets.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        for key in self._cells(box):
            for other in self.buckets.get(key, ()):
                if box.overlaps(other):
                    return True
        return False
