"""Mermaid export (designgrade/render/mermaid.py): well-formed for every example."""

from __future__ import annotations

import re

import pytest

from designgrade.engine import lint
from designgrade.render import render

from .conftest import BASES, EXAMPLES, HOSTILE, SMALL, finding, graph_of, hostile_design

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"[^"]*"'
NODE = re.compile(rf"^ +({ID})(\(\[{LABEL}\]\)|\[\({LABEL}\)\]|\[\[{LABEL}\]\]|\({LABEL}\)|\[{LABEL}\])$")
EDGE = re.compile(rf"^ +({ID}) (-->|==>|-\.->)(\|{LABEL}\|)? ({ID})$")
SUBGRAPH = re.compile(rf'^ +subgraph (P_[a-z]+) \[{LABEL}\]$')
LINKSTYLE = re.compile(r"^ +linkStyle (\d+(?:,\d+)*) [a-z-]+:[#0-9A-Za-z.]+(,[a-z-]+:[#0-9A-Za-z. ]+)*$")
CLASSDEF = re.compile(r"^ +classDef [a-z]+ [a-z-]+:[#0-9A-Za-z.]+(,[a-z-]+:[#0-9A-Za-z. ]+)*$")
CLASS = re.compile(rf"^ +class {ID}(,{ID})* [a-z]+$")
COMMENT = re.compile(r"^ +%% [^\n]*$")


def check(text: str) -> None:
    """Every line is one of the statements the exporter writes, ids are defined before use,
    subgraphs are balanced, and linkStyle indexes name existing links."""
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1].startswith("title: \"") and lines[2] == "---"
    assert lines[3] == "flowchart LR"
    defined: set[str] = set()
    links = 0
    depth = 0
    max_link = -1
    for line in lines[4:]:
        if m := NODE.match(line):
            assert m.group(1) not in defined, line
            defined.add(m.group(1))
        elif m := EDGE.match(line):
            assert m.group(1) in defined and m.group(4) in defined, line
            links += 1
        elif SUBGRAPH.match(line):
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
        elif m := LINKSTYLE.match(line):
            max_link = max(max_link, *map(int, m.group(1).split(",")))
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
    check(render(report.design, report.findings if with_findings else None, "mermaid"))


def test_modes_classes_and_placeholders():
    text = render(graph_of(SMALL), [finding("no-model-registry"), finding("orphan-component", "error", "lake")],
                  "mermaid")
    check(text)
    assert "  app -->|\"homepage\"| api" in text
    assert "  events ==> lake" in text
    assert "  lake -.->|\"daily snapshot\"| training" in text
    assert '  subgraph P_data ["Data #38; features"]' in text
    assert '    MISSING_model_registry["missing:<br/>model registry"]' in text
    assert "  class lake error" in text and "  class MISSING_model_registry missingwarning" in text
    assert "classDef missingwarning" in text and "stroke-dasharray" in text
    assert re.search(r"linkStyle [\d,]+ stroke:#00897B", text)  # stream color


def test_hostile_labels_cannot_break_out():
    text = render(graph_of(hostile_design()), [finding("orphan-component", "error", "app", HOSTILE)], "mermaid")
    check(text)
    assert "#60;script#62;" in text
    assert "end_(" in text  # 'end' is a Mermaid keyword
    assert '\\u003cscript\\u003e' in text.splitlines()[1]


def test_without_findings_there_are_no_classes():
    text = render(graph_of(SMALL), None, "mermaid")
    assert "classDef" not in text and "\n  class " not in text
