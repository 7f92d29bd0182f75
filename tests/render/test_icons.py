"""The icon table (designgrade/render/icons.py) against the installed diagrams."""

from __future__ import annotations

import os

import pytest

from designgrade.model import KINDS
from designgrade.render.icons import (
    DEFAULT_ICON, KIND_ICONS, TECH_ICONS, has_own_icon, icon_class, icon_path,
)

diagrams = pytest.importorskip("diagrams")
RESOURCES = os.path.join(os.path.dirname(os.path.dirname(diagrams.__file__)), "resources")


@pytest.mark.parametrize("path", sorted(set(TECH_ICONS.values()) | set(KIND_ICONS.values()) | {DEFAULT_ICON}))
def test_every_class_path_imports_and_has_an_icon_file(path):
    cls = icon_class(path)
    icon = os.path.join(RESOURCES, cls._icon_dir.removeprefix("resources/"), cls._icon)
    assert os.path.isfile(icon), icon


def test_every_kind_has_a_fallback_icon():
    assert set(KINDS) <= set(KIND_ICONS)


@pytest.mark.parametrize("tech", [
    "kafka", "airflow", "kubeflow", "mlflow", "redis", "dynamodb", "s3", "spark", "flink", "bigquery",
    "snowflake", "sagemaker", "fastapi", "docker", "kubernetes", "prometheus", "grafana", "qdrant",
    "bedrock", "Spark-Streaming", "Vertex AI",
])
def test_known_techs_have_their_own_icon(tech):
    assert has_own_icon(tech)


@pytest.mark.parametrize("kind,tech", [
    ("feature_store", "feast"), ("monitoring", "evidently"), ("online_serving", "triton"),
    ("online_serving", "tensorrt"), ("online_serving", "onnx"), ("vector_db", "pinecone"),
    ("vector_db", "milvus"), ("llm", "openai"), ("training_pipeline", None),
])
def test_techs_without_an_icon_get_their_kinds_icon(kind, tech):
    assert not has_own_icon(tech)
    assert icon_path(kind, tech) == KIND_ICONS[kind]


def test_tech_icons_win_and_client_techs_stay_on_clients():
    assert icon_path("event_stream", "Kafka") == "onprem.queue.Kafka"
    assert icon_path("client", "ios") == "generic.device.Mobile"
    assert icon_path("service", "web") == KIND_ICONS["service"]
    assert icon_path(None, None) == DEFAULT_ICON
