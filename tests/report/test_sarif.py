"""``lint --format sarif``: valid SARIF 2.1.0 that code scanning and SARIF tools accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import ROOT, shared_path
from . import FLAWED, RANKING, acknowledged_design, hostile_design, unreadable_design

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    return ROOT


def lint_json(dg, *args):
    return json.loads(dg("lint", *args, "--format", "json").stdout)


def lint_sarif(dg, *args):
    """Run the CLI; stdout must be nothing but the SARIF log. Returns (log, exit code)."""
    result = dg("lint", *args, "--format", "sarif")
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    return json.loads(result.stdout), result.exit_code


def check_log(log, validator):
    """What every log must satisfy, whatever the designs: the schema and GitHub's demands."""
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    import designgrade

    assert driver["name"] == "designgrade" and driver["version"] == designgrade.__version__
    assert "informationUri" not in driver  # no homepage yet; never a made-up address
    assert isinstance(run["results"], list)  # present even when empty
    rules = driver["rules"]
    fingerprints = set()
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == rules[result["ruleIndex"]]["defaultConfiguration"]["level"]
        assert result["message"]["text"].strip()
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        if not uri.startswith("file:///"):
            assert not uri.startswith(("/", "./", "//", "../")), uri
            assert "\\" not in uri and location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        fingerprint = result["partialFingerprints"]["designgradeFindingHash/v1"]
        assert fingerprint not in fingerprints
        fingerprints.add(fingerprint)
    return run


def test_clean_design_has_an_empty_results_list(dg, in_root, sarif_validator):
    log, code = lint_sarif(dg, RANKING.relative_to(ROOT), "--level", "L7")
    run = check_log(log, sarif_validator)
    assert code == 0
    assert run["results"] == []


def test_findings_become_results_with_relative_uris_and_positions(dg, in_root, sarif_validator):
    paths = [p.relative_to(ROOT) for p in FLAWED]
    log, code = lint_sarif(dg, *paths, "--level", "L7")
    run = check_log(log, sarif_validator)
    assert code == 1
    expected = [(report["file"], f) for report in lint_json(dg, *paths, "--level", "L7") for f in report["findings"]]
    assert len(run["results"]) == len(expected) > 0
    level = {"error": "error", "warning": "warning", "info": "note"}
    for result, (file, finding) in zip(run["results"], expected):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": Path(file).as_posix(), "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {"startLine": finding["line"], "startColumn": finding["column"]}
        assert result["ruleId"] == finding["code"]
        assert result["level"] == level[finding["severity"]]
        assert result["message"]["text"].startswith(finding["message"])
        assert result["message"]["text"].endswith(" Fix: " + finding["fix"])
        assert "suppressions" not in result
    assert {r["level"] for r in run["results"]} >= {"error", "warning"}


def test_absolute_paths_under_the_working_directory_become_relative(dg, in_root, sarif_validator):
    log, _ = lint_sarif(dg, FLAWED[0].resolve())
    run = check_log(log, sarif_validator)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {FLAWED[0].relative_to(ROOT).as_posix()}


def test_files_outside_the_working_directory_get_a_file_uri(dg, in_root, tmp_path, sarif_validator):
    path = hostile_design(tmp_path, name="my design.yaml")
    log, _ = lint_sarif(dg, path)
    run = check_log(log, sarif_validator)
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": path.resolve().as_uri()}
    assert "%20" in location["uri"]


def test_fingerprints_are_stable_across_runs_and_spellings_of_the_path(dg, in_root):
    relative, _ = lint_sarif(dg, FLAWED[0].relative_to(ROOT))
    absolute, _ = lint_sarif(dg, FLAWED[0])
    again, _ = lint_sarif(dg, FLAWED[0].relative_to(ROOT))

    def prints(log):
        return [r["partialFingerprints"] for r in log["runs"][0]["results"]]

    assert prints(relative) == prints(absolute) == prints(again)


def test_acknowledged_trade_off_is_a_suppressed_result(dg, tmp_path, monkeypatch, sarif_validator):
    path = acknowledged_design(tmp_path)
    monkeypatch.chdir(tmp_path)
    log, code = lint_sarif(dg, path.name, "--level", "L7")
    run = check_log(log, sarif_validator)
    assert code == 0  # acknowledged trade-offs do not fail the run
    [result] = run["results"]
    assert result["ruleId"] == "DG308"
    assert result["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": "fixed fleet"}]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "acknowledged.yaml"


