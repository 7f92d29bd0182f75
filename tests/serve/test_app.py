"""`designgrade serve`'s app through Starlette's test client: updates, files, limits, safety."""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from designgrade.engine import Options, lint_text
from designgrade.loader import MAX_BYTES

from .conftest import EXAMPLES, HOSTILE, HOSTILE_TITLE, POST, flows_last, needs_graphviz

FLAWED = (EXAMPLES / "flawed" / "fraud-no-feature-store.yaml").read_text(encoding="utf-8")


def update(client, text: str, **params):
    response = client.post("/api/update", params=params, content=text.encode("utf-8"), headers=POST)
    assert response.status_code == 200, response.text
    return response.json()


# -- the update ------------------------------------------------------------------------------


def test_update_returns_findings_score_svg_and_questions(client):
    needs_graphviz()
    data = update(client, FLAWED, rubric="l6")
    assert data["ok"] and data["parse_error"] is None
    assert data["level"] == "L5" and data["design_level"] == "L5"  # the design's own level
    expected = lint_text(FLAWED, Options(), name="design.yaml").findings
    assert sorted((f["code"], f["line"], f["column"]) for f in data["findings"]) == \
        sorted((f.code, f.line, f.column) for f in expected)
    assert [f["number"] for f in data["findings"]] == list(range(1, len(expected) + 1))
    assert data["findings"][0]["severity"] == "error"  # numbered as the badges: errors first
    assert data["counts"]["error"] >= 1
    score = data["score"]
    assert score["rubric"] == "l6" and set(score["bars"]) == {"L5", "L6"}
    assert {"percent", "min_score", "blocking"} <= set(score["bars"]["L6"])
    assert data["questions"] and all(q["text"] and q["covers"] for q in data["questions"])
    svg = data["svg"]
    assert svg.startswith("<svg") and "<?xml" not in svg
    for f in data["findings"]:  # every finding's badge is in the picture
        assert f"badge-{f['anchor']}" in svg
    assert data["timings"]["total_ms"] > 0


def test_rubric_and_level_are_chosen_by_the_page(client):
    l5 = update(client, FLAWED, rubric="l5", level="L5", diagram="0")
    assert l5["score"]["rubric"] == "l5" and "L6" not in l5["score"]["bars"]
    assert l5["level"] == "L5" and "svg" not in l5
    assert all(f["level"] in ("L4", "L5") for f in l5["findings"])
    l6 = update(client, FLAWED, rubric="l5", level="L6", diagram="0")
    assert len(l6["findings"]) > len(l5["findings"])
    assert l5["hidden"] >= len(l6["findings"]) - len(l5["findings"])


@pytest.mark.parametrize("level", ["L4", "L5", "L6", "L7"])
def test_findings_at_a_level_are_what_lint_reports_at_it(level):
    """One lint at the rubric's level, filtered, equals `designgrade lint --level`."""
    from designgrade.serve.core import Playground

    pg = Playground()
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        analysed = pg.analyse(text, "l6", level, name=path.name)
        direct = lint_text(text, Options(level=level), name=path.name)
        assert [f.to_dict() for f in analysed.findings] == [f.to_dict() for f in direct.findings], path.name
        assert analysed.hidden == direct.hidden, path.name


def test_a_parse_error_keeps_its_line_and_draws_nothing(client):
    broken = FLAWED.replace("components:", "components:\n  oops: [unclosed", 1)
    line = broken.splitlines().index("  oops: [unclosed") + 1
    data = update(client, broken)
    assert data["ok"] is False
    assert data["parse_error"]["line"] >= line and data["parse_error"]["column"] >= 1
    assert data["parse_error"]["message"]
    assert data["svg"] is None and "last good" in data["diagram_note"]
    assert data["score"]["verdict"]["L5"] == "below"


def test_a_body_that_is_not_utf8_is_a_parse_error_at_the_byte(client):
    raw = "designgrade: 1\ntitle: caf".encode("utf-8") + b"\xe9\n"
    response = client.post("/api/update", content=raw, headers=POST)
    data = response.json()
    assert response.status_code == 200 and data["ok"] is False
    assert data["parse_error"]["line"] == 2 and "UTF-8" in data["parse_error"]["message"]


def test_an_empty_design_has_nothing_to_draw(client):
    data = update(client, "designgrade: 1\ntitle: Empty\n")
    assert data["svg"] is None and "nothing to draw" in data["diagram_note"]


