"""``--format junit``: JUnit XML, so CI systems show each rule as a test of each design.

``<testsuites>`` holds one ``<testsuite>`` per design file and, in it, one ``<testcase>`` per
rule of the catalog:

- a ``<failure>`` when the rule has unacknowledged error or warning findings (each listed
  as ``file:line:col: message``);
- ``<skipped message="acknowledged: reason"/>`` when all its findings are acknowledged
  trade-offs;
- ``<skipped>`` too when the rule was not checked: the file could not be read, the rule is
  above the level judged, or it is about training and the design trains no model;
- passing otherwise. Info findings and acknowledged findings go to ``<system-out>``.

ElementTree escapes the candidate's text; characters XML 1.0 cannot carry at all
(control characters) are dropped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, Iterable, Optional

from ..findings import LEVELS, SEVERITY_RANK, Finding, Report, level_rank

# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FAILING = ("error", "warning")


def clean(text: Any) -> str:
    return _ILLEGAL_XML.sub("", str(text))


def render(reports: Iterable[Report]) -> str:
    from ..registry import all_rules

    rules = all_rules()
    root = ET.Element("testsuites", name="designgrade")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for report in reports:
        suite = _suite(report, rules)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(report: Report, rules: list[Any]) -> ET.Element:
    file = clean(report.file)
    suite = ET.Element("testsuite", name=file)
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="level", value=report.level)
    if report.title:
        ET.SubElement(properties, "property", name="title", value=clean(report.title))

    by_code: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_code.setdefault(finding.code, []).append(finding)
    cases = [(r.code, r.slug, _not_checked(report, r)) for r in rules]
    known = {code for code, _, _ in cases}
    # A finding of a check outside the catalog still shows up as a test case.
    cases += [(code, found[0].rule, None) for code, found in by_code.items() if code not in known]

    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for code, slug, not_checked in cases:
        outcome = _testcase(suite, file, code, slug, by_code.get(code, []), not_checked)
        counts["tests"] += 1
        if outcome != "passed":
            counts[outcome] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def _testcase(suite: ET.Element, file: str, code: str, slug: str, findings: list[Finding],
              not_checked: Optional[str]) -> str:
    case = ET.SubElement(suite, "testcase", classname=file, name=f"{code} {slug}")
    failing = [f for f in findings if not f.acknowledged and f.severity in _FAILING]
    acknowledged = [f for f in findings if f.acknowledged]
    failing_ids = {id(f) for f in failing}
    output = [_line(file, f) for f in findings if id(f) not in failing_ids]
    if failing:
        worst = max(failing, key=lambda f: SEVERITY_RANK[f.severity])
        first = clean(failing[0].message)
        message = first if len(failing) == 1 else f"{len(failing)} findings; the first: {first}"
        failure = ET.SubElement(case, "failure", message=message, type=worst.severity)
        failure.text = "\n".join(f"{_line(file, f)}\n    fix: {clean(f.fix)}" for f in failing)
        outcome = "failures"
    elif acknowledged:
        reasons = list(dict.fromkeys(clean(f.reason or "no reason given") for f in acknowledged))
        ET.SubElement(case, "skipped", message="acknowledged: " + "; ".join(reasons))
        outcome = "skipped"
    elif not findings and not_checked:
        ET.SubElement(case, "skipped", message=not_checked)
        outcome = "skipped"
    else:
        outcome = "passed"
    if output:
        ET.SubElement(case, "system-out").text = "\n".join(output)
    return outcome


def _line(file: str, finding: Finding) -> str:
    line = f"{file}:{max(1, finding.line)}:{max(1, finding.column)}: [{finding.severity}] {clean(finding.message)}"
    if finding.acknowledged:
        line += f" (acknowledged trade-off: {clean(finding.reason or '')})"
    return line


def _not_checked(report: Report, rule: Any) -> Optional[str]:
    """Why a rule without findings was not really checked, if it was not; None when it passed."""
    if report.unreadable:
        return None if rule.slug == "invalid-yaml" else "not checked: the file could not be read as YAML"
    if report.level in LEVELS and level_rank(rule.level) > level_rank(report.level):
        return f"not checked at {report.level}: an {rule.level} rule (--level {rule.level} checks it)"
    result = report.outcomes.get(rule.slug)
    if result is not None and result.status == "not_applicable":
        return f"not applicable: {clean(result.reason or 'the rule does not apply to this design')}"
    return None
