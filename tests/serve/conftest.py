"""Shared pieces of the playground's tests: a served folder, the app's test client, designs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def pytest_configure(config):
    # Starlette 1.x asks for httpx2 under its test client; httpx (which every Starlette from
    # 0.37 on accepts) still works, and its deprecation notice is not about this code.
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
POST = {"X-Designgrade": "1", "Content-Type": "application/yaml"}

HOSTILE_TITLE = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
HOSTILE = f"""\
designgrade: 1
title: {HOSTILE_TITLE!r}
level: L5
problem: {{task: recommendation, objective: "<b>bold</b> & <i>more</i>"}}
components:
  app: {{kind: client, tech: web, label: '"><img src=x onerror=alert(2)>'}}
  api: {{kind: online_serving, tech: "<script>alert(3)</script>"}}
  lake: {{kind: data_lake, tech: s3}}
flows:
  - "app -> api: <svg onload=alert(4)>"
  - "api -> lake"
  - "api -> <script>x</script>"
"""


def needs_graphviz() -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (scripts/setup installs it)")


def flows_last(text: str) -> str:
    """The design with its ``flows:`` block moved to the end, so a flow can be typed at the end."""
    lines = text.splitlines()
    start = lines.index("flows:")
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha()), len(lines))
    block = lines[start:end]
    rest = lines[:start] + lines[end:]
    while block and not block[-1].strip():
        block.pop()
    while rest and not rest[-1].strip():
        rest.pop()
    return "\n".join(rest + block) + "\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "designs"
    served.mkdir()
    shutil.copy(EXAMPLES / "fraud-detection.yaml", served / "fraud-detection.yaml")
    shutil.copy(EXAMPLES / "flawed" / "no-monitoring.yaml", served / "no-monitoring.yaml")
    (served / "team").mkdir()
    (served / "team" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    return served


@pytest.fixture
def client(folder: Path):
    from starlette.testclient import TestClient

    from designgrade.serve import create_app

    with TestClient(create_app(folder)) as test_client:
        yield test_client