def test_a_drawing_is_reused_when_only_a_comment_changes(client):
    needs_graphviz()
    first = update(client, FLAWED)
    again = update(client, FLAWED.replace("\n", "   # a comment\n", 1))
    assert again["svg_cached"] is True and again["svg"] == first["svg"]
    moved = update(client, "# one more line\n" + FLAWED)
    assert moved["svg_cached"] is False  # every finding moved one line down: new badge ids


# -- limits and failures -----------------------------------------------------------------------


def test_a_body_over_the_loader_limit_is_413_with_one_line(client):
    big = b"# " + b"x" * MAX_BYTES + b"\n"
    for path in ("/api/update", "/api/save?path=big.yaml", "/api/export?fmt=svg"):
        response = client.post(path, content=big, headers=POST)
        assert response.status_code == 413, path
        message = response.json()["error"]
        assert "1024 KiB" in message and "\n" not in message


def test_a_streamed_body_over_the_limit_is_cut_off(client):
    def chunks():
        for _ in range(MAX_BYTES // 65536 + 2):
            yield b"#" * 65536

    response = client.post("/api/update", content=chunks(), headers=POST)
    assert response.status_code == 413


def test_a_design_at_the_limit_is_still_answered(client):
    text = "designgrade: 1\ntitle: Big\n" + "# padding\n" * ((MAX_BYTES - 100) // 10)
    assert len(text.encode()) <= MAX_BYTES
    data = update(client, text, diagram="0")
    assert data["ok"] is True


def test_a_slow_update_answers_503_instead_of_hanging(folder, monkeypatch):
    from starlette.testclient import TestClient

    from designgrade.serve import create_app
    from designgrade.serve.core import Playground

    pg = Playground()
    monkeypatch.setattr(pg, "analyse", lambda *a, **k: time.sleep(2))
    with TestClient(create_app(folder, lint_timeout=0.2, playground=pg)) as client:
        started = time.monotonic()
        response = client.post("/api/update", content=b"designgrade: 1\n", headers=POST)
        assert time.monotonic() - started < 1.5
    assert response.status_code == 503 and "longer than" in response.json()["error"]


def test_a_slow_diagram_is_skipped_and_the_findings_still_come(folder, monkeypatch):
    from starlette.testclient import TestClient

    from designgrade.serve import create_app
    from designgrade.serve.core import Playground

    pg = Playground()
    monkeypatch.setattr(pg, "diagram", lambda analysed: time.sleep(1.5) or {"svg": "<svg/>"})
    with TestClient(create_app(folder, diagram_timeout=0.2, playground=pg)) as client:
        first = client.post("/api/update", content=FLAWED.encode(), headers=POST).json()
        second = client.post("/api/update", content=FLAWED.encode(), headers=POST).json()
    assert first["svg"] is None and "longer than" in first["diagram_note"] and first["findings"]
    # Graphviz is still busy with the first: no second drawing is started meanwhile.
    assert second["svg"] is None and second.get("diagram_pending") is True and second["findings"]


def test_a_bug_is_one_json_line_not_a_traceback(folder, monkeypatch):
    from starlette.testclient import TestClient

    from designgrade.serve import create_app
    from designgrade.serve.core import Playground

    pg = Playground()

    def boom(*args, **kwargs):
        raise RuntimeError("kaput\nsecond line")

    monkeypatch.setattr(pg, "analyse", boom)
    monkeypatch.delenv("DESIGNGRADE_DEBUG", raising=False)
    with TestClient(create_app(folder, playground=pg), raise_server_exceptions=False) as client:
        response = client.post("/api/update", content=b"designgrade: 1\n", headers=POST)
    assert response.status_code == 500
    assert response.json() == {"error": "internal error: RuntimeError: kaput second line (please report it)"}


@pytest.mark.parametrize("text", ["", "\x00", "- a\n- b\n", "42", "designgrade: [", "a: &x [*x]",
                                  "!!python/object:os.system {}", "title: " + "x" * 5000])
def test_odd_input_never_fails(client, text):
    response = client.post("/api/update", content=text.encode("utf-8"), headers=POST)
    assert response.status_code == 200, response.text
    assert "findings" in response.json()


# -- requests that change things ---------------------------------------------------------------


def test_posts_need_the_page_header_and_its_own_origin(client, folder):
    plain = client.post("/api/save?path=x.yaml", content=b"designgrade: 1\n",
                        headers={"Content-Type": "text/plain"})
    assert plain.status_code == 403
    foreign = client.post("/api/save?path=x.yaml", content=b"designgrade: 1\n",
                          headers={**POST, "Origin": "https://evil.example"})
    assert foreign.status_code == 403 and "cross-origin" in foreign.json()["error"]
    null = client.post("/api/update", content=b"designgrade: 1\n", headers={**POST, "Origin": "null"})
    assert null.status_code == 403
    assert not (folder / "x.yaml").exists()
    same = client.post("/api/update", content=b"designgrade: 1\n", headers={**POST, "Origin": "http://testserver"})
    assert same.status_code == 200


def test_only_the_hosts_it_was_started_for_are_answered(folder):
    from starlette.testclient import TestClient

    from designgrade.serve import create_app

    app = create_app(folder, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/").status_code == 200
    with TestClient(app, base_url="http://attacker.example:8000") as client:  # DNS rebinding
        response = client.get("/api/file?path=fraud-detection.yaml")
        assert response.status_code == 421 and "content-security-policy" in response.headers


# -- files ---------------------------------------------------------------------------------------


def test_the_folder_lists_its_designs(client):
    files = client.get("/api/files").json()["files"]
    assert [f["path"] for f in files] == ["fraud-detection.yaml", "no-monitoring.yaml", "team/hostile.yaml"]


def test_open_returns_text_and_hash(client, folder):
    data = client.get("/api/file", params={"path": "team/hostile.yaml"}).json()
    assert data["text"] == (folder / "team" / "hostile.yaml").read_text(encoding="utf-8")
    assert re.fullmatch(r"[0-9a-f]{64}", data["sha256"])


@pytest.mark.parametrize("name, status", [
    ("../secret.yaml", 403), ("team/../../secret.yaml", 403), ("/etc/passwd.yaml", 403), ("/etc/passwd", 403),
    ("..", 403), ("a//b.yaml", 403), ("./fraud-detection.yaml", 403), ("notes.txt", 400), (".hidden.yaml", 400),
    ("team\\..\\x.yaml", 400), ("bad\x1bname.yaml", 400), ("", 400), ("missing.yaml", 404),
])
def test_names_outside_the_folder_are_refused(client, name, status, tmp_path):
    (tmp_path / "secret.yaml").write_text("designgrade: 1\ntitle: secret\n")
    response = client.get("/api/file", params={"path": name})
    assert response.status_code == status, response.text
    assert "secret" not in response.text.replace("secret.yaml", "")


def test_a_symlink_out_of_the_folder_is_refused(client, folder, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("designgrade: 1\ntitle: outside\n")
    (folder / "link.yaml").symlink_to(outside)
    (folder / "linkdir").symlink_to(tmp_path, target_is_directory=True)
    for name in ("link.yaml", "linkdir/outside.yaml"):
        response = client.get("/api/file", params={"path": name})
        assert response.status_code == 403 and "outside" in response.json()["error"]
        saved = client.post("/api/save", params={"path": name, "overwrite": "1", "force": "1"},
                            content=b"designgrade: 1\ntitle: pwned\n", headers=POST)
        assert saved.status_code == 403
    assert "pwned" not in outside.read_text()
    listed = [f["path"] for f in client.get("/api/files").json()["files"]]
    assert "link.yaml" not in listed and not any(p.startswith("linkdir") for p in listed)


def test_a_symlink_inside_the_folder_opens_but_is_never_replaced(client, folder):
    (folder / "alias.yaml").symlink_to(folder / "no-monitoring.yaml")
    assert client.get("/api/file", params={"path": "alias.yaml"}).status_code == 200
    saved = client.post("/api/save", params={"path": "alias.yaml", "overwrite": "1"}, content=b"designgrade: 1\n",
                        headers=POST)
    assert saved.status_code == 403 and "symbolic link" in saved.json()["error"]
    assert (folder / "alias.yaml").is_symlink()


def save(client, path, text, **params):
    return client.post("/api/save", params={"path": path, **params}, content=text.encode("utf-8"), headers=POST)


def test_saving_a_new_design_then_over_it_asks_first(client, folder):
    first = save(client, "team/mine.yaml", "designgrade: 1\ntitle: Mine\n")
    assert first.status_code == 200 and first.json()["created"] is True
    assert (folder / "team" / "mine.yaml").read_text() == "designgrade: 1\ntitle: Mine\n"
    again = save(client, "team/mine.yaml", "designgrade: 1\ntitle: Other\n")
    assert again.status_code == 409 and again.json()["conflict"] == "exists"
    assert "overwrite" in again.json()["error"]
    assert (folder / "team" / "mine.yaml").read_text() == "designgrade: 1\ntitle: Mine\n"
    confirmed = save(client, "team/mine.yaml", "designgrade: 1\ntitle: Other\n", overwrite="1")
    assert confirmed.status_code == 200 and confirmed.json()["created"] is False
    assert (folder / "team" / "mine.yaml").read_text() == "designgrade: 1\ntitle: Other\n"
    assert not [p for p in (folder / "team").iterdir() if p.name.startswith(".")]  # no temp file left


def test_a_file_changed_on_disk_is_never_overwritten_silently(client, folder):
    opened = client.get("/api/file", params={"path": "no-monitoring.yaml"}).json()
    (folder / "no-monitoring.yaml").write_text("designgrade: 1\ntitle: changed by another editor\n")
    mine = opened["text"] + "# my edit\n"
    stale = save(client, "no-monitoring.yaml", mine, base=opened["sha256"], overwrite="1")
    assert stale.status_code == 409 and stale.json()["conflict"] == "changed"
    assert "changed on disk" in stale.json()["error"]
    assert "another editor" in (folder / "no-monitoring.yaml").read_text()
    forced = save(client, "no-monitoring.yaml", mine, base=opened["sha256"], overwrite="1", force="1")
    assert forced.status_code == 200
    assert (folder / "no-monitoring.yaml").read_text() == mine
    # The page sends the new hash back: saving again over its own save needs no force.
    again = save(client, "no-monitoring.yaml", mine + "# more\n", base=forced.json()["sha256"], overwrite="1")
    assert again.status_code == 200


def test_save_refuses_other_names_and_missing_folders(client, folder):
    assert save(client, "notes.md", "x").status_code == 400
    assert save(client, "nowhere/new.yaml", "designgrade: 1\n").status_code == 400
    assert save(client, "../escape.yaml", "designgrade: 1\n").status_code == 403
    assert not (folder.parent / "escape.yaml").exists()


# -- starters and downloads ------------------------------------------------------------------------


def test_a_starter_for_each_init_task(client):
    from designgrade.starter import TASKS

    for task in TASKS:
        data = client.get("/api/starter", params={"task": task, "title": "Night before"}).json()
        assert f"task: {task}" in data["text"] and "Night before" in data["text"]
    assert client.get("/api/starter", params={"task": "nope"}).status_code == 400


def test_downloads(client):
    needs_graphviz()
    hostile_name = '../"evil<name>.yaml'
    svg = client.post("/api/export", params={"fmt": "svg", "name": hostile_name}, content=FLAWED.encode(),
                      headers=POST)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"] == 'attachment; filename="evil_name.svg"'
    assert b"<svg" in svg.content
    png = client.post("/api/export", params={"fmt": "png"}, content=FLAWED.encode(), headers=POST)
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    md = client.post("/api/export", params={"fmt": "md", "name": "fraud.yaml"}, content=FLAWED.encode(), headers=POST)
    assert md.status_code == 200 and md.headers["content-disposition"].endswith('filename="fraud.md"')
    assert "```mermaid" in md.text and "## Findings" in md.text
    bad = client.post("/api/export", params={"fmt": "exe"}, content=FLAWED.encode(), headers=POST)
    assert bad.status_code == 400
    broken = client.post("/api/export", params={"fmt": "svg"}, content=b"a: [", headers=POST)
    assert broken.status_code == 400 and "does not parse" in broken.json()["error"]


# -- the page and its headers ----------------------------------------------------------------------


def test_every_response_carries_the_csp(client):
    for response in (client.get("/"), client.get("/static/app.js"), client.get("/api/files"),
                     client.get("/nope"), client.post("/api/update", content=b"x: 1", headers=POST)):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.inline: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = True
        for name in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
        if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
            self.handlers.append((tag, "href"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)
        self.text.append(data)


def test_the_page_has_no_inline_script_or_handler(client):
    page = _Page()
    page.feed(client.get("/").text)
    assert page.scripts == [{"src": "/static/app.js", "defer": None}]
    assert page.inline == [] and page.handlers == []
    js = client.get("/static/app.js").text
    assert not re.search(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML|eval\(|document\.write", js)


def test_a_hostile_folder_name_is_escaped_in_the_page(tmp_path):
    from starlette.testclient import TestClient

    from designgrade.serve import create_app

    served = tmp_path / "<script>alert(1)<"
    served.mkdir()
    with TestClient(create_app(served)) as client:
        html = client.get("/").text
    assert "<script>alert(1)<" not in html and "&lt;script&gt;alert(1)&lt;" in html


def test_hostile_strings_stay_text_in_the_svg_and_the_findings(client):
    needs_graphviz()
    data = update(client, HOSTILE)
    assert data["title"] == HOSTILE_TITLE  # JSON carries the text as written; the page sets textContent
    root = ET.fromstring(data["svg"])
    tags = {el.tag.split("}")[-1].lower() for el in root.iter()}
    assert not tags & {"script", "img", "foreignobject", "iframe", "style"}
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.split("}")[-1].lower().startswith("on"), (el.tag, name)
            assert not value.strip().lower().startswith("javascript:")
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert "<script>alert(1)</script>" in texts or "alert(1)" in texts  # drawn as text
    messages = " ".join(f["message"] for f in data["findings"])
    assert "<script>x</script>" in messages  # the unknown reference, quoted as text
    md = client.post("/api/export", params={"fmt": "md"}, content=HOSTILE.encode(), headers=POST).text
    assert "<script>" not in md and "<img" not in md


def test_the_hostile_design_in_the_folder_opens_as_text(client):
    data = client.get("/api/file", params={"path": "team/hostile.yaml"}).json()
    assert HOSTILE_TITLE in data["text"]


# -- the command ---------------------------------------------------------------------------------


def test_importing_the_cli_imports_no_web_code(dg_process):
    import subprocess
    import sys

    from .conftest import ROOT

    code = ("import sys, designgrade.cli, designgrade.serve, designgrade.serve.core, designgrade.serve.files; "
            "bad = [m for m in ('starlette', 'uvicorn', 'httpx', 'anyio') if m in sys.modules]; print(bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_port_in_use_is_one_line_and_exit_2(dg_process, folder):
    import socket

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        done = dg_process("serve", str(folder), "--port", str(busy.getsockname()[1]))
    finally:
        busy.close()
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "in use" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_a_missing_folder(dg, tmp_path):
    result = dg("serve", str(tmp_path / "nope"), "--port", "0")
    assert result.exit_code == 2


def test_serve_is_in_the_help(dg):
    result = dg("serve", "--help")
    assert result.exit_code == 0 and "--port" in result.output and "--open" in result.output


def test_the_package_data_ships_the_page(tmp_path):
    from designgrade.serve import app

    assert (Path(app.__file__).parent / "static" / "app.js").is_file()
    assert (Path(app.__file__).parent / "templates" / "index.html.j2").is_file()
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert "serve/templates/*" in text and "serve/static/*" in text


def test_flows_last_helper_keeps_the_design():
    text = (EXAMPLES / "fraud-detection.yaml").read_text(encoding="utf-8")
    moved = flows_last(text)
    assert moved.rstrip().splitlines()[-1].startswith("  - ")
    assert [f.code for f in lint_text(moved).findings] == [f.code for f in lint_text(text).findings]


def test_the_docs_show_the_playground():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "designgrade serve examples/" in readme and "docs/img/serve.png" in readme
    assert (root / "docs" / "img" / "serve.png").is_file()
    guide = (root / "docs" / "serve.md").read_text(encoding="utf-8")
    from designgrade.serve.app import CSP

    assert " ".join(CSP.split()) in " ".join(guide.replace("`", "").split())  # the CSP as served


def test_the_bench_runs(tmp_path):
    import subprocess
    import sys

    needs_graphviz()
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "bench" / "serve_bench.py"), "--repeat", "2", "--peer-repeat",
                           "1", str(EXAMPLES / "flawed" / "no-monitoring.yaml")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "no-monitoring.yaml" in done.stdout and "goal <= 150 ms" in done.stdout


def test_the_wheel_ships_the_page(tmp_path):
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(root)], check=True, capture_output=True, timeout=300)
    (built,) = tmp_path.glob("designgrade-*.whl")
    names = set(zipfile.ZipFile(built).namelist())
    for name in ("designgrade/serve/app.py", "designgrade/serve/static/app.js", "designgrade/serve/static/app.css",
                 "designgrade/serve/templates/index.html.j2"):
        assert name in names
    meta = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(built).read(meta).decode()
    assert "Requires-Dist: starlette" in text and "Requires-Dist: uvicorn" in text
