"""The judgment figures on the calibration set do not fall back.

The set (designs judged blind by senior interviewers) lives beside the checkout; this test
reads it through bench/calibration.py and checks only aggregate floors, a little under what
the bench shows today. It names no design and copies no expectation: a change that helps
one design by hurting the judgment elsewhere shows up here.
"""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT, shared_path


@pytest.fixture(scope="module")
def figures():
    directory = shared_path("calibration")
    if not (directory / "judgments.yaml").is_file():
        pytest.skip("the calibration set has no judgments.yaml")
    spec = importlib.util.spec_from_file_location("calibration_bench", ROOT / "bench" / "calibration.py")
    bench = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(bench)
    return bench.measure(directory)


def test_verdicts_agree_with_the_interviewers(figures):
    assert figures["verdicts"]["agree"] >= figures["verdicts"]["total"] - 6
    assert figures["degenerate_below"]


def test_scores_order_designs_as_the_interviewers_do(figures):
    assert figures["spearman"] >= 0.78


def test_problems_the_interviewers_raised_are_reported(figures):
    recall = figures["recall"]
    assert recall["overall_hit"] >= 0.75 * recall["overall"]
    assert recall["known_hit"] >= 0.85 * recall["known"]
    assert recall["new_hit"] >= 22


def test_what_the_interviewers_said_to_leave_alone_is_left_alone(figures):
    assert figures["must_not"]["respected"] >= 0.95 * figures["must_not"]["total"]


def test_designs_that_meet_the_bar_carry_little_noise(figures):
    assert figures["noise"]["per_design"] <= 1.0
