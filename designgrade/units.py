"""Quantities (``50k``, ``1.5M``) and durations (``200ms``, ``30d``) as the format writes them."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_QUANTITY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMbB]?)\s*$")
_SCALE = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _finite_number(value: Any, what: str, example: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected {what} such as {example}, got a boolean")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"expected a finite {what}, got {value!r}")
        return number
    raise ValueError(f"expected {what} such as {example}")


_PLAIN = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_THOUSANDS = re.compile(r"^\s*\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def _compact(number: float) -> str:
    for scale, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if number >= scale:
            return f"{number / scale:g}{suffix}"
    return f"{number:g}"


def parse_quantity(value: Any) -> float:
    """``50k`` -> 50000.0; plain non-negative numbers pass through."""
    if isinstance(value, str):
        match = _QUANTITY.match(value.replace("_", ""))
        if not match and _THOUSANDS.match(value):
            # '300,000' reads as 300 thousand in one locale and 300.000 in another: ask for a form that cannot.
            plain = value.strip().replace(",", "")
            raise ValueError(f"{value!r} has a thousands separator, which is not read; write "
                             f"{_compact(float(plain))} or {plain}")
        if not match:
            raise ValueError(f"expected a quantity such as 50k, 1.5M or 2B, got {value!r}")
        return float(match.group(1)) * _SCALE[match.group(2).lower()]
    number = _finite_number(value, "quantity", "50k or 1.5M")
    if number < 0:
        raise ValueError(f"a quantity cannot be negative, got {value!r}")
    return number


def parse_duration(value: Any) -> float:
    """A duration in seconds: ``200ms`` -> 0.2, ``30d`` -> 2592000.0. A bare number is seconds."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"expected a duration such as 200ms, 30s, 15m, 6h, 30d or 2w, got {value!r}")
        return float(match.group(1)) * _SECONDS[match.group(2)]
    number = _finite_number(value, "duration", "30d")
    if number < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    return number


def parse_millis(value: Any) -> float:
    """Milliseconds: a bare number (``60``), or a duration with its unit (``60ms``, ``0.5s``):
    durations take units everywhere else in the format, so ``latency_ms: 60ms`` must too."""
    if isinstance(value, str):
        if _PLAIN.match(value):
            return float(value)
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"expected milliseconds such as 60, or a duration such as 60ms or 0.5s, got {value!r}")
        return float(match.group(1)) * _SECONDS[match.group(2)] * 1000
    number = _finite_number(value, "number of milliseconds", "60 or 60ms")
    if number < 0:
        raise ValueError(f"expected a number of 0 or more, got {value!r}")
    return number


_QUANTITY_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*[kKmMbB]?\s*$"},
    ],
    "description": "A count: a plain number or one with a suffix k, M or B (50k, 1.5M, 2B).",
}
_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|w)\s*$"},
    ],
    "description": "A duration: 200ms, 30s, 15m, 6h, 30d or 2w (a bare number is seconds).",
}

Quantity = Annotated[float, BeforeValidator(parse_quantity), WithJsonSchema(_QUANTITY_SCHEMA)]
Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
_MILLIS_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|w)?\s*$"},
    ],
    "description": "Milliseconds: 60, or a duration with its unit (60ms, 0.5s).",
}
Millis = Annotated[float, BeforeValidator(parse_millis), WithJsonSchema(_MILLIS_SCHEMA)]
