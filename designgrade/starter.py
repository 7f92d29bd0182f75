"""`designgrade init`: a commented starter design for a task.

The starter follows the interview framework's four steps. It is valid against the
format, so `lint` answers it with "to do" findings (what is missing) rather than
structure errors; each field is explained in a comment.
"""

from __future__ import annotations

import json
from typing import Literal

from .model import Task

TASKS: tuple[str, ...] = Task.__args__  # type: ignore[attr-defined]

_BATCH_TASKS = frozenset({"recommendation", "forecasting"})
_LLM_TASKS = frozenset({"llm_rag", "llm_assistant"})
_IMBALANCED = frozenset({"fraud_detection", "ads_ctr", "content_moderation", "anomaly_detection"})
_FRESHNESS = {"recommendation": "daily", "forecasting": "daily", "fraud_detection": "realtime",
              "ads_ctr": "realtime", "eta": "realtime", "search": "seconds", "llm_rag": "hourly",
              "llm_assistant": "hourly"}

Serving = Literal["batch", "online", "llm"]


def serving_style(task: str) -> Serving:
    if task in _LLM_TASKS:
        return "llm"
    return "batch" if task in _BATCH_TASKS else "online"


LEVEL_NOTES = {
    "L4": "a complete pipeline that works end to end",
    "L5": "one feature definition, a serving mode that fits, monitoring and retraining",
    "L6": "L5 plus guardrails, data validation, fallbacks, safe rollout and drift-triggered retraining",
    "L7": "L6 plus the cost and organisation-wide trade-offs you will be asked to defend",
}


def starter(task: str, title: str = "", schema_path: str | None = None, level: str = "L5") -> str:
    """The starter text; ``schema_path`` (relative to the design) adds the editor modeline.

    Its parts follow the four steps of the interview, each under its own header: the
    objective, the data pipeline, the model, then serving and monitoring.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    level = level.upper()
    if level not in LEVEL_NOTES:
        raise ValueError(f"unknown level {level!r}")
    style = serving_style(task)
    title = title or f"My {task.replace('_', ' ')} design"
    modeline = (f"# yaml-language-server: $schema={schema_path}" if schema_path else
                "# Editor completion: `designgrade schema > design.schema.json`, then make the first line\n"
                "# `# yaml-language-server: $schema=design.schema.json`.")
    staff = level in ("L6", "L7")
    lines = [
        modeline,
        f"# A starter {task} design. Run `designgrade lint` on it: each finding is a to-do, with",
        "# why it matters and how to fix it (`designgrade explain SLUG` says more).",
        "designgrade: 1",
        f"title: {json.dumps(title)}",
        f"level: {level}                     # {LEVEL_NOTES[level]}",
        "",
        "# --- Step 1: the business objective and how success is measured -------------------",
        "problem:",
        f"  task: {task}",
        "  objective: \"\"              # TODO: the business outcome, e.g. more long-term watch time",
        "  metrics:",
        "    business: []              # TODO: what the business tracks (revenue, retention)",
        "    offline: []               # TODO: what model evaluation reads (ndcg@10, pr_auc, mae)",
        "    online: []                # TODO: what an A/B test reads (ctr, conversion)",
        f"    guardrails: []            # TODO{'' if staff else ' (L6)'}: what must not get worse (p99_latency, complaints)",
        "  requirements:",
        f"    freshness: {_FRESHNESS.get(task, 'minutes'):<18}# realtime | seconds | minutes | hourly | daily | weekly",
        f"    latency_p99_ms: {3000 if style == 'llm' else 200:<14}# the end-to-end p99 budget of one request",
        "    peak_qps: 1k              # quantities take k, M, B suffixes",
        "  data:",
        "    labels: implicit          # explicit | implicit | delayed | none",
    ]
    if task in _IMBALANCED:
        lines += ["    class_imbalance: true",
                  "    imbalance_handling: []    # TODO: negative_downsampling, class_weights, ..."]
    lines += [
        "",
        "components:",
        "  # --- Step 2: the data pipeline and features -----------------------------------",
        "  app: {kind: client, tech: web}",
        "  events: {kind: event_stream, tech: kafka}      # user events and prediction logs",
        "  lake: {kind: data_lake, tech: s3}",
        "  # TODO: a feature store, so training and serving read one definition of each feature",
        "",
        "  # --- Step 3: the model: how it is trained (its card is under models: below) ----",
        "  training:",
        "    kind: training_pipeline",
        "    tech: airflow",
        "    schedule: on_trigger                          # TODO: daily, or a drift trigger from monitoring",
        "",
        "  # --- Step 4: serving and monitoring (half of the interview) ---------------------",
    ]
    if style == "batch":
        lines += [
            "  scoring: {kind: batch_inference, tech: airflow, schedule: daily}",
            "  predictions: {kind: key_value_store, tech: redis, latency_ms: 5}   # read at O(1)",
            "  api: {kind: service, tech: fastapi, latency_ms: 20}",
        ]
        serving_flows = ['  - "app -> api -> predictions"', '  - "lake -> scoring -> predictions"']
        served_by = "scoring"
    elif style == "online":
        lines += [
            "  serving:",
            "    kind: online_serving",
            "    tech: fastapi",
            "    latency_ms: 50                                # its share of the p99 budget",
        ]
        serving_flows = ['  - "app -> serving"', '  - "serving -> events: predictions"']
        served_by = "serving"
    else:
        lines += [
            "  api: {kind: service, tech: fastapi, latency_ms: 20}",
            "  assistant: {kind: llm, tech: openai, hosting: api, latency_ms: 1500}",
        ]
        serving_flows = ['  - "app -> api -> assistant"', '  - "api -> events: prompts and answers"']
        served_by = "assistant"
    lines.append("  # TODO: monitoring of inputs, predictions and latency, with thresholds and alerts")
    lines += [
        "",
        "flows:                          # \"from -> to: label\"; modes are inferred from the kinds",
        "  # Step 2: data",
        '  - "app -> events: clicks"',
        '  - "events -> lake"',
        "  # Step 3: training",
        '  - "lake -> training"',
        "  # Step 4: serving",
    ]
    lines += serving_flows
    role = ('generator' if style == 'llm' else
            'ranking' if task in ('recommendation', 'ranking', 'search') else 'classifier')
    lines += [
        "",
        "# --- Step 3 (continued): the model card; keep it brief --------------------------",
        "models:",
        "  main:",
        f"    role: {role}",
        "    algorithm: xgboost                            # a baseline, then one model, justified",
        "    baseline: \"\"                                  # TODO: the simple model it must beat",
        "    trained_by: training",
        f"    served_by: {served_by}",
        "",
        "# tradeoffs:                    # acknowledge a finding you chose on purpose, with a reason",
        "#   - rule: overbuilt-realtime-serving",
        "#     why: In-session signals change the ranking within a visit.",
    ]
    return "\n".join(lines) + "\n"
