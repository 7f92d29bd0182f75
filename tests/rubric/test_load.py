"""Rubric files: the built-in ones load, a malformed one is an error with line:col, never ignored."""

from __future__ import annotations

import pytest

from designgrade.loader import load_text
from designgrade.rubric.load import RubricError, builtin_rubrics, load_rubric, parse_rubric

RUBRIC = """
rubric: 1
id: tiny
title: Tiny
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


def problems(text: str) -> list[str]:
    with pytest.raises(RubricError) as info:
        parse_rubric(load_text(text), "r.yaml")
    return info.value.lines()


def test_builtin_rubrics_load_and_weigh_serving_plus_monitoring_half():
    for rubric in builtin_rubrics():
        weights = {s.id: s.weight for s in rubric.sections}
        assert weights["serving"] + weights["monitoring"] == sum(weights.values()) / 2
        for section in rubric.sections:
            for criterion in section.criteria:
                assert criterion.source
    assert set(load_rubric("l6").bars) == {"L5", "L6"}
    assert set(load_rubric("l5").bars) == {"L4", "L5"}


def test_every_rule_of_its_levels_is_scored_by_the_builtin_rubrics():
    from designgrade.findings import level_rank
    from designgrade.registry import all_rules

    for rubric in builtin_rubrics():
        top = max(rubric.bars, key=level_rank)
        named = {r for s in rubric.sections for c in s.criteria for r in c.rules}
        expected = {r.slug for r in all_rules() if r.severity != "info" and level_rank(r.level) <= level_rank(top)}
        assert expected - named == set(), rubric.id


@pytest.mark.parametrize("change, expected", [
    (("rules: [no-monitoring]", "rules: [no-monitorng]"), "did you mean 'no-monitoring'"),
    (("weight: 40", "weight: -1"), "greater than 0"),
    (("must_pass: [monitoring]", "must_pass: [monitorin]"), "did you mean 'monitoring'"),
    (("title: Tiny", "titel: Tiny"), "did you mean 'title'"),
    (("must_pass: [monitoring, guard]", "must_pass: [monitoring, guard, talk]"), ""),
])
def test_malformed_rubrics_report_position_and_hint(change, expected):
    text = RUBRIC.replace(*change)
    if not expected:
        parse_rubric(load_text(text), "r.yaml")  # a manual L5 criterion may be required at L6
        return
    lines = problems(text)
    assert any(expected in line for line in lines), lines
    line_no = int(lines[0].split(":")[1])
    assert change[1].split(":")[0].strip("- ") in text.splitlines()[line_no - 1] or line_no >= 1


def test_a_retired_or_proposed_name_is_accepted_as_an_alias():
    rubric = parse_rubric(load_text(RUBRIC.replace("rules: [no-monitoring]", "rules: [model-not-trained]")), "r.yaml")
    assert rubric.sections[1].criteria[0].rules == ["model-not-trained"]


def test_bar_cannot_require_a_higher_level_criterion():
    text = RUBRIC.replace("L5: {min_score: 70, must_pass: [monitoring]}", "L5: {min_score: 70, must_pass: [guard]}")
    assert any("criterion of level L6" in line for line in problems(text))


def test_check_needs_exactly_one_operator_and_a_real_kind():
    text = RUBRIC + """checks:
  - id: x
    message: m
    rationale: r
  - id: y
    message: m
    rationale: r
    require: {kind: feature_stor}
"""
    lines = problems(text)
    assert any("exactly one of" in line for line in lines)
    assert any("did you mean 'feature_store'" in line for line in lines)


def test_check_cannot_take_a_rule_slug():
    text = RUBRIC + "checks:\n  - {id: no-monitoring, message: m, rationale: r, require: {kind: monitoring}}\n"
    assert any("slug of a built-in rule" in line for line in problems(text))


def test_invalid_yaml_and_python_tags_in_a_rubric():
    assert problems("rubric: [1\n")
    assert any("!!python" in line for line in problems("rubric: !!python/object/apply:os.system ['true']\n"))


def test_unknown_builtin_name():
    with pytest.raises(RubricError) as info:
        load_rubric("l9")
    assert "built-in rubrics: l5, l6" in info.value.lines()[0]
