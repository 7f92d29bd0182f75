"""Mermaid export (designgrade/render/mermaid.py): well-formed for every example, lanes
coloured, batch dashed, never an entity code; and drawn by the mermaid package itself
in headless Chromium, the way GitHub would."""

from __future__ import annotations

import re

import pytest

from designgrade.engine import lint
from designgrade.render import render

from .browser import render_mermaid
from .conftest import BASES, EXAMPLES, HOSTILE, SMALL, finding, graph_of, hostile_design

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"[^"]*"'
NODE = re.compile(rf"^ +({ID})(\(\[{LABEL}\]\)|\[\({LABEL}\)\]|\[\[{LABEL}\]\]|\({LABEL}\)|\[{LABEL}\])$")
EDGE = re.compile(rf"^ +({ID}) (-->|==>|-\.->)(\|{LABEL}\|)? ({ID})$")
SUBGRAPH = re.compile(rf'^ +subgraph (lane_[a-z]+) \[{LABEL}\]$')
LINKSTYLE = re.compile(r"^ +linkStyle (\d+) [a-z-]+:[#0-9A-Za-z.]+(,[a-z-]+:[#0-9A-Za-z. ]+)*$")
CLASSDEF = re.compile(r"^ +classDef [a-z_]+ [a-z-]+:[#0-9A-Za-z.]+(,[a-z-]+:[#0-9A-Za-z. ]+)*$")
CLASS = re.compile(rf"^ +class {ID}(,{ID})* [a-z_]+$")
COMMENT = re.compile(r"^ +%% [^\n]*$")
ENTITY = re.compile(r"#\d+;|#[a-z]+;|&[a-z]+;|&#\d+;")


def check(text: str) -> None:
    """Every line is one of the statements the exporter writes, ids are defined before use,
    subgraphs are balanced, linkStyle indexes name existing links, no entity code anywhere."""
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1].startswith("title: \"") and lines[2] == "---"
    assert lines[3] == "flowchart LR"
    defined: set[str] = set()
    links = 0
    depth = 0
    max_link = -1
    for line in lines[4:]:
        assert not ENTITY.search(line), line
        if m := NODE.match(line):
            assert m.group(1) not in defined, line
            defined.add(m.group(1))
        elif m := EDGE.match(line):
            assert m.group(1) in defined and m.group(4) in defined, line
            links += 1
        elif m := SUBGRAPH.match(line):
            depth += 1
            defined.add(m.group(1))
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
        elif line.strip() == "direction LR":
            assert depth == 1
        elif m := LINKSTYLE.match(line):
            max_link = max(max_link, int(m.group(1)))
        elif CLASS.match(line):
            assert all(i in defined for i in line.split()[1].split(",")), line
        elif CLASSDEF.match(line) or COMMENT.match(line):
            pass
        else:
            raise AssertionError(f"malformed line: {line!r}")
        assert "<script" not in line
    assert depth == 0 and max_link < links


@pytest.mark.parametrize("path", EXAMPLES + BASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("with_findings", [True, False], ids=["findings", "clean"])
def test_every_example_exports_valid_mermaid(path, with_findings):
    report = lint(path)
    if report.design is None or not report.design.components:
        pytest.skip("nothing to draw")
    check(render(report.design, report.findings if with_findings else None, "mermaid", source=report.source))


def test_lanes_modes_numbers_and_placeholders():
    text = render(graph_of(SMALL), [finding("no-model-registry"), finding("orphan-component", "error", "lake")],
                  "mermaid")
    check(text)
    assert '  app -->|"homepage"| api' in text
    assert "  events ==> lake" in text
    assert '  lake -.->|"daily snapshot"| training' in text
    assert '  subgraph lane_data ["Data and features"]' in text
    assert "  classDef lane_data fill:#E8F4FD" in text and "  class lane_data lane_data" in text
    assert 'MISSING_model_registry["missing:<br/>model registry<br/>[2]"]' in text
    assert '[("lake<br/>s3<br/>[1]")]' in text
    assert "  class lake error" in text and "  class MISSING_model_registry missing_warning" in text
    batch = [i for i, line in enumerate(l for l in text.splitlines() if re.match(r"^  \w+ (-->|==>|-\.->)", l))
             if "daily snapshot" in line][0]
    assert re.search(rf"linkStyle {batch} stroke:#8D6E63,.*stroke-dasharray:6 4", text)
    assert "%% [1] error DG999 orphan-component" in text


def test_hostile_labels_cannot_break_out():
    text = render(graph_of(hostile_design()), [finding("orphan-component", "error", "app", HOSTILE)], "mermaid")
    check(text)
    assert "<script" not in text and "\u2039script\u203a" in text
    assert "end_(" in text  # 'end' is a Mermaid keyword
    assert '"' not in text.splitlines()[1][len('title: "'):-1]


def test_without_findings_there_is_no_overlay():
    text = render(graph_of(SMALL), None, "mermaid")
    assert "classDef error" not in text and "%% [" not in text
    assert "classDef lane_serving" in text  # the lanes keep their colours


@pytest.mark.parametrize("name", ["rag-assistant", "structure-errors", "fraud-detection"])
def test_mermaid_draws_it_in_a_browser(name, tmp_path):
    path = next(p for p in EXAMPLES if p.stem == name)
    report = lint(path)
    text = render(report.design, report.findings, "mermaid", source=report.source)
    drawn = render_mermaid(text, tmp_path)
    assert drawn["ok"], drawn.get("error")
    shown = drawn["text"]
    assert not ENTITY.search(shown), "an entity code is visible"
    assert len(drawn["nodes"]) == sum(1 for line in text.splitlines() if NODE.match(line))
    # Lanes keep their colours.
    fills = {c["id"].split("-")[-1] if "lane_" not in c["id"] else c["id"][c["id"].index("lane_"):]: c["fill"]
             for c in drawn["clusters"]}
    assert fills.get("lane_data") == "rgb(232, 244, 253)"
    # Batch edges are dashed, request edges solid.
    dashes = {link["stroke"]: link["dash"] for link in drawn["links"]}
    assert dashes.get("rgb(141, 110, 99)", "").startswith("6")
    assert dashes.get("rgb(55, 71, 79)") in ("none", "0px", "")


def test_hostile_text_is_drawn_as_text_in_a_browser(tmp_path):
    text = render(graph_of(hostile_design()), [finding("orphan-component", "error", "app", HOSTILE)], "mermaid")
    drawn = render_mermaid(text, tmp_path)
    assert drawn["ok"], drawn.get("error")
    assert "script" not in drawn["tags"] and "b" not in drawn["tags"]
    shown = drawn["text"]
    assert "\u2039script\u203aalert(1)\u2039/script\u203a" in shown
    assert "\u2033hi\u2033" in shown and "back\\slash" in shown
    assert not ENTITY.search(shown)
