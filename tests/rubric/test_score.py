"""Scoring arithmetic, partial credit, acknowledged trade-offs, manual overrides and verdicts."""

from __future__ import annotations

import pytest

from designgrade.findings import Finding
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
      - {id: monitoring, title: Monitoring, points: 1, rules: [no-monitoring], source: s}
bars:
  L5: {min_score: 70, must_pass: [monitoring]}
  L6: {min_score: 90, must_pass: [monitoring, guard]}
"""


def rubric():
    return parse_rubric(load_text(RUBRIC), "tiny.yaml")


def finding(rule: str, level: str = "L5", acknowledged: bool = False, severity: str = "warning") -> Finding:
    return Finding(rule=rule, code="DG999", severity=severity, pillar="objective", level=level, message="m",
                   fix="f", line=1, column=1, acknowledged=acknowledged, reason="why" if acknowledged else None)


def test_clean_design_earns_everything_and_meets_every_bar_with_manual_unscored():
    result = score(rubric(), [])
    assert (result.points, result.max) == (100, 100)
    assert result.verdict == {"L5": "meets", "L6": "meets", "blocking": []}
    assert result.unscored == ["talk"]


def test_partial_credit_and_weights():
    result = score(rubric(), [finding("missing-online-metrics")])
    first = result.sections[0]
    # metrics earns 2 of 4; guard 2 of 2; talk unscored: 4 of 6 points -> 60 * 4/6 = 40
    assert first.points == pytest.approx(40.0)
    assert result.points == pytest.approx(80.0)
    assert result.weakest["id"] == "first"


def test_acknowledged_finding_costs_points_but_never_blocks():
    result = score(rubric(), [finding("no-monitoring", acknowledged=True)])
    assert result.sections[1].points == pytest.approx(20.0)
    assert result.verdict["L5"] == "meets" and result.verdict["L6"] == "meets"


def test_must_pass_blocks_with_the_rule_that_fired():
    result = score(rubric(), [finding("no-monitoring")])
    assert result.verdict["L5"] == "below"
    assert result.verdict["blocking"] == ["no-monitoring"]
    assert result.bars["L5"]["blocking"] == ["no-monitoring"]


def test_l6_only_gap_does_not_hold_back_the_l5_bar():
    result = score(rubric(), [finding("no-guardrail-metrics", level="L6")])
    assert result.verdict["L5"] == "meets"
    assert result.verdict["L6"] == "below"
    assert result.bars["L5"]["percent"] == 100.0


def test_min_score_blocks_below_the_bar():
    result = score(rubric(), [finding("missing-online-metrics"), finding("missing-offline-metrics")])
    # first section at L5: metrics 0/4 -> 0 of 4 points at L5 -> 0%; second 100% -> 40%
    assert result.bars["L5"]["percent"] == pytest.approx(40.0)
    assert result.verdict["L5"] == "below" and result.bars["L5"]["below_min_score"]


def test_manual_score_counts_and_wins_over_automatic():
    manual = {"talk": ManualScore(2, "ok"), "monitoring": ManualScore(1, "saw it on the whiteboard")}
    result = score(rubric(), [finding("no-monitoring")], manual)
    assert result.manual == ["talk", "monitoring"]
    # first: 4 + 2 + 2 of 10 -> 48; second: manual 1 of 1 -> 40
    assert result.points == pytest.approx(88.0)
    assert result.verdict["L5"] == "meets"
    talk = result.sections[0].criteria[2]
    assert talk.scored_by == "manual" and talk.comment == "ok"


def test_info_findings_never_cost_points():
    result = score(rubric(), [finding("no-monitoring", severity="info")])
    assert result.points == 100


def test_unreadable_design_earns_no_automatic_point():
    result = score(rubric(), [finding("invalid-yaml", severity="error")], unreadable=True)
    assert result.points == 0
    assert result.verdict["L5"] == "below"
