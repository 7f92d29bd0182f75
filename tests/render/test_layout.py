"""Planes, the findings overlay and the missing placeholders (designgrade/render/layout.py)."""

from __future__ import annotations

from designgrade.render.layout import MISSING, MISSING_PREFIX, build_scene

from .conftest import BASES, SMALL, finding, graph_of


def _scene(findings=None, text=SMALL):
    return build_scene(graph_of(text), findings)


def test_components_go_to_their_planes_in_design_order():
    scene = _scene()
    planes = {n.id: n.plane for n in scene.nodes}
    assert planes == {"app": "users", "events": "data", "lake": "data", "training": "training",
                      "api": "serving", "watch": "monitoring"}
    assert [n.id for n in scene.in_plane("data")] == ["events", "lake"]
    assert scene.node("api").name == "Recs API"


def test_vector_db_joins_the_llm_plane_only_in_an_llm_system():
    rag = [b for b in BASES if b.stem == "rag"][0].read_text()
    assert build_scene(graph_of(rag), None).node("vectors").plane == "llm"
    recs = SMALL.replace("watch: {kind: monitoring", "ann: {kind: vector_db, tech: faiss}\n  watch: {kind: monitoring")
    assert build_scene(graph_of(recs), None).node("ann").plane == "data"


def test_requests_and_flows_into_earlier_planes_are_laid_out_reversed():
    scene = _scene()
    by_pair = {(e.src, e.dst): scene.layout_reversed(e) for e in scene.edges}
    assert by_pair[("app", "api")] is True          # request
    assert by_pair[("api", "events")] is True       # serving logs back into a stream
    assert by_pair[("events", "lake")] is False
    assert by_pair[("watch", "training")] is True   # monitoring -> training is a feedback loop


def test_without_findings_there_is_no_overlay():
    scene = _scene(None)
    assert not scene.overlay
    assert all(n.severity is None and not n.missing for n in scene.nodes)
    assert "finding" not in scene.subtitle


def test_a_component_takes_its_worst_severity_and_all_messages():
    scene = _scene([finding("orphan-component", "info", "api", "first"),
                    finding("training-serving-skew", "error", "api", "second"),
                    finding("no-serving-fallback", "warning", "api", "third")])
    api = scene.node("api")
    assert api.severity == "error"
    assert [m.split(": ", 1)[1] for m in api.messages] == ["first", "second", "third"]
    assert scene.counts == {"error": 1, "warning": 1, "info": 1}
    assert "1 error, 1 warning, 1 info" in scene.subtitle


def test_acknowledged_findings_are_noted_not_flagged():
    scene = _scene([finding("no-monitoring", "warning", acknowledged=True),
                    finding("no-serving-fallback", "warning", "api", acknowledged=True)])
    assert not any(n.missing for n in scene.nodes)
    assert scene.node("api").severity is None
    assert scene.node("api").messages[0].startswith("[trade-off] no-serving-fallback")
    assert scene.counts["warning"] == 0


def test_missing_parts_become_dashed_placeholders_where_they_belong():
    no_watch = SMALL.replace("  watch: {kind: monitoring, tech: prometheus}\n", "").replace(
        '  - {from: watch, to: training, mode: trigger, label: drift}\n', "").replace('  - "events -> watch"\n', "")
    scene = _scene([finding("no-monitoring"), finding("no-model-registry", "warning", "training"),
                    finding("missing-feature-store", "error")], no_watch)
    monitoring = scene.node(MISSING_PREFIX + "monitoring")
    assert monitoring.missing and monitoring.plane == "monitoring" and monitoring.severity == "warning"
    registry = scene.node(MISSING_PREFIX + "model_registry")
    assert registry.plane == "training"
    store = scene.node(MISSING_PREFIX + "feature_store")
    assert store.plane == "data" and store.severity == "error"
    links = {(e.src, e.dst) for e in scene.edges if e.missing}
    assert ("api", "MISSING_monitoring") in links
    assert ("training", "MISSING_model_registry") in links and ("MISSING_model_registry", "api") in links
    assert ("MISSING_feature_store", "training") in links and ("api", "MISSING_feature_store") in links
    assert scene.node("training").severity is None  # the placeholder carries the finding
    assert not scene.unplaced


def test_a_part_that_exists_but_is_not_wired_gets_a_dashed_edge():
    unfed = SMALL.replace('  - "events -> watch"\n', "")
    scene = _scene([finding("no-monitoring")], unfed)
    assert not any(n.missing for n in scene.nodes)
    wires = [e for e in scene.edges if e.missing]
    assert [(e.src, e.dst, e.label) for e in wires] == [("api", "watch", "missing: monitoring")]
    assert wires[0].severity == "warning"


def test_retraining_trigger_is_a_dashed_edge_between_monitoring_and_training():
    no_trigger = SMALL.replace('  - {from: watch, to: training, mode: trigger, label: drift}\n', "")
    scene = _scene([finding("no-automated-retraining")], no_trigger)
    wires = [(e.src, e.dst, e.mode) for e in scene.edges if e.missing]
    assert wires == [("watch", "training", "trigger")]


def test_findings_with_no_place_are_listed_for_the_title():
    scene = _scene([finding("missing-business-objective", "warning", None, "no objective")])
    assert scene.unplaced == ["[warning] missing-business-objective: no objective"]


def test_every_missing_rule_names_a_known_plane():
    from designgrade.render.layout import PLANE_ORDER

    for spec in MISSING.values():
        assert spec.plane in PLANE_ORDER


def test_the_scene_is_the_same_every_time():
    findings = [finding("no-model-registry"), finding("orphan-component", "error", "lake")]
    first, second = _scene(findings), _scene(findings)
    assert [vars(n) for n in first.nodes] == [vars(n) for n in second.nodes]
    assert [vars(e) for e in first.edges] == [vars(e) for e in second.edges]
