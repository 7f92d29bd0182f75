"""`designgrade init`: a starter per task that lints as to-dos, never as structure errors."""

from __future__ import annotations

import json

import pytest

from designgrade.starter import TASKS


@pytest.mark.parametrize("task", TASKS)
def test_starter_lints_as_todos_not_structure_errors(dg, tmp_path, task):
    path = tmp_path / "design.yaml"
    result = dg("init", path, "--task", task)
    assert result.exit_code == 0 and "next: designgrade lint" in result.stdout
    data = json.loads(dg("lint", path, "--format", "json", "--level", "L7").stdout)[0]
    structure = [f for f in data["findings"] if f["pillar"] == "structure"]
    assert structure == []
    assert data["findings"], "a starter leaves things to do"
    assert any(f["rule"] == "missing-business-objective" for f in data["findings"])
    text = path.read_text()
    for step in ("Step 1", "Step 2", "Step 3", "Step 4"):
        assert step in text


def test_init_refuses_to_overwrite_without_force(dg, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("my precious design\n")
    result = dg("init", path, "--task", "search")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert path.read_text() == "my precious design\n"
    assert dg("init", path, "--task", "search", "--force").exit_code == 0
    assert "task: search" in path.read_text()


def test_unknown_task_has_a_did_you_mean(dg, tmp_path):
    result = dg("init", tmp_path / "x.yaml", "--task", "fraud")
    assert result.exit_code == 2 and "did you mean 'fraud_detection'" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_modeline_when_a_schema_sits_beside_the_design(dg, tmp_path):
    (tmp_path / "design.schema.json").write_text(dg("schema").stdout)
    dg("init", tmp_path / "d.yaml", "--task", "eta")
    assert (tmp_path / "d.yaml").read_text().startswith("# yaml-language-server: $schema=design.schema.json")
