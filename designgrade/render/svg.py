"""Graphviz's SVG made small, portable and scalable.

- Every icon is embedded once, in ``<defs>``, and each node shows it with ``<use>``: a
  picture of 20 components using 12 icons carries 12 small PNGs, not 20 large ones.
- No path of the machine remains: an image Graphviz names by a local file that is not
  one of the icons is an error, never a leak.
- The size is given in pixels with a viewBox, so CSS can scale it to its container.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Callable, Optional

from .errors import RenderError

_IMAGE = re.compile(r"<image\b([^>]*?)/?>(?:</image>)?", re.S)
_ATTR = re.compile(r'([:\w-]+)="([^"]*)"')
_SIZE = re.compile(r'<svg\b([^>]*?)\bwidth="([\d.]+)pt"\s+height="([\d.]+)pt"', re.S)
_PROLOG_END = re.compile(r"<svg\b")


def finish(svg: str, folder: str, icon_png: Callable[[str], Optional[bytes]]) -> str:
    """The SVG with icons from ``folder`` (named ``<class path>.png``) moved into
    ``<defs>``, and sized in pixels."""
    used: dict[str, str] = {}
    data: dict[str, bytes] = {}

    def swap(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        href = attrs.get("xlink:href") or attrs.get("href") or ""
        path = _unescape(href)
        if os.path.dirname(os.path.normpath(path)) == os.path.normpath(folder):
            name = os.path.basename(path).removesuffix(".png")
            png = data[name] if name in data else icon_png(name)
            if png:
                data[name] = png
                ref = used.setdefault(name, f"icon-{len(used) + 1}")
                geometry = " ".join(f'{k}="{attrs[k]}"' for k in ("x", "y", "width", "height") if k in attrs)
                return f'<use xlink:href="#{ref}" {geometry}/>'
        if os.path.isabs(path) or path.startswith("file:"):
            raise RenderError(f"the SVG refers to a local file Graphviz added: {os.path.basename(path)}")
        return match.group(0)

    body = _IMAGE.sub(swap, svg)
    body = _SIZE.sub(lambda m: f'<svg{m.group(1)}width="{_px(m.group(2))}px" height="{_px(m.group(3))}px"',
                     body, count=1)
    if used:
        defs = "".join(
            f'<symbol id="{ref}" viewBox="0 0 96 96"><image width="96" height="96" '
            f'xlink:href="data:image/png;base64,{base64.b64encode(data[name]).decode("ascii")}"/></symbol>'
            for name, ref in used.items())
        start = body.find(">", _PROLOG_END.search(body).end()) + 1  # type: ignore[union-attr]
        body = f"{body[:start]}\n<defs>{defs}</defs>{body[start:]}"
    return body


def _px(points: str) -> str:
    # One SVG user unit is one point here; 1pt is 4/3 px.
    return f"{float(points) * 4 / 3:.0f}"


def _unescape(value: str) -> str:
    return (value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            .replace("&#39;", "'").replace("&amp;", "&"))
