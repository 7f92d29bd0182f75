"""Candidate text made safe to show: on a terminal, in JSON, in a CSV cell, as a file name.

A design's title, a label, a rubric's title or a file name comes from someone else. On a
terminal, ESC (``\\x1b``) and the 8-bit CSI (U+009B) start control sequences that move the
cursor, rewrite earlier lines or set the window title; bidi overrides (U+202E) show text
in another order than it is stored ("Trojan Source"); a file name that is not UTF-8
arrives as lone surrogates that no encoder accepts. Every writer that shows such text
goes through here; nothing here imports more than the standard library.
"""

from __future__ import annotations

import re
from typing import Any

# Bidi embeddings, overrides and isolates, and the marks that steer them.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 (but tab and newline, which callers handle), DEL, C1, bidi, line/paragraph separators.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def show_name(name: Any) -> str:
    """A path as text that any encoder accepts: bytes that were not UTF-8 become ``\\xe9``.

    ``os.listdir``, ``sys.argv`` and ``os.walk`` hand such names over as lone surrogates
    (PEP 383); opening the file needs them as they are, showing them needs this.
    """
    text = str(name)
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte (U+D800..U+DC7F)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def terminal(text: Any, keep_newlines: bool = False) -> str:
    """One line (or lines) for a terminal: control and bidi characters become a space, a
    tab becomes a space, and a name that was not UTF-8 is escaped."""
    value = show_name(text)
    if keep_newlines:
        lines = value.split("\n")
        return "\n".join(_UNSAFE.sub(" ", line.replace("\t", " ").replace("\r", " ")) for line in lines)
    return _UNSAFE.sub(" ", value.replace("\t", " ").replace("\n", " "))


def has_unsafe(text: str) -> bool:
    return bool(_UNSAFE.search(text) or _SURROGATE.search(text))


def json_text(text: str) -> str:
    """JSON from ``json.dumps(..., ensure_ascii=False)`` with C1, bidi and separator
    characters written as ``\\uXXXX`` escapes: the data is the same, but a terminal or an
    editor showing the file sees no control character. (json.dumps already escapes C0;
    these characters can only occur inside strings, so the escape is always legal.)"""
    text = _C1_BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if _SURROGATE.search(text):  # a lone surrogate is legal JSON only as an escape
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


_C1_BIDI = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029]")


def csv_cell(value: Any) -> str:
    """A CSV text cell that a spreadsheet never evaluates as a formula (OWASP CSV injection):
    controls (a leading tab or carriage return included) become spaces, and a cell that
    starts with = + - @, after any spaces, gets a leading apostrophe."""
    text = terminal("" if value is None else value)
    if text.lstrip(" ")[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text
