"""The HTML reports of `grade --out`, read as a browser and an interviewer read them:
self-contained, escaped, well-formed, verdict first; and opened in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ..conftest import EXAMPLES

TITLE = "<script>alert(1)</script> & \"quoted\" 'single' | `tick`"
LABEL = "Rider \"app\" <img src=x onerror=alert(3)> & 'co'"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def hostile_design(folder: Path, name: str = "hostile.yaml") -> Path:
    """The clean ETA example with a script for a title and quotes and markup in a label."""
    text = (EXAMPLES / "eta-prediction.yaml").read_text(encoding="utf-8")
    assert "title: Ride-hailing ETA prediction\n" in text and "  rider_app: {kind: client, tech: ios}\n" in text
    escaped_title = TITLE.replace("\\", "\\\\").replace('"', '\\"')
    escaped_label = LABEL.replace("'", "''")
    text = text.replace("title: Ride-hailing ETA prediction\n", f'title: "{escaped_title}"\n')
    text = text.replace("  rider_app: {kind: client, tech: ios}\n",
                        f"  rider_app: {{kind: client, tech: ios, label: '{escaped_label}'}}\n")
    # a fixed fleet, acknowledged as a trade-off with markup in the candidate's reason
    autoscaling = "    autoscaling: {min: 100, max: 200, metric: qps_per_replica}   # 400k QPS ceiling\n"
    assert autoscaling in text
    text = text.replace(autoscaling, "")
    text += "tradeoffs:\n  - rule: no-autoscaling\n    why: \"</blockquote><script>alert(4)</script>\"\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class StrictHTML(HTMLParser):
    """html.parser, plus what it lets pass: every element closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'} at {self.getpos()}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if not set(self.stack) & {"style", "script", "title", "head"}:
            self.text.append(data)  # what the page shows


