"""Scoring from evidence: satisfied earns, violated costs, N/A leaves the maximum; verdicts and ranges."""

from __future__ import annotations

import pytest

from designgrade.findings import Finding, RuleResult
from designgrade.loader import load_text
from designgrade.rubric.load import parse_rubric
from designgrade.rubric.score import ManualScore, score

RUBRIC = """
rubric: 1
id: tiny
title: Tiny
acknowledged_credit: 0.5
sections:
  - id: first
    title: First
    weight: 60
    criteria:
      - {id: metrics, title: Metrics, points: 4, partial: true, source: s,
         rules: [missing-offline-metrics, missing-online-metrics]}
      - {id: guard, title: Guardrails, points: 2, rules: [no-guardrail-metrics], source: s}
      - {id: talk, title: Communication, points: 4, manual: true, source: s}
  - id: second
    title: Second
    weight: 40
    criteria:
      - {id: serving, title: Serving, points: 2, rules: [underbuilt-batch-serving], source: s}
      - {id: llm, title: LLM, points: 2, rules: [llm-no-guardrails], source: s}
bars:
  L5: {min_score: 70, must_pass: [serving]}
  L6: {min_score: 90, must_pass: [serving, guard]}
"""

RULES = ("missing-offline-metrics", "missing-online-metrics", "no-guardrail-metrics", "underbuilt-batch-serving",
         "llm-no-guardrails")


def rubric(text: str = RUBRIC):
    return parse_rubric(load_text(text), "tiny.yaml")


def outcomes(**status: str) -> dict[str, RuleResult]:
    """Every rule satisfied with evidence, except those given (slug with _ for -): violated, not_applicable."""
    out = {}
    for slug in RULES:
        state = status.get(slug.replace("-", "_"), "satisfied")
        evidence = [{"text": f"{slug} shown", "line": 1, "column": 1}] if state == "satisfied" else []
        out[slug] = RuleResult(slug, state, evidence, None if state == "satisfied" else "because", None, "L5")
    return out


def finding(rule: str, level: str = "L5", acknowledged: bool = False, severity: str = "warning") -> Finding:
    return Finding(rule=rule, code="DG999", severity=severity, pillar="objective", level=level, message="m",
                   fix="f", line=1, column=1, acknowledged=acknowledged, reason="why" if acknowledged else None)


def test_evidence_everywhere_earns_everything_and_meets_every_bar_provisionally_where_talk_could_flip_it():
    result = score(rubric(), [], outcomes=outcomes())
    assert (result.points, result.max) == (100, 100)
    assert result.verdict["L5"] == "meets" and result.verdict["L6"] == "meets"
    # talk at 0 leaves 76%: above L5's 70 (settled), below L6's 90 (provisional)
    assert not result.bars["L5"]["provisional"] and result.bars["L5"]["unscored"] == []
    assert result.verdict["provisional"] and result.bars["L6"]["unscored"] == ["talk"]
    assert result.unscored == ["talk"]
    # talk (4 of 10 points of the first section) could move the total between 76 and 100
    assert result.range == pytest.approx((76.0, 100.0))
    assert any("missing-offline-metrics shown" in e for s in result.to_dict()["strengths"] for e in s["evidence"])


def test_a_verdict_held_by_a_blocker_is_not_provisional():
    result = score(rubric(), [finding("underbuilt-batch-serving", severity="error")],
                   outcomes=outcomes(underbuilt_batch_serving="violated"))
    assert result.verdict["L5"] == "below" and result.verdict["blocking_criteria"] == ["serving"]
    assert not result.verdict["provisional"] and not result.bars["L5"]["provisional"]


def test_silence_earns_nothing():
    """A design with no outcomes at all (nothing shown) earns no automatic point."""
    result = score(rubric(), [], outcomes={slug: RuleResult(slug, "violated", [], "not shown", None, "L5")
                                            for slug in RULES})
    assert result.points == 0
    assert result.verdict["L5"] == "below" and result.bars["L5"]["below_min_score"]
    assert result.verdict["blocking"] == []  # nothing was raised as an error


def test_a_criterion_whose_rules_do_not_apply_is_na_and_leaves_the_maximum():
    result = score(rubric(), [], outcomes=outcomes(llm_no_guardrails="not_applicable"))
    llm = result.sections[1].criteria[1]
    assert llm.scored_by == "n/a" and llm.earned is None and llm.status == "not_applicable"
    assert result.points == 100
    assert result.to_dict()["sections"][1]["criteria"][1]["scored_by"] == "n/a"


def test_a_section_with_only_na_criteria_leaves_the_maximum():
    result = score(rubric(), [], outcomes=outcomes(llm_no_guardrails="not_applicable",
                                                   underbuilt_batch_serving="not_applicable"))
    assert result.sections[1].max == 0
    assert result.max == 60 and result.points == 60


