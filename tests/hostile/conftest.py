"""Shared pieces of the hostile-input tests: small designs and a process runner with a guard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import EXAMPLES, ROOT

CLEAN = EXAMPLES / "eta-prediction.yaml"
FLAWED = EXAMPLES / "flawed" / "no-monitoring.yaml"

MINIMAL = """\
designgrade: 1
title: {title}
problem: {{task: other, objective: x}}
components:
  app: {{kind: client, tech: web}}
  svc: {{kind: service, latency_ms: 5}}
flows:
  - "app -> svc"
"""


def minimal(title: str = "t") -> str:
    return MINIMAL.format(title=title)


def run_process(*args: object, cwd: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None,
                **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`python -m designgrade ARGS` in a real process, stopped after ``timeout`` seconds."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "designgrade", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=timeout, **kwargs)  # type: ignore[call-overload]


def no_internal_error(output: str) -> None:
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path
