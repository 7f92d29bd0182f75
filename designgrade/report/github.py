"""``--format github``: GitHub Actions workflow commands, one annotation a finding."""

from __future__ import annotations

from typing import Iterable

from ..findings import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    text = "".join(ch if ch.isprintable() or ch in "\r\n" else " " for ch in text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: Iterable[Report]) -> str:
    lines = []
    for report in reports:
        for f in report.findings:
            if f.acknowledged:
                continue  # a trade-off the candidate explained is not worth an annotation
            title = _escape_property(f"{f.code} {f.rule}")
            lines.append(
                f"::{_LEVEL[f.severity]} file={_escape_property(report.file)},line={f.line},col={f.column},"
                f"title={title}::{_escape_data(f.message + ' — ' + f.fix)}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
