"""Fragment ids that tie a finding's badge in the diagram to its card in the HTML report.

Both sides compute the id from the finding itself (code, position, message), so the
link holds however each side orders or filters its findings. In a standalone SVG a
badge links to its row in the picture's key; the report rewrites that link to the card.
"""

from __future__ import annotations

import zlib


def finding_anchor(code: object, rule: object, line: object, column: object, message: object) -> str:
    """``dg-<code>-<line>-<column>-<crc>``: letters, digits and hyphens only."""
    digest = zlib.crc32(f"{code}\x00{rule}\x00{line}\x00{column}\x00{message}".encode("utf-8", "replace"))
    safe = "".join(ch for ch in str(code) if ch.isalnum())[:12] or "x"
    return f"dg-{safe}-{_int(line)}-{_int(column)}-{digest:08x}"


def key_id(anchor: str) -> str:
    """The id of the finding's row in the picture's key."""
    return f"key-{anchor}"


def badge_id(anchor: str) -> str:
    """The id of the finding's badge (Graphviz prefixes ``a_`` to the ID it is given)."""
    return f"badge-{anchor}"


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
