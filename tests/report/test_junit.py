"""``lint --format junit``: JUnit XML that CI systems read, one test case per rule per design."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ..conftest import shared_path
from . import FLAWED, RANKING, acknowledged_design, hostile_design, unreadable_design


def catalog():
    from designgrade.registry import all_rules

    return all_rules()


def lint_junit(dg, *args):
    result = dg("lint", *args, "--format", "junit")
    assert "Traceback" not in result.output
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(result.stdout), result.exit_code


def lint_findings(dg, *args):
    import json

    return {r["file"]: r["findings"] for r in json.loads(dg("lint", *args, "--format", "json").stdout)}


def check_counts(root):
    """The count attributes agree with the elements, suite by suite and in total."""
    assert root.tag == "testsuites"
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counted = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        assert {k: int(suite.get(k)) for k in counted} == counted, suite.get("name")
        assert all(len(c.findall("failure")) + len(c.findall("skipped")) <= 1 for c in cases)
        for key in totals:
            totals[key] += counted[key]
    assert {k: int(root.get(k)) for k in totals} == totals
    return totals


def cases_by_name(suite):
    return {c.get("name"): c for c in suite.findall("testcase")}


def test_clean_design_passes_every_rule(dg):
    root, code = lint_junit(dg, RANKING, "--level", "L7")
    assert code == 0
    totals = check_counts(root)
    [suite] = root.findall("testsuite")
    assert suite.get("name") == str(RANKING)
    # rules that do not apply to this design (LLM rules on a ranking design, say) are skipped, with why
    not_applicable = [c for c in suite.findall("testcase") if c.find("skipped") is not None]
    assert totals == {"tests": len(catalog()), "failures": 0, "errors": 0, "skipped": len(not_applicable)}
    assert not_applicable and all(c.find("skipped").get("message").startswith("not applicable: ")
                                  for c in not_applicable)
    assert "DG701 llm-no-evaluation" in {c.get("name") for c in not_applicable}
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names == [f"{r.code} {r.slug}" for r in catalog()]
    assert {c.get("classname") for c in suite.findall("testcase")} == {str(RANKING)}


def test_findings_fail_their_rule_with_file_line_col(dg):
    root, code = lint_junit(dg, *FLAWED, "--level", "L7")
    assert code == 1
    totals = check_counts(root)
    findings = lint_findings(dg, *FLAWED, "--level", "L7")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == list(findings) == [str(p) for p in FLAWED]
    failing_rules = 0
    for suite in suites:
        file = suite.get("name")
        cases = cases_by_name(suite)
        assert len(cases) == len(catalog())
        expected = {}
        for f in findings[file]:
            if not f["acknowledged"] and f["severity"] in ("error", "warning"):
                expected.setdefault(f"{f['code']} {f['rule']}", []).append(f)
        failed = {name for name, c in cases.items() if c.find("failure") is not None}
        assert failed == set(expected)
        for name, rule_findings in expected.items():
            failure = cases[name].find("failure")
            assert failure.get("type") == rule_findings[0]["severity"]
            assert rule_findings[0]["message"] in failure.get("message")
            for f in rule_findings:
                assert f"{file}:{f['line']}:{f['column']}: [{f['severity']}] {f['message']}" in failure.text
                assert f["fix"] in failure.text
        failing_rules += len(expected)
    assert totals["failures"] == failing_rules > 0
    assert totals["errors"] == 0


def test_acknowledged_findings_skip_their_rule(dg, tmp_path):
    path = acknowledged_design(tmp_path)
    root, code = lint_junit(dg, path, "--level", "L7")
    assert code == 0
    counts = check_counts(root)
    assert counts["failures"] == 0 and counts["errors"] == 0
    case = cases_by_name(root.find("testsuite"))["DG308 no-autoscaling"]
    assert case.find("skipped").get("message") == "acknowledged: fixed fleet"
    assert "acknowledged trade-off: fixed fleet" in case.find("system-out").text


def test_info_findings_are_output_not_failures(dg, tmp_path):
    text = RANKING.read_text(encoding="utf-8").replace("tech: statsig", "tech: in_house_flags")
    path = tmp_path / "info.yaml"
    path.write_text(text, encoding="utf-8")
    findings = lint_findings(dg, path, "--level", "L7")[str(path)]
    assert [f["severity"] for f in findings] == ["info"], findings
    root, code = lint_junit(dg, path, "--level", "L7")
    assert code == 0
    assert check_counts(root)["failures"] == 0
    case = cases_by_name(root.find("testsuite"))[f"{findings[0]['code']} {findings[0]['rule']}"]
    assert case.find("failure") is None and case.find("skipped") is None
    assert findings[0]["message"] in case.find("system-out").text


def test_rules_above_the_level_are_skipped_not_passed(dg):
    root, _ = lint_junit(dg, RANKING, "--level", "L5")
    check_counts(root)
    cases = cases_by_name(root.find("testsuite"))
    above = [r for r in catalog() if r.level in ("L6", "L7")]
    assert above
    for rule in above:
        skipped = cases[f"{rule.code} {rule.slug}"].find("skipped")
        assert skipped is not None and skipped.get("message").startswith("not checked at L5")


def test_unreadable_file_fails_invalid_yaml_and_skips_the_rest(dg, tmp_path):
    path = unreadable_design(tmp_path)
    root, code = lint_junit(dg, path, RANKING, "--level", "L7")
    assert code == 2
    totals = check_counts(root)
    broken, clean = root.findall("testsuite")
    assert broken.get("name") == str(path)
    cases = cases_by_name(broken)
    failure = cases["DG001 invalid-yaml"].find("failure")
    assert failure.get("type") == "error" and f"{path}:3:1:" in failure.text
    assert broken.get("failures") == "1" and int(broken.get("skipped")) == len(catalog()) - 1
    assert totals["failures"] == 1 and clean.get("failures") == "0"


def test_hostile_candidate_text_stays_well_formed(dg, tmp_path):
    path = hostile_design(tmp_path)
    result = dg("lint", path, "--format", "junit")
    for char in "\x01\x1b\x00":
        assert char not in result.stdout
    root = ET.fromstring(result.stdout)
    check_counts(root)
    suite = root.find("testsuite")
    title = {p.get("name"): p.get("value") for p in suite.iter("property")}["title"]
    assert title == "<b>&amp; ]]> [31m \x7f 100% a:b,c"  # markup kept as text, controls dropped
    cases = cases_by_name(suite)
    orphan = cases["DG005 orphan-component"].find("failure")
    assert "<b>&amp; ]]>" in orphan.get("message") and "next line" in orphan.text
    skipped = cases["DG501 no-online-experiment"].find("skipped")
    assert skipped.get("message").startswith("acknowledged: no traffic yet <b>&amp; ]]>")


def test_hostile_report_fields_render_well_formed():
    from designgrade.findings import Finding, Report
    from designgrade.report import junit

    evil = "<tag a='1'>&amp; ]]> \x00\x01\x08\x0b\x0c\x1b\ud800\ufffe\uffff ok"
    finding = Finding(rule="no-monitoring", code="DG601", severity="warning", pillar="monitoring", level="L5",
                      message=evil, fix=evil, line=0, column=0, component=evil)
    acknowledged = Finding(rule="no-autoscaling", code="DG308", severity="warning", pillar="serving", level="L6",
                           message=evil, fix=evil, line=3, column=1, acknowledged=True, reason=evil)
    text = junit.render([Report(file=f"dir/{evil}.yaml", title=evil, level="L7", findings=[finding, acknowledged])])
    root = ET.fromstring(text)
    check_counts(root)
    suite = root.find("testsuite")
    assert suite.get("name") == "dir/<tag a='1'>&amp; ]]>  ok.yaml"
    failure = cases_by_name(suite)["DG601 no-monitoring"].find("failure")
    assert failure.get("message") == "<tag a='1'>&amp; ]]>  ok"
    assert ":1:1: [warning]" in failure.text  # positions clamped to >= 1
    assert cases_by_name(suite)["DG308 no-autoscaling"].find("skipped").get("message") == \
        "acknowledged: <tag a='1'>&amp; ]]>  ok"


def test_shared_smoke_inputs_give_well_formed_junit(dg):
    folder = shared_path("hooks", "smoke")
    root, _ = lint_junit(dg, folder)
    assert check_counts(root)["failures"] >= 1


def test_junitparser_reads_it_back(dg, tmp_path):
    junitparser = pytest.importorskip("junitparser", reason="junitparser (pip install junitparser) reads JUnit back")
    paths = [*FLAWED, acknowledged_design(tmp_path), unreadable_design(tmp_path), RANKING]
    result = dg("lint", *paths, "--level", "L7", "--format", "junit")
    out = tmp_path / "designgrade.xml"
    out.write_text(result.stdout, encoding="utf-8")
    findings = lint_findings(dg, *paths, "--level", "L7")

    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert [s.name for s in suites] == [str(p) for p in paths]
    declared = (xml.tests, xml.failures, xml.errors, xml.skipped)
    for suite in suites:
        cases = list(suite)
        failed = {c.name for c in cases if c.is_failure}
        expected = {f"{f['code']} {f['rule']}" for f in findings[suite.name]
                    if not f["acknowledged"] and f["severity"] in ("error", "warning")}
        assert failed == expected
        assert (suite.tests, suite.failures, suite.skipped, suite.errors) == \
            (len(cases), len(failed), sum(1 for c in cases if c.is_skipped), 0)
        assert all(c.classname == suite.name for c in cases)
    xml.update_statistics()  # junitparser's own count agrees with ours
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == declared
    assert xml.tests == len(paths) * len(catalog())
