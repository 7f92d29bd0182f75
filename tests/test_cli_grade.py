"""`designgrade grade`, `rubrics` and `check-rubric` as an interviewer uses them."""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLES, ROOT

# What a hiring committee would conclude from each example (verdicts of the built-in rubrics).
EXPECTED_L6 = {
    "ads-ctr.yaml": ("meets", "meets"),
    "content-moderation.yaml": ("meets", "meets"),
    "eta-prediction.yaml": ("meets", "meets"),
    "fraud-detection.yaml": ("meets", "meets"),
    "netflix-homepage.yaml": ("meets", "meets"),
    "people-you-may-know.yaml": ("meets", "meets"),
    "rag-assistant.yaml": ("meets", "meets"),
    "search-ranking.yaml": ("meets", "meets"),
    "flawed/fraud-no-feature-store.yaml": ("below", "below"),
    "flawed/netflix-realtime-overkill.yaml": ("below", "below"),
    # silence about monitoring costs a quarter of the points, but is no blocker (warnings never block)
    "flawed/no-monitoring.yaml": ("meets", "meets"),
    "flawed/rag-no-guardrails.yaml": ("below", "below"),
    "flawed/structure-errors.yaml": ("below", "below"),
}


def graded(dg, *args):
    result = dg("grade", *args, "--format", "json")
    return result, json.loads(result.stdout)


def test_every_example_gets_the_verdict_an_interviewer_expects(dg):
    result, data = graded(dg, EXAMPLES, "--rubric", "l6")
    verdicts = {str(item["file"]).split("examples/")[1]: (item["score"]["verdict"]["L5"],
                                                          item["score"]["verdict"]["L6"]) for item in data}
    assert verdicts == EXPECTED_L6


def test_l5_rubric_bars_and_staff_gaps_not_scored(dg):
    _, data = graded(dg, EXAMPLES / "flawed" / "netflix-realtime-overkill.yaml", "--rubric", "l5")
    score = data[0]["score"]
    assert set(score["verdict"]) == {"L4", "L5", "blocking", "blocking_criteria", "provisional"}
    assert score["verdict"]["L4"] == "meets" and score["verdict"]["L5"] == "below"
    assert "overbuilt-realtime-serving" in score["verdict"]["blocking"]
    assert "no-guardrail-metrics" not in {f["rule"] for f in data[0]["findings"]}
    assert score["capped"]["by"] == ["overbuilt-realtime-serving"] and score["percent"] == 60


def test_json_score_shape(dg):
    _, data = graded(dg, EXAMPLES / "flawed" / "no-monitoring.yaml")
    score = data[0]["score"]
    assert score["rubric"] == "l6" and score["max"] == 100
    assert 0 <= score["points"] < 100
    assert [s["id"] for s in score["sections"]] == ["objective", "data", "model", "serving", "monitoring"]
    assert score["weakest_section"]["id"] == "monitoring"
    assert score["maturity"]["level"] == 0
    # no monitoring costs points but blocks nothing
    assert score["verdict"]["blocking"] == []
    assert "tradeoff-discussion" in score["unscored"] and score["provisional"]
    criteria = {c["id"]: c for s in score["sections"] for c in s["criteria"]}
    assert criteria["llm-serving"]["scored_by"] == "n/a" and criteria["llm-serving"]["earned"] is None
    assert criteria["drift-monitoring"]["status"] == "violated"
    assert any("see no-monitoring" in r for r in criteria["drift-monitoring"]["reasons"])


def test_manual_scores_file(dg, tmp_path):
    scores = tmp_path / "scores.yaml"
    scores.write_text("scores:\n  no-monitoring.yaml:\n    tradeoff-discussion: {score: 3, comment: Raised cost}\n"
                      "    monitoring: 4\n")
    _, data = graded(dg, EXAMPLES / "flawed" / "no-monitoring.yaml", "--scores", scores)
    score = data[0]["score"]
    assert score["manual"] == ["monitoring", "tradeoff-discussion"]
    criteria = {c["id"]: c for s in score["sections"] for c in s["criteria"]}
    assert criteria["tradeoff-discussion"]["comment"] == "Raised cost"
    assert criteria["monitoring"]["earned"] == 4 and criteria["monitoring"]["scored_by"] == "manual"