def test_partial_credit_and_weights():
    result = score(rubric(), [finding("missing-online-metrics")], outcomes=outcomes(missing_online_metrics="violated"))
    first = result.sections[0]
    # metrics earns 2 of 4; guard 2 of 2; talk unscored: 4 of 6 points -> 60 * 4/6 = 40
    assert first.points == pytest.approx(40.0)
    assert result.points == pytest.approx(80.0)
    assert result.weakest["id"] == "first"


def test_acknowledged_finding_costs_points_but_never_blocks():
    result = score(rubric(), [finding("underbuilt-batch-serving", acknowledged=True, severity="error")],
                   outcomes=outcomes(underbuilt_batch_serving="violated"))
    assert result.sections[1].points == pytest.approx(30.0)  # half of serving's 2 of 4 points
    assert result.verdict["L5"] == "meets"


def test_an_error_in_a_must_pass_criterion_blocks_and_a_warning_does_not():
    error = score(rubric(), [finding("underbuilt-batch-serving", severity="error")],
                  outcomes=outcomes(underbuilt_batch_serving="violated"))
    assert error.verdict["L5"] == "below" and error.verdict["blocking"] == ["underbuilt-batch-serving"]
    assert error.bars["L5"]["blocking"] == ["underbuilt-batch-serving"]
    warning = score(rubric(), [finding("underbuilt-batch-serving")],
                    outcomes=outcomes(underbuilt_batch_serving="violated"))
    assert warning.bars["L5"]["blocking"] == []


def test_blocker_cap_keeps_a_design_with_a_blocker_below_the_bar():
    capped = rubric(RUBRIC.replace("acknowledged_credit: 0.5", "acknowledged_credit: 0.5\nblocker_cap: 60"))
    result = score(capped, [finding("underbuilt-batch-serving", severity="error")],
                   outcomes=outcomes(underbuilt_batch_serving="violated"))
    assert result.percent == pytest.approx(60.0)
    assert result.capped == {"at": 60.0, "by": ["underbuilt-batch-serving"], "uncapped": 80.0}


def test_l6_only_gap_does_not_hold_back_the_l5_bar():
    result = score(rubric(), [finding("no-guardrail-metrics", level="L6")],
                   outcomes=outcomes(no_guardrail_metrics="violated"))
    assert result.verdict["L5"] == "meets"
    assert result.bars["L5"]["percent"] == 100.0
    assert result.bars["L6"]["percent"] < 100.0


def test_manual_score_counts_and_wins_over_automatic():
    manual = {"talk": ManualScore(2, "ok"), "serving": ManualScore(2, "saw it on the whiteboard")}
    result = score(rubric(), [finding("underbuilt-batch-serving", severity="error")], manual,
                   outcomes=outcomes(underbuilt_batch_serving="violated"))
    assert result.manual == ["talk", "serving"]
    # first: 4 + 2 + 2 of 10 -> 48; second: serving 2 of 2 (manual) and llm 2 of 2 -> 40
    assert result.points == pytest.approx(88.0)
    assert not result.verdict["provisional"] and result.range is None
    talk = result.sections[0].criteria[2]
    assert talk.scored_by == "manual" and talk.comment == "ok"


def test_info_findings_never_cost_points():
    result = score(rubric(), [finding("llm-no-guardrails", severity="info")],
                   outcomes=outcomes(llm_no_guardrails="violated"))
    assert result.points == 100


def test_unreadable_design_earns_no_automatic_point():
    result = score(rubric(), [finding("invalid-yaml", severity="error")], unreadable=True)
    assert result.points == 0
    assert result.verdict["L5"] == "below"


def test_each_further_blocked_criterion_lowers_the_cap():
    stepped = rubric(RUBRIC.replace("acknowledged_credit: 0.5",
                                    "acknowledged_credit: 0.5\nblocker_cap: 60\nblocker_step: 10")
                     .replace("L6: {min_score: 90, must_pass: [serving, guard]}",
                              "L6: {min_score: 90, must_pass: [serving, guard]}"))
    one = score(stepped, [finding("underbuilt-batch-serving", severity="error")],
                outcomes=outcomes(underbuilt_batch_serving="violated"))
    two = score(stepped, [finding("underbuilt-batch-serving", severity="error"),
                          finding("no-guardrail-metrics", severity="error")],
                outcomes=outcomes(underbuilt_batch_serving="violated", no_guardrail_metrics="violated"))
    assert one.capped["at"] == 60 and two.capped["at"] == 50
    assert two.verdict["blocking_criteria"] == ["serving", "guard"]
