from __future__ import annotations

import pytest

from designgrade.units import parse_duration, parse_quantity


@pytest.mark.parametrize("text, value", [("50k", 50_000), ("1.5M", 1_500_000), ("2B", 2e9), (20, 20),
                                         ("230M", 230e6), ("1_000", 1000)])
def test_quantities(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text, seconds", [("200ms", 0.2), ("30s", 30), ("15m", 900), ("6h", 21600),
                                           ("30d", 2_592_000), ("2w", 1_209_600), (5, 5)])
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["lots", "-5", -5, float("inf"), True, "5 parsecs", "1e309"])
def test_bad_quantities(bad):
    with pytest.raises(ValueError):
        parse_quantity(bad)


@pytest.mark.parametrize("bad", ["soon", -1, "30 days", float("nan")])
def test_bad_durations(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)
