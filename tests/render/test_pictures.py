"""The checks of issue 13 on real pictures: every example, and generated designs of 40
and 80 components, drawn by Graphviz and read back (picture.py). They assert what a
reader sees, over whatever findings lint produces today."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from designgrade.engine import lint, lint_text
from designgrade.render import render
from designgrade.render.anchors import finding_anchor
from designgrade.render.overlay import MISSING_PARTS

from . import generated
from .conftest import EXAMPLES, needs_dot
from .picture import (
    SVG, badge_holder, boxes_overlapping, drawn_flows, edges_through_text, node_text_px, read_badges,
    read_layout, text_overlaps,
)

pytestmark = needs_dot

GENERATED = {
    "generated-40": generated.design(40), "generated-80": generated.design(80, seed=11),
    # One box; no client and no serving lane; five clients of one gateway, a kind nobody
    # knows, a flow to nothing, and every LLM placeholder.
    "one-box": "designgrade: 1\ntitle: One box\nproblem: {task: recommendation}\n"
               "components:\n  svc: {kind: service, tech: go}\nflows: []\n",
    "batch-only": "designgrade: 1\ntitle: Batch only\nproblem: {task: forecasting}\ncomponents:\n"
                  "  db: {kind: source_db, tech: postgres}\n  lake: {kind: data_lake, tech: s3}\n"
                  "  job: {kind: batch_processor, tech: spark}\n"
                  "  train: {kind: training_pipeline, tech: airflow, schedule: daily}\n"
                  "  reg: {kind: model_registry, tech: mlflow}\n  score: {kind: batch_inference, tech: spark}\n"
                  'flows:\n  - "db -> lake -> job -> train -> reg -> score"\n',
    "crowded-clients": "designgrade: 1\ntitle: Chat\nproblem: {task: llm_assistant}\ncomponents:\n"
                       + "".join(f"  u{i}: {{kind: client, tech: web}}\n" for i in range(5))
                       + "  gw: {kind: llm_gateway, tech: litellm}\n  m: {kind: llm, tech: openai}\n"
                         "  weird: {kind: frobnicator, tech: zork}\nflows:\n"
                       + "".join(f'  - "u{i} -> gw: tool calls"\n' for i in range(5))
                       + '  - "gw -> m"\n  - "gw -> weird"\n  - "m -> nothere"\n',
}
CASES = [p.stem for p in EXAMPLES] + list(GENERATED)
BY_NAME = {p.stem: p for p in EXAMPLES}


@pytest.fixture(scope="module")
def drawn():
    """name -> (report, {findings|clean: (dot, layout)}, svg): each picture drawn once."""
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            report = lint(BY_NAME[name]) if name in BY_NAME else lint_text(GENERATED[name])
            pictures = {}
            for mode, findings in (("findings", report.findings), ("clean", None)):
                dot = render(report.design, findings, "dot", source=report.source)
                pictures[mode] = (dot, read_layout(dot))
            svg = render(report.design, report.findings, "svg", source=report.source)
            cache[name] = (report, pictures, svg)
        return cache[name]

    return get


@pytest.mark.parametrize("mode", ["findings", "clean"])
@pytest.mark.parametrize("name", CASES)
def test_no_text_overprints_and_no_edge_crosses_text(drawn, name, mode):
    _, pictures, _ = drawn(name)
    layout = pictures[mode][1]
    assert text_overlaps(layout) == []
    assert boxes_overlapping(layout) == []
    assert edges_through_text(layout) == []


@pytest.mark.parametrize("name", CASES)
def test_every_finding_has_one_badge_where_it_points(drawn, name):
    report, _, svg = drawn(name)
    badges = read_badges(svg)
    layout = read_layout(render(report.design, report.findings, "dot", source=report.source))
    node_of = layout.components()
    missing_rules = set(MISSING_PARTS) | {"no-data-drift-monitoring", "no-concept-drift-monitoring"}
    for f in report.findings:
        anchor = finding_anchor(f.code, f.rule, f.line, f.column, f.message)
        holder = badge_holder(badges, anchor)
        assert holder is not None, f"no single badge for {f}"
        component, flow = f.component, getattr(f, "flow", None)
        if flow and flow[0] in node_of:
            # On the flow's own label box (an edge id), or on its source component.
            assert holder.startswith("dg-label-") or holder == f"dg-node-{node_of[flow[0]]}", (f, holder)
        elif component in node_of and f.rule not in missing_rules:
            assert holder == f"dg-node-{node_of[component]}", (f, holder)
        elif component is None and not flow and f.rule not in missing_rules and f.rule != "unknown-reference":
            assert holder == "dg-design", (f, holder)


@pytest.mark.parametrize("name", CASES)
def test_every_flow_is_drawn(drawn, name):
    report, pictures, _ = drawn(name)
    for mode in ("findings", "clean"):
        layout = pictures[mode][1]
        node_of = layout.components()
        pairs = drawn_flows(layout)
        for edge in report.design.edges:
            assert (node_of[edge.src], node_of[edge.dst]) in pairs, (mode, edge)
        ghosts = {name for name, cls in layout.classes.items() if cls == "ghost"}
        for raw in report.design.dangling:  # a flow to an unknown component ends at a ghost
            known = raw.src if raw.src in node_of else raw.dst
            if known in node_of:
                assert any(node_of[known] in pair and set(pair) & ghosts for pair in pairs), raw


@pytest.mark.parametrize("name", CASES)
def test_clients_stand_left_of_the_serving_they_call(drawn, name):
    report, pictures, _ = drawn(name)
    layout = pictures["findings"][1]
    node_of = layout.components()
    graph = report.design
    for edge in graph.edges:
        if graph.kind(edge.src) == "client" and edge.mode == "request":
            client, callee = layout.nodes[node_of[edge.src]], layout.nodes[node_of[edge.dst]]
            assert client[2] < callee[0], edge


@pytest.mark.parametrize("name", CASES)
def test_turning_findings_on_moves_no_component_more_than_5_percent(drawn, name):
    _, pictures, _ = drawn(name)
    with_findings, clean = pictures["findings"][1], pictures["clean"][1]
    width = max(with_findings.width, clean.width)
    height = max(with_findings.height, clean.height)
    for cid, node in clean.components().items():
        (x0, y0), (x1, y1) = clean.centre(node), with_findings.centre(with_findings.components()[cid])
        assert abs(x0 - x1) <= 0.05 * width and abs(y0 - y1) <= 0.05 * height, cid


@pytest.mark.parametrize("mode", ["findings", "clean"])
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_node_text_is_at_least_11_px_on_a_slide(drawn, name, mode):
    _, pictures, _ = drawn(name)
    assert node_text_px(pictures[mode][1]) >= 11.0


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_example_svgs_are_small_and_embed_each_icon_once(drawn, name):
    _, _, svg = drawn(name)
    assert len(svg.encode("utf-8")) < 120 * 1024
    root = ET.fromstring(svg)
    images = [i.get("{http://www.w3.org/1999/xlink}href", "") for i in root.iter(f"{SVG}image")]
    assert images and all(h.startswith("data:image/png;base64,") for h in images)
    assert len(images) == len(set(images)), "an icon is embedded twice"
    uses = list(root.iter(f"{SVG}use"))
    assert len(uses) >= len(images)
    assert root.get("viewBox") and root.get("width", "").endswith("px")