def parse(html: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert parser.stack == [], parser.stack
    return parser


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """One batch over the hostile design, a flawed one, an acknowledged trade-off, a broken
    file, with manual scores; returns the output folder."""
    from click.testing import CliRunner

    from designgrade.cli import cli

    root = tmp_path_factory.mktemp("html")
    subs = root / "subs"
    hostile_design(subs)
    shutil.copyfile(EXAMPLES / "flawed" / "fraud-no-feature-store.yaml", subs / "fraud.yaml")
    (subs / "broken.yaml").write_text("designgrade: 1\ntitle: tabs\n\tlevel: L5\n", encoding="utf-8")
    scores = root / "scores.yaml"
    scores.write_text("scores:\n  fraud.yaml:\n"
                      "    tradeoff-discussion: {score: 2, comment: \"Raised <cost> & privacy\"}\n"
                      "    cost-reasoning: 0\n", encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(cli, ["grade", str(subs), "--out", str(out), "--scores", str(scores),
                                      "--format", "html"], catch_exceptions=False)
    assert result.exit_code == 2, result.output  # the broken file
    return out


def test_candidate_text_is_escaped_never_markup(reports):
    html = (reports / "hostile.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    parsed = parse(html)
    text = "".join(parsed.text)
    assert TITLE in text  # shown as exactly what the candidate wrote
    assert "</blockquote><script>alert(4)</script>" in text
    assert not [t for t, a in parsed.tags if t in ("script", "img", "iframe", "object", "embed", "foreignobject")]
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "<script>alert" not in index


def test_label_with_quotes_shows_as_text_in_the_diagram(reports):
    html = (reports / "hostile.html").read_text(encoding="utf-8")
    if "<svg" not in html:
        pytest.skip("Graphviz is not installed: the report has no SVG diagram")
    parsed = parse(html)
    svg_text = " ".join("".join(parsed.text).split())
    assert 'Rider "app" <img' in svg_text and "onerror=al" in svg_text
    assert "&quot;app&quot;" in html or "&#34;app&#34;" in html


def test_reports_are_self_contained(reports):
    for page in reports.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        parsed = parse(html)
        csp = [a.get("content") for t, a in parsed.tags
               if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
        assert len(csp) == 1 and csp[0].startswith("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        assert ("script-src 'unsafe-inline'" in csp[0]) == (page.name == "index.html")
        assert any(t == "meta" and a.get("name") == "viewport" for t, a in parsed.tags)
        assert "@media print" in html
        for tag, attrs in parsed.tags:
            assert tag not in ("link", "iframe"), (page.name, tag)
            for key in ("src", "href", "xlink:href"):
                value = attrs.get(key) or ""
                if tag == "a" and key == "href":
                    continue  # links are followed only when clicked
                assert value == "" or value.startswith(("data:", "#")), (page.name, tag, value[:60])
        assert "@import" not in html and "url(http" not in html and "@font-face" not in html
        scripts = [t for t, _ in parsed.tags if t == "script"]
        assert len(scripts) == (1 if page.name == "index.html" else 0)


def test_verdict_and_score_come_first_then_the_content_in_order(reports):
    html = (reports / "fraud.html").read_text(encoding="utf-8")
    text = " ".join("".join(parse(html).text).split())
    order = ["Below L5", "Below L6", "/ 100 (", "Architecture", "Sections", "Point-in-time-correct training data",
             "Strengths (", "Findings (", "Why", "Fix", "Sources", "Acknowledged trade-offs", "Interviewer's scores",
             "Unscored manual criteria"]
    positions = [text.find(word) for word in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions), dict(zip(order, positions))
    assert "fraud.yaml:41:3" in text  # each finding's location
    assert "missed: training-serving-skew, missing-feature-store" in text
    assert "capped at 40%" in text.lower() and "by blockers" in text.lower()
    assert "Raised <cost> & privacy" in text and "2/3" in text  # the interviewer's score and comment
    assert "Clarified the problem" in text.split("Unscored manual criteria")[1]


def test_acknowledged_trade_off_shows_the_candidates_reason(reports):
    text = " ".join("".join(parse((reports / "hostile.html").read_text(encoding="utf-8")).text).split())
    section = text.split("Acknowledged trade-offs (1)")[1].split("Interviewer's scores")[0]
    assert "no-autoscaling" in section and "Reason" in section and "</blockquote><script>alert(4)</script>" in section


def test_broken_submission_report_says_what_is_wrong(reports):
    text = " ".join("".join(parse((reports / "broken.html").read_text(encoding="utf-8")).text).split())
    assert "could not be read" in text and "broken.yaml:3:" in text and "No diagram" in text
    assert text.find("Below L5") < text.find("could not be read")


def test_svg_is_checked_and_stripped_before_inlining():
    from designgrade.report.html import inline_svg

    assert inline_svg("<b>not svg</b>") is None
    assert inline_svg("<html><svg></svg></html>") is None
    assert inline_svg(None) is None
    dirty = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n<!-- c -->\n<svg onload="alert(1)">'
             '<script>alert(2)</script><script href="x"/><a xlink:href="javascript:alert(3)"><text>'
             'onload=fine as text</text></a><foreignObject><div>x</div></foreignObject>'
             '<image href="data:image/png;base64,AAAA"/></svg>')
    clean = str(inline_svg(dirty))
    assert clean.startswith("<svg>") and "script" not in clean.lower() and "javascript" not in clean
    assert "foreignObject" not in clean and 'onload="' not in clean
    assert "<text>onload=fine as text</text>" in clean and 'href="data:image/png;base64,AAAA"' in clean


def test_without_graphviz_the_report_has_a_note_and_the_mermaid_source(tmp_path, monkeypatch):
    from designgrade import batch
    from designgrade.render import RenderError

    real = __import__("designgrade.render", fromlist=["render"]).render

    def no_dot(graph, findings, fmt, **kw):
        if fmt == "svg":
            raise RenderError("Graphviz is not installed ('dot' is not on PATH)")
        return real(graph, findings, fmt, **kw)

    monkeypatch.setattr("designgrade.render.render", no_dot)
    hostile_design(tmp_path / "subs")
    out = tmp_path / "out"
    batch.write_reports([str(tmp_path / "subs" / "hostile.yaml")], __import__(
        "designgrade.grading", fromlist=["load_rubric"]).load_rubric("l6"), {}, out, ("html",), 1)
    html = (out / "hostile.html").read_text(encoding="utf-8")
    parsed = parse(html)
    text = "".join(parsed.text)
    assert "No diagram: Graphviz is not installed" in text and "flowchart LR" in text
    assert "<svg" not in html and "<script" not in html


# --- headless Chromium ------------------------------------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not on PATH (Debian: apt-get install -y chromium); the browser check is skipped")


def open_in_chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
           "--enable-logging=stderr", "--v=0", *extra, page.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console_messages(stderr: str) -> list[str]:
    """What the page logged: console messages, CSP violations, uncaught errors."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line
            or "Content Security Policy" in line]


def test_chromium_renders_the_report_without_console_errors(reports, tmp_path):
    run = open_in_chromium(reports / "hostile.html", tmp_path, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_messages(run.stderr) == []
    dom = run.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "<script>alert" not in dom
    assert "Below L" in dom or "Meets L" in dom


def test_chromium_runs_the_index_sorting_script_under_its_csp(reports, tmp_path):
    run = open_in_chromium(reports / "index.html", tmp_path, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_messages(run.stderr) == []
    assert re.search(r'class="submissions js-sortable"', run.stdout)  # the script ran
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in run.stdout


def test_chromium_screenshot(reports, tmp_path):
    shot = tmp_path / "report.png"
    run = open_in_chromium(reports / "fraud.html", tmp_path, "--hide-scrollbars", "--window-size=1280,1600",
                           f"--screenshot={shot}")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_messages(run.stderr) == []
    assert shot.is_file() and shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
