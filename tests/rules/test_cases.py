"""Runs every rule case in tests/rules/cases/: each rule fires where it must, and only there.

A case may also say what the rule concluded (``outcome``: satisfied, violated or
not_applicable), so a gap or a missing prerequisite (violated, no finding) is told apart
from a design the rule does not apply to."""

from __future__ import annotations

import pytest

from designgrade.registry import all_rules

from .harness import BASES, CASES, load_cases, run

CASES_LIST = load_cases()


@pytest.mark.parametrize("case", [c for _, c in CASES_LIST], ids=[i for i, _ in CASES_LIST])
def test_rule_case(case):
    report, loaded = run(case)
    mine = [f for f in report.findings if f.rule == case["rule"]]
    expected = case["fires"]
    expected = 1 if expected is True else 0 if expected is False else expected
    assert len(mine) == expected, [(f.rule, f.line, f.message) for f in report.findings]
    for finding in mine:
        for text in case.get("message", []):
            assert text in finding.message, finding.message
    if "at" in case and mine:
        path = tuple(int(p) if p.isdigit() else p for p in case["at"].split("."))
        assert path in loaded.positions, f"{case['at']} is not in the design"
        where = loaded.positions[path]
        assert (mine[0].line, mine[0].column) == (where.line, where.column)
    for other in case.get("also", []):
        assert any(f.rule == other for f in report.findings), other
    if "outcome" in case:
        result = report.outcomes.get(case["rule"])
        status = result.status if result is not None else None
        assert status == case["outcome"], (status, result and result.reason, result and result.because)


@pytest.mark.parametrize("name", sorted(p.stem for p in BASES.glob("*.yaml")))
def test_bases_are_clean(name):
    report, _ = run({"base": name})
    noisy = [(f.rule, f.line, f.message) for f in report.findings if f.severity != "info"]
    assert noisy == []


def test_every_rule_has_a_firing_and_a_passing_case():
    fires, passes = set(), set()
    for _, case in CASES_LIST:
        (fires if case["fires"] not in (0, False) else passes).add(case["rule"])
    missing = [r.slug for r in all_rules() if r.slug not in fires or r.slug not in passes]
    assert missing == [], f"rules without both a firing and a passing case in {CASES}"
