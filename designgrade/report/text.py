"""The default lint output: one ``file:line:col: CODE [severity] slug: message`` line a finding."""

from __future__ import annotations

from typing import Iterable, Optional

from ..findings import Finding, Report, level_rank

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _clean(text: str) -> str:
    # Candidate text must not move the cursor, clear a terminal or reorder a line (textsafe).
    from ..textsafe import terminal

    return terminal(text)


def finding_line(file: str, finding: Finding, color: bool = False) -> str:
    severity = finding.severity
    tag = f"[{severity}]"
    if color:
        tag = f"{_COLORS[severity]}{tag}{_RESET}"
    line = (f"{_clean(file)}:{finding.line}:{finding.column}: {finding.code} {tag} "
            f"{finding.rule}: {_clean(finding.message)}")
    if finding.acknowledged:
        line += f" (acknowledged trade-off: {_clean(finding.reason or '')})"
    return line


def summary_line(reports: list[Report], level: Optional[str] = None) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    acknowledged = hidden = 0
    for report in reports:
        for severity, count in report.counts().items():
            counts[severity] += count
        acknowledged += sum(1 for f in report.findings if f.acknowledged)
        hidden += report.hidden
    files = len(reports)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"

    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning"), plural(counts["info"], "info")]
    text = f"{', '.join(parts)} in {plural(files, 'file')}"
    if acknowledged:
        text += f" ({acknowledged} acknowledged as trade-offs)"
    if hidden:
        levels = "/".join(sorted({r.level for r in reports}))
        shows = max((r.hidden_level for r in reports if r.hidden_level), key=level_rank, default="L7")
        text += f"; {hidden} more above level {levels} hidden (--level {shows} shows them)"
    return text


def render(reports: Iterable[Report], color: bool = False, show_fixes: bool = False) -> str:
    reports = list(reports)
    lines: list[str] = []
    for report in reports:
        for finding in report.findings:
            lines.append(finding_line(report.file, finding, color))
            if show_fixes:
                fix = f"    fix: {_clean(finding.fix)}"
                lines.append(f"{_DIM}{fix}{_RESET}" if color else fix)
    summary = summary_line(reports)
    lines.append(f"{_BOLD}{summary}{_RESET}" if color else summary)
    return "\n".join(lines) + "\n"
