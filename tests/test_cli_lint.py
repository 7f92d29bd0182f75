"""`designgrade lint` as a user sees it: lines, summary, exit codes, formats, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, shared_path

GOOD = ROOT / "tests" / "rules" / "bases" / "ranking.yaml"

BAD_INPUTS = {
    "empty.yaml": b"",
    "list-root.yaml": b"- just\n- a list\n",
    "scalar-root.yaml": b"hello\n",
    "tabs.yaml": b"designgrade: 1\n\ttitle: tabs\n",
    "unclosed.yaml": b"designgrade: 1\nflows: [a -> b\n",
    "latin1.yaml": b"title: caf\xe9\n",
    "python-tag.yaml": b"problem: !!python/object/apply:os.system ['echo PWNED']\n",
    "odd-values.yaml": (b"designgrade: 1\ntitle: t\nproblem: {task: other}\n"
                        b"components: {x: {kind: service, latency_ms: 1e309, replicas: -5}}\n"
                        b"flows: ['x -> x', 'x ->', '-> x', 42, null]\n"),
    "huge.yaml": b"notes: '" + b"x" * (2 * 1024 * 1024) + b"'\n",
    "deep.yaml": b"a: " + b"[" * 2000 + b"]" * 2000 + b"\n",
    "bomb.yaml": b"",  # filled below
}


def _bomb() -> bytes:
    lines = ["b0: &b0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*b{i - 1}"] * 9)
        lines.append(f"b{i}: &b{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


BAD_INPUTS["bomb.yaml"] = _bomb()


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_line_with_a_position_and_no_traceback(dg, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    result = dg("lint", path)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:")
    line, column = first[len(str(path)) + 1:].split(":")[:2]
    assert int(line) >= 1 and int(column) >= 1
    assert any("[error]" in line for line in result.stdout.splitlines())


@pytest.mark.parametrize("name", ["tabs.yaml", "latin1.yaml", "python-tag.yaml", "huge.yaml", "deep.yaml",
                                  "bomb.yaml", "unclosed.yaml"])
def test_unreadable_yaml_exits_2(dg, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    assert dg("lint", path).exit_code == 2


def test_shared_smoke_inputs(dg):
    folder = shared_path("hooks", "smoke")
    for path in sorted(folder.glob("*.yaml")):
        result = dg("lint", path)
        assert result.exit_code in (1, 2), path
        assert "Traceback" not in result.output


def test_clean_design_exits_0_with_a_summary(dg):
    result = dg("lint", GOOD, "--level", "L7")
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("0 errors, 0 warnings, 0 info in 1 file")


def test_finding_line_shape_and_exit_1(dg, tmp_path):
    text = GOOD.read_text().replace("kind: feature_store", "kind: feature_stor")
    path = tmp_path / "typo.yaml"
    path.write_text(text)
    result = dg("lint", path)
    assert result.exit_code == 1
    line = next(l for l in result.stdout.splitlines() if "schema-violation" in l)
    number = text.splitlines().index("    kind: feature_stor") + 1
    assert line.startswith(f"{path}:{number}:5: DG002 [error] schema-violation: ")
    assert "did you mean 'feature_store'" in line


def test_a_folder_with_one_broken_file_lints_the_others(dg, tmp_path):
    (tmp_path / "a_good.yaml").write_text(GOOD.read_text())
    (tmp_path / "b_broken.yaml").write_bytes(b"designgrade: 1\n\ttitle: x\n")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "c.yml").write_text(GOOD.read_text())
    result = dg("lint", tmp_path, "--format", "json")
    data = json.loads(result.stdout)
    assert [Path(d["file"]).name for d in data] == ["a_good.yaml", "b_broken.yaml", "c.yml"]
    assert data[1]["findings"][0]["rule"] == "invalid-yaml"
    assert result.exit_code == 2


def test_json_shape(dg, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(GOOD.read_text().replace("fallback: popular_items", "fallbak: popular_items"))
    data = json.loads(dg("lint", path, "--format", "json").stdout)
    assert isinstance(data, list) and len(data) == 1
    report = data[0]
    assert report["title"] == "Feed ranking" and report["level"] == "L6"
    finding = next(f for f in report["findings"] if f["rule"] == "schema-violation")
    assert set(finding) >= {"rule", "code", "severity", "pillar", "level", "message", "fix", "line", "column",
                            "component", "acknowledged", "reason"}
    assert finding["component"] == "serving"


def test_unknown_select_name_is_a_usage_error(dg):
    result = dg("lint", GOOD, "--select", "overbuilt-realtime-servng")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr


def test_no_yaml_in_folder(dg, tmp_path):
    result = dg("lint", tmp_path)
    assert result.exit_code == 2 and "no *.yaml" in result.stderr


def test_config_file_sets_level_and_ignores(dg, tmp_path):
    design = tmp_path / "d.yaml"
    design.write_text(GOOD.read_text().replace("kind: feature_store", "kind: feature_stor"))
    (tmp_path / "designgrade.toml").write_text('ignore = ["schema-violation"]\n')
    result = dg("lint", design)
    assert "schema-violation" not in result.stdout
    (tmp_path / "designgrade.toml").write_text('ignroe = ["x"]\n')
    result = dg("lint", design)
    assert result.exit_code == 2 and "did you mean 'ignore'" in result.stderr


def test_python_api_returns_the_same_report():
    import designgrade

    report = designgrade.lint(GOOD)
    assert report.title == "Feed ranking"
    assert report.findings == []


def test_process_entry_point_and_no_heavy_imports(dg_process, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\nfrom designgrade.cli import main\ncode = main(['lint', sys.argv[1]])\n"
        "heavy = [m for m in ('diagrams', 'graphviz', 'jinja2') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    import subprocess
    import sys

    import os

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, str(probe), str(GOOD)], capture_output=True, text=True, env=env)
    assert "HEAVY []" in out.stdout
    result = dg_process("lint", GOOD)
    assert result.returncode == 0 and "in 1 file" in result.stdout


def test_colors_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    from designgrade.cli import _color
    from designgrade.report.text import render

    class Terminal:
        def isatty(self):
            return True

    class Pipe:
        def isatty(self):
            return False

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _color(Terminal()) and not _color(Pipe())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _color(Terminal())
    import designgrade

    report = designgrade.lint(ROOT / "examples" / "flawed" / "no-monitoring.yaml")
    assert "\x1b[" in render([report], color=True) and "\x1b[" not in render([report], color=False)
