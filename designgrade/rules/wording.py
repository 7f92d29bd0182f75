"""How rule messages name things, shared by the pillar modules."""

from __future__ import annotations

from typing import Iterable, Optional


def quote_ids(ids: Iterable[str], limit: Optional[int] = 4) -> str:
    """``'a', 'b' and 3 more``: component ids as messages name them."""
    ids = list(ids)
    shown = ids if limit is None else ids[:limit]
    text = ", ".join(f"'{cid}'" for cid in shown)
    return text + (f" and {len(ids) - len(shown)} more" if len(ids) > len(shown) else "")
