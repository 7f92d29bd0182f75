"""Follow-up questions: each kind is asked where its design facts hold, and only there."""

from __future__ import annotations

import pytest
import yaml

from designgrade.drill import drill
from designgrade.engine import Options, lint, lint_loaded
from designgrade.loader import load_text

from .conftest import EXAMPLES
from .rules.harness import base

NIGHTLY = """
designgrade: 1
title: Churn risk for customer success
problem:
  task: classification
  objective: Keep accounts that would not renew
  metrics: {offline: [pr_auc], online: [churn_rate_treated_vs_holdout]}
  requirements: {freshness: daily, users: 30k}
  data: {labels: delayed, label_delay: 90d, class_imbalance: false}
components:
  product_db: {kind: source_db, tech: postgres}
  warehouse: {kind: data_warehouse, tech: snowflake}
  snapshot: {kind: batch_processor, tech: dbt, schedule: daily, point_in_time: true}
  training: {kind: training_pipeline, tech: airflow, schedule: monthly}
  registry: {kind: model_registry, tech: mlflow}
  scoring: {kind: batch_inference, tech: airflow, schedule: daily}
  crm: {kind: database, tech: salesforce}
  csm: {kind: client, tech: web}
  monitor: {kind: monitoring, tech: evidently, performance: {metric: pr_auc, label_delay: 90d}, alerts: [slack]}
flows:
  - "product_db -> warehouse -> snapshot"
  - "snapshot -> training"
  - "snapshot -> scoring"
  - "training -> registry -> scoring"
  - "scoring -> crm -> csm"
  - "scoring -> monitor"
models:
  churn: {role: classifier, algorithm: lightgbm, baseline: usage_rule, trained_by: training, served_by: scoring}
deployment: {strategy: shadow, promotion: manual}
"""

ON_DEVICE = """
designgrade: 1
title: Keyboard next word
problem:
  task: other
  objective: Save keystrokes
  metrics: {offline: [top1_recall], online: [tap_rate]}
  data: {labels: implicit}
components:
  keyboard: {kind: client, tech: tflite}
  aggregator: {kind: service, tech: secure_aggregation}
  training: {kind: training_pipeline, tech: tensorflow_federated, schedule: weekly}
  analytics: {kind: monitoring, tech: federated_analytics, performance: {metric: tap_rate}}
flows:
  - "keyboard -> aggregator: masked updates"
  - "aggregator -> training"
  - "keyboard -> analytics: aggregated metrics"
models:
  next_word: {role: generator, algorithm: lstm, baseline: ngram, trained_by: training, served_by: keyboard}
"""

FRAUD = """
designgrade: 1
title: Card fraud
problem:
  task: fraud_detection
  objective: Block fraud
  metrics: {offline: [pr_auc], online: [fraud_loss]}
  requirements: {freshness: realtime}
  data: {labels: delayed, label_delay: 60d, imbalance_handling: [class_weights]}
components:
  checkout: {kind: client, tech: web}
  scorer: {kind: online_serving, tech: fastapi}
  lake: {kind: data_lake, tech: s3}
  training: {kind: training_pipeline, tech: airflow, schedule: weekly}
  monitor: {kind: monitoring, tech: grafana, performance: {metric: pr_auc}}
flows:
  - "checkout -> scorer"
  - "scorer -> lake: decisions"
  - "lake -> training"
  - "training -> scorer"
  - "lake -> monitor"
models:
  fraud: {role: classifier, algorithm: xgboost, baseline: rules, trained_by: training, served_by: scorer}
"""

NO_MONITORING = FRAUD.replace('  monitor: {kind: monitoring, tech: grafana, performance: {metric: pr_auc}}\n', "") \
    .replace('  - "lake -> monitor"\n', "")


def kinds(text: str, level: str = "L6") -> dict[str, str]:
    report = lint_loaded("d.yaml", load_text(text), Options(level="L7"))
    return {q.kind: q.text for q in drill(report.analysis, report.findings, level=level, limit=None)}


