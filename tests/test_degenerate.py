"""Designs with nothing to judge fail lint at L5 and score under 50 on both rubrics."""

from __future__ import annotations

import pytest

from designgrade.engine import Options, lint_text
from designgrade.grading import grade_text, load_rubric

EMPTY = "designgrade: 1\ntitle: Nothing yet\ncomponents: {}\nflows: []\n"

TINY = """
designgrade: 1
title: Recommendations
problem: {task: recommendation}
components:
  app: {kind: client}
  api: {kind: service}
flows: ["app -> api"]
"""

# Every kind of box a checklist looks for, wired end to end, and not one requirement,
# metric, objective or model that says why.
BOXES = """
designgrade: 1
title: Shopping feed
problem: {task: recommendation}
components:
  app: {kind: client, tech: ios}
  gateway: {kind: api_gateway, tech: envoy}
  serving: {kind: online_serving, tech: triton, hardware: gpu:a100}
  features: {kind: feature_store, tech: feast, online_store: redis, offline_store: s3}
  events: {kind: event_stream, tech: kafka}
  flink: {kind: stream_processor, tech: flink}
  lake: {kind: data_lake, tech: s3}
  spark: {kind: batch_processor, tech: spark, schedule: daily}
  training: {kind: training_pipeline, tech: kubeflow, schedule: daily}
  registry: {kind: model_registry, tech: mlflow}
  scoring: {kind: batch_inference, tech: spark, schedule: daily}
  kv: {kind: key_value_store, tech: redis}
  vectors: {kind: vector_db, tech: faiss}
  llm: {kind: llm, tech: openai, hosting: api}
  cache: {kind: semantic_cache, tech: redis}
  monitor: {kind: monitoring, tech: grafana}
  experiments: {kind: experimentation, tech: statsig}
flows:
  - "app -> gateway -> serving"
  - "serving -> features"
  - "serving -> kv"
  - "serving -> vectors"
  - "serving -> cache -> llm"
  - "app -> events"
  - "events -> flink -> features"
  - "events -> lake -> spark -> features"
  - "features -> training -> registry -> serving"
  - "registry -> scoring -> kv"
  - "lake -> scoring"
  - "events -> monitor"
  - "experiments -> serving"
"""


@pytest.mark.parametrize("text", [EMPTY, TINY, BOXES], ids=["empty", "tiny", "boxes-only"])
def test_fails_lint_at_l5_and_scores_under_50(text):
    report = lint_text(text, Options(level="L5"))
    assert report.failing("error"), [f.rule for f in report.findings]
    for name in ("l5", "l6"):
        score = grade_text(text, load_rubric(name)).score
        percent = 100 * score.points / score.max
        assert percent < 50, (name, percent)
        assert all(v == "below" for k, v in score.verdict.items() if k.startswith("L")), score.verdict
