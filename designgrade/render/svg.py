"""A self-contained SVG: Graphviz references icons by local file path; inline them as
``data:`` URIs so the file can leave the machine (and carries no path of it)."""

from __future__ import annotations

import base64
import functools
import os
import re

from .errors import RenderError

_HREF = re.compile(r'(xlink:href|href)="([^"]*)"')
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml",
         ".gif": "image/gif"}


@functools.lru_cache(maxsize=512)
def data_uri(path: str) -> str:
    mime = _MIME.get(os.path.splitext(path)[1].lower(), "application/octet-stream")
    with open(path, "rb") as fh:
        return f"data:{mime};base64,{base64.b64encode(fh.read()).decode('ascii')}"


def icon_root() -> str:
    """The folder diagrams keeps its icons in (``<site-packages>/resources``)."""
    import diagrams

    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(diagrams.__file__))), "resources")


def inline_images(svg: str, root: str) -> str:
    """Replace every href naming an icon file under ``root`` by a data: URI.

    Any other href that looks like a local path is an error: it would leak the machine's
    layout and break elsewhere. Links (http, #ids, data:) are left alone.
    """

    def swap(match: re.Match[str]) -> str:
        attr, value = match.group(1), match.group(2)
        path = _unescape(value)
        if _inside(path, root) and os.path.isfile(path):
            return f'{attr}="{data_uri(path)}"'
        if os.path.isabs(path) or path.startswith("file:"):
            raise RenderError(f"the SVG refers to a local file Graphviz added: {os.path.basename(path)}")
        return match.group(0)

    return _HREF.sub(swap, svg)


def _unescape(value: str) -> str:
    return (value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            .replace("&#39;", "'").replace("&amp;", "&"))


def _inside(path: str, root: str) -> bool:
    path, root = os.path.normpath(path), os.path.normpath(root)
    return os.path.isabs(path) and os.path.commonpath([path, root]) == root
