"""The candidate's practice loop and the interviewer's desk, through the CLI as users run it:
lint --rubric, rubrics show, explain CRITERION, drill, init --level, render's report line,
the hidden-findings hint, folders with files that are not designs, and --compare."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES

FLAWED = EXAMPLES / "flawed" / "fraud-no-feature-store.yaml"
CLEAN = EXAMPLES / "eta-prediction.yaml"
NETFLIX = EXAMPLES / "netflix-homepage.yaml"
RAG = EXAMPLES / "rag-assistant.yaml"


# --- score while linting ----------------------------------------------------------------------


def test_lint_with_a_rubric_ends_with_the_score_bars_and_what_blocks_them(dg):
    result = dg("lint", FLAWED, "--rubric", "l6")
    assert result.exit_code == 1
    findings, score = result.stdout.split("score against rubric l6", 1)
    assert "DG202 [error] training-serving-skew" in findings
    # three must-pass criteria held by blockers: 60, less 10 for each after the first
    assert "rubric l6: 40/100 (40%)" in score and "capped at 40% (it would be" in score and "by blockers:" in score
    assert "verdict: L5 below · L6 below" in score
    assert "L6 blocked by must-pass feature-store (training-serving-skew)" in score


def test_lint_scores_as_grade_does_whatever_level_filters_the_findings(dg):
    graded = json.loads(dg("grade", FLAWED, "--rubric", "l6", "--format", "json").stdout)[0]["score"]
    linted = json.loads(dg("lint", FLAWED, "--rubric", "l6", "--level", "L4", "--format", "json").stdout)[0]
    assert linted["score"] == graded
    assert linted["level"] == "L4" and linted["hidden"] > 0  # fewer findings printed, same score


def test_lint_without_a_rubric_prints_no_score_and_json_has_none(dg):
    assert "score against" not in dg("lint", CLEAN).stdout
    assert "score" not in json.loads(dg("lint", CLEAN, "--format", "json").stdout)[0]


def test_the_rubric_config_key_scores_every_lint(dg, tmp_path):
    shutil.copyfile(NETFLIX, tmp_path / "design.yaml")
    (tmp_path / "designgrade.toml").write_text('rubric = "l5"\n')
    result = dg("lint", tmp_path / "design.yaml")
    assert "score against rubric l5" in result.stdout and "verdict: L4" in result.stdout
    # the option wins over the file
    assert "score against rubric l6" in dg("lint", tmp_path / "design.yaml", "--rubric", "l6").stdout


def test_a_rubric_file_named_in_the_config_is_found_beside_it(dg, tmp_path):
    from designgrade.rubric.load import builtin_text

    (tmp_path / "team.yaml").write_text(builtin_text("l5").replace("id: l5", "id: team"))
    (tmp_path / "designgrade.toml").write_text('rubric = "team.yaml"\n')
    sub = tmp_path / "designs"
    sub.mkdir()
    shutil.copyfile(CLEAN, sub / "design.yaml")
    assert "score against rubric team" in dg("lint", sub / "design.yaml").stdout


def test_an_unknown_rubric_is_one_line_and_exit_2(dg):
    result = dg("lint", CLEAN, "--rubric", "l9")
    assert result.exit_code == 2 and "no rubric file or built-in rubric 'l9'" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


# --- the rubric as study material -------------------------------------------------------------


def test_rubrics_show_lists_criteria_rules_guidance_and_what_l6_adds(dg):
    result = dg("rubrics", "show", "l6")
    assert result.exit_code == 0
    out = result.stdout
    assert "feature-store [L5, 6 pts" in out and "training-serving-skew (DG202, error)" in out
    assert "tradeoff-discussion [L6" in out and "manual: 3: risks raised unprompted" in out
    adds = out.split("What L6 adds over L5", 1)[1]
    assert "safe-rollout:" in adds and "must pass for L6" in adds and "feature-store:" not in adds
    assert dg("rubrics", "l6").stdout == out  # the short form a user tries first


def test_rubrics_show_markdown_and_the_l5_rubric(dg):
    out = dg("rubrics", "show", "l5", "--format", "md").stdout
    assert out.startswith("# l5: ") and "## What L5 adds over L4" in out and "- **well-formed**" in out


def test_rubrics_show_problems_are_usage_errors(dg):
    assert dg("rubrics", "show").exit_code == 2
    result = dg("rubrics", "show", "l7")
    assert result.exit_code == 2 and "built-in rubrics: l5, l6" in result.stderr
    assert "lists the criteria" not in dg("rubrics").stdout and "designgrade rubrics show l6" in dg("rubrics").stdout


def test_explain_a_criterion_as_well_as_a_rule(dg):
    out = dg("explain", "feedback-loops").stdout
    assert "criterion of rubric l6" in out and "feedback-loop-without-exploration (DG503" in out
    assert "Counts from L6" in out
    manual = dg("explain", "tradeoff-discussion").stdout
    assert "What earns the points" in manual and "risks raised unprompted" in manual
    both = dg("explain", "feature-store").stdout  # in both rubrics: both definitions
    assert "criterion of rubric l5" in both and "criterion of rubric l6" in both
    assert "DG202 training-serving-skew" in dg("explain", "DG202").stdout


def test_explain_unknown_name_suggests_a_criterion(dg):
    result = dg("explain", "feedbak-loops")
    assert result.exit_code == 2 and "did you mean 'feedback-loops'?" in result.stderr


# --- drill ------------------------------------------------------------------------------------


def test_drill_asks_about_this_design_with_what_a_strong_answer_covers(dg):
    result = dg("drill", NETFLIX, "-n", "5")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Follow-up questions for Netflix homepage recommendations:")
    assert out.count("   covers: ") == 5 and out.count("   source: ") == 5
    assert "'candidates'" in out  # the design's own components


def test_drill_lists_differ_between_designs_and_never_repeat(dg):
    lists = {}
    for design in (NETFLIX, RAG, CLEAN, EXAMPLES / "fraud-detection.yaml"):
        data = json.loads(dg("drill", design, "--format", "json", "-n", "8").stdout)
        texts = [q["text"] for q in data["questions"]]
        assert len(texts) == len(set(texts)) and len({q["kind"] for q in data["questions"]}) == len(texts)
        lists[design.name] = texts
    assert len({tuple(t) for t in lists.values()}) == len(lists)
    assert any("prompt" in t or "document" in t for t in lists["rag-assistant.yaml"])


def test_drill_level_and_markdown(dg):
    l5 = json.loads(dg("drill", NETFLIX, "--level", "L5", "--format", "json", "-n", "50").stdout)["questions"]
    assert l5 and all(q["level"] in ("L4", "L5") for q in l5)
    md = dg("drill", NETFLIX, "--format", "md", "-n", "2").stdout
    assert md.startswith("# Follow-up questions: Netflix homepage recommendations")
    assert md.count("   - A strong answer covers: ") == 2


def test_drill_on_an_unreadable_design_is_one_line_and_exit_2(dg, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("designgrade: 1\n\ttitle: x\n")
    result = dg("drill", bad)
    assert result.exit_code == 2 and "bad.yaml:2:" in result.stderr and "Traceback" not in result.stderr
    assert dg("drill", tmp_path / "missing.yaml").exit_code == 2


def test_drill_keeps_hostile_names_as_text(dg, tmp_path):
    text = NETFLIX.read_text().replace("Netflix homepage recommendations", "Evil \x1b[2J\u202e title")
    path = tmp_path / "evil.yaml"
    path.write_text(text)
    out = dg("drill", path).stdout
    assert "\x1b" not in out and "\u202e" not in out


# --- day-one things ---------------------------------------------------------------------------


def test_init_writes_the_level_asked_for(dg, tmp_path):
    path = tmp_path / "d.yaml"
    result = dg("init", path, "--task", "recommendation", "--level", "L6")
    assert result.exit_code == 0 and "at L6" in result.stdout
    assert "\nlevel: L6 " in path.read_text()
    assert dg("init", tmp_path / "x.yaml", "--task", "search", "--level", "L9").exit_code == 2


@pytest.mark.parametrize("task", ["recommendation", "fraud_detection", "llm_rag"])
def test_starter_steps_each_sit_above_their_own_part(dg, tmp_path, task):
    path = tmp_path / "d.yaml"
    dg("init", path, "--task", task)
    lines = path.read_text().splitlines()

    def at(text: str) -> int:
        return next(i for i, line in enumerate(lines) if text in line)

    step1, step2, step3, step4 = (at(f"Step {n}:") for n in range(1, 5))
    assert step1 < at("problem:") < step2 < at("kind: event_stream") < step3 < at("kind: training_pipeline") < step4
    assert not any(lines[i + 1].lstrip().startswith("# ---") for i in (step2, step3, step4))  # never stacked
    models = lines.index("models:")
    assert models > step4 and "Step 3" in lines[models - 1]


def test_render_says_what_it_wrote(dg, tmp_path):
    out = tmp_path / "arch.svg"
    result = dg("render", CLEAN, "-o", out)
    assert result.exit_code == 0 and out.exists()
    assert result.stdout.startswith(f"wrote {out}: the svg diagram of {CLEAN}, with its findings drawn (")
    md = tmp_path / "arch.md"
    assert "the mermaid diagram" in dg("render", CLEAN, "-o", md, "--no-findings").stdout


def test_the_hidden_findings_hint_names_the_level_that_shows_them(dg):
    out = dg("lint", FLAWED, "--level", "L4").stdout.strip().splitlines()[-1]
    assert "hidden (--level L5 shows them)" in out or "hidden (--level L6 shows them)" in out
    assert "L7" not in out


def folder(tmp_path: Path) -> Path:
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copyfile(CLEAN, subs / "alice.yaml")
    shutil.copyfile(FLAWED, subs / "bob.yaml")
    (subs / "scores.yaml").write_text("scores:\n  alice.yaml:\n    tradeoff-discussion: 3\n")
    (subs / "ci.yml").write_text("- run: make\n")
    return subs


def test_a_folder_scan_lists_yaml_that_is_not_a_design_and_never_grades_it(dg, tmp_path):
    subs = folder(tmp_path)
    result = dg("grade", subs)
    assert "2 designs graded" in result.stdout and "2 not a design (listed, not graded)" in result.stdout
    assert f"{subs / 'scores.yaml'}: not a design (no designgrade, components or flows key" in result.stdout
    data = json.loads(dg("grade", subs, "--format", "json").stdout)
    assert [d.get("not_a_design") is not None for d in data] == [False, False, True, True]
    out = tmp_path / "reports"
    dg("grade", subs, "--out", out)
    rows = {Path(r["file"]).name: r for r in csv.DictReader(io.StringIO((out / "summary.csv").read_text()))}
    assert rows["scores.yaml"]["status"] == "not a design" and rows["alice.yaml"]["status"] == "graded"
    assert not (out / "scores.html").exists()
    index = (out / "index.html").read_text()
    assert "Not designs (2)" in index and "2</strong> not a design" in index


def test_lint_notes_the_files_it_skips_and_checks_a_file_named_explicitly(dg, tmp_path):
    subs = folder(tmp_path)
    result = dg("lint", subs)
    assert f"skipped {subs / 'scores.yaml'}: not a design" in result.stderr
    assert "in 2 files" in result.stdout
    named = dg("lint", subs / "scores.yaml")
    assert named.exit_code == 1 and "DG009" in named.stdout  # named: checked as a design


def test_a_folder_of_only_non_designs_is_a_usage_error(dg, tmp_path):
    (tmp_path / "scores.yaml").write_text("scores: {}\n")
    result = dg("grade", tmp_path)
    assert result.exit_code == 2 and "none a design" in result.stderr


def test_index_has_blocking_weakest_and_manual_columns(dg, tmp_path):
    subs = folder(tmp_path)
    out = tmp_path / "reports"
    dg("grade", subs, "--out", out, "--scores", subs / "scores.yaml")
    index = (out / "index.html").read_text()
    assert ">Blocking</th>" in index and "Weakest<br>" in index and "Manual<br>" in index
    assert "<code>feature-store</code>" in index  # bob's blocking criterion
    rows = {Path(r["file"]).name: r for r in csv.DictReader(io.StringIO((out / "summary.csv").read_text()))}
    assert rows["alice.yaml"]["manual_scored"] == "1/5" and rows["bob.yaml"]["blocking_criteria"]
    assert rows["bob.yaml"]["weakest_section"] == "data"


def test_compare_warns_when_the_manual_scores_differ_between_runs(dg, tmp_path):
    subs = folder(tmp_path)
    first = tmp_path / "first"
    dg("grade", subs, "--out", first, "--scores", subs / "scores.yaml")
    result = dg("grade", subs, "--compare", first / "results.jsonl")
    assert "warning: the manual scores differ between the runs for 1 design" in result.stdout
    assert "compared 2 designs:" in result.stdout
    second = tmp_path / "second"
    dg("grade", subs, "--out", second, "--compare", first / "results.jsonl")
    index = (second / "index.html").read_text()
    assert "Change<br><span class=\"of\">% points</span>" in index
    rows = list(csv.DictReader(io.StringIO((second / "compare.csv").read_text())))
    assert {r["manual_scores_differ"] for r in rows} == {"yes", "no"}


def test_a_bad_rubric_value_in_the_config_is_one_line(dg, tmp_path):
    shutil.copyfile(CLEAN, tmp_path / "design.yaml")
    (tmp_path / "designgrade.toml").write_text("rubric = 6\n")
    result = dg("lint", tmp_path / "design.yaml")
    assert result.exit_code == 2 and "rubric must be a built-in rubric (l5, l6) or a rubric file" in result.stderr
