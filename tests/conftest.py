from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A file of the reference material beside the checkout; skip where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the reference material lives beside the checkout, not in it)")
    return path


@pytest.fixture
def dg():
    """Run the CLI in-process as a user would; returns click's Result (exit_code, stdout, stderr)."""
    from click.testing import CliRunner

    from designgrade.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture
def dg_process():
    """Run `python -m designgrade` in a real process (for what only a process shows)."""

    def run(*args: str, cwd: Path | None = None):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        return subprocess.run([sys.executable, "-m", "designgrade", *map(str, args)],
                              capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=60)

    return run
