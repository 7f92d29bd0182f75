"""The DOT source (designgrade/render/dot.py): pinned boxes Graphviz only routes between,
text that cannot break out, and the same DOT every time."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from designgrade.render import render

from .conftest import HOSTILE, ROOT, SMALL, finding, graph_of, hostile_design


def _dot(findings=None, text=SMALL, title=None) -> str:
    return render(graph_of(text), findings, "dot", title=title)


def _line(dot: str, start: str) -> str:
    found = [line for line in dot.splitlines() if line.strip().startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def test_every_box_is_pinned_and_graphviz_only_routes():
    dot = _dot()
    assert "layout=nop2" in dot and "splines=true" in dot
    for nid in ("app", "events", "lake", "training", "api", "watch", "TITLE", "LEGEND", "LANE_data"):
        assert re.search(rf'^  {nid} \[pos="[\d.]+,[\d.]+!"', dot, re.M), nid
    assert re.findall(r"subgraph (cluster_\w+)", dot) == [
        "cluster_serving", "cluster_data", "cluster_training", "cluster_monitoring"]
    data = dot.split("subgraph cluster_data")[1].split("}")[0]
    assert "    events;" in data and "    lake;" in data and "    api;" not in data


def test_labels_show_name_and_tech_and_icons_are_images():
    api = _line(_dot(), "api [")
    assert "Recs API" in api and ">fastapi<" in api
    assert re.search(r'<IMG SRC="[^"]*fastapi[^"]*\.png"', api)
    assert 'tooltip="api · online serving · fastapi"' in api


def test_edges_are_styled_by_mode_and_labels_sit_in_boxes_they_pass_through():
    dot = _dot()
    assert 'color="#37474F", style="solid"' in _line(dot, "app -> LABEL_f_0 ")    # request, labelled
    assert 'style="bold"' in _line(dot, "events -> lake")                          # stream
    assert 'style="dashed"' in _line(dot, "lake -> LABEL_")                        # batch
    assert 'color="#8E24AA", style="dotted"' in _line(dot, "watch -> LABEL_")       # trigger
    label = _line(dot, "LABEL_f_0 [")
    assert "homepage" in label
    assert "arrowhead=none" in _line(dot, "app -> LABEL_f_0") and "arrowhead=normal" in _line(dot, "LABEL_f_0 -> api")


def test_findings_are_numbered_badges_linked_to_the_key():
    dot = _dot([finding("training-serving-skew", "error", "api", "skewed"),
                finding("orphan-component", "info", "lake", "alone")])
    api = _line(dot, "api [")
    assert 'color="#D32F2F"' in api and 'BGCOLOR="#D32F2F"' in api and "<B>1</B>" in api
    assert 'HREF="#a_key-dg-' in api and "skewed" in api
    assert 'BGCOLOR="#1E88E5"' in _line(dot, "lake [")
    key = _line(dot, "KEY [")
    assert "Findings" in key and "training-serving-skew: skewed" in key and 'HREF="#a_badge-dg-' in key
    legend = _line(dot, "LEGEND [")
    assert "error (see key)" in legend and "info (see key)" in legend and "warning" not in legend


def test_the_legend_lists_only_what_the_picture_uses():
    legend = _line(_dot(), "LEGEND [")
    for used in ("request", "stream", "batch", "trigger"):
        assert used in legend
    for unused in ("fallback", "missing", "unknown reference", "error", "warning"):
        assert unused not in legend
    no_trigger = SMALL.replace('  - {from: watch, to: training, mode: trigger, label: drift}\n', "")
    assert "trigger" not in _line(_dot(None, no_trigger), "LEGEND [")


def test_missing_parts_are_dashed_placeholders():
    dot = _dot([finding("no-model-registry", "warning", "training"), finding("missing-feature-store", "error")])
    registry = _line(dot, "MISSING_model_registry [")
    assert "missing: model" in registry and 'style="rounded,filled,dashed"' in registry
    assert 'color="#EF6C00"' in registry
    assert 'color="#D32F2F"' in _line(dot, "MISSING_feature_store [")
    assert 'style="dashed"' in _line(dot, "training -> MISSING_model_registry")


def test_the_clean_design_has_no_overlay():
    dot = _dot(None)
    assert "MISSING_" not in dot and "KEY [" not in dot and "BGCOLOR=\"#D32F2F\"" not in dot
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


def _html_labels(dot: str) -> list[str]:
    return re.findall(r"label=<(.*?)>(?=, [a-z]+=)", dot)


def test_hostile_text_stays_text():
    dot = _dot([finding("orphan-component", "error", "app", HOSTILE)], hostile_design())
    labels = " ".join(_html_labels(dot))
    assert "<script>" not in labels and "<b>" not in labels       # markup only as escaped text
    assert "&lt;script&gt;" in labels and "&quot;hi&quot;" in labels
    # Outside HTML labels, every quoted string is closed on its line.
    for line in dot.splitlines():
        body = re.sub(r"label=<.*?>(?=, [a-z]+=)", "", line)
        unescaped = re.findall(r'(?<!\\)(?:\\\\)*"', body)
        assert len(unescaped) % 2 == 0, line
    assert "\\\\N" in _line(dot, "app [")  # Graphviz's escapes are disarmed in tooltips
    assert _line(dot, "end_ [")  # 'end' is a Mermaid keyword: the shared id is suffixed


def test_bidi_overrides_and_controls_never_reach_the_picture():
    evil = SMALL.replace("label: Recs API", 'label: "Recs\\u202eIPA\\x1b[31m\\x9b"')
    dot = _dot(None, evil)
    assert "\u202e" not in dot and "\x1b" not in dot and "\x9b" not in dot
    assert "Recs IPA [31m" in dot


def test_a_title_overrides_the_designs():
    dot = _dot(title="Another <i>title</i>")
    labels = " ".join(_html_labels(dot))
    assert "Another <i>" not in labels and "Another &lt;i&gt;title&lt;/i&gt;" in labels
