"""`designgrade grade ... --out DIR` as an interviewer uses it: the files it writes, the
summary, safe names, never clobbering what is not ours, broken submissions, --compare,
--jobs."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import EXAMPLES

CLEAN = EXAMPLES / "eta-prediction.yaml"
FLAWED = EXAMPLES / "flawed" / "netflix-realtime-overkill.yaml"  # one blocker (an error): below both bars
RAG = EXAMPLES / "rag-assistant.yaml"


def submissions(root: Path, files: dict[str, Path | bytes | str]) -> Path:
    """A submissions folder: name -> example to copy, or raw content."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def test_every_format_and_the_summary_files(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN, "team/bob.yaml": FLAWED})
    out = tmp_path / "reports"
    result = dg("grade", subs, "--rubric", "l6", "--out", out, "--format", "html", "--format", "md",
                "--format", "json")
    assert result.exit_code == 1, result.output  # bob's blocker is an error finding
    assert listing(out) == {
        "alice.html", "alice.md", "alice.json", "team__bob.html", "team__bob.md", "team__bob.json",
        "index.html", "summary.csv", "results.jsonl", ".designgrade-manifest.json",
    }
    assert "2 designs graded: 1 meet L5, 1 meet L6" in result.stdout
    assert str(out / "index.html") in result.stdout

    # results.jsonl: one cli.md JSON object a line, as `grade --format json` prints them
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    as_json = json.loads(dg("grade", subs, "--rubric", "l6", "--format", "json").stdout)
    assert [json.loads(line) for line in lines] == as_json
    # the per-design JSON is that object
    assert json.loads((out / "team__bob.json").read_text(encoding="utf-8")) == as_json[1]

    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))
    assert [r["file"] for r in rows] == [str(subs / "alice.yaml"), str(subs / "team" / "bob.yaml")]
    assert rows[0]["L6"] == "meets" and rows[1]["L6"] == "below"
    assert rows[1]["points"] == f"{as_json[1]['score']['points']:g}"
    assert rows[1]["monitoring"] and rows[1]["warnings"] != "0" and rows[1]["report"] == "team__bob.html"

    manifest = json.loads((out / ".designgrade-manifest.json").read_text())
    assert set(manifest["files"]) == listing(out) - {".designgrade-manifest.json"}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_default_formats_and_text(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN})
    out = tmp_path / "r"
    assert dg("grade", subs, "--out", out).exit_code == 0
    assert {"alice.html", "alice.md", "alice.json"} <= listing(out)
    out2 = tmp_path / "r2"
    assert dg("grade", subs, "--out", out2, "--format", "text").exit_code == 0
    assert "verdict: L5 meets · L6 meets" in (out2 / "alice.txt").read_text(encoding="utf-8")


def test_index_lists_every_submission_with_links_that_resolve(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"a.yaml": CLEAN, "b.yaml": FLAWED, "deep/c.yaml": RAG,
                                           "broken.yaml": b"designgrade: 1\n\ttitle: tabs\n"})
    out = tmp_path / "out"
    dg("grade", subs, "--out", out, "--format", "html", "--format", "md", "--format", "json")
    index = (out / "index.html").read_text(encoding="utf-8")
    for title in ("Ride-hailing ETA prediction", "Netflix homepage recommendations (real-time overkill)",
                  "Customer-support RAG assistant"):
        assert title in index
    for name in ("a.yaml", "b.yaml", "c.yaml", "broken.yaml"):
        assert name in index
    links = hrefs(index)
    local = [h for h in links if not urlsplit(h).scheme]
    assert {"a.html", "a.md", "a.json", "deep__c.html", "broken.html", "summary.csv", "results.jsonl"} <= set(local)
    for href in local:
        assert (out / unquote(href)).is_file(), href
    # and each report links back to the index and to its siblings
    for href in ("index.html", "a.md", "a.json"):
        assert href in hrefs((out / "a.html").read_text(encoding="utf-8"))
    assert not [h for h in links if urlsplit(h).scheme not in ("", "https", "http")]


