"""YAML a new user writes: merge keys, keys given twice, and the messages typos get."""

from __future__ import annotations

import json
import re

import pytest

from ..conftest import ROOT
from .conftest import minimal

BASE = ROOT / "tests" / "rules" / "bases" / "ranking.yaml"


def findings(dg, tmp_path, text: str | bytes, *args: str) -> list[dict]:
    path = tmp_path / "d.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = dg("lint", path, "--format", "json", "--level", "L7", *args)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)[0]["findings"]


def only(found: list[dict], rule: str) -> list[dict]:
    return [f for f in found if f["rule"] == rule]


def line_of(text: str, needle: str, start: int = 0) -> int:
    return text.index(needle, start) and text[: text.index(needle, start)].count("\n") + 1


# --- merge keys and keys given twice -------------------------------------------------------

MERGED = """\
designgrade: 1
title: merge keys
problem: {{task: other, objective: x}}
x-service: &svc {{kind: service, tech: java, latency_ms: 5}}
components:
  app: {{kind: client, tech: web}}
  a: {merged}
flows:
  - "app -> a"
"""


@pytest.mark.parametrize("merged", ["{<<: *svc, tech: go}", "{<<: [*svc], tech: go}", "{tech: go, <<: *svc}"])
def test_merge_key_overrides_are_valid_and_win(dg, tmp_path, merged):
    text = MERGED.format(merged=merged).replace("x-service: &svc", "notes: &svc")
    found = findings(dg, tmp_path, text)
    assert not only(found, "duplicate-key") and not only(found, "invalid-yaml")
    from designgrade.loader import load_text

    assert load_text(text).data["components"]["a"] == {"kind": "service", "tech": "go", "latency_ms": 5}


def test_a_key_written_twice_by_hand_stays_a_duplicate_at_the_second_line(dg, tmp_path):
    text = minimal().replace("  svc: {kind: service, latency_ms: 5}",
                             "  svc:\n    <<: {kind: service}\n    latency_ms: 5\n    latency_ms: 7")
    (dup,) = only(findings(dg, tmp_path, text), "duplicate-key")
    assert dup["line"] == text.splitlines().index("    latency_ms: 7") + 1
    assert "first at line" in dup["message"]


def test_a_duplicate_made_by_an_alias_key_is_reported_where_the_alias_is(dg, tmp_path):
    text = minimal().replace("title: t", "title: &k tech").replace(
        "  svc: {kind: service, latency_ms: 5}", "  svc:\n    kind: service\n    tech: go\n    *k : java")
    (dup,) = only(findings(dg, tmp_path, text), "duplicate-key")
    assert (dup["line"], dup["column"]) == (text.splitlines().index("    *k : java") + 1, 5)


# --- syntax slips -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "designgrade: 1\n\ttitle: tabs\n",
    "designgrade: 1\ntitle: t\ncomponents:\n  a:\n\t kind: service\n",
    "designgrade: 1\nflows:\n\t- a -> b\n",
])
def test_a_tab_is_called_a_tab(dg, tmp_path, text):
    (problem,) = findings(dg, tmp_path, text)
    assert "tab" in problem["message"] and "spaces" in problem["message"]
    assert problem["line"] == next(i for i, line in enumerate(text.splitlines(), 1) if "\t" in line)


@pytest.mark.parametrize("text, slip", [
    ("components:\n  a:\n    kind: service\n    tech go\n    latency_ms: 3\n  b: {kind: cache}\n", "    tech go"),
    ("components:\n  a:\n    kind: service\n    tech:\n    go\n  b: {kind: cache}\n", "    go"),
    ("components:\n  a: {kind: service}\n  b: {kind: cache}\n c: {kind: cache}\n  d: {kind: cache}\n", " c:"),
    ("components:\n  a:\n    kind: service\n      tech: go\n    latency_ms: 3\n", "      tech"),
])
def test_an_indentation_slip_is_reported_at_its_line(dg, tmp_path, text, slip):
    (problem,) = findings(dg, tmp_path, "designgrade: 1\ntitle: t\n" + text)
    assert problem["line"] == 2 + text.splitlines().index(next(l for l in text.splitlines() if l.startswith(slip))) + 1
    assert "indent" in problem["message"]


def test_an_unquoted_comma_in_a_flow_mapping_is_explained(dg, tmp_path):
    text = minimal().replace("  svc: {kind: service, latency_ms: 5}",
                             "  svc: {kind: service, latency_ms: 5, notes: images, uploads}")
    (problem,) = only(findings(dg, tmp_path, text), "schema-violation")
    assert "unknown key 'uploads'" in problem["message"] and "comma" in problem["message"]
    assert 'notes: "images, uploads"' in problem["message"]


def test_a_thousands_separator_is_explained_once(dg, tmp_path):
    text = minimal().replace("problem: {task: other, objective: x}",
                             "problem:\n  task: other\n  requirements:\n    peak_qps: 300,000")
    (problem,) = only(findings(dg, tmp_path, text), "schema-violation")
    assert problem["message"].count("300,000") == 1 and "300k or 300000" in problem["message"]
    flow = minimal().replace("problem: {task: other, objective: x}",
                             "problem: {task: other, requirements: {peak_qps: 300,000}}")
    (problem,) = only(findings(dg, tmp_path, flow), "schema-violation")
    assert "300k or 300000" in problem["message"]


