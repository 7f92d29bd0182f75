"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` is the whole catalog (so every ``ruleIndex`` resolves and a
viewer can explain a rule that did not fire); one result per finding. Acknowledged
trade-offs are results with an in-source suppression carrying the candidate's reason.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePath
from typing import Any, Iterable
from urllib.parse import quote

from .. import __version__
from ..findings import Finding, Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "designgradeFindingHash/v1"
SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(reports: Iterable[Report]) -> str:
    from ..textsafe import json_text

    return json_text(json.dumps(sarif_log(reports), indent=2, ensure_ascii=False)) + "\n"


def sarif_log(reports: Iterable[Report]) -> dict[str, Any]:
    from ..registry import all_rules

    rules = [_rule_descriptor(r) for r in all_rules()]
    index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for report in reports:
        location = _artifact_location(report.file)
        seen: dict[str, int] = {}
        for finding in report.findings:
            if finding.code not in index:  # a check outside the catalog still gets a descriptor
                index[finding.code] = len(rules)
                rules.append(_minimal_descriptor(finding))
            results.append(_result(finding, location, index[finding.code], seen))
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "designgrade",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",  # PyYAML columns count characters, not UTF-16 units
            "results": results,
        }],
    }


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    sections = rule.sections()
    what = sections.get("What it does") or rule.summary
    why = sections.get("Why is this bad?", "")
    references = sections.get("References", "")
    text_parts = [why, f"Fix: {rule.fix}", f"References:\n{references}" if references else ""]
    markdown_parts = [
        f"**What it does.** {what}",
        f"**Why is this bad?** {why}" if why else "",
        f"**Fix.** {rule.fix}",
    ]
    for heading in ("Example", "Use instead"):
        if sections.get(heading):
            markdown_parts.append(f"**{heading}**\n\n{sections[heading]}")
    if references:
        markdown_parts.append(f"**References**\n\n{references}")
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what},
        "help": {
            "text": "\n\n".join(p for p in text_parts if p),
            "markdown": "\n\n".join(p for p in markdown_parts if p),
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.pillar, rule.level]},
    }


def _minimal_descriptor(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.code,
        "name": finding.rule,
        "shortDescription": {"text": finding.rule},
        "fullDescription": {"text": finding.rule},
        "help": {"text": f"Fix: {finding.fix}"},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {"tags": [finding.pillar, finding.level]},
    }


def _result(finding: Finding, location: dict[str, str], rule_index: int, seen: dict[str, int]) -> dict[str, Any]:
    digest = _fingerprint(finding, location["uri"])
    seen[digest] = seen.get(digest, 0) + 1  # identical findings in one file stay distinct
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message_text(finding)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": dict(location),
                "region": {"startLine": max(1, finding.line or 1), "startColumn": max(1, finding.column or 1)},
            },
        }],
        "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"},
        "properties": {"slug": finding.rule, "pillar": finding.pillar, "level": finding.level},
    }
    if finding.component:
        result["properties"]["component"] = finding.component
    if finding.acknowledged:
        result["suppressions"] = [{
            "kind": "inSource",
            "status": "accepted",
            "justification": finding.reason or "acknowledged trade-off",
        }]
    return result


def message_text(finding: Finding) -> str:
    message = finding.message.rstrip()
    stop = "" if message.endswith((".", "!", "?")) else "."
    return f"{message}{stop} Fix: {finding.fix}"


def _fingerprint(finding: Finding, uri: str) -> str:
    # Stable across runs and line moves: what fired, where (file, component), and what it says.
    key = "\x1f".join([finding.code, uri, finding.component or "", finding.message])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _artifact_location(file: str) -> dict[str, str]:
    """A repo-relative POSIX URI when the file is under the working directory, else a file: URI."""
    relative = _relative_to_cwd(file)
    if relative is not None:
        return {"uri": quote(os.fsencode(relative), safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.abspath(file)).as_uri()}


def _relative_to_cwd(file: str) -> str | None:
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    for base, target in ((cwd, os.path.abspath(file)), (os.path.realpath(cwd), os.path.realpath(file))):
        try:
            relative = PurePath(os.path.relpath(target, base)).as_posix()
        except ValueError:  # another drive on Windows
            continue
        if relative != ".." and not relative.startswith("../") and relative != ".":
            return relative
    return None