def test_a_broken_submission_gets_a_row_and_a_report(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {
        "good.yaml": CLEAN,
        "tabs.yaml": b"designgrade: 1\ntitle: tabs\n\tlevel: L5\n",
        "utf16.yaml": "title: x\n".encode("utf-16"),
        "empty.yaml": b"",
    })
    out = tmp_path / "out"
    result = dg("grade", subs, "--out", out, "--format", "html", "--format", "md", "--format", "json")
    assert result.exit_code == 2  # unreadable files: the exit code says something failed
    assert "Traceback" not in result.output
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 4
    by_file = {Path(r["file"]).name: r for r in rows}
    assert by_file["tabs.yaml"]["unreadable"] == "yes" and by_file["tabs.yaml"]["points"] == "0"
    assert by_file["good.yaml"]["unreadable"] == "no"
    html = (out / "tabs.html").read_text(encoding="utf-8")
    assert "could not be read" in html and "tabs.yaml:3:" in html
    assert "could not be read" in (out / "utf16.md").read_text(encoding="utf-8")
    assert "UTF-16" in (out / "utf16.html").read_text(encoding="utf-8")
    assert json.loads((out / "tabs.json").read_text())["findings"][0]["rule"] == "invalid-yaml"
    assert (out / "empty.html").is_file()
    assert "unreadable" in (out / "index.html").read_text(encoding="utf-8")


def test_a_foreign_file_is_never_overwritten(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN, "bob.yaml": FLAWED})
    out = tmp_path / "out"
    out.mkdir()
    (out / "alice.html").write_text("the interviewer's own notes")
    (out / "notes.txt").write_text("keep me")
    result = dg("grade", subs, "--out", out)
    assert result.exit_code == 2
    assert "will not overwrite alice.html" in result.stderr and "designgrade did not write it" in result.stderr
    assert "Traceback" not in result.output
    assert (out / "alice.html").read_text() == "the interviewer's own notes"
    assert listing(out) == {"alice.html", "notes.txt"}  # refused before writing anything


def test_a_foreign_summary_file_or_folder_is_never_overwritten(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN})
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("my homepage")
    result = dg("grade", subs, "--out", out, "--format", "json")
    assert result.exit_code == 2 and "index.html" in result.stderr
    assert (out / "index.html").read_text() == "my homepage"
    (out / "index.html").unlink()
    (out / "alice.json").mkdir()
    result = dg("grade", subs, "--out", out, "--format", "json")
    assert result.exit_code == 2 and "alice.json" in result.stderr
    target = tmp_path / "file"
    target.write_text("x")
    result = dg("grade", subs, "--out", target)
    assert result.exit_code == 2 and "is a file" in result.stderr


def test_a_rerun_replaces_our_files_and_nothing_else(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN, "bob.yaml": FLAWED})
    out = tmp_path / "out"
    assert dg("grade", subs, "--out", out).exit_code == 1  # bob's blocker
    (out / "notes.txt").write_text("keep me")
    first = (out / "alice.html").read_text(encoding="utf-8")
    text = CLEAN.read_text(encoding="utf-8").replace("title: Ride-hailing ETA prediction", "title: Second try")
    (subs / "alice.yaml").write_text(text, encoding="utf-8")
    result = dg("grade", subs, "--out", out)
    assert result.exit_code == 1, result.output  # bob's blocker again
    second = (out / "alice.html").read_text(encoding="utf-8")
    assert second != first and "Second try" in second and "Second try" in (out / "alice.md").read_text()
    assert (out / "notes.txt").read_text() == "keep me"
    assert "notes.txt" not in json.loads((out / ".designgrade-manifest.json").read_text())["files"]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    # a submission left out of the rerun keeps its old report (designgrade deletes nothing)
    (subs / "bob.yaml").unlink()
    assert dg("grade", subs, "--out", out).exit_code == 0
    assert (out / "bob.html").is_file() and "bob" not in (out / "index.html").read_text(encoding="utf-8")


