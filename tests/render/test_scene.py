"""What the picture shows (designgrade/render/scene.py, overlay.py, lanes.py): lanes,
chain labels, ghosts, unknown kinds, numbered findings and where each one is drawn."""

from __future__ import annotations

from designgrade.engine import lint_text
from designgrade.render.lanes import lane_title
from designgrade.render.overlay import MISSING_PARTS, MISSING_PREFIX
from designgrade.render.scene import GHOST, MAX_COMPONENTS, MAX_FLOWS, MISSING, UNKNOWN, build_scene

from .conftest import BASES, SMALL, finding, graph_of


def _scene(findings=None, text=SMALL):
    return build_scene(graph_of(text), findings)


def test_components_go_to_their_lanes_in_design_order():
    scene = _scene()
    lanes = {n.id: n.lane for n in scene.nodes}
    assert lanes == {"app": "client", "events": "data", "lake": "data", "training": "training",
                     "api": "serving", "watch": "monitoring"}
    assert [n.id for n in scene.in_lane("data")] == ["events", "lake"]
    assert scene.node("api").name == "Recs API"
    assert scene.lane_titles == {"data": "Data & features", "training": "Training & registry",
                                 "serving": "Online serving", "monitoring": "Monitoring & experimentation"}


def test_the_model_lane_is_named_for_what_it_holds():
    rag = [b for b in BASES if b.stem == "rag"][0].read_text()
    scene = build_scene(graph_of(rag), None)
    assert scene.node("vectors").lane == "model"
    assert scene.lane_titles["model"] in ("LLM", "LLM & retrieval")
    # A recommender's two-tower embedding model and its ANN index: retrieval, not an LLM.
    recs = SMALL.replace("  watch: {kind: monitoring", "  towers: {kind: embedding_model, tech: in_house}\n"
                         "  ann: {kind: vector_db, tech: faiss}\n  watch: {kind: monitoring")
    scene = build_scene(graph_of(recs), None)
    assert scene.node("towers").lane == "model" and scene.node("ann").lane == "model"
    assert scene.lane_titles["model"] == "Embeddings & retrieval"
    # With no model part at all, a vector index is data.
    plain = SMALL.replace("  watch: {kind: monitoring", "  ann: {kind: vector_db, tech: faiss}\n  watch: {kind: monitoring")
    assert build_scene(graph_of(plain), None).node("ann").lane == "data"
    assert lane_title("model", ["llm"]) == "LLM"


def test_a_chain_label_is_drawn_once():
    chained = SMALL.replace('  - "events -> lake"\n', '  - "events -> lake -> watch: nightly export"\n')
    scene = _scene(None, chained)
    labels = {(e.src, e.dst): e.label for e in scene.edges}
    assert labels[("events", "lake")] == "nightly export" and labels[("lake", "watch")] is None
    lake_watch = next(e for e in scene.edges if (e.src, e.dst) == ("lake", "watch"))
    assert "nightly export" in lake_watch.messages  # still in its tooltip


def test_flows_to_unknown_components_are_ghosts_named_with_their_did_you_mean():
    broken = SMALL + '  - "lake -> trainng: typo"\n  - "nowhere -> api"\n'
    report = lint_text(broken)
    scene = build_scene(report.design, report.findings, source=report.source)
    ghosts = {n.name: n for n in scene.nodes if n.role == GHOST}
    assert set(ghosts) == {"trainng", "nowhere"}
    assert ghosts["trainng"].note == "did you mean training?" and ghosts["trainng"].lane == "training"
    assert ghosts["nowhere"].lane == "serving"  # beside the component it talks to
    ghost_edges = [(e.src, e.dst, e.label) for e in scene.edges if e.role == GHOST]
    assert ("lake", ghosts["trainng"].id, "typo") in ghost_edges
    assert (ghosts["nowhere"].id, "api", None) in ghost_edges
    # Each unknown-reference finding is on its ghost edge, not in the design box.
    on_edges = {m.code for e in scene.edges if e.role == GHOST for m in e.marks}
    assert "DG004" in on_edges
    assert not [m for m in scene.design_marks if m.rule == "unknown-reference"]


def test_an_unknown_kind_keeps_its_tech_and_takes_its_did_you_mean_lane():
    typo = SMALL.replace("  lake: {kind: data_lake, tech: s3}", "  lake: {kind: data_lak, tech: s3}")
    typo = typo.replace("  watch: {kind: monitoring, tech: prometheus}", "  watch: {kind: kafka}")
    report = lint_text(typo)
    scene = build_scene(report.design, report.findings, source=report.source)
    lake, watch = scene.node("lake"), scene.node("watch")
    assert lake.role == UNKNOWN and lake.tech == "s3" and lake.lane == "data" and lake.kind == "data_lake"
    assert watch.role == UNKNOWN and watch.kind == "event_stream" and watch.lane == "data"  # kind names a tech
    assert any(m.rule == "schema-violation" for m in lake.marks)  # its finding is on it