@pytest.fixture(scope="module")
def designs():
    return {"ranking": kinds(yaml.safe_dump(base("ranking"))), "rag": kinds(yaml.safe_dump(base("rag"))),
            "nightly": kinds(NIGHTLY), "device": kinds(ON_DEVICE), "fraud": kinds(FRAUD),
            "unmonitored": kinds(NO_MONITORING)}


@pytest.mark.parametrize("kind, asked_of, not_asked_of, names", [
    ("dependency-failure", "ranking", "nightly", "'features'"),
    ("stale-features", "ranking", "nightly", "'events'"),
    ("cold-start", "ranking", "fraud", "'ranker'"),
    ("feedback-loop", "ranking", "fraud", "'ranker'"),
    ("label-delay", "nightly", "ranking", "90d"),
    ("censored-labels", "fraud", "ranking", "'fraud'"),
    ("peak-load", "ranking", "nightly", "'serving'"),
    ("rollback", "ranking", "nightly", "'serving'"),
    ("training-serving-skew", "ranking", "nightly", "'serving'"),
    ("cost", "ranking", "nightly", "'stream'"),
    ("privacy-deletion", "ranking", "device", "'lake'"),
    ("evaluation-without-ab", "nightly", "ranking", "experiment"),
    ("llm-failure", "rag", "ranking", "'vectors'"),
    ("batch-failure", "nightly", "ranking", "'scoring'"),
    ("upstream-change", "nightly", "ranking", "'product_db'"),
    ("threshold", "fraud", "ranking", "threshold"),
    ("latency-budget", "ranking", "nightly", "'serving'"),
    ("monitoring", "unmonitored", "fraud", "'fraud'"),
])
def test_each_kind_is_asked_only_where_its_facts_hold(designs, kind, asked_of, not_asked_of, names):
    assert kind in designs[asked_of], sorted(designs[asked_of])
    assert names in designs[asked_of][kind]  # in the design's own terms
    assert kind not in designs[not_asked_of], designs[not_asked_of].get(kind)


def test_a_design_without_a_model_gets_no_question():
    empty = "designgrade: 1\ntitle: e\nproblem: {task: recommendation}\ncomponents: {}\nflows: []\n"
    assert kinds(empty) == {}


def test_the_list_is_deterministic_ordered_limited_and_never_repeats():
    report = lint(EXAMPLES / "netflix-homepage.yaml", Options(level="L6"))
    first = drill(report.analysis, report.findings, level="L6", limit=5)
    again = drill(report.analysis, report.findings, level="L6", limit=5)
    assert first == again and len(first) == 5
    assert len({q.kind for q in first}) == 5 and len({q.text for q in first}) == 5
    everything = drill(report.analysis, report.findings, level="L6", limit=None)
    assert first == everything[:5]
    assert all(q.covers and q.source for q in everything)


def test_level_decides_what_comes_first_and_what_is_asked():
    report = lint(EXAMPLES / "netflix-homepage.yaml", Options(level="L6"))
    l5 = drill(report.analysis, report.findings, level="L5", limit=None)
    l6 = drill(report.analysis, report.findings, level="L6", limit=None)
    assert all(q.level in ("L4", "L5") for q in l5)
    assert any(q.level == "L6" for q in l6[:3])


def test_a_finding_moves_its_question_up():
    clean = list(kinds(yaml.safe_dump(base("ranking"))))
    slow = base("ranking")
    slow["components"]["serving"]["latency_ms"] = 400  # blows the 100 ms budget
    report = lint_loaded("d.yaml", load_text(yaml.safe_dump(slow)), Options(level="L7"))
    assert "latency-budget-exceeded" in {f.rule for f in report.findings}
    moved = [q.kind for q in drill(report.analysis, report.findings, level="L6", limit=None)]
    assert moved.index("latency-budget") < clean.index("latency-budget")


def test_the_examples_get_different_lists():
    lists = set()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        report = lint(path, Options(level="L6"))
        lists.add(tuple(q.text for q in drill(report.analysis, report.findings, level="L6")))
    assert len(lists) == len(list(EXAMPLES.glob("*.yaml")))
