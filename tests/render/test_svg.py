"""The SVG (designgrade/render/svg.py): self-contained, each icon once, scalable, text
inert, badges linked to the key."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from designgrade.render import RenderError, render
from designgrade.render.svg import finish

from .conftest import HOSTILE, ROOT, SMALL, finding, graph_of, hostile_design, needs_dot

pytestmark = needs_dot
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _svg(findings=None, text=SMALL) -> str:
    return render(graph_of(text), findings, "svg")


def test_each_icon_is_embedded_once_and_no_local_path_remains():
    twice = SMALL.replace("  watch: {kind: monitoring, tech: prometheus}",
                          "  watch: {kind: monitoring, tech: prometheus}\n  more: {kind: event_stream, tech: kafka}")
    svg = _svg([finding("orphan-component", "error", "lake")], twice)
    for leak in ("/usr", "/tmp", "site-packages", "dist-packages", str(Path.home()), os.getcwd(), str(ROOT), "file:"):
        assert leak not in svg, leak
    root = ET.fromstring(svg)
    images = [i.get(f"{XLINK}href") for i in root.iter(f"{SVG}image")]
    assert all(h and h.startswith("data:image/png;base64,") for h in images)
    assert len(images) == len(set(images)) == 6  # kafka twice on the page, embedded once
    uses = [u.get(f"{XLINK}href") for u in root.iter(f"{SVG}use")]
    assert len(uses) == 7 and uses.count(uses[1]) >= 1
    symbols = {s.get("id") for s in root.iter(f"{SVG}symbol")}
    assert {u.removeprefix("#") for u in uses} == symbols


def test_the_picture_scales_to_its_container():
    root = ET.fromstring(_svg())
    assert re.fullmatch(r"\d+px", root.get("width", "")) and re.fullmatch(r"\d+px", root.get("height", ""))
    _, _, w, h = (float(v) for v in root.get("viewBox", "").split())
    assert abs(float(root.get("width")[:-2]) - w * 4 / 3) < 2 and abs(float(root.get("height")[:-2]) - h * 4 / 3) < 2


def test_hostile_text_is_text_not_markup():
    svg = _svg([finding("orphan-component", "error", "app", HOSTILE)], hostile_design())
    root = ET.fromstring(svg)  # well-formed XML
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert "script" not in tags and "b" not in tags
    assert "<script" not in svg and "<b>" not in svg
    texts = " ".join(el.text or "" for el in root.iter(f"{SVG}text"))
    assert "<script>" in texts  # drawn literally, as the candidate wrote it (cut to fit the box)
    assert '"hi"' in texts


def test_badges_link_to_the_key_and_tooltips_carry_the_messages():
    svg = _svg([finding("training-serving-skew", "error", "api", "features differ")])
    root = ET.fromstring(svg)
    links = {a.get(f"{XLINK}href"): a.get(f"{XLINK}title") or "" for a in root.iter(f"{SVG}a")}
    to_key = [href for href in links if href and href.startswith("#a_key-dg-")]
    to_badge = [href for href in links if href and href.startswith("#a_badge-dg-")]
    assert len(to_key) == 1 and len(to_badge) == 1
    assert "features differ" in links[to_key[0]]
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert to_key[0][1:] in ids and to_badge[0][1:] in ids  # both ends exist


def test_finish_refuses_foreign_local_files(tmp_path):
    svg = f'<svg width="10pt" height="10pt"><image xlink:href="{tmp_path}/x.png"/></svg>'
    with pytest.raises(RenderError):
        finish(svg, str(tmp_path / "icons"), lambda name: None)
    kept = '<svg width="10pt" height="10pt"><a xlink:href="#n1"/></svg>'
    assert finish(kept, str(tmp_path), lambda name: None) == kept.replace('10pt" height="10pt"', '13px" height="13px"')
