"""The lane layout (designgrade/render/place.py), checked on its boxes: lane order, the
request path left to right, placeholders that never move a component, the legend and
the key outside the lanes."""

from __future__ import annotations

import pytest

from designgrade.engine import lint
from designgrade.render.place import place
from designgrade.render.scene import build_scene

from .conftest import EXAMPLES, SMALL, finding, graph_of

ORDER = ("serving", "model", "data", "training", "monitoring")


def _placed(path, findings=True):
    report = lint(path)
    scene = build_scene(report.design, report.findings if findings else None, None, report.source)
    return report, scene, place(scene)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_lanes_run_top_to_bottom_and_requests_left_to_right(path):
    report, scene, layout = _placed(path, findings=False)
    tops = [lane.box.top for lane in layout.lanes]
    keys = [lane.key for lane in layout.lanes]
    assert tops == sorted(tops) and keys == [k for k in ORDER if k in keys]
    for node in scene.nodes:  # every box sits inside its lane's band
        lane = next((lane for lane in layout.lanes if lane.key == node.lane), None)
        if lane is not None:
            box = layout.nodes[node.id].box
            assert lane.box.top < box.top and box.bottom < lane.box.bottom, node.id
    graph = report.design
    for edge in graph.edges:
        if edge.mode == "request" and graph.kind(edge.src) in ("client", "load_balancer", "api_gateway"):
            src, dst = scene_box(scene, layout, edge.src), scene_box(scene, layout, edge.dst)
            if src is not None and dst is not None:
                assert src.x < dst.x, edge


def scene_box(scene, layout, cid):
    node = next((n for n in scene.nodes if n.cid == cid), None)
    return layout.nodes[node.id].box if node is not None else None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_legend_and_the_key_stand_outside_the_lanes(path):
    _, _, layout = _placed(path)
    outside = [b for b in (layout.legend_box, layout.key_box, layout.design_box) if b is not None]
    assert layout.legend_box is not None
    for box in outside:
        for lane in layout.lanes:
            assert not box.overlaps(lane.box)
        for nb in layout.nodes.values():
            assert not box.overlaps(nb.box)


def test_placeholders_take_free_cells_or_a_new_column_never_a_row():
    no_watch = SMALL.replace("  watch: {kind: monitoring, tech: prometheus}\n", "").replace(
        '  - {from: watch, to: training, mode: trigger, label: drift}\n', "").replace('  - "events -> watch"\n', "")
    graph = graph_of(no_watch)
    clean = place(build_scene(graph, None))
    flagged = place(build_scene(graph, [finding("no-model-registry", "warning", "training"),
                                        finding("missing-feature-store", "error"), finding("no-monitoring")]))
    for nid, nb in clean.nodes.items():
        assert (nb.box.x, nb.box.y) == (flagged.nodes[nid].box.x, flagged.nodes[nid].box.y), nid
    heights = {lane.key: lane.box.h for lane in clean.lanes}
    assert all(lane.box.h == heights[lane.key] for lane in flagged.lanes if lane.key in heights)
    # The monitoring lane did not exist: it is added at the bottom, so no lane moves.
    assert flagged.lanes[-1].key == "monitoring"


def test_every_box_is_the_same_size_and_none_overlap():
    _, _, layout = _placed(next(p for p in EXAMPLES if p.stem == "search-ranking"))
    sizes = {(nb.box.w, nb.box.h) for nb in layout.nodes.values()}
    assert len(sizes) == 1
    boxes = [nb.box for nb in layout.nodes.values()] + [d.box for d in layout.decos.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
