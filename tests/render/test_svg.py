"""Self-contained SVG (designgrade/render/svg.py)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from designgrade.render import RenderError, render
from designgrade.render.svg import inline_images

from .conftest import HOSTILE, ROOT, SMALL, finding, graph_of, hostile_design, needs_dot

pytestmark = needs_dot
SVG_NS = "{http://www.w3.org/2000/svg}"


def _svg(findings=None, text=SMALL) -> str:
    return render(graph_of(text), findings, "svg")


def test_icons_are_inlined_and_no_local_path_remains():
    svg = _svg([finding("orphan-component", "error", "lake")])
    assert svg.count("data:image/png;base64,") >= 6
    for leak in ("/usr", "site-packages", "dist-packages", str(Path.home()), os.getcwd(), str(ROOT), "file:"):
        assert leak not in svg, leak
    for image in ET.fromstring(svg).iter(f"{SVG_NS}image"):
        href = image.get("{http://www.w3.org/1999/xlink}href") or image.get("href")
        assert href.startswith("data:image/png;base64,")


def test_hostile_text_is_text_not_markup():
    svg = _svg([finding("orphan-component", "error", "app", HOSTILE)], hostile_design())
    root = ET.fromstring(svg)  # well-formed XML
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert "script" not in tags and "b" not in tags
    assert "<script" not in svg and "<b>" not in svg
    texts = " ".join(el.text or "" for el in root.iter(f"{SVG_NS}text"))
    assert "<script>alert(1)</script>" in texts  # drawn literally, as the candidate wrote it
    assert '"hi"' in texts and "\\N" in texts


def test_tooltips_carry_the_messages():
    svg = _svg([finding("training-serving-skew", "error", "api", "features differ")])
    titles = [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in ET.fromstring(svg).iter(f"{SVG_NS}a")]
    assert any("features differ" in t for t in titles)


def test_inline_images_refuses_foreign_local_files(tmp_path):
    svg = f'<svg><image xlink:href="{tmp_path}/x.png"/><a xlink:href="https://example.org/"/></svg>'
    with pytest.raises(RenderError):
        inline_images(svg, str(tmp_path / "resources"))
    assert inline_images('<svg><a xlink:href="#n1"/></svg>', str(tmp_path)) == '<svg><a xlink:href="#n1"/></svg>'
