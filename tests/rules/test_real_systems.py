"""The rule catalog checked against real, publicly described ML systems.

Each design in real_systems/ models a well-known production system from its public write-ups
(the sources are in each file's header). A senior ML-infra interviewer judged every finding at
L7 (the verdicts are in the comments below):

- TRUE: the system, as publicly described, lacks this, or a staff answer should state it.
  ``test_true_findings`` asserts that exactly these slugs fire, so a regression that adds noise
  or loses a true finding fails.
- FALSE POSITIVE: the rule was wrong for a well-built system. The ones found here were fixed
  in the rules (in_house is a known tech for every kind; fraud judged in shadow on matured
  labels is live validation; a bulk copy of training's own tables is not a second feature
  code path), and ``test_fixed_false_positive_stays_fixed`` keeps each one from coming back.

No rule in the catalog is above L6, so L6 and L7 give the same findings; ``test_same_at_l6``
keeps that visible.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from designgrade.engine import Options, lint, lint_text
from designgrade.findings import Finding

REAL = Path(__file__).parent / "real_systems"

# Verdict TRUE, per design: slug -> why it is right for that system.
TRUE_FINDINGS: dict[str, dict[str, str]] = {
    "uber-michelangelo": {
        # Nothing public says what the eats backend shows when the prediction service or
        # Cassandra fails. A staff answer names a degraded ETD, for example a per-restaurant
        # historical prep time plus routing time.
        "no-serving-fallback": "no published degraded mode for ETD at 250k/s",
        # A 250k/s peak with no per-host throughput: the fleet size is a claim, not arithmetic.
        "missing-capacity-figures": "no per-replica throughput for the prediction fleet",
        # The 2017 monitoring is live accuracy from joined outcomes only. Input-drift
        # detection (D3) was published in 2023.
        "no-data-drift-monitoring": "accuracy only, no input-distribution monitoring in scope",
    },
    "doordash-feature-store": {
        # Riviera computes real-time features in Flink for Redis only, while training sets are
        # hand-written SQL joins over Snowflake. DoorDash's Fabricator post names exactly this
        # split as its motivation.
        "training-serving-skew": "real-time features are recomputed offline by other code",
        "missing-capacity-figures": "nothing public on Sibyl's per-host throughput at ~1M predictions/s",
        "no-serving-fallback": "no published degraded ranking when Sibyl or Redis fails",
        # Monitoring alerts go to model owners and never start a retrain, for a weekly ranker.
        "no-drift-triggered-retraining": "weekly schedule-only retraining of a fast-moving ranker",
        # The store ranker learns from clicks on what it ranked; the transcribed design shows
        # no position feature and no exploration for new stores.
        "position-bias-in-labels": "click labels with no position correction in the design",
        "feedback-loop-without-exploration": "no exploration for new stores in the design",
    },
    "stripe-radar": {
        "missing-capacity-figures": "10k qps with no per-replica throughput",
        # With 60-day labels, input drift is the only early warning, and none is published.
        "no-data-drift-monitoring": "no published input-drift monitoring; matters with 60d labels",
    },
    "rag-assistant-enterprise": {
        # Bedrock's terms answer it (no retention, no training on inputs), but a staff answer
        # states what leaves the company and under which agreement; the design does not.
        "sensitive-data-to-third-party": "no data terms stated for the Bedrock models",
    },
}

# Judged TRUE before the rules judged evidence, and now counted without a finding (a gap
# nothing in the design makes worth raising, or the consequence of a finding above): they
# still cost these designs points. Kept here so the change stays visible.
COUNTED_NOT_RAISED: dict[str, set[str]] = {
    "uber-michelangelo": {"no-autoscaling", "no-data-validation", "no-drift-triggered-retraining"},
    "doordash-feature-store": {"no-autoscaling", "no-data-validation"},
    "stripe-radar": {"no-autoscaling", "no-data-validation"},
    "rag-assistant-enterprise": set(),
}

IN_HOUSE_UNKNOWN = (
    "the catalog accepts `in_house` for 12 kinds (feature_store, model_registry, monitoring, "
    "experimentation, ...) but not for online_serving or training_pipeline, which are the kinds "
    "most often built in-house (Michelangelo, Sibyl, Radar, Railyard)"
)


def _is_in_house_note(f: Finding) -> bool:
    return f.rule == "unknown-tech" and "'in_house'" in f.message


# Verdict FALSE POSITIVE (since fixed), per design: (slug, which of its findings, why the rule was wrong).
FALSE_POSITIVES: dict[str, list[tuple[str, object, str]]] = {
    "uber-michelangelo": [("unknown-tech", _is_in_house_note, IN_HOUSE_UNKNOWN)],
    "doordash-feature-store": [("unknown-tech", _is_in_house_note, IN_HOUSE_UNKNOWN)],
    "stripe-radar": [
        ("unknown-tech", _is_in_house_note, IN_HOUSE_UNKNOWN),
        ("intervention-censored-labels", lambda f: f.rule == "intervention-censored-labels",
         "the random let-through holdout is exactly the correction for labels censored by blocks"),
        ("no-online-experiment", lambda f: f.rule == "no-online-experiment",
         "fraud with 60-day labels: candidates are scored in shadow on all live traffic and "
         "judged on matured labels, with a random let-through holdout that removes selection "
         "bias. That is live validation, and a short A/B test cannot read the dispute rate "
         "anyway"),
    ],
    "rag-assistant-enterprise": [
        ("unknown-tech", lambda f: f.rule == "unknown-tech",
         "bedrock_knowledge_bases is a real managed service; a note on an unfamiliar name is noise"),
    ],
}

DESIGNS = sorted(TRUE_FINDINGS)


def _findings(name: str, level: str = "L7") -> list[Finding]:
    report = lint(REAL / f"{name}.yaml", Options(level=level))
    assert not report.unreadable, name
    return report.findings


def _known_false_positive(name: str, finding: Finding) -> bool:
    return any(match(finding) for _, match, _ in FALSE_POSITIVES[name])  # type: ignore[operator]


def test_every_design_is_judged():
    assert sorted(p.stem for p in REAL.glob("*.yaml")) == DESIGNS == sorted(FALSE_POSITIVES)


@pytest.mark.parametrize("name", DESIGNS)
def test_true_findings(name):
    findings = _findings(name)
    assert not [f for f in findings if f.rule == "schema-violation"], name
    fired = {f.rule for f in findings if not _known_false_positive(name, f)}
    assert fired == set(TRUE_FINDINGS[name]), [(f.rule, f.line, f.message) for f in findings]


@pytest.mark.parametrize("name", DESIGNS)
def test_gaps_cost_points_without_findings(name):
    report = lint(REAL / f"{name}.yaml", Options(level="L7"))
    for slug in COUNTED_NOT_RAISED[name]:
        assert report.outcomes[slug].status == "violated", slug
        assert slug not in {f.rule for f in report.findings}, slug


@pytest.mark.parametrize("name", DESIGNS)
def test_same_at_l6(name):
    assert {f.rule for f in _findings(name, "L6")} == {f.rule for f in _findings(name, "L7")}


def _false_positive_cases():
    for name in DESIGNS:
        for slug, match, _why in FALSE_POSITIVES[name]:
            yield pytest.param(name, slug, match, id=f"{name}-{slug}")


@pytest.mark.parametrize(("name", "slug", "match"), list(_false_positive_cases()))
def test_fixed_false_positive_stays_fixed(name, slug, match):
    hits = [f for f in _findings(name) if f.rule == slug and match(f)]
    assert hits == [], [(f.line, f.message) for f in hits]


# training-serving-skew is TRUE for DoorDash because of Riviera (Flink features for Redis only).
# A batch job that only bulk-loads the Snowflake feature tables training already reads
# (serialized into Redis) is one feature definition copied, not a second code path: the rule
# must not blame it, and must name the stream job.

def _doordash_without_riviera() -> str:
    data = yaml.safe_load((REAL / "doordash-feature-store.yaml").read_text())
    del data["components"]["riviera"]
    data["flows"] = [f for f in data["flows"] if "riviera" not in f]
    store = data["components"]["feature_store"]
    store["features"] = [f for f in store["features"] if f["source"] != "riviera"]
    model = data["models"]["store_ranker"]
    model["features"] = [f for f in model["features"] if f in {x["name"] for x in store["features"]}]
    return yaml.safe_dump(data, sort_keys=False)


def test_doordash_variant_keeps_the_rest():
    # The variant differs only by the stream path: everything else still lints the same way.
    findings = lint_text(_doordash_without_riviera(), Options(level="L7")).findings
    assert not [f for f in findings if f.rule in ("schema-violation", "unknown-reference")]


def test_skew_ignores_a_bulk_copy_of_training_tables():
    findings = lint_text(_doordash_without_riviera(), Options(level="L7")).findings
    hits = [f for f in findings if f.rule == "training-serving-skew"]
    assert hits == [], [f.message for f in hits]


def test_skew_blames_the_stream_job():
    (skew,) = [f for f in _findings("doordash-feature-store") if f.rule == "training-serving-skew"]
    assert "'riviera'" in skew.message and "'feature_upload'" not in skew.message
