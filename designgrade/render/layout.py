"""A design laid out for drawing: what to show (scene.py) and where (place.py).

Importing this module loads everything a drawing needs but Graphviz, which is what a
batch imports once before its workers fork.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from .place import Layout, place
from .scene import Scene, build_scene

__all__ = ["Layout", "Scene", "lay_out"]


def lay_out(graph: Any, findings: Optional[Sequence[Any]], title: Optional[str] = None,
            source: Any = None) -> tuple[Scene, Layout]:
    """The Scene of ``graph`` (with the findings overlay when ``findings`` is not None) and
    its geometry."""
    scene = build_scene(graph, findings, title, source)
    return scene, place(scene)