def test_findings_are_numbered_in_report_order():
    scene = _scene([finding("orphan-component", "info", "lake", line=3),
                    finding("training-serving-skew", "error", "api", line=9),
                    finding("no-serving-fallback", "warning", "api", line=2),
                    finding("missing-business-objective", "error", None, line=1),
                    finding("no-autoscaling", "warning", "api", acknowledged=True)])
    assert [(m.number, m.severity, m.rule) for m in scene.marks] == [
        (1, "error", "missing-business-objective"), (2, "error", "training-serving-skew"),
        (3, "warning", "no-serving-fallback"), (4, "info", "orphan-component"), (5, "warning", "no-autoscaling")]
    assert scene.marks[-1].acknowledged
    api = scene.node("api")
    assert [m.number for m in api.marks] == [2, 3, 5] and api.severity == "error"
    assert [m.number for m in scene.design_marks] == [1]
    assert "2 errors, 1 warning, 1 info" in scene.subtitle
    assert len({m.anchor for m in scene.marks}) == 5


def test_a_finding_about_one_flow_is_drawn_on_that_flow():
    scene = _scene([finding("unlogged-predictions", "warning", "api", flow=("api", "events"))])
    edge = next(e for e in scene.edges if (e.src, e.dst) == ("api", "events"))
    assert [m.rule for m in edge.marks] == ["unlogged-predictions"]
    assert not scene.node("api").marks


def test_without_findings_there_is_no_overlay():
    scene = _scene(None)
    assert not scene.overlay and not scene.marks
    assert all(n.role not in (MISSING,) and not n.marks for n in scene.nodes)
    assert "finding" not in scene.subtitle


def test_missing_parts_become_dashed_placeholders_in_their_lane():
    no_watch = SMALL.replace("  watch: {kind: monitoring, tech: prometheus}\n", "").replace(
        '  - {from: watch, to: training, mode: trigger, label: drift}\n', "").replace('  - "events -> watch"\n', "")
    scene = _scene([finding("no-monitoring"), finding("no-data-drift-monitoring"),
                    finding("no-model-registry", "warning", "training"), finding("missing-feature-store", "error")],
                   no_watch)
    monitoring = scene.node(MISSING_PREFIX + "monitoring")
    assert monitoring.role == MISSING and monitoring.lane == "monitoring" and monitoring.severity == "warning"
    assert [m.rule for m in monitoring.marks] == ["no-monitoring", "no-data-drift-monitoring"]
    assert scene.node(MISSING_PREFIX + "model_registry").lane == "training"
    store = scene.node(MISSING_PREFIX + "feature_store")
    assert store.lane == "data" and store.severity == "error"
    links = {(e.src, e.dst) for e in scene.edges if e.role == MISSING}
    assert ("api", "MISSING_monitoring") in links
    assert ("training", "MISSING_model_registry") in links and ("MISSING_model_registry", "api") in links
    assert scene.node("training").severity is None  # the placeholder carries the finding
    assert not scene.design_marks


def test_a_part_that_exists_but_is_not_wired_gets_a_dashed_edge_with_the_badge():
    unfed = SMALL.replace('  - "events -> watch"\n', "")
    scene = _scene([finding("no-monitoring")], unfed)
    assert not any(n.role == MISSING for n in scene.nodes)
    wires = [e for e in scene.edges if e.role == MISSING]
    assert [(e.src, e.dst, e.label) for e in wires] == [("api", "watch", "missing: monitoring")]
    assert wires[0].severity == "warning" and [m.rule for m in wires[0].marks] == ["no-monitoring"]


def test_every_missing_part_names_a_lane():
    from designgrade.render.lanes import LANES

    for spec in MISSING_PARTS.values():
        assert spec.lane in LANES


def test_big_designs_are_capped_and_say_so():
    components = "".join(f"  s{i}: {{kind: service, tech: go}}\n" for i in range(MAX_COMPONENTS + 40))
    flows = "".join(f'  - "s{i % 50} -> s{(i * 7 + 1) % 50}"\n' for i in range(MAX_FLOWS * 3))
    text = ("designgrade: 1\ntitle: Big\nproblem: {task: recommendation}\ncomponents:\n" + components
            + "flows:\n" + flows)
    scene = _scene(None, text)
    assert len(scene.nodes) == MAX_COMPONENTS
    assert len(scene.edges) <= MAX_FLOWS
    assert f"showing the first {MAX_COMPONENTS:,} of {MAX_COMPONENTS + 40:,} components" in scene.subtitle


def test_the_scene_is_the_same_every_time():
    findings = [finding("no-model-registry"), finding("orphan-component", "error", "lake")]
    first, second = _scene(findings), _scene(findings)
    assert [vars(n) for n in first.nodes] == [vars(n) for n in second.nodes]
    assert [vars(e) for e in first.edges] == [vars(e) for e in second.edges]
