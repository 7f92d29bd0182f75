"""Candidate text on a terminal, in JSON and in CSV; config files; scores files; rubrics."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import CLEAN, FLAWED, minimal, no_internal_error

HOSTILE = "\x1b]0;owned\x07\x1b[2J\u009b31m\u202egnp.exe\u2066"  # title set, clear screen, C1 CSI, bidi
UNSAFE = ("\x1b", "\x07", "\u009b", "\u202e", "\u2066")


def _quoted(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted string takes JSON's escapes


def test_lint_text_strips_controls_and_bidi_from_candidate_text(dg, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(minimal() + f"{_quoted(HOSTILE)}: 1\n")
    result = dg("lint", path)
    assert "unknown top-level key" in result.stdout
    assert not [c for c in UNSAFE if c in result.output]


def test_lint_json_escapes_c1_and_bidi_but_keeps_the_data(dg, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(minimal(_quoted(HOSTILE)))
    result = dg("lint", path, "--format", "json")
    assert not [c for c in UNSAFE if c in result.stdout]
    assert json.loads(result.stdout)[0]["title"] == HOSTILE


def test_grade_text_strips_controls_from_titles(dg, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(CLEAN.read_text().replace("title: Ride-hailing ETA prediction", f"title: {_quoted(HOSTILE)}"))
    result = dg("grade", path, "--jobs", "1")
    assert "gnp.exe" in result.stdout and not [c for c in UNSAFE if c in result.output]


def test_explain_and_usage_errors_strip_controls(dg):
    result = dg("explain", HOSTILE)
    assert result.exit_code == 2 and "no rule" in result.stderr
    assert not [c for c in UNSAFE if c in result.output]


def test_check_rubric_strips_controls_from_the_rubric(dg, tmp_path):
    rubric = tmp_path / "r.yaml"
    text = (ROOT / "designgrade" / "rubrics" / "l6.yaml").read_text()
    rubric.write_text(text.replace("rules: [metric-task-mismatch]", f"rules: [{_quoted(HOSTILE)}]", 1))
    result = dg("check-rubric", rubric)
    assert result.exit_code == 2 and "is neither a rule" in result.stdout
    assert not [c for c in UNSAFE if c in result.output]


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_diagram_text_has_no_controls(dg, tmp_path, fmt):
    path = tmp_path / "d.yaml"
    path.write_text(minimal(_quoted(HOSTILE)).replace('"app -> svc"', _quoted(f"app -> svc: {HOSTILE}")))
    result = dg("render", path, "--format", fmt)
    assert result.exit_code == 0 and not [c for c in UNSAFE if c in result.stdout]


def test_html_and_markdown_reports_have_no_controls(dg, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.yaml").write_text(minimal(_quoted(HOSTILE)))
    out = tmp_path / "out"
    dg("grade", subs, "--out", out, "--format", "html", "--format", "md", "--format", "json")
    for name in ("a.html", "a.md", "index.html", "a.json", "results.jsonl", "summary.csv"):
        text = (out / name).read_text(encoding="utf-8")
        assert not [c for c in UNSAFE if c in text], name


# --- CSV --------------------------------------------------------------------------------------


def test_compare_csv_neutralises_formulas_from_a_results_file(dg, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    earlier = tmp_path / "old.jsonl"
    rows = [
        {"file": str(subs / "alice.yaml"), "title": "=HYPERLINK(\"http://x\",\"t\")",
         "score": {"points": 50, "max": 100, "verdict": {"=cmd|' /C calc'!A0": "+1", "L6": "@SUM(A1)"}}},
        {"file": "-2+3", "title": "\t=1", "score": {"points": 1, "max": 100, "verdict": {"L6": "below"}}},
    ]
    earlier.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    result = dg("grade", subs, "--out", out, "--format", "json", "--compare", earlier)
    assert result.exit_code in (0, 1), result.output
    for name in ("compare.csv", "summary.csv"):
        for row in csv.reader(io.StringIO((out / name).read_text())):
            for cell in row:
                if re.fullmatch(r"[+-]?\d+(\.\d+)?", cell):
                    continue  # a number the CSV computed (a delta), not text
                assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")), (name, cell)
    assert not [c for c in UNSAFE if c in result.output]


# --- --compare files ------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    '{"file": "a.yaml", "score": {"points": ' + "9" * 5000 + ', "max": 100}}',
    '{"file": "a.yaml", "score": {"points": 1e999, "max": 100}}',
    '{"file": "a.yaml", "score": {"points": ' + "1" + "0" * 400 + ', "max": 100}}',
    '{"file": "a.yaml", "score": ' + "[" * 100000 + "]" * 100000 + "}",
    "\udcff",
])
def test_a_hostile_compare_file_is_one_clean_line(dg, tmp_path, line):
    earlier = tmp_path / "old.jsonl"
    earlier.write_bytes(line.encode("utf-8", "surrogateescape") + b"\n")
    result = dg("grade", CLEAN, "--compare", earlier, "--jobs", "1")
    assert result.exit_code == 2 and "results.jsonl" in result.stderr
    no_internal_error(result.output)


# --- config files ----------------------------------------------------------------------------


def _project(tmp_path: Path, config: str | bytes, name: str = "designgrade.toml") -> Path:
    project = tmp_path / "project"
    (project / "designs").mkdir(parents=True)
    (project / "designs" / "d.yaml").write_text(FLAWED.read_text())
    data = config.encode() if isinstance(config, str) else config
    (project / name).write_bytes(data)
    return project / "designs" / "d.yaml"


def test_config_search_stops_at_the_repository_root(dg, tmp_path):
    design = _project(tmp_path, 'ignore = ["all"]\n')
    (tmp_path / "project" / "designgrade.toml").rename(tmp_path / "designgrade.toml")  # above the repo
    (tmp_path / "project" / ".git").mkdir()
    result = dg("lint", design)
    assert "in 1 file" in result.stdout and "no-monitoring" in result.stdout  # the outer config did not apply
    shown = dg("lint", design, "--show-config")
    assert shown.exit_code == 0 and "no config file" in shown.stdout and str(tmp_path / "project") in shown.stdout


def test_config_search_stops_at_home(dg, tmp_path, monkeypatch):
    design = _project(tmp_path, 'ignore = ["all"]\n')
    (tmp_path / "project" / "designgrade.toml").rename(tmp_path / "designgrade.toml")
    monkeypatch.setenv("HOME", str(tmp_path / "project"))
    assert "no-monitoring" in dg("lint", design).stdout


def test_show_config_names_the_file_and_its_values(dg, tmp_path):
    design = _project(tmp_path, 'level = "l6"\nignore = ["no-autoscaling"]\n')
    result = dg("lint", design, "--show-config")
    assert result.exit_code == 0
    assert str(tmp_path / "project" / "designgrade.toml") in result.stdout
    assert 'level = "L6"' in result.stdout and "no-autoscaling" in result.stdout


def test_config_level_is_case_insensitive_like_the_option(dg, tmp_path):
    design = _project(tmp_path, 'level = "l6"\nfail-on = "WARNING"\n')
    result = dg("lint", design, "--format", "json")
    assert json.loads(result.stdout)[0]["level"] == "L6" and result.exit_code == 1


def test_ignoring_all_rules_is_said_out_loud(dg, tmp_path):
    design = _project(tmp_path, 'ignore = ["all"]\n')
    result = dg("lint", design)
    assert result.exit_code == 0 and "every rule is turned off" in result.stderr
    assert "designgrade.toml" in result.stderr


@pytest.mark.parametrize("config, expected", [
    ('ignore = ["no-autoscalng"]\n', "did you mean 'no-autoscaling'"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nest too deep"),
    ("select = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", "nest too deep"),
    ('level = "L9"\n', "level must be one of"),
])
def test_a_bad_config_is_one_line_naming_the_file(dg, tmp_path, config, expected):
    design = _project(tmp_path, config)
    result = dg("lint", design)
    assert result.exit_code == 2 and expected in result.stderr
    assert str(tmp_path / "project" / "designgrade.toml") in result.stderr
    no_internal_error(result.output)


def test_a_bad_pyproject_table_names_the_file(dg, tmp_path):
    design = _project(tmp_path, '[tool.designgrade]\nselect = ["DG9"]\n', "pyproject.toml")
    result = dg("lint", design)
    assert result.exit_code == 2 and "pyproject.toml" in result.stderr and "'DG9'" in result.stderr


# --- scores files and rubrics -------------------------------------------------------------------

RUBRIC = ROOT / "designgrade" / "rubrics" / "l6.yaml"


def _manual_criterion() -> str:
    from designgrade.rubric.load import load_rubric

    rubric = load_rubric("l6")
    return next(c.id for s in rubric.sections for c in s.criteria if c.manual)


def test_two_scores_keys_naming_one_submission_are_an_error(dg, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    cid = _manual_criterion()
    scores = tmp_path / "scores.yaml"
    scores.write_text(f"scores:\n  alice.yaml:\n    {cid}: 1\n  alice:\n    {cid}: 2\n")
    result = dg("grade", subs, "--scores", scores)
    assert result.exit_code == 2
    assert f"{scores}:4:3:" in result.stderr and "both name" in result.stderr and "line 2" in result.stderr


def test_a_scores_key_naming_two_submissions_is_an_error_and_a_path_settles_it(dg, tmp_path):
    subs = tmp_path / "subs"
    for team in ("team-a", "team-b"):
        (subs / team).mkdir(parents=True)
        (subs / team / "alice.yaml").write_text(CLEAN.read_text())
    cid = _manual_criterion()
    scores = tmp_path / "scores.yaml"
    scores.write_text(f"scores:\n  alice.yaml:\n    {cid}: 1\n")
    result = dg("grade", subs, "--scores", scores)
    assert result.exit_code == 2 and "names 2 submissions" in result.stderr and "team-a/alice.yaml" in result.stderr
    scores.write_text(f"scores:\n  team-a/alice.yaml:\n    {cid}: 1\n  team-b/alice.yaml:\n    {cid}: 0\n")
    data = json.loads(dg("grade", subs, "--scores", scores, "--format", "json", "--jobs", "1").stdout)
    earned = [next(c for s in d["score"]["sections"] for c in s["criteria"] if c["id"] == cid)["earned"]
              for d in data]
    assert earned == [1, 0]


def test_an_unquoted_comma_in_a_scores_file_is_explained(dg, tmp_path):
    cid = _manual_criterion()
    scores = tmp_path / "scores.yaml"
    scores.write_text(f"scores:\n  alice.yaml:\n    {cid}: {{score: 1, comment: clear, well argued}}\n")
    result = dg("grade", CLEAN, "--scores", scores)
    assert result.exit_code == 2 and "comma" in result.stderr and "well argued" in result.stderr
    assert "takes {score: N, comment: text}" not in result.stderr


def test_rubric_weights_that_do_not_sum_to_100_are_reported(dg, tmp_path):
    rubric = tmp_path / "r.yaml"
    text = RUBRIC.read_text()
    rubric.write_text(text.replace("weight: 25", "weight: 30", 1))
    result = dg("check-rubric", rubric)
    assert result.exit_code == 2 and "sum to 105" in result.stdout
    line = int(result.stdout.split(":")[1])
    assert text.splitlines()[line - 1].startswith("sections:")


def test_schema_rubric_markdown_is_markdown(dg):
    result = dg("schema", "--rubric", "--format", "markdown")
    assert result.stdout.startswith("# The rubric format") and "| `weight` |" in result.stdout
    json.loads(dg("schema", "--rubric").stdout)  # the JSON Schema is still the default
