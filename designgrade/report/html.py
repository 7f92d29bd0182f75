"""Self-contained HTML reports: one per design, and index.html for a batch.

Every page is one file with inline CSS, no network, no external fonts and, for design
reports, no script at all; a Content-Security-Policy meta says so to the browser. The
templates live in ``designgrade/templates`` and jinja2 escapes everything they print
(autoescape on for every template). The one exception is the diagram: an SVG made by our
own renderer, which escapes candidate text itself, inserted only after
:func:`inline_svg` has checked it and stripped anything executable.

jinja2 is imported here, and this module only by the batch writer: never at lint start-up.
"""

from __future__ import annotations

import functools
import html
import os
import re
from typing import Any, Optional, Sequence

from .summary import design_view, num

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'"
TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")

_PROLOG = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# A tag, its attributes read one by one: a quoted value is consumed whole, so text such
# as ` onload=` inside a value is never taken for an attribute.
_ATTR_TEXT = r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<(/?)([A-Za-z][\w:.-]*)((?:{_ATTR_TEXT})*)\s*(/?)>")
_ATTR = re.compile(r"""\s+([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_DROP_WITH_CONTENT = frozenset({"script", "foreignobject", "iframe", "object", "embed", "style"})
_LINK_ATTRS = frozenset({"href", "xlink:href", "src", "action", "formaction"})
_KEY_LINK = "#a_key-"  # a badge's link to its row in the picture's key (render/anchors.py)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def inline_svg(text: Optional[str]) -> Optional[Any]:
    """The renderer's SVG, ready to inline in HTML, or None when it does not look like one.

    Only text that starts with ``<svg`` or ``<?xml`` is accepted; the XML prolog, doctype
    and comments are dropped (they mean nothing inside HTML). Defensively, every tag is
    rebuilt from its parsed attributes: ``<script>``, ``<foreignObject>`` and the like go
    with their content, ``on*`` handlers and ``javascript:`` links go, and a ``<`` that
    starts no tag is escaped. The page's CSP forbids scripts anyway. A badge's link to the
    picture's key becomes a link to the finding's card in the report.
    """
    from markupsafe import Markup

    if not isinstance(text, str):
        return None
    head = text.lstrip()
    if not (head.startswith("<svg") or head.startswith("<?xml")):
        return None
    body = _PROLOG.sub("", head, count=1)
    if not body.startswith("<svg"):
        return None
    return Markup(_clean_markup(_COMMENT.sub("", body)))


def _clean_markup(body: str) -> str:
    out: list[str] = []
    pos = 0
    skipping: Optional[str] = None
    depth = 0
    for match in _TAG.finditer(body):
        closing, name, attrs, self_closing = match.groups()
        lower = name.lower()
        if skipping is None:
            out.append(body[pos:match.start()].replace("<", "&lt;"))
        pos = match.end()
        if skipping is not None:
            if lower == skipping and not self_closing:
                depth += -1 if closing else 1
                if depth == 0:
                    skipping = None
            continue
        if lower in _DROP_WITH_CONTENT:
            if not closing and not self_closing:
                skipping, depth = lower, 1
            continue
        if closing:
            out.append(f"</{name}>")
            continue
        kept = "".join(_safe_attribute(m.group(1), m.group(2)) for m in _ATTR.finditer(attrs))
        out.append(f"<{name}{kept}{' /' if self_closing else ''}>")
    if skipping is None:
        out.append(body[pos:].replace("<", "&lt;"))
    return "".join(out)


def _safe_attribute(name: str, raw: Optional[str]) -> str:
    lower = name.lower()
    if lower.startswith("on"):
        return ""
    if raw is None:
        return f" {name}"
    value = raw[1:-1] if raw[:1] in "\"'" else raw
    if lower in _LINK_ATTRS:
        plain = re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()
        if plain.startswith(("javascript:", "vbscript:")) or (plain.startswith("data:")
                                                                and not plain.startswith("data:image/")):
            return ""
        if html.unescape(value).startswith(_KEY_LINK):  # Graphviz writes "-" as "&#45;"
            value = "#" + html.unescape(value)[len(_KEY_LINK):]
    return f' {name}="{value.replace(chr(34), "&quot;")}"'


def _linkify(text: str) -> Any:
    """Escape text, then make the http(s) URLs in it links (for our own rule docs)."""
    from markupsafe import Markup, escape

    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:")
        end = match.start() + len(url)
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _breakpath(text: str) -> Any:
    """Escape a path, then let it wrap after each slash."""
    from markupsafe import Markup, escape

    return Markup("/<wbr>").join(escape(part) for part in str(text).split("/"))


def _band(percent: Optional[float]) -> str:
    if percent is None:
        return ""
    return "high" if percent >= 75 else "mid" if percent >= 50 else "low"


def _width(percent: Optional[float]) -> str:
    value = max(0.0, min(100.0, float(percent or 0.0)))
    return f"{value:.1f}"


def _sortkey(value: Any) -> str:
    try:
        return f"{float(value):.3f}"
    except (TypeError, ValueError):
        return "0"


def _finding_anchor(finding: dict[str, Any]) -> str:
    """The id of a finding's card: the diagram's badges link to it (render/anchors.py)."""
    from ..render.anchors import finding_anchor

    return finding_anchor(finding.get("code"), finding.get("rule"), finding.get("line"), finding.get("column"),
                          finding.get("message"))


def _badge_anchor(finding: dict[str, Any]) -> str:
    """The id of the finding's badge in the inlined diagram, for the card's link back."""
    from ..render.anchors import badge_id

    return "a_" + badge_id(_finding_anchor(finding))


@functools.lru_cache(maxsize=1)
def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and not hasattr(value, "__html__"):
        from ..textsafe import terminal

        return terminal(value, keep_newlines=True)
    return value


def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        # Every string printed into a page loses control and bidi characters first: a title
        # cannot reorder the text around it (textsafe).
        finalize=_safe_text,
    )
    env.filters.update(num=num, linkify=_linkify, breakpath=_breakpath, band=_band, width=_width, sortkey=_sortkey,
                       finding_anchor=_finding_anchor, badge_anchor=_badge_anchor)
    return env


def _version() -> str:
    from .. import __version__

    return __version__


def render_report(graded: Any, rubric: Any = None, *, svg: Optional[str] = None,
                  diagram_note: Optional[str] = None, mermaid: Optional[str] = None,
                  links: Optional[dict[str, Any]] = None) -> str:
    """One design's report. ``svg``: the renderer's diagram (checked by :func:`inline_svg`);
    without it, ``diagram_note`` says why and ``mermaid`` is shown as source text.
    ``links``: ``{"index": "index.html", "formats": [("Markdown", "x.md"), ...]}``."""
    safe_svg = inline_svg(svg)
    note = diagram_note
    if svg is not None and safe_svg is None:
        note = "No diagram: the renderer did not return an SVG."
    template = environment().get_template("report.html.j2")
    return template.render(
        d=design_view(graded, rubric), svg=safe_svg, diagram_note=note, mermaid=mermaid,
        links=links or {}, csp=REPORT_CSP, version=_version(),
    )


def render_index(rows: Sequence[dict[str, Any]], totals: dict[str, Any], *, rubric: str,
                 rubric_title: Optional[str] = None, changes: Optional[Sequence[Any]] = None,
                 not_designs: Sequence[dict[str, Any]] = ()) -> str:
    """index.html: every submission in a table, sortable with a few lines of inline script
    and complete without it. ``changes``: the compare results, aligned with ``rows`` and
    followed by the submissions gone since."""
    sections: list[dict[str, Any]] = []
    levels: list[str] = []
    for row in rows:
        for s in row["sections"]:
            if s["id"] not in {x["id"] for x in sections}:
                sections.append({"id": s["id"], "title": s["title"], "weight": s.get("weight")})
        for level in row["verdicts"]:
            if level not in levels:
                levels.append(level)
    prepared = []
    changes = list(changes) if changes is not None else None
    for index, row in enumerate(rows):
        item = dict(row)
        item["section_by_id"] = {s["id"]: s for s in row["sections"]}
        item["change"] = changes[index] if changes is not None and index < len(changes) else None
        prepared.append(item)
    removed = [c for c in (changes or [])[len(rows):] if c.status == "gone"]
    template = environment().get_template("index.html.j2")
    return template.render(
        rows=prepared, totals=totals, rubric=rubric, rubric_title=rubric_title, sections=sections,
        levels=levels, has_compare=changes is not None, removed=removed, csp=INDEX_CSP, version=_version(),
        not_designs=list(not_designs),
    )
