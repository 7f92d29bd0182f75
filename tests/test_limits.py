"""The limits of docs/limits.md: each refusal is a clear finding, and the rest still works."""

from __future__ import annotations

import json

from designgrade import validate

from .conftest import ROOT

BASE = ROOT / "tests" / "rules" / "bases" / "ranking.yaml"


def test_too_many_components_reads_the_first_ones(dg, monkeypatch):
    monkeypatch.setattr(validate, "MAX_COMPONENTS", 5)
    data = json.loads(dg("lint", BASE, "--format", "json").stdout)[0]
    (limit,) = [f for f in data["findings"] if "designgrade reads the first 5" in f["message"]]
    assert limit["rule"] == "schema-violation" and "(docs/limits.md)" in limit["message"]
    assert any(f["rule"] == "unknown-reference" for f in data["findings"])  # later ids were not read


def test_too_many_flows(dg, monkeypatch):
    monkeypatch.setattr(validate, "MAX_FLOWS", 3)
    data = json.loads(dg("lint", BASE, "--format", "json").stdout)[0]
    assert any("designgrade reads the first 3" in f["message"] for f in data["findings"])


def test_reports_cap_findings_but_json_keeps_them(dg, tmp_path, monkeypatch):
    from designgrade.report import summary

    monkeypatch.setattr(summary, "MAX_REPORT_FINDINGS", 1)
    design = ROOT / "examples" / "flawed" / "no-monitoring.yaml"
    out = tmp_path / "out"
    dg("grade", design, "--out", out, "--format", "html", "--format", "md", "--format", "json", "--jobs", "1")
    html = (out / "no-monitoring.html").read_text()
    assert "not shown here: the JSON report has them all" in html
    assert "not shown here: the JSON report has them all" in (out / "no-monitoring.md").read_text()
    assert len(json.loads((out / "no-monitoring.json").read_text())["findings"]) > 1