@pytest.mark.parametrize("content, message", [
    ("scores:\n  x.yaml:\n    tradeof-discussion: 3\n", "did you mean 'tradeoff-discussion'"),
    ("scores:\n  x.yaml:\n    tradeoff-discussion: 30\n", "from 0 to 3"),
    ("- nope\n", "one key, scores"),
])
def test_bad_scores_file_is_a_clear_error(dg, tmp_path, content, message):
    scores = tmp_path / "scores.yaml"
    scores.write_text(content)
    result = dg("grade", EXAMPLES / "eta-prediction.yaml", "--scores", scores)
    assert result.exit_code == 2
    assert message in result.stderr and f"{scores}:" in result.stderr


def test_scores_for_nobody_warns(dg, tmp_path):
    scores = tmp_path / "scores.yaml"
    scores.write_text("scores:\n  someone-else.yaml:\n    tradeoff-discussion: 3\n")
    result = dg("grade", EXAMPLES / "eta-prediction.yaml", "--scores", scores)
    assert "'someone-else.yaml' matches no submission" in result.stderr


def test_text_output_and_exit_codes(dg, tmp_path):
    result = dg("grade", EXAMPLES / "eta-prediction.yaml", EXAMPLES / "flawed" / "fraud-no-feature-store.yaml")
    assert result.exit_code == 1  # error findings in the flawed design
    assert "verdict: L5 meets · L6 meets" in result.stdout and "they cannot change the verdicts" in result.stdout
    assert "L6 blocked by must-pass feature-store (training-serving-skew)" in result.stdout
    assert "MLOps maturity: level" in result.stdout
    assert result.stdout.strip().endswith("2 designs graded: 1 meet L5, 1 meet L6")
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"designgrade: 1\n\ttitle: x\n")
    result = dg("grade", broken, EXAMPLES / "eta-prediction.yaml", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 2 and data[0]["score"]["points"] == 0 and len(data) == 2


def test_custom_rubric_with_a_check(dg, tmp_path):
    text = (ROOT / "rubrics" / "l5.yaml").read_text().replace(
        "acknowledged_credit: 0.5",
        "acknowledged_credit: 0.5\nchecks:\n  - id: needs-kafka\n    message: no Kafka\n"
        "    rationale: the team standardises on Kafka\n    severity: error\n"
        "    require: {kind: event_stream, tech: kafka}\n")
    text = text.replace("rules: [no-model-registry]", "rules: [no-model-registry, needs-kafka]")
    rubric = tmp_path / "team.yaml"
    rubric.write_text(text)
    assert dg("check-rubric", rubric).exit_code == 0
    _, data = graded(dg, EXAMPLES / "netflix-homepage.yaml", "--rubric", rubric)
    rules = {f["rule"] for f in data[0]["findings"]}
    has_kafka = "kafka" in (EXAMPLES / "netflix-homepage.yaml").read_text()
    assert ("needs-kafka" in rules) != has_kafka


def test_check_rubric_reports_every_problem(dg, tmp_path):
    rubric = tmp_path / "bad.yaml"
    rubric.write_text((ROOT / "rubrics" / "l6.yaml").read_text().replace("weight: 25", "wieght: 25", 1)
                      .replace("[no-baseline-model]", "[no-baseline]"))
    result = dg("check-rubric", rubric)
    assert result.exit_code == 2
    assert "did you mean 'weight'" in result.stdout and "did you mean 'no-baseline-model'" in result.stdout
    assert all(line.startswith(f"{rubric}:") for line in result.stdout.splitlines())


def test_rubrics_lists_sections_weights_and_bars(dg):
    out = dg("rubrics").stdout
    assert "l5: Senior (L5)" in out and "l6: Staff (L6)" in out
    assert "weight 25" in out and "bar L6: at least 70%" in out
