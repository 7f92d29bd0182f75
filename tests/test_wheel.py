"""The wheel built from the repo carries its data and works from a fresh virtualenv."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("designgrade-*.whl")
    return built


def test_wheel_contains_rubrics_and_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "designgrade/rubrics/l5.yaml" in names and "designgrade/rubrics/l6.yaml" in names
    assert any(n.startswith("designgrade/templates/") for n in names)
    assert not any(n.startswith(("tests/", "examples/")) for n in names)


def test_wheel_works_in_a_fresh_venv_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                             capture_output=True, text=True)
    if install.returncode != 0:
        pytest.skip(f"cannot install the wheel's dependencies here: {install.stderr.strip()[-300:]}")
    work = tmp_path / "elsewhere"
    work.mkdir()
    design = work / "design.yaml"
    design.write_text((EXAMPLES / "fraud-detection.yaml").read_text())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    exe = str(venv / "bin" / "designgrade")

    def run(*args):
        return subprocess.run([exe, *args], capture_output=True, text=True, cwd=work, env=env)

    lint = run("lint", "design.yaml")
    assert lint.returncode == 0, lint.stderr
    grade = run("grade", "design.yaml", "--rubric", "l6")
    assert grade.returncode == 0 and "verdict: L5 meets" in grade.stdout, grade.stderr
    mermaid = run("render", "design.yaml", "--format", "mermaid")
    assert mermaid.returncode == 0 and "flowchart" in mermaid.stdout
    if subprocess.run(["which", "dot"], capture_output=True).returncode == 0:
        svg = run("render", "design.yaml", "-o", "arch.svg")
        assert svg.returncode == 0 and (work / "arch.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    located = subprocess.run([str(python), "-c", "import designgrade; print(designgrade.__file__)"],
                             capture_output=True, text=True, cwd=work, env=env)
    assert str(ROOT) not in located.stdout