def test_an_unreadable_manifest_protects_everything(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN})
    out = tmp_path / "out"
    assert dg("grade", subs, "--out", out, "--format", "json").exit_code == 0
    (out / ".designgrade-manifest.json").write_text("{not json")
    result = dg("grade", subs, "--out", out, "--format", "json")
    assert result.exit_code == 2 and "will not overwrite" in result.stderr


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    from designgrade import batch

    target = tmp_path / "r.html"
    target.write_text("old")
    batch.write_atomic(target, "new")
    assert target.read_text() == "new"

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch.os, "replace", boom)
    with pytest.raises(OSError):
        batch.write_atomic(target, "newer")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temp file left behind


def test_a_symlink_in_the_way_is_neither_followed_nor_replaced(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": CLEAN})
    out = tmp_path / "out"
    assert dg("grade", subs, "--out", out, "--format", "json").exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "alice.json").unlink()
    (out / "alice.json").symlink_to(victim)
    result = dg("grade", subs, "--out", out, "--format", "json")
    assert result.exit_code == 2
    assert "will not overwrite alice.json" in result.stderr and "not a regular file" in result.stderr
    assert victim.read_text() == "precious" and (out / "alice.json").is_symlink()


# --- names ---------------------------------------------------------------------------------


def test_output_names_are_safe_and_unique():
    from designgrade.batch import output_names

    files = ["subs/team a/alice.yaml", "subs/team_a/alice.yaml", "subs/Bob.yaml", "subs/bob.yaml",
             "subs/index.yaml", "subs/.hidden.yaml", "subs/-rf.yaml", "subs/日本語 デザイン.yaml",
             "subs/" + "x" * 200 + ".yaml", "subs/" + "x" * 200 + "y.yaml", "subs/con.yaml", "subs/a.b.yml"]
    names = output_names(files)
    assert len(set(n.lower() for n in names)) == len(names)
    for name in names:
        assert name and len(name) <= 80
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in name), name
        assert not name.startswith((".", "-"))
    assert names[-1] == "a.b"
    assert names[0].startswith("team_a__alice-") and names[1].startswith("team_a__alice-")
    assert names[2].startswith("Bob-") and names[3].startswith("bob-")
    assert names[4].startswith("index-")  # never the summary's index.html
    assert names[5] == "hidden" and names[6] == "rf"
    assert output_names(["only.yaml"]) == ["only"]
    assert output_names(["../../x.yaml", "a/../../b.yaml"]) == output_names(["../../x.yaml", "a/../../b.yaml"])


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("title", ["../../../escaped", "a/b\\c", "/etc/passwd", "x\x00y", "..", "CON"])
def test_hostile_paths_and_titles_never_write_outside_out(dg, tmp_path, monkeypatch, title):
    work = tmp_path / "work"
    deep = work / "a" / "b" / "c"
    deep.mkdir(parents=True)
    hostile = CLEAN.read_text(encoding="utf-8").replace(
        "title: Ride-hailing ETA prediction", f"title: {json.dumps(title)}")
    names = ["x.yaml", "..x.yaml", "日本語.yaml", "with space & 'quote'.yaml", "n" * 180 + ".yaml", "index.yaml"]
    for name in names:
        (work / name).write_text(hostile, encoding="utf-8")
    (deep / "d.yaml").write_text(hostile, encoding="utf-8")
    monkeypatch.chdir(deep)
    before = tree(tmp_path)
    args = ["../../../x.yaml", "../../../..x.yaml", "../../../日本語.yaml", "../../../with space & 'quote'.yaml",
            f"../../../{'n' * 180}.yaml", "../../../index.yaml", "d.yaml", "../../b/c/d.yaml"]
    out = tmp_path / "out"
    result = dg("grade", *args, "--out", out, "--format", "html", "--format", "md", "--format", "json")
    assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
    after = tree(tmp_path)
    assert {p for p in after - before if not p.startswith("out")} == set()
    written = listing(out) - {".designgrade-manifest.json"}
    per_design = written - {"index.html", "summary.csv", "results.jsonl"}
    assert len(per_design) == 3 * len(args)  # d.yaml given twice still gets its own reports
    for name in written:
        assert name.isascii() and "/" not in name and not name.startswith(".")
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in hrefs(index):
        assert (out / unquote(href)).is_file()


