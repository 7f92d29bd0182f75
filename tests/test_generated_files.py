"""Checked-in copies of generated files match what the code generates."""

from __future__ import annotations

import json

import pytest

from designgrade.catalog import rules_markdown
from designgrade.format_doc import format_markdown
from designgrade.schema import design_schema, rubric_schema

from .conftest import ROOT

REGENERATE = {
    "schemas/design.schema.json": "designgrade schema > schemas/design.schema.json",
    "docs/design-format.md": "designgrade schema --format markdown > docs/design-format.md",
    "docs/rules.md": "designgrade rules --format markdown > docs/rules.md",
    "schemas/rubric.schema.json": "designgrade schema --rubric > schemas/rubric.schema.json",
}


@pytest.mark.parametrize("relative, generate", [
    ("schemas/design.schema.json", lambda: json.dumps(design_schema(), indent=2, ensure_ascii=False) + "\n"),
    ("docs/design-format.md", format_markdown),
    ("docs/rules.md", rules_markdown),
    ("schemas/rubric.schema.json", lambda: json.dumps(rubric_schema(), indent=2, ensure_ascii=False) + "\n"),
])
def test_checked_in_copy_is_current(relative, generate):
    current = (ROOT / relative).read_text()
    assert current == generate(), f"{relative} is stale: run `{REGENERATE[relative]}`"


def test_cli_schema_matches_file(dg):
    assert dg("schema").stdout == (ROOT / "schemas" / "design.schema.json").read_text()


def test_schema_validates_the_examples_and_rejects_typos():
    import jsonschema
    import yaml

    schema = design_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path
    typo = yaml.safe_load((ROOT / "tests/rules/bases/ranking.yaml").read_text())
    typo["components"]["features"]["onlne_store"] = "redis"
    assert list(validator.iter_errors(typo))


def test_examples_start_with_the_schema_modeline():
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=") and first.endswith("schemas/design.schema.json"), path


def test_builtin_rubrics_validate_against_the_rubric_schema():
    import jsonschema
    import yaml

    validator = jsonschema.Draft202012Validator(rubric_schema())
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        assert [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))] == [], path


def test_examples_validate_with_an_independent_validator(tmp_path):
    """check-jsonschema, as editors and CI would use the checked-in schema."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "check-jsonschema"
    if not exe.exists():
        exe = shutil.which("check-jsonschema")
        if exe is None:
            pytest.skip("check-jsonschema is not installed (it is in the test extras)")
    strong = sorted(str(p) for p in (ROOT / "examples").glob("*.yaml"))
    result = subprocess.run([str(exe), "--schemafile", str(ROOT / "schemas" / "design.schema.json"), *strong],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "typo.yaml"
    broken.write_text((ROOT / "examples" / "eta-prediction.yaml").read_text().replace(
        "kind: feature_store", "kind: feature_stor"))
    result = subprocess.run([str(exe), "--schemafile", str(ROOT / "schemas" / "design.schema.json"), str(broken)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "feature_stor" in result.stdout + result.stderr
