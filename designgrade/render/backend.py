"""Running Graphviz: DOT text in, SVG/PNG/PDF bytes out, in memory (no files)."""

from __future__ import annotations

import shutil
import subprocess

from .errors import GRAPHVIZ_HINT, RenderError

TIMEOUT_S = 120


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