# --- progress, jobs, compare ----------------------------------------------------------------


def test_progress_bar_on_a_terminal_and_quiet_otherwise(dg, tmp_path):
    from designgrade.cli import _ProgressBar

    stream = io.StringIO()
    bar = _ProgressBar(stream)
    for done, name in enumerate(("a.yaml", "b.yaml", "evil\x1b[2J.yaml"), start=1):
        bar.advance(done, 3, name)
    bar.close()
    text = stream.getvalue()
    assert "\r" in text and "3/3" in text and "[##" in text and "\x1b" not in text
    subs = submissions(tmp_path / "subs", {"a.yaml": CLEAN})
    result = dg("grade", subs, "--out", tmp_path / "out")
    assert "\r" not in result.stderr and "grading [" not in result.stderr


def test_jobs_2_gives_the_same_results_as_jobs_1(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {
        "a.yaml": CLEAN, "b.yaml": FLAWED, "c.yaml": RAG, "d.yaml": EXAMPLES / "flawed" / "structure-errors.yaml",
        "e.yaml": b"designgrade: 1\n\ttitle: tabs\n", "f.yaml": EXAMPLES / "fraud-detection.yaml",
    })
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = dg("grade", subs, "--out", one, "--jobs", "1", "--format", "html", "--format", "md", "--format", "json")
    r2 = dg("grade", subs, "--out", two, "--jobs", "2", "--format", "html", "--format", "md", "--format", "json")
    assert r1.exit_code == r2.exit_code == 2 and r1.stdout.replace(str(one), "") == r2.stdout.replace(str(two), "")
    assert listing(one) == listing(two)
    for name in listing(one):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    files = [json.loads(line)["file"] for line in (two / "results.jsonl").read_text().splitlines()]
    assert [Path(f).name for f in files] == ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml", "f.yaml"]


def test_compare_shows_how_scores_and_verdicts_moved(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"alice.yaml": FLAWED, "bob.yaml": CLEAN, "carol.yaml": RAG})
    first = tmp_path / "first"
    assert dg("grade", subs, "--out", first, "--format", "json").exit_code == 1  # alice's blocker
    before = {json.loads(line)["file"]: json.loads(line)["score"]
              for line in (first / "results.jsonl").read_text().splitlines()}
    shutil.copyfile(CLEAN, subs / "alice.yaml")  # alice fixed her design
    (subs / "carol.yaml").unlink()
    shutil.copyfile(FLAWED, subs / "dave.yaml")

    result = dg("grade", subs, "--compare", first / "results.jsonl")
    old = before[str(subs / "alice.yaml")]["points"]
    lines = result.stdout.splitlines()
    assert f"changes since {first / 'results.jsonl'}:" in lines
    lines = lines[lines.index(f"changes since {first / 'results.jsonl'}:") + 1:]
    alice = next(line for line in lines if line.startswith(f"{subs / 'alice.yaml'}: "))
    assert alice == (f"{subs / 'alice.yaml'}: {old:g}/100 ({old:.1f}%) -> 100/100 (100.0%), "
                     f"{100 - old:+.1f} percentage points; L5 below -> meets; L6 below -> meets")
    assert (f"{subs / 'bob.yaml'}: 100/100 (100.0%) -> 100/100 (100.0%), +0.0 percentage points; "
            "verdicts unchanged (L5 meets, L6 meets)") in lines
    assert any(line.startswith(f"new: {subs / 'dave.yaml'}: ") and "L6 below" in line for line in lines)
    assert any(line.startswith(f"gone: {subs / 'carol.yaml'}: was 100/100") for line in lines)
    assert lines[-1] == "compared 4 designs: 1 up, 0 down, 1 unchanged, 1 new, 1 gone; 1 changed a verdict"
    assert "designs graded" in result.stdout.split("changes since")[0]  # after the usual text report

    second = tmp_path / "second"
    result = dg("grade", subs, "--out", second, "--format", "json", "--compare", first / "results.jsonl")
    assert alice in result.stdout.splitlines()
    rows = {Path(r["file"]).name: r for r in csv.DictReader(io.StringIO((second / "compare.csv").read_text()))}
    assert rows["alice.yaml"]["status"] == "up" and rows["alice.yaml"]["L6_new"] == "meets"
    assert rows["carol.yaml"]["status"] == "gone" and rows["dave.yaml"]["status"] == "new"
    assert rows["bob.yaml"]["status"] == "unchanged" and rows["bob.yaml"]["change_percentage_points"] == "+0.0"
    assert rows["alice.yaml"]["new_percent"] == "100.0" and rows["alice.yaml"]["manual_scores_differ"] == "no"
    index = (second / "index.html").read_text(encoding="utf-8")
    assert "compare.csv" in index and "No longer graded" in index and "carol.yaml" in index


