"""Candidate text made safe and fitted: cleaning, wrapping to a width, escaping per format.

Every label, title, tooltip and id that reaches a picture comes from the candidate's
YAML. Nothing here trusts it: C0 and C1 control characters and bidirectional overrides
are dropped (an U+202E would reverse the rest of a label in every viewer), newlines
become spaces (the renderer wraps lines itself), and each output language gets its own
escaping so a quote, a brace, ``<script>`` or a trailing backslash is drawn as text.
"""

from __future__ import annotations

import html
import re
from typing import Iterable

from .measure import text_width

# C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings, overrides, isolates
# and marks, the byte-order mark, and lone surrogates (no encoder would write them).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
                      "\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_ID_UNSAFE = re.compile(r"[^a-z0-9_]+")
ELLIPSIS = "\u2026"

MAX_CHARS = 80  # longer text is cut with an ellipsis: a label is not a paragraph

# Words Mermaid's flowchart grammar reserves; an id equal to one breaks the chart.
_MERMAID_RESERVED = frozenset({
    "end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "linkstyle",
    "click", "call", "href", "callback", "direction", "default", "interpolate", "acctitle",
    "accdescr", "node", "edge", "digraph", "strict",
})


def clean(text: object, limit: int = MAX_CHARS) -> str:
    """One line of plain text: no control characters, collapsed whitespace, at most ``limit`` chars."""
    s = _CONTROL.sub(" ", str(text if text is not None else ""))
    s = _SPACES.sub(" ", s).strip()
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + ELLIPSIS
    return s


def shorten(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` cut to ``width`` points at ``size``, with an ellipsis when cut."""
    if text_width(text, size, bold) <= width:
        return text
    room = width - text_width(ELLIPSIS, size, bold)
    used = 0.0
    cut = 0
    for cut, ch in enumerate(text):
        used += text_width(ch, size, bold)
        if used > room:
            break
    return text[:cut].rstrip(" ,;:-_/") + ELLIPSIS


_BREAK_AFTER = re.compile(r"(?<=[_\-/.,])")


def _pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word too wide for a line, split after ``_ - / . ,`` where possible, else anywhere."""
    parts = [p for p in _BREAK_AFTER.split(word) if p]
    out: list[str] = []
    for part in parts:
        while text_width(part, size, bold) > width and len(part) > 1:
            cut = 1
            while cut < len(part) and text_width(part[: cut + 1], size, bold) <= width:
                cut += 1
            out.append(part[:cut])
            part = part[cut:]
        out.append(part)
    return out


def fit(text: object, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Cleaned text wrapped into lines no wider than ``width`` points; past ``max_lines``
    the last line ends with an ellipsis. Empty text gives no line."""
    s = clean(text, 400)
    if not s or max_lines < 1:
        return []
    space = text_width(" ", size, bold)
    lines: list[str] = []
    current, used = "", 0.0
    for word in s.split(" "):
        pieces = _pieces(word, width, size, bold) if text_width(word, size, bold) > width else [word]
        for index, piece in enumerate(pieces):
            gap = space if current and index == 0 else 0.0
            piece_w = text_width(piece, size, bold)
            if used + gap + piece_w <= width:
                current, used = f"{current}{' ' if gap else ''}{piece}", used + gap + piece_w
            else:
                if current:
                    lines.append(current)
                    if len(lines) > max_lines:
                        break
                current, used = piece, piece_w
        if len(lines) > max_lines:
            break
    else:
        if current:
            lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = shorten(lines[-1] + ELLIPSIS, width, size, bold)
    return lines


def widest(lines: Iterable[str], size: float, bold: bool = False) -> float:
    return max((text_width(line, size, bold) for line in lines), default=0.0)


# --- DOT -------------------------------------------------------------------------------


def dot_quote(value: object) -> str:
    """A double-quoted DOT string. Backslashes are doubled so Graphviz's escString escapes
    (``\\N``, ``\\G``, ``\\l``...) in candidate text stay literal; quotes are escaped."""
    s = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def dot_lines(lines: Iterable[str]) -> str:
    """Lines as one double-quoted DOT escString joined by Graphviz's ``\\n``."""
    return '"' + "\\n".join(dot_quote(line)[1:-1] for line in lines) + '"'


def html_text(text: str) -> str:
    """Text for a Graphviz HTML-like label (and SVG): ``& < > " '`` as entities."""
    return html.escape(text, quote=True)


# --- Mermaid ---------------------------------------------------------------------------

# Mermaid decodes ``#name;`` entities and, with HTML labels, would read ``<b>`` as markup;
# its entity codes themselves show up literally in some places (edge labels, subgraph
# titles). So the few characters that could break out are drawn as look-alikes instead:
# what a reader sees is still the candidate's text, and no code ever appears.
_MERMAID_LOOKALIKE = str.maketrans({
    '"': "\u2033",   # double prime
    "<": "\u2039", ">": "\u203a",   # single angle quotation marks
    "&": "\uff06", "#": "\uff03",   # full-width ampersand and number sign
    "`": "\u02cb",   # modifier grave accent: a leading backtick would start a Markdown string
})


def mermaid_text(line: str) -> str:
    """One line for a double-quoted Mermaid label: nothing in it can end the string,
    start an entity, a Markdown string or an HTML tag."""
    return line.translate(_MERMAID_LOOKALIKE)


def mermaid_lines(lines: Iterable[str]) -> str:
    return "<br/>".join(mermaid_text(line) for line in lines)


# --- ids -------------------------------------------------------------------------------


def safe_id(raw: str, taken: set[str]) -> str:
    """A stable id for DOT, SVG and Mermaid: ``[a-z0-9_]``, starting with a letter, unique in ``taken``.

    Component ids already match ``^[a-z][a-z0-9_-]*$`` in a valid design; ``-`` becomes
    ``_``. Anything else (a design with schema errors) is folded the same way, and a
    collision or a Mermaid keyword gets a numeric suffix. ``taken`` is updated.
    """
    base = _ID_UNSAFE.sub("_", str(raw).lower()).strip("_")[:48] or "component"
    if not base[0].isalpha():
        base = "n_" + base
    if base in _MERMAID_RESERVED:
        base += "_"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate
