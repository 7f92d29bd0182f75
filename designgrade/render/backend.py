"""Running Graphviz: DOT text in, SVG/PNG/PDF bytes out, through pipes.

Graphviz reads icons from files, so a drawing gets a private temporary folder holding the
prepared icons it names (icons.py); the folder is removed when Graphviz is done, and
nothing else is written anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Callable, Optional

from .errors import GRAPHVIZ_HINT, RenderError

TIMEOUT_S = 120
ICON_SUFFIX = ".png"


def dot_executable() -> str:
    """The path of Graphviz's ``dot``, or RenderError with the install hint."""
    found = shutil.which("dot")
    if not found:
        raise RenderError(GRAPHVIZ_HINT)
    return found


def run_dot(source: str, fmt: str) -> bytes:
    """``dot -T<fmt>`` on ``source`` through pipes; Graphviz's warnings are ignored."""
    exe = dot_executable()
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took more than {TIMEOUT_S} s to draw the design") from None
    except OSError as exc:
        raise RenderError(f"cannot run Graphviz ({exe}): {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz could not draw {fmt}: {detail[-1] if detail else 'no output'}")
    return done.stdout


def draw(make_dot: Callable[[Callable[[str], Optional[str]]], str], fmt: str) -> tuple[bytes, str, str]:
    """Graphviz's ``fmt`` of the DOT that ``make_dot(icon_file)`` writes, with the icons
    it asks for in a temporary folder. Returns (output, the DOT, the folder's path)."""
    from .icons import icon_png

    dot_executable()
    with tempfile.TemporaryDirectory(prefix="designgrade-") as folder:
        written: dict[str, Optional[str]] = {}

        def icon_file(path: str) -> Optional[str]:
            if path not in written:
                data = icon_png(path)
                name = os.path.join(folder, path + ICON_SUFFIX) if data else None
                if name and data:
                    with open(name, "wb") as fh:
                        fh.write(data)
                written[path] = name
            return written[path]

        source = make_dot(icon_file)
        return run_dot(source, fmt), source, folder
