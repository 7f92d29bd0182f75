"""Every command ends in bounded time: big designs, blocking files, a design that never
finishes grading, signals, and two runs into one folder."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import CLEAN, FLAWED, minimal, no_internal_error, run_process

GUARD = 60  # seconds: only a regression to minutes trips it; these designs take about a second


def _scale_bench():
    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "bench" / "scale_bench.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


BENCH = _scale_bench()


def _lint_in_time(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "big.yaml"
    path.write_text(text)
    try:
        result = run_process("lint", path, "--format", "json", timeout=GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"lint ran past {GUARD} s")
    no_internal_error(result.stdout + result.stderr)
    assert result.returncode in (0, 1), result.stderr[-500:]
    return result


def test_5000_components_20000_flows_lint_and_dot_in_time(tmp_path):
    _lint_in_time(tmp_path, BENCH.design(5000, 20000))
    try:
        result = run_process("render", tmp_path / "big.yaml", "-o", tmp_path / "big.dot", timeout=GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"render --format dot ran past {GUARD} s")
    assert result.returncode == 0 and (tmp_path / "big.dot").read_text().startswith("digraph")


def test_200_servings_200_trainers_over_a_2000_store_chain_lints_in_time(tmp_path):
    _lint_in_time(tmp_path, BENCH.skew_design())


def test_a_1500_hop_chain_after_20_diamonds_lints_in_time(tmp_path):
    result = _lint_in_time(tmp_path, BENCH.chain_design())
    assert all(f["rule"] != "invalid-yaml" for f in json.loads(result.stdout)[0]["findings"])


def test_a_1500_hop_chain_renders_in_time(tmp_path):
    (tmp_path / "chain.yaml").write_text(BENCH.chain_design())
    try:
        result = run_process("render", tmp_path / "chain.yaml", "-o", tmp_path / "chain.dot", timeout=GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"render --format dot ran past {GUARD} s")
    assert result.returncode == 0, result.stderr[-500:]


def test_a_1500_hop_chain_is_graded_not_unreadable(dg, tmp_path):
    (tmp_path / "chain.yaml").write_text(BENCH.chain_design())
    data = json.loads(dg("grade", tmp_path / "chain.yaml", "--format", "json", "--jobs", "1").stdout)[0]
    assert data["findings"] and data["findings"][0]["rule"] != "invalid-yaml"


# --- blocking and endless files ------------------------------------------------------------


def test_a_fifo_as_design_is_refused_not_waited_on(fifo, tmp_path):
    result = run_process("lint", fifo, timeout=15)
    assert result.returncode == 2
    assert "FIFO" in result.stdout and f"{fifo}:1:1:" in result.stdout


def test_a_fifo_as_rubric_or_scores_file_is_refused(fifo, tmp_path):
    design = tmp_path / "d.yaml"
    design.write_text(minimal())
    result = run_process("grade", design, "--rubric", fifo, timeout=15)
    assert result.returncode == 2 and "FIFO" in result.stderr
    result = run_process("grade", design, "--scores", fifo, timeout=15)
    assert result.returncode == 2 and "FIFO" in result.stderr
    result = run_process("check-rubric", fifo, timeout=15)
    assert result.returncode == 2 and "FIFO" in result.stdout


def test_compare_with_dev_zero_or_a_fifo_is_refused(fifo, tmp_path):
    design = tmp_path / "d.yaml"
    design.write_text(minimal())
    for source in ("/dev/zero", fifo):
        result = run_process("grade", design, "--compare", source, timeout=15)
        assert result.returncode == 2, source
        assert "not a file" in result.stderr and "results.jsonl" in result.stderr
        no_internal_error(result.stderr)


def test_a_fifo_named_designgrade_toml_is_a_clean_error(tmp_path):
    os.mkfifo(tmp_path / "designgrade.toml")
    (tmp_path / "d.yaml").write_text(minimal())
    result = run_process("lint", tmp_path / "d.yaml", timeout=15)
    assert result.returncode == 2 and "designgrade.toml: cannot read this config file" in result.stderr


# --- a design over its time budget ----------------------------------------------------------


@pytest.fixture
def slow_bob(monkeypatch):
    """Grading any file named bob*.yaml never ends (the pool's workers are forked with this)."""
    from designgrade import grading

    real = grading.grade_file

    def grade_file(path, *args, **kwargs):
        if Path(path).name.startswith("bob"):
            time.sleep(3600)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(grading, "grade_file", grade_file)


def test_a_design_over_budget_gets_its_row_report_and_json_and_the_batch_ends(dg, tmp_path, slow_bob):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(CLEAN.read_text())
    (subs / "bob.yaml").write_text(FLAWED.read_text())
    (subs / "carol.yaml").write_text(FLAWED.read_text())
    out = tmp_path / "out"
    started = time.monotonic()
    result = dg("grade", subs, "--out", out, "--timeout", "2", "--jobs", "2",
                "--format", "html", "--format", "md", "--format", "json")
    assert time.monotonic() - started < GUARD
    assert result.exit_code == 2  # a design that could not be graded, like an unreadable one
    assert "3 designs graded" in result.stdout and "1 over the 2 s budget" in result.stdout
    for name in ("index.html", "summary.csv", "results.jsonl", "bob.html", "bob.md", "bob.json"):
        assert (out / name).is_file(), name
    bob = json.loads((out / "bob.json").read_text())
    assert bob["error"]["kind"] == "timeout" and "2 s budget" in bob["findings"][0]["message"]
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [Path(r["file"]).name for r in lines] == ["alice.yaml", "bob.yaml", "carol.yaml"]
    assert "error" not in lines[0] and "error" not in lines[2] and lines[2]["findings"]
    assert "bob.yaml" in (out / "summary.csv").read_text()
    assert "2 s budget" in (out / "bob.html").read_text()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_grade_without_out_has_the_budget_too(dg, tmp_path, slow_bob):
    (tmp_path / "alice.yaml").write_text(CLEAN.read_text())
    (tmp_path / "bob.yaml").write_text(CLEAN.read_text())
    result = dg("grade", tmp_path, "--timeout", "1", "--format", "json")
    data = json.loads(result.stdout)
    assert [d.get("error", {}).get("kind") for d in data] == [None, "timeout"]
    assert result.exit_code == 2


def test_a_killed_worker_leaves_no_temp_file(dg, tmp_path, monkeypatch):
    """A worker stopped mid-write (here: over budget) leaves its temp file; the batch sweeps it."""
    from designgrade import batch
    from designgrade.fileio import TEMP_SUFFIX

    real = batch.write_design

    def write_design(graded, name, fmts, out, rubric):
        if name == "bob" and not isinstance(graded, batch.NotGraded):
            (out / f".bob.json.x{TEMP_SUFFIX}").write_text("half a report")
            time.sleep(3600)
        return real(graded, name, fmts, out, rubric)

    monkeypatch.setattr(batch, "write_design", write_design)
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "bob.yaml").write_text(CLEAN.read_text())
    out = tmp_path / "out"
    result = dg("grade", subs, "--out", out, "--timeout", "2", "--format", "json")
    assert result.exit_code == 2 and json.loads((out / "bob.json").read_text())["error"]["kind"] == "timeout"
    assert not [p.name for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_ctrl_c_during_a_write_leaves_no_temp_file(tmp_path, monkeypatch):
    from designgrade import fileio

    target = tmp_path / "report.html"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_atomic(target, "half")
    assert list(tmp_path.iterdir()) == []


# --- signals: nothing is left running -------------------------------------------------------

_SLOW_RUN = """
import sys, time
from designgrade import grading
grading.grade_file = lambda *a, **k: time.sleep(3600)
from designgrade.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(c) for c in task.read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc to find the workers")
def test_sigterm_stops_the_pool_workers_and_cleans_up(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("a", "b", "c"):
        (subs / f"{name}.yaml").write_text(minimal())
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_RUN, "grade", str(subs), "--out", str(out), "--jobs", "2",
                             "--timeout", "0", "--format", "json"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the pool never started"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143 and "stopped" in stderr
    no_internal_error(stderr)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "pool workers outlived the batch"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


# --- two runs into one folder -------------------------------------------------------------


def test_two_runs_into_one_folder_keep_every_manifest_entry(tmp_path):
    subs_a, subs_b = tmp_path / "a", tmp_path / "b"
    for folder, name in ((subs_a, "alice"), (subs_b, "bob")):
        folder.mkdir()
        for i in range(6):
            (folder / f"{name}{i}.yaml").write_text(minimal(f"{name} {i}"))
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-m", "designgrade", "grade", str(folder), "--out", str(out),
                               "--format", "json", "--jobs", "1"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for folder in (subs_a, subs_b)]
    for proc in procs:
        proc.communicate(timeout=GUARD)
        assert proc.returncode in (0, 1)
    manifest = set(json.loads((out / ".designgrade-manifest.json").read_text())["files"])
    assert {f"alice{i}.json" for i in range(6)} | {f"bob{i}.json" for i in range(6)} <= manifest
    # and the next run into the folder is not refused
    assert run_process("grade", subs_a, "--out", out, "--format", "json").returncode in (0, 1)


def test_a_second_run_waits_for_the_first(tmp_path):
    import fcntl

    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.yaml").write_text(minimal())
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a first run holds it
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "designgrade", "grade", str(subs), "--out", str(out), "--format",
                             "json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        assert proc.poll() is None and not (out / "alice.json").exists()
    finally:
        os.close(fd)
    _, stderr = proc.communicate(timeout=GUARD)
    assert proc.returncode in (0, 1) and "waiting for it to finish" in stderr
    assert (out / "alice.json").is_file()
