"""Generated designs of any size, for the layout checks and the render bench.

A design of ``n`` components looks like a large real one: a few clients, a request path
through gateways and services, serving with key-value stores, streams and lakes feeding
processors and feature stores, training pipelines with registries, and monitoring and
experiments, wired with every flow mode and labels of realistic length. The same ``n``
and ``seed`` always give the same design.
"""

from __future__ import annotations

import random

import yaml

# kind, tech, share of the components
_MIX = (
    ("client", "web", 0.04),
    ("api_gateway", "kong", 0.04),
    ("service", "java", 0.10),
    ("online_serving", "fastapi", 0.08),
    ("key_value_store", "redis", 0.06),
    ("event_stream", "kafka", 0.08),
    ("data_lake", "s3", 0.06),
    ("source_db", "postgres", 0.05),
    ("stream_processor", "flink", 0.07),
    ("batch_processor", "spark", 0.08),
    ("data_validation", "great_expectations", 0.05),
    ("feature_store", "feast", 0.05),
    ("training_pipeline", "kubeflow", 0.07),
    ("model_registry", "mlflow", 0.04),
    ("batch_inference", "airflow", 0.03),
    ("monitoring", "evidently", 0.05),
    ("experimentation", "statsig", 0.05),
)
_WORDS = ("events", "features", "scores", "model_version", "labels", "daily snapshot", "clicks + views",
          "embeddings", "predictions", "audit trail", "profiles", "top-k candidates")


def design(n: int, seed: int = 7, title: str = "") -> str:
    """The YAML text of a design with ``n`` components."""
    rng = random.Random(seed)
    counts = {kind: max(1, round(n * share)) for kind, _, share in _MIX}
    while sum(counts.values()) > n:
        biggest = max(counts, key=lambda k: counts[k])
        counts[biggest] -= 1
    while sum(counts.values()) < n:
        counts["service"] += 1
    components: dict[str, dict[str, object]] = {}
    by_kind: dict[str, list[str]] = {}
    for kind, tech, _ in _MIX:
        for i in range(counts[kind]):
            cid = f"{kind}_{i + 1}"
            body: dict[str, object] = {"kind": kind, "tech": tech}
            if i % 3 == 1:
                body["label"] = f"{kind.replace('_', ' ').title()} number {i + 1}"
            components[cid] = body
            by_kind.setdefault(kind, []).append(cid)

    flows: list[object] = []

    def pick(kind: str) -> str:
        return rng.choice(by_kind[kind])

    def add(src: str, dst: str, mode: str | None = None) -> None:
        if src == dst:
            return
        label = rng.choice(_WORDS) if rng.random() < 0.5 else None
        if mode:
            flows.append({"from": src, "to": dst, "mode": mode, **({"label": label} if label else {})})
        else:
            flows.append(f"{src} -> {dst}" + (f": {label}" if label else ""))

    for client in by_kind["client"]:
        add(client, pick("api_gateway"))
    for gateway in by_kind["api_gateway"]:
        add(gateway, pick("service"))
    for service in by_kind["service"]:
        add(service, pick("online_serving") if rng.random() < 0.6 else pick("service"))
        if rng.random() < 0.5:
            add(service, pick("event_stream"))
    for serving in by_kind["online_serving"]:
        add(serving, pick("key_value_store"))
        add(serving, pick("feature_store"), "request")
        add(serving, pick("event_stream"))
    for stream in by_kind["event_stream"]:
        add(stream, pick("stream_processor"))
        add(stream, pick("data_lake"))
    for db in by_kind["source_db"]:
        add(db, pick("event_stream"))
    for proc in by_kind["stream_processor"]:
        add(proc, pick("feature_store"))
    for lake in by_kind["data_lake"]:
        add(lake, pick("data_validation"))
    for check in by_kind["data_validation"]:
        add(check, pick("batch_processor"))
    for proc in by_kind["batch_processor"]:
        add(proc, pick("feature_store") if rng.random() < 0.6 else pick("data_lake"))
    for store in by_kind["feature_store"]:
        add(store, pick("training_pipeline"))
    for trainer in by_kind["training_pipeline"]:
        add(trainer, pick("model_registry"))
    for registry in by_kind["model_registry"]:
        add(registry, pick("online_serving"))
        add(registry, pick("batch_inference"))
    for job in by_kind["batch_inference"]:
        add(job, pick("key_value_store"))
    for watch in by_kind["monitoring"]:
        add(pick("event_stream"), watch)
        add(watch, pick("training_pipeline"), "trigger")
    for test in by_kind["experimentation"]:
        add(pick("event_stream"), test)
        add(test, pick("service"), "batch")

    doc = {
        "designgrade": 1,
        "title": title or f"Generated design with {n} components",
        "level": "L6",
        "problem": {"task": "recommendation", "objective": "Rank items people engage with",
                    "metrics": {"offline": ["ndcg@10"], "online": ["ctr"]}},
        "components": components,
        "flows": flows,
    }
    return yaml.safe_dump(doc, sort_keys=False)
