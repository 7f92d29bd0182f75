"""Files and names: what is read, what is written over, and names that are not UTF-8."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import CLEAN, FLAWED, no_internal_error, run_process

LATIN1_NAME = b"caf\xe9.yaml"  # as an archive unzipped without a UTF-8 flag names it


def _bytes_name(folder: Path, raw: bytes, content: Path = CLEAN) -> Path:
    try:
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), raw)))
        path.write_text(content.read_text())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


# --- names that are not UTF-8 ---------------------------------------------------------------


def test_a_name_that_is_not_utf8_in_a_graded_folder_loses_nothing(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    _bytes_name(subs, LATIN1_NAME)
    (subs / "zed.yaml").write_text(FLAWED.read_text())
    out = tmp_path / "out"
    result = run_process("grade", subs, "--out", out, "--format", "json", "--format", "html")
    no_internal_error(result.stdout + result.stderr)
    assert result.returncode in (0, 1) and "3 designs graded" in result.stdout
    raw = (out / "results.jsonl").read_bytes()
    raw.decode("utf-8")  # valid UTF-8
    files = [json.loads(line)["file"] for line in raw.decode().splitlines()]
    assert [Path(f).name for f in files] == ["alice.yaml", "caf\\xe9.yaml", "zed.yaml"]
    assert "caf\\xe9.yaml" in (out / "index.html").read_text(encoding="utf-8")


def test_lint_json_of_a_name_that_is_not_utf8_is_valid_utf8(tmp_path):
    path = _bytes_name(tmp_path, LATIN1_NAME, FLAWED)
    raw = subprocess.run([sys.executable, "-m", "designgrade", "lint", str(tmp_path), "--format", "json"],
                         capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60).stdout
    data = json.loads(raw.decode("utf-8"))  # strict: one raw byte of the name would fail here
    assert data[0]["file"].endswith("caf\\xe9.yaml")
    result = run_process("lint", path)  # named on the command line
    no_internal_error(result.stderr)
    assert "caf\\xe9.yaml" in result.stdout


def test_a_cp1252_terminal_still_gets_every_line(tmp_path):
    path = tmp_path / "设计.yaml"
    path.write_text(FLAWED.read_text())
    result = run_process("lint", path, env={"PYTHONIOENCODING": "cp1252"})
    no_internal_error(result.stderr)
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("in 1 file") and len(lines) > 2
    assert "\\u8bbe\\u8ba1.yaml" in lines[0]


# --- what is read ----------------------------------------------------------------------------


def test_a_symlink_out_of_the_folder_is_skipped_with_a_note(dg, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$hash-of-a-password:19000:0:99999:7:::\n")
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    (subs / "shadow.yaml").symlink_to(secret)
    (subs / "inside.yaml").symlink_to(subs / "alice.yaml")  # stays in the folder: read
    out = tmp_path / "out"
    result = dg("grade", subs, "--out", out, "--format", "json")
    assert "skipped" in result.stderr and "shadow.yaml" in result.stderr and "outside" in result.stderr
    assert "2 designs graded" in result.stdout
    assert "hash-of-a-password" not in "".join(p.read_text() for p in out.iterdir() if p.is_file())
    # named explicitly, a link is read (the user chose it)
    named = dg("lint", subs / "shadow.yaml", "--format", "json")
    assert named.exit_code in (1, 2) and "skipped" not in named.stderr


def test_a_symlink_loop_among_the_inputs_loses_no_other_file(dg, tmp_path):
    (tmp_path / "good.yaml").write_text(FLAWED.read_text())
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    result = dg("lint", tmp_path, "--format", "json")
    assert "loop.yaml" in result.stderr and "symbolic link loop" in result.stderr
    assert [Path(d["file"]).name for d in json.loads(result.stdout)] == ["good.yaml"]
    named = dg("lint", tmp_path / "loop.yaml", tmp_path / "good.yaml")
    assert named.exit_code == 2 and "symbolic link loop" in named.stdout and "good.yaml:" in named.stdout
    no_internal_error(named.output)


def test_render_says_what_a_fifo_or_a_link_loop_is(dg, fifo, tmp_path):
    result = dg("render", fifo, "--format", "mermaid")
    assert result.exit_code == 2 and "FIFO" in result.stderr and "no such file" not in result.stderr
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    result = dg("render", tmp_path / "loop.yaml", "--format", "mermaid")
    assert result.exit_code == 2 and "symbolic link loop" in result.stderr


# --- what is written over ----------------------------------------------------------------------


def _device(tmp_path: Path) -> Path:
    """A character device like /dev/null, made in tmp_path (replacing it harms nothing)."""
    path = tmp_path / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device node here (not root)")
    return path


def test_init_force_never_replaces_a_device_or_a_link(dg, tmp_path):
    device = _device(tmp_path)
    result = dg("init", device, "--task", "search", "--force")
    assert result.exit_code == 2 and "character device" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    victim = tmp_path / "stdout-target"
    victim.write_text("kept")
    link = tmp_path / "stdout"
    link.symlink_to(victim)  # like /dev/stdout -> /proc/self/fd/1
    result = dg("init", link, "--task", "search", "--force")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert link.is_symlink() and victim.read_text() == "kept"


def test_render_o_never_replaces_a_device_or_a_link(dg, tmp_path):
    device = _device(tmp_path)
    result = dg("render", FLAWED, "-o", device, "--format", "dot")
    assert result.exit_code == 2 and "character device" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    link = tmp_path / "arch.dot"
    link.symlink_to(tmp_path / "elsewhere.dot")
    result = dg("render", FLAWED, "-o", link)
    assert result.exit_code == 2 and "symbolic link" in result.stderr and link.is_symlink()
    assert not (tmp_path / "elsewhere.dot").exists()


def test_a_fifo_as_output_is_refused(dg, fifo, tmp_path):
    result = dg("init", fifo, "--task", "search", "--force")
    assert result.exit_code == 2 and "FIFO" in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_write_failures_are_one_line_not_an_internal_error(dg, tmp_path):
    result = dg("render", FLAWED, "-o", "/proc/designgrade-test.dot")
    assert result.exit_code == 2 and "cannot write /proc/designgrade-test.dot" in result.stderr
    no_internal_error(result.output)
    result = dg("init", "/proc/designgrade-test.yaml", "--task", "search")
    assert result.exit_code == 2
    no_internal_error(result.output)
    result = dg("grade", CLEAN, "--out", "/proc/designgrade-test")
    assert result.exit_code == 2 and "--out /proc/designgrade-test" in result.stderr
    no_internal_error(result.output)


def test_a_full_disk_mid_batch_is_one_line(dg, tmp_path, monkeypatch):
    from designgrade import fileio

    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    real = fileio.os.replace

    def full(src, dst):
        if str(dst).endswith("alice.json"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", full)
    out = tmp_path / "out"
    result = dg("grade", subs, "--out", out, "--format", "json", "--jobs", "1", "--timeout", "0")
    assert result.exit_code == 2 and "no space left on device" in result.stderr and "alice.json" in result.stderr
    no_internal_error(result.output)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_design_over_the_diagram_flow_cap_gets_a_note_not_graphviz(tmp_path, monkeypatch):
    from designgrade import batch

    monkeypatch.setattr(batch, "MAX_DIAGRAM_FLOWS", 5)
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    from designgrade.grading import load_rubric

    batch.write_reports([str(subs / "alice.yaml")], load_rubric("l6"), {}, tmp_path / "out", ("md",), 1, timeout=None)
    text = (tmp_path / "out" / "alice.md").read_text()
    assert "flows are more than a report can show (5)" in text and "```mermaid" not in text


def test_output_to_a_full_device_is_one_line(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "designgrade", "lint", str(FLAWED)], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                timeout=60)
    assert result.returncode == 2 and "no space left on device" in result.stderr
    no_internal_error(result.stderr)
