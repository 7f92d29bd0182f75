"""The DOT source built with diagrams (designgrade/render/dot.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from designgrade.render import render

from .conftest import HOSTILE, ROOT, SMALL, finding, graph_of, hostile_design

pytest.importorskip("diagrams")


def _dot(findings=None, text=SMALL, title=None) -> str:
    return render(graph_of(text), findings, "dot", title=title)


def _line(dot: str, start: str) -> str:
    found = [line for line in dot.splitlines() if line.strip().startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def test_nodes_have_stable_ids_and_sit_in_their_plane_clusters():
    dot = _dot()
    for nid in ("app", "events", "lake", "training", "api", "watch"):
        assert re.search(rf"^\t+{nid} \[", dot, re.M), nid
    assert not re.search(r"\b[0-9a-f]{32}\b", dot)  # no uuid4 ids from diagrams
    clusters = re.findall(r"subgraph (cluster_\w+)", dot)
    assert clusters == ["cluster_data", "cluster_training", "cluster_serving", "cluster_monitoring"]
    data = dot.split("subgraph cluster_data")[1].split("}")[0]
    assert "\tevents [" in data and "\tlake [" in data and "\tapi [" not in data
    assert 'label="Data & features"' in data
    assert re.search(r'^\tapp \[', dot, re.M)  # the client is outside every cluster


def test_labels_show_name_and_tech_and_icons_are_images():
    api = _line(_dot(), "api [")
    assert 'label="Recs API\\n(fastapi)"' in api
    assert re.search(r'image="[^"]*fastapi[^"]*\.png"', api)
    assert 'tooltip="api · online serving · fastapi"' in api


def test_edges_are_styled_by_mode():
    dot = _dot()
    request = _line(dot, "api -> app")           # laid out reversed: users at the right
    assert "dir=back" in request and 'color="#37474F"' in request and 'label=homepage' in request
    stream = _line(dot, "events -> lake")
    assert "dir=forward" in stream and "style=bold" in stream and 'color="#00897B"' in stream
    batch = _line(dot, "lake -> training")
    assert "style=dashed" in batch and 'label="daily snapshot"' in batch
    trigger = _line(dot, "training -> watch")
    assert "style=dotted" in trigger and 'color="#8E24AA"' in trigger and "dir=back" in trigger


def test_findings_outline_components_by_severity():
    dot = _dot([finding("training-serving-skew", "error", "api", "skewed"),
                finding("orphan-component", "info", "lake", "alone"),
                finding("drift-without-threshold", "warning", "watch", "no threshold")])
    assert 'color="#D32F2F"' in _line(dot, "api [") and "penwidth=3.5" in _line(dot, "api [")
    assert 'color="#1E88E5"' in _line(dot, "lake [")
    assert 'color="#F57C00"' in _line(dot, "watch [")
    assert "skewed" in _line(dot, "api [")  # the tooltip carries the message
    assert "penwidth=3.5" not in _line(dot, "events [")
    assert "error finding" in dot  # the legend explains the colors


def test_missing_parts_are_dashed_placeholders():
    dot = _dot([finding("no-model-registry", "warning", "training"), finding("missing-feature-store", "error")])
    registry = _line(dot, "MISSING_model_registry [")
    assert 'label="missing:\\nmodel registry"' in registry
    assert 'style="rounded,dashed"' in registry and 'color="#F57C00"' in registry
    training = dot.split("subgraph cluster_training")[1].split("}")[0]
    assert "MISSING_model_registry [" in training
    assert 'color="#D32F2F"' in _line(dot, "MISSING_feature_store [")
    assert "style=dashed" in _line(dot, "training -> MISSING_model_registry")


def test_the_clean_design_has_no_overlay():
    dot = _dot(None)
    assert "MISSING_" not in dot and "penwidth=3.5" not in dot and "error finding" not in dot
    assert "no findings" not in dot


def test_same_design_same_dot():
    findings = [finding("no-model-registry"), finding("orphan-component", "error", "lake")]
    assert _dot(findings) == _dot(findings)


def test_same_dot_in_another_process_with_another_hash_seed():
    code = ("import sys; from designgrade.engine import lint_text; from designgrade.render import render; "
            "r = lint_text(sys.stdin.read()); sys.stdout.write(render(r.design, r.findings, 'dot'))")
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-c", code], input=SMALL, capture_output=True, text=True,
                              env=env, timeout=60, check=True)
        outs.append(done.stdout)
    assert outs[0] == outs[1] and "digraph" in outs[0]


def test_hostile_text_stays_inside_its_quotes():
    dot = _dot([finding("orphan-component", "error", "app", HOSTILE)], hostile_design())
    # Only the title and the legend are HTML-like labels; candidate text never is.
    assert len(re.findall(r"label=<", dot)) == 2
    title = re.search(r"label=<(.*?)> labeljust", dot).group(1)
    assert "<script>" not in title and "&lt;script&gt;" in title and "&quot;hi&quot;" in title
    app = _line(dot, "app [")
    assert '\\"hi\\"' in app and "\\\\N" in app and "\\\\l" in app and "<script>" in app
    # Every quoted string in the DOT is closed on its line: no quote escapes its string.
    for line in dot.splitlines():
        body = re.sub(r"<<.*>>|<[^<>]*>", "", line)  # HTML labels are not quoted strings
        unescaped = re.findall(r'(?<!\\)(?:\\\\)*"', body)
        assert len(unescaped) % 2 == 0, line
    assert _line(dot, "end_ [")  # 'end' is a Mermaid keyword: the shared id is suffixed


def test_a_title_overrides_the_designs():
    assert "Another <i>title</i>" not in _dot(title="Another <i>title</i>")
    assert "Another &lt;i&gt;title&lt;/i&gt;" in _dot(title="Another <i>title</i>")
