"""pre-commit hook and GitHub Action definitions, tried with the real tools where possible."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES, ROOT


def test_action_is_a_composite_with_shells_and_no_inline_inputs_in_scripts():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts through env, never pasted into the script (injection)
            assert "${{" not in step["run"]
    assert {"paths", "level", "fail-on", "upload-sarif"} <= set(action["inputs"])


def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "designgrade-lint" and hook["entry"] == "designgrade lint"
    assert hook["language"] == "python"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed by pre-commit")
def test_pre_commit_try_repo(tmp_path):
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (it is in the test extras)")
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs the designgrade checkout to be a git repository")
    repo = tmp_path / "candidate"
    (repo / "designs").mkdir(parents=True)
    (repo / "designs" / "good.yaml").write_text((EXAMPLES / "eta-prediction.yaml").read_text())
    (repo / "designs" / "broken.yaml").write_text((EXAMPLES / "flawed" / "structure-errors.yaml").read_text())
    (repo / "ci.yml").write_text("not: a design\n")
    env_git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*env_git, "add", "."], cwd=repo, check=True)
    result = subprocess.run([str(pre_commit), "try-repo", str(ROOT), "designgrade-lint", "--all-files"],
                            cwd=repo, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    if "Could not" in output and "index" in output.lower():
        pytest.skip(f"pre-commit could not install the hook here: {output[-300:]}")
    assert result.returncode == 1, output
    assert "designs/broken.yaml:" in output and "duplicate-key" in output
    assert "designs/good.yaml:" not in output and "ci.yml" not in output
