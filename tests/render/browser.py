"""Headless Chromium for the renderer's tests: open a local page, let its scripts run,
read back the DOM. Skips (with the reason) when Chromium or the mermaid package is absent."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
MERMAID_JS = ROOT / "tests" / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


def chromium() -> Optional[str]:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def need_chromium() -> str:
    found = chromium()
    if not found:
        pytest.skip("headless Chromium is not installed (scripts/setup --test installs it)")
    return found


def need_mermaid() -> Path:
    if not MERMAID_JS.is_file():
        pytest.skip("the mermaid npm package is not installed in tests/js (scripts/setup --test installs it)")
    return MERMAID_JS


def dump_dom(page: Path, profile: Path, *extra: str) -> str:
    """The page's DOM after its scripts ran (virtual time lets promises settle)."""
    cmd = [need_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--allow-file-access-from-files", "--virtual-time-budget=20000", *extra, "--dump-dom",
           page.resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


_MERMAID_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>mermaid check</title></head><body>
<pre id="src" style="display:none">{source}</pre>
<div id="out"></div>
<pre id="result">pending</pre>
<script src="{script}"></script>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict", flowchart: {{htmlLabels: true}}}});
(async () => {{
  const report = {{}};
  try {{
    const text = document.getElementById("src").textContent;
    const drawn = await mermaid.render("diagram", text);
    const out = document.getElementById("out");
    out.innerHTML = drawn.svg;
    const texts = sel => Array.from(out.querySelectorAll(sel)).map(e => e.textContent);
    report.ok = true;
    report.nodes = texts(".node .nodeLabel");
    report.edges = texts(".edgeLabel");
    report.clusters = Array.from(out.querySelectorAll("g.cluster")).map(g => ({{
      id: g.id, label: (g.querySelector(".cluster-label, .nodeLabel") || {{}}).textContent || "",
      fill: getComputedStyle(g.querySelector("rect")).fill}}));
    report.links = Array.from(out.querySelectorAll("path.flowchart-link")).map(p => ({{
      id: p.id, dash: getComputedStyle(p).strokeDasharray, stroke: getComputedStyle(p).stroke}}));
    report.tags = Array.from(out.querySelectorAll("*")).map(e => e.tagName.toLowerCase());
    // What a reader sees: every text node outside <style>.
    const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
    const seen = [];
    while (walker.nextNode()) {{
      if (!walker.currentNode.parentElement.closest("style")) seen.push(walker.currentNode.nodeValue);
    }}
    report.text = seen.join(" ");
  }} catch (error) {{
    report.ok = false;
    report.error = String(error && error.message || error);
  }}
  document.getElementById("result").textContent = JSON.stringify(report);
}})();
</script></body></html>
"""


def render_mermaid(text: str, folder: Path) -> dict[str, Any]:
    """Draw Mermaid ``text`` with the mermaid package in headless Chromium; what it drew."""
    script = need_mermaid()
    page = folder / "mermaid.html"
    page.write_text(_MERMAID_PAGE.format(source=html.escape(text), script=script.resolve().as_uri()),
                    encoding="utf-8")
    dom = dump_dom(page, folder / "profile")
    start = dom.index('<pre id="result">') + len('<pre id="result">')
    raw = html.unescape(dom[start:dom.index("</pre>", start)])
    assert raw != "pending", "the mermaid script did not finish"
    return json.loads(raw)
