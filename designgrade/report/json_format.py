"""``--format json``: an array with one object per design file (cli.md, JSON output)."""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from ..findings import Report


def report_object(report: Report, score: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    data = report.to_dict()
    if score is not None:
        data["score"] = score
    return data


def render(reports: Iterable[Report], scores: Optional[list[Optional[dict[str, Any]]]] = None) -> str:
    reports = list(reports)
    scores = scores or [None] * len(reports)
    from ..textsafe import json_text

    # ensure_ascii=False keeps names readable; json_text escapes what a terminal would obey.
    return json_text(json.dumps([report_object(r, s) for r, s in zip(reports, scores)], indent=2,
                                ensure_ascii=False)) + "\n"
