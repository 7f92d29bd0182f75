"""Candidate text made safe: wrapping, and escaping for DOT, Mermaid and ids.

Every label, title, tooltip and id that reaches a picture comes from the candidate's
YAML. Nothing here trusts it: control characters are dropped, newlines become spaces
(the renderer wraps lines itself), and each output language gets its own escaping so a
quote, a brace, ``<script>`` or a trailing backslash is drawn as text, never parsed.
"""

from __future__ import annotations

import re
import textwrap
from typing import Iterable

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_ID_UNSAFE = re.compile(r"[^a-z0-9_]+")

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
        s = s[: limit - 1].rstrip() + "\u2026"
    return s


def wrap(text: object, width: int = 18, limit: int = MAX_CHARS) -> list[str]:
    """Cleaned text broken into lines of about ``width`` characters (long words are split)."""
    s = clean(text, limit)
    if not s:
        return []
    return textwrap.wrap(s, width=width, break_long_words=True, break_on_hyphens=True) or [s]


def dot_lines(lines: Iterable[str]) -> str:
    """Lines as one DOT escString: backslashes and quotes escaped, lines joined by ``\\n``.

    The result is wrapped in :func:`graphviz.nohtml` by the caller's quoting so a
    label like ``<b>x</b>`` is never taken for an HTML-like label.
    """
    return r"\n".join(dot_text(line) for line in lines)


def dot_text(line: str) -> str:
    """Escape one line for a double-quoted DOT string (escString).

    Doubling backslashes also disarms Graphviz's own escapes (``\\N``, ``\\G``, ``\\l``...).
    """
    return line.replace("\\", "\\\\").replace('"', '\\"')


_MERMAID_ENTITIES = {
    "#": "#35;", '"': "#34;", "<": "#60;", ">": "#62;", "&": "#38;", "`": "#96;",
    "{": "#123;", "}": "#125;", "|": "#124;", "[": "#91;", "]": "#93;", ";": "#59;",
}
_MERMAID_SPECIAL = re.compile("[" + re.escape("".join(_MERMAID_ENTITIES)) + "]")


def mermaid_text(line: str) -> str:
    """Escape one line for a double-quoted Mermaid label: specials become ``#NN;`` entities.

    Only ``"`` could end the string; ``<``, ``>`` and ``&`` would reach the HTML Mermaid
    draws; ``#`` starts an entity (so it is encoded too: a literal ``#quot;`` stays
    literal); brackets, braces, ``|`` and ``;`` are Mermaid syntax, encoded in case a
    label is ever unquoted. Mermaid turns each entity back into its character as text,
    so ``<script>`` shows as ``<script>`` and is never markup.
    """
    return _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group(0)], line)


def mermaid_lines(lines: Iterable[str]) -> str:
    return "<br/>".join(mermaid_text(line) for line in lines)


def safe_id(raw: str, taken: set[str]) -> str:
    """A stable id for DOT and Mermaid: ``[a-z0-9_]``, starting with a letter, unique in ``taken``.

    Component ids already match ``^[a-z][a-z0-9_-]*$`` in a valid design; ``-`` becomes
    ``_``. Anything else (a design with schema errors) is folded the same way, and a
    collision or a Mermaid keyword gets a numeric suffix. ``taken`` is updated.
    """
    base = _ID_UNSAFE.sub("_", str(raw).lower()).strip("_") or "component"
    if not base[0].isalpha():
        base = "n_" + base
    if base in _MERMAID_RESERVED:
        base += "_"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate
