"""Property-based: random bytes and random designs, valid and broken, never break an entry point."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designgrade.model import KINDS

from .conftest import SHARED

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ids = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
texts = st.text(max_size=20)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), texts)
fields = st.dictionaries(st.sampled_from(["tech", "label", "latency_ms", "replicas", "schedule", "hardware",
                                          "fallback", "online_store", "point_in_time", "version", "notes",
                                          "max_qps_per_replica", "autoscaling", "data_drift", "bogus"]),
                         scalars, max_size=4)


@st.composite
def designs(draw):
    names = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    components = {}
    for name in names:
        component = {"kind": draw(st.one_of(st.sampled_from(KINDS), texts))}
        component.update(draw(fields))
        components[name] = component
    endpoints = st.sampled_from(names + ["ghost"])
    flows = draw(st.lists(st.one_of(
        st.builds(lambda a, b: f"{a} -> {b}", endpoints, endpoints),
        st.builds(lambda a, b, c: f"{a} -> {b} -> {c}: label", endpoints, endpoints, endpoints),
        st.builds(lambda a, b, m: {"from": a, "to": b, "mode": m}, endpoints, endpoints,
                  st.sampled_from(["stream", "batch", "request", "trigger", "teleport"])),
        scalars,
    ), max_size=10))
    design = {
        "designgrade": draw(st.sampled_from([1, 1, 1, 2, "one"])),
        "title": draw(texts),
        "level": draw(st.sampled_from(["L4", "L5", "L6", "L7", "L9"])),
        "problem": {"task": draw(st.sampled_from(["ranking", "fraud_detection", "llm_rag", "recommendation",
                                                   "nonsense"])),
                    "requirements": {"freshness": draw(st.sampled_from(["realtime", "daily", "soon"])),
                                     "latency_p99_ms": draw(st.one_of(st.integers(0, 500), texts)),
                                     "peak_qps": draw(st.one_of(st.sampled_from(["1k", "2M", "lots"]),
                                                                st.integers(0, 10**6)))}},
        "components": components,
        "flows": flows,
    }
    for key in draw(st.lists(st.sampled_from(list(design)), max_size=2)):
        design.pop(key, None)
    return yaml.safe_dump(design, allow_unicode=True)


def check_cli(dg, path):
    result = dg("lint", path, "--format", "json")
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1
    sarif = dg("lint", path, "--format", "sarif")
    assert sarif.exit_code in (0, 1, 2)
    log = json.loads(sarif.stdout)
    schema_file = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema_file.exists():
        import jsonschema

        jsonschema.Draft4Validator(json.loads(schema_file.read_text())).validate(log)
    graded = dg("grade", path, "--format", "json")
    assert graded.exit_code in (0, 1, 2) and json.loads(graded.stdout)[0]["score"]["max"] >= 0
    drawn = dg("render", path, "--format", "mermaid")
    assert drawn.exit_code in (0, 2)
    if drawn.exit_code == 0:
        assert drawn.stdout.startswith("---") or drawn.stdout.startswith("flowchart")
    else:
        assert drawn.stderr.startswith("designgrade: error:") and "Traceback" not in drawn.output


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(dg, tmp_path, data):
    path = tmp_path / "random.yaml"
    path.write_bytes(data)
    check_cli(dg, path)


@SETTINGS
@given(designs())
def test_random_designs(dg, tmp_path, text):
    path = tmp_path / "design.yaml"
    path.write_text(text, encoding="utf-8")
    check_cli(dg, path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(designs())
def test_random_designs_make_html_reports_that_parse(dg, tmp_path_factory, text):
    from html.parser import HTMLParser

    work = tmp_path_factory.mktemp("fuzz")
    (work / "d.yaml").write_text(text, encoding="utf-8")
    result = dg("grade", work / "d.yaml", "--out", work / "out", "--format", "html", "--format", "md",
                "--jobs", "1")
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    for page in (work / "out").glob("*.html"):
        parser = HTMLParser()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        assert "<script>alert" not in page.read_text(encoding="utf-8")