def test_designgrade_2_names_the_version_it_reads(dg, tmp_path):
    (problem,) = only(findings(dg, tmp_path, minimal().replace("designgrade: 1", "designgrade: 2")),
                      "schema-violation")
    assert "(one of: )" not in problem["message"] and "designgrade: 1" in problem["message"]


def test_latency_ms_takes_a_unit(dg, tmp_path):
    text = minimal().replace("latency_ms: 5", "latency_ms: 60ms")
    assert not only(findings(dg, tmp_path, text), "schema-violation")
    from designgrade.engine import lint_text

    report = lint_text(text.replace("60ms", "0.5s"))
    assert report.design.components["svc"].latency_ms == 500


def test_a_technology_given_as_a_kind_suggests_its_kind(dg, tmp_path):
    text = minimal().replace("svc: {kind: service, latency_ms: 5}", "bus: {kind: kafka}").replace(
        "app -> svc", "app -> bus")
    (problem,) = only(findings(dg, tmp_path, text), "schema-violation")
    assert "event_stream" in problem["message"] and "tech: kafka" in problem["message"]
    assert "client" not in problem["message"]  # not the list of every kind


@pytest.mark.parametrize("raw, name", [
    ("\ufeffdesigngrade: 1\n".encode("utf-32-le"), "UTF-32"),
    ("designgrade: 1\n".encode("utf-32-be"), "UTF-32"),
    ("\ufeffdesigngrade: 1\n".encode("utf-16-le"), "UTF-16"),
])
def test_wide_encodings_are_named_right(dg, tmp_path, raw, name):
    (problem,) = findings(dg, tmp_path, raw)
    assert f"the file is {name}" in problem["message"]


def test_a_control_character_is_located_at_its_line_and_column(dg, tmp_path):
    text = minimal("caf\u00e9 \x07bell")
    (problem,) = findings(dg, tmp_path, text)
    assert (problem["line"], problem["column"]) == (2, 13)
    assert "U+0007" in problem["message"] and "position" not in problem["message"]


def test_a_null_key_is_shown_as_written(dg, tmp_path):
    found = findings(dg, tmp_path, minimal() + "~: stray\n")
    assert any("'~'" in f["message"] for f in found)
    assert not any("'None'" in f["message"] for f in found)


# --- what the rules must catch (kept here so the set is complete) ------------------------------

def _rename(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\w-]){old}(?=[:\s\"]|$)", new, text, flags=re.M)


def test_a_model_served_by_a_component_of_unknown_kind(dg, tmp_path):
    text = BASE.read_text().replace("  serving:\n    kind: online_serving", "  serving:\n    kind: online_servng")
    found = findings(dg, tmp_path, text)
    assert any("online_serving" in f["message"] for f in only(found, "schema-violation"))


def test_a_misspelt_monitoring_kind_is_one_finding(dg, tmp_path):
    found = findings(dg, tmp_path, BASE.read_text().replace("    kind: monitoring\n", "    kind: monitor\n"))
    assert len(only(found, "schema-violation")) == 1
    assert not [f for f in found if f["pillar"] == "monitoring"]


FEATURES = "    latency_ms: 5\n    features: [{name: user_ctr_7d, source: stream}, {name: item_ctr_1d, source: stream}]\n"


def test_a_model_feature_nothing_offers_is_reported(dg, tmp_path):
    text = BASE.read_text().replace("    latency_ms: 5\n", FEATURES, 1).replace("[user_ctr_7d, item_ctr_1d]",
                                                                                 "[user_ctr_7dd, item_ctr_1d]")
    assert any("user_ctr_7dd" in f["message"] for f in findings(dg, tmp_path, text))


def test_a_feature_source_that_is_no_component_is_reported(dg, tmp_path):
    text = BASE.read_text().replace("    latency_ms: 5\n", FEATURES.replace("source: stream}", "source: streem}", 1), 1)
    assert any("streem" in f["message"] for f in findings(dg, tmp_path, text))


def test_a_gate_metric_that_is_no_offline_metric_is_reported(dg, tmp_path):
    text = BASE.read_text().replace("gate: {metric: ndcg@10", "gate: {metric: ndcg@100")
    assert any("ndcg@100" in f["message"] for f in findings(dg, tmp_path, text))


def test_trained_by_suggests_a_training_pipeline(dg, tmp_path):
    text = _rename(_rename(BASE.read_text(), "training", "pipeline"), "serving", "ranker_svc")
    text = text.replace("trained_by: pipeline", "trained_by: trainer").replace("ranker_svc", "ranker")
    text = text.replace("models:\n  ranker:", "models:\n  feed_model:")
    (problem,) = only(findings(dg, tmp_path, text), "unknown-reference")
    assert "did you mean 'pipeline'" in problem["message"]
