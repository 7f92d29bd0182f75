"""The commands the guides show work as shown (exit 0, or 1 where they report findings)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

GUIDES = ["docs/lint-your-design.md", "docs/grade-a-cohort.md"]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


@pytest.mark.parametrize("guide", GUIDES)
def test_guide_commands_run(guide, tmp_path):
    text = (ROOT / guide).read_text()
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    for block in blocks(text, "yaml"):
        if block.startswith("scores:"):
            (tmp_path / "scores.yaml").write_text(block)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    commands = [line for block in blocks(text, "sh") for line in block.splitlines() if line.strip()]
    assert commands
    for line in commands:
        argv = shlex.split(line.split("  #")[0])
        assert argv[0] == "designgrade", line
        result = subprocess.run([sys.executable, "-m", "designgrade", *argv[1:]], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode in (0, 1), f"{line}\n{result.stdout[-500:]}\n{result.stderr[-500:]}"
        assert "Traceback" not in result.stderr
    if "grade-a-cohort" in guide:
        assert (tmp_path / "reports" / "index.html").exists()
    else:
        assert (tmp_path / "my-design.yaml").exists() and (tmp_path / "arch.svg").exists()