def test_compare_after_a_rubric_change(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"bob.yaml": EXAMPLES / "flawed" / "netflix-realtime-overkill.yaml"})
    first = tmp_path / "first"
    dg("grade", subs, "--rubric", "l6", "--out", first, "--format", "json")
    result = dg("grade", subs, "--rubric", "l5", "--compare", first / "results.jsonl")
    line = result.stdout.splitlines()[-2]
    assert "L4 meets (new bar)" in line and "L6 was below (bar gone)" in line


def test_compare_file_problems_are_one_line_errors(dg, tmp_path):
    subs = submissions(tmp_path / "subs", {"a.yaml": CLEAN})
    bad = tmp_path / "results.jsonl"
    bad.write_text('{"file": "a.yaml", "score": {"points": 1, "max": 100, "verdict": {}}}\nnot json\n')
    result = dg("grade", subs, "--compare", bad)
    assert result.exit_code == 2 and f"{bad}:2:1: not a designgrade result" in result.stderr
    result = dg("grade", subs, "--compare", tmp_path / "missing.jsonl")
    assert result.exit_code == 2 and "cannot read the earlier results" in result.stderr
    result = dg("grade", subs, "--compare", bad, "--format", "json")
    assert result.exit_code == 2 and "--compare prints text lines" in result.stderr
    assert "Traceback" not in result.output


def test_jinja_and_the_renderer_stay_out_of_lint_start_up(dg_process):
    import subprocess
    import sys

    code = ("import sys, designgrade.cli, designgrade.engine, designgrade.grading; "
            "print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'designgrade.render', "
            "'designgrade.batch', 'designgrade.report.html', 'graphviz', 'diagrams'))))")
    env = dict(os.environ, PYTHONPATH=str(EXAMPLES.parent))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_a_bug_on_one_file_does_not_lose_the_others(dg, tmp_path, monkeypatch):
    import designgrade.grading as grading

    real = grading.grade_file

    def flaky(path, rubric, manual=None):
        if Path(path).name == "b.yaml":
            raise RuntimeError("boom")
        return real(path, rubric, manual)

    monkeypatch.setattr(grading, "grade_file", flaky)
    subs = submissions(tmp_path / "subs", {"a.yaml": CLEAN, "b.yaml": CLEAN, "c.yaml": CLEAN})
    out = tmp_path / "out"
    result = dg("grade", subs, "--out", out, "--jobs", "1", "--format", "html", "--format", "json")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "designgrade could not grade this file (RuntimeError: boom)" in (out / "b.html").read_text()
    rows = (out / "results.jsonl").read_text().splitlines()
    assert [json.loads(r)["score"]["points"] for r in rows] == [100, 0, 100]


def test_jobs_1_without_a_time_budget_runs_without_a_pool(dg, tmp_path, monkeypatch):
    import pebble

    def no_pool(*args, **kwargs):
        raise AssertionError("--jobs 1 --timeout 0 must not start a process pool")

    monkeypatch.setattr(pebble, "ProcessPool", no_pool)
    subs = submissions(tmp_path / "subs", {"a.yaml": CLEAN, "b.yaml": FLAWED})
    assert dg("grade", subs, "--out", tmp_path / "out", "--jobs", "1", "--timeout", "0", "--format",
              "json").exit_code == 1
