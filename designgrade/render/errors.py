"""The one exception the renderer raises, and its messages."""

from __future__ import annotations


class RenderError(Exception):
    """The design cannot be drawn; the message is one line that says what to do."""


GRAPHVIZ_HINT = (
    "Graphviz is not installed ('dot' is not on PATH): install it with "
    "'apt-get install graphviz' (Debian/Ubuntu) or 'brew install graphviz' (macOS); "
    "--format mermaid and --format dot work without it"
)