def test_unreadable_file_still_gets_a_result(dg, tmp_path, monkeypatch, sarif_validator):
    path = unreadable_design(tmp_path)
    monkeypatch.chdir(tmp_path)
    log, code = lint_sarif(dg, path.name, RANKING)
    run = check_log(log, sarif_validator)
    assert code == 2
    [result] = [r for r in run["results"] if r["ruleId"] == "DG001"]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_hostile_candidate_text_stays_valid(dg, tmp_path, monkeypatch, sarif_validator):
    path = hostile_design(tmp_path)
    monkeypatch.chdir(tmp_path)
    log, _ = lint_sarif(dg, path.name)
    run = check_log(log, sarif_validator)
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["DG501"]
    assert "]]>" in suppressed[0]["suppressions"][0]["justification"]


def test_shared_smoke_inputs_give_valid_sarif(dg, sarif_validator):
    folder = shared_path("hooks", "smoke")
    log, _ = lint_sarif(dg, folder)
    run = check_log(log, sarif_validator)
    assert run["results"]


def test_rule_table_is_the_whole_catalog(dg, in_root, sarif_validator):
    from designgrade.registry import all_rules

    log, _ = lint_sarif(dg, RANKING, "--level", "L7")
    rules = check_log(log, sarif_validator)["tool"]["driver"]["rules"]
    catalog = all_rules()
    assert [r["id"] for r in rules] == [r.code for r in catalog]
    level = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(rules, catalog):
        sections = rule.sections()
        assert descriptor["name"] == rule.slug
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == sections["What it does"]
        help_text = descriptor["help"]["text"]
        assert sections["Why is this bad?"] in help_text and rule.fix in help_text
        assert sections["References"] in help_text
        assert sections["Why is this bad?"] in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == level[rule.severity]
        assert descriptor["properties"]["tags"] == [rule.pillar, rule.level]


def test_stdout_is_pure_json_in_a_real_process(dg_process):
    result = dg_process("lint", FLAWED[0].relative_to(ROOT), "--format", "sarif", cwd=ROOT)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert log["runs"][0]["results"]


def test_sarif_tools_reads_it_back(dg, in_root, tmp_path):
    loader = pytest.importorskip("sarif.loader", reason="sarif-tools (pip install sarif-tools) reads SARIF back")
    paths = [p.relative_to(ROOT) for p in FLAWED] + [acknowledged_design(tmp_path)]
    log, _ = lint_sarif(dg, *paths, "--level", "L7")
    out = tmp_path / "designgrade.sarif"
    out.write_text(json.dumps(log), encoding="utf-8")

    sarif_file = loader.load_sarif_file(str(out))
    findings = [f for report in lint_json(dg, *paths, "--level", "L7") for f in report["findings"]]
    assert sarif_file.get_distinct_tool_names() == ["designgrade"]
    assert sarif_file.get_result_count() == len(findings) == len(sarif_file.get_results())
    report = sarif_file.get_report()
    for severity, level in (("error", "error"), ("warning", "warning"), ("info", "note")):
        expected = sum(1 for f in findings if f["severity"] == severity)
        assert report.get_issue_count_for_severity(level) == expected
    records = sarif_file.get_records()
    assert sorted(r["Code"] for r in records) == sorted(f["code"] for f in findings)
    assert {r["Location"] for r in records} >= {p.as_posix() for p in paths[:-1]}
    assert sarif_file.get_rules_by_id("DG308")[0]["name"] == "no-autoscaling"


def test_empty_log_reads_back_with_no_results(dg, in_root, tmp_path):
    loader = pytest.importorskip("sarif.loader", reason="sarif-tools (pip install sarif-tools) reads SARIF back")
    out = tmp_path / "clean.sarif"
    out.write_text(dg("lint", RANKING, "--level", "L7", "--format", "sarif").stdout, encoding="utf-8")
    assert loader.load_sarif_file(str(out)).get_result_count() == 0


def test_the_schema_check_is_not_vacuous(dg, in_root, sarif_validator):
    log, _ = lint_sarif(dg, FLAWED[0])
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    region["startLine"] = 0
    log["runs"][0]["results"][0]["level"] = "warn"
    assert len(list(sarif_validator.iter_errors(log))) == 2


def test_relative_uris_are_percent_encoded(dg, tmp_path, monkeypatch, sarif_validator):
    folder = tmp_path / "designs #1"
    folder.mkdir()
    path = acknowledged_design(folder).rename(folder / "fixed fleet é.yaml")
    monkeypatch.chdir(tmp_path)
    log, _ = lint_sarif(dg, path)
    run = check_log(log, sarif_validator)
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "designs%20%231/fixed%20fleet%20%C3%A9.yaml"
