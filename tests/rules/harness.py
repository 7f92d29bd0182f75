"""Rule cases as data: a base design, a patch, and what the rule must (not) report."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from designgrade.engine import Options, lint_loaded
from designgrade.findings import Report
from designgrade.loader import load_text

HERE = Path(__file__).parent
BASES = HERE / "bases"
CASES = HERE / "cases"


def base(name: str) -> dict[str, Any]:
    return yaml.safe_load((BASES / f"{name}.yaml").read_text())


def patch(data: Any, changes: Any) -> Any:
    """Deep-merge ``changes`` into ``data``: null deletes a key, lists replace,
    and a key ending in '+' appends to the list under that key."""
    if not isinstance(changes, dict) or not isinstance(data, dict):
        return copy.deepcopy(changes)
    out = copy.deepcopy(data)
    for key, value in changes.items():
        if isinstance(key, str) and key.endswith("+"):
            out[key[:-1]] = list(out.get(key[:-1]) or []) + list(value)
        elif value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = patch(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def design_text(case: dict[str, Any]) -> str:
    if "design" in case:
        return case["design"]
    data = patch(base(case.get("base", "ranking")), case.get("patch") or {})
    return yaml.safe_dump(data, sort_keys=False)


def run(case: dict[str, Any]) -> tuple[Report, Any]:
    text = design_text(case)
    loaded = load_text(text)
    report = lint_loaded("case.yaml", loaded, Options(level=case.get("level", "L7")))
    return report, loaded


KEYS = {"name", "base", "patch", "design", "level", "fires", "message", "at", "also", "outcome"}
OUTCOMES = {"satisfied", "violated", "not_applicable"}


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for file in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(file.read_text())
        for index, case in enumerate(spec["cases"]):
            unknown = set(case) - KEYS
            assert not unknown, f"{file.name} case {index} has unknown keys {sorted(unknown)}"
            assert case.get("outcome", "satisfied") in OUTCOMES, f"{file.name} case {index}: outcome {case['outcome']}"
            case = dict(case, rule=spec["rule"])
            out.append((f"{spec['rule']}[{index}:{case.get('name', '')}]", case))
    return out
