"""Architecture diagrams of a design: SVG, PNG, PDF, DOT or Mermaid, in lanes, with the
findings drawn on top (numbered badges and a key, dashed "missing: X" placeholders,
ghost nodes for unknown references).

Library API (the CLI's ``designgrade render`` wraps it):

- :func:`render` draws a linted design (a DesignGraph and its findings) in memory;
- :func:`render_file` lints a design file and writes the picture atomically;
- :class:`RenderError` is the only exception, with a one-line message;
- :data:`FORMATS` lists the formats.

Nothing here prints or exits, and ``import designgrade.render`` loads none of the drawing
modules (nor diagrams or graphviz, which a drawing never imports: the icons it uses are
prepared copies, icondata.py); SVG, PNG and PDF run Graphviz's ``dot``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from .errors import GRAPHVIZ_HINT, RenderError

__all__ = ["FORMATS", "RenderError", "render", "render_design", "render_file", "format_for", "GRAPHVIZ_HINT"]

FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "dot", "mermaid")
TEXT_FORMATS = frozenset({"svg", "dot", "mermaid"})
GRAPHVIZ_FORMATS = frozenset({"svg", "png", "pdf"})
SUFFIXES: dict[str, str] = {
    ".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot",
    ".mmd": "mermaid", ".mermaid": "mermaid",
}


def format_for(out_path: Union[str, os.PathLike[str]]) -> str:
    """The format named by an output file's suffix, or RenderError."""
    suffix = Path(out_path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    known = ", ".join(sorted(SUFFIXES))
    raise RenderError(
        f"cannot tell the format from '{Path(out_path).name}': use a suffix ({known}) or give the format"
    )


def render(graph: Any, findings: Optional[Sequence[Any]], fmt: str, *, title: Optional[str] = None,
           source: Any = None) -> Union[str, bytes]:
    """Draw ``graph`` (a DesignGraph) in ``fmt``.

    ``findings``: the lint findings to overlay (numbered badges, the key, missing parts);
    an empty list draws the overlay with nothing flagged; None draws the clean design.
    ``source``: the loaded file (``report.source``), optional: with it, components of an
    unknown kind keep their tech and flows to unknown components carry their badges.
    Returns text for dot, mermaid and svg, bytes for png and pdf.
    """
    fmt = _check_format(fmt)
    if graph is None or not getattr(graph, "components", None):
        raise RenderError("the design has no components to draw")
    if fmt == "mermaid":
        from .mermaid import scene_to_mermaid
        from .scene import build_scene

        return scene_to_mermaid(build_scene(graph, findings, title, source))
    from .dot import scene_to_dot
    from .layout import lay_out

    scene, layout = lay_out(graph, findings, title, source)
    if fmt == "dot":
        from .icons import resource_file

        return scene_to_dot(scene, layout, resource_file)
    from .backend import draw

    out, _, folder = draw(lambda icon_file: scene_to_dot(scene, layout, icon_file), fmt)
    if fmt == "svg":
        from .icons import icon_png
        from .svg import finish

        return finish(out.decode("utf-8"), folder, icon_png)
    return out


def render_design(
    design_path: Union[str, os.PathLike[str]],
    fmt: str,
    findings: bool = True,
    level: Optional[str] = None,
) -> Union[str, bytes]:
    """Lint ``design_path`` and draw it in ``fmt`` (in memory). Raises RenderError."""
    from ..engine import Options, lint

    fmt = _check_format(fmt)
    if not Path(design_path).is_file():
        raise RenderError(f"cannot read '{design_path}': no such file")
    report = lint(design_path, Options(level=level))
    if report.unreadable:
        first = report.findings[0] if report.findings else None
        where = f":{first.line}:{first.column}" if first else ""
        why = f": {first.message}" if first else ""
        raise RenderError(f"{design_path}{where}: cannot draw a design that is not valid YAML{why}")
    graph = report.design
    if graph is None or not getattr(graph, "components", None):
        raise RenderError(
            f"{design_path}: nothing to draw: the design has no valid components "
            f"(run 'designgrade lint {design_path}' for the schema errors)"
        )
    return render(graph, report.findings if findings else None, fmt, source=report.source)


def render_file(
    design_path: Union[str, os.PathLike[str]],
    out_path: Optional[Union[str, os.PathLike[str]]],
    fmt: Optional[str] = None,
    findings: bool = True,
    level: Optional[str] = None,
) -> Optional[Union[str, bytes]]:
    """Lint ``design_path`` and write its diagram to ``out_path`` (atomically).

    ``fmt`` defaults to the suffix of ``out_path`` (``.md`` writes a fenced Mermaid
    block); ``findings`` draws the overlay; ``level`` is the lint level (default: the
    design's own). Without ``out_path`` the picture is returned instead. Raises
    RenderError, and then leaves no file behind. It never writes over the design itself
    or over another YAML file.
    """
    if out_path is None:
        return render_design(design_path, fmt or "mermaid", findings, level)
    out = Path(out_path)
    markdown = out.suffix.lower() == ".md"
    fmt = _check_format(fmt) if fmt is not None else ("mermaid" if markdown else format_for(out))
    if not out.parent.is_dir():
        raise RenderError(f"cannot write '{out}': the folder '{out.parent}' does not exist")
    if out.exists() and (out.suffix.lower() in (".yaml", ".yml") or
                         (Path(design_path).exists() and out.resolve() == Path(design_path).resolve())):
        raise RenderError(f"refusing to write the diagram over '{out}': choose an output such as arch.svg")
    picture = render_design(design_path, fmt, findings, level)
    if markdown and fmt == "mermaid":
        picture = f"```mermaid\n{str(picture).rstrip()}\n```\n"
    data = picture.encode("utf-8") if isinstance(picture, str) else picture
    from ..fileio import write_atomic

    write_atomic(out, data)
    return None


def _check_format(fmt: str) -> str:
    name = str(fmt).strip().lower()
    if name not in FORMATS:
        raise RenderError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    return name
