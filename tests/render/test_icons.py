"""Icons (designgrade/render/icons.py, icondata.py): every one exists, is prepared, and
each role has a glyph of its own."""

from __future__ import annotations

import importlib
import io
import os

import pytest

from designgrade.model import KINDS
from designgrade.render.icondata import ICONS, SIZE, SOURCES
from designgrade.render.icons import (
    GHOST_ICON, GLYPHS, KIND_ICONS, TECH_ICONS, UNKNOWN_ICON, all_icons, has_own_icon, icon_path, icon_png,
    resource_file,
)

PNG = b"\x89PNG\r\n\x1a\n"


def test_every_icon_named_is_prepared():
    assert set(all_icons()) == set(ICONS) == set(SOURCES)
    for path in all_icons():
        data = icon_png(path)
        assert data and data.startswith(PNG), path


def test_prepared_icons_are_one_small_size():
    pil = pytest.importorskip("PIL.Image")
    for path in all_icons():
        image = pil.open(io.BytesIO(icon_png(path) or b""))
        assert image.size == (SIZE, SIZE), path
        alpha = image.convert("RGBA").getchannel("A")
        box = alpha.getbbox()
        assert box is not None
        # The artwork fills the square up to the same margin, whatever the original padding.
        assert max(box[2] - box[0], box[3] - box[1]) >= SIZE - 12, path
    assert sum(len(icon_png(p) or b"") for p in all_icons()) / len(all_icons()) < 3000


def test_glyphs_are_one_colour():
    pil = pytest.importorskip("PIL.Image")
    for path in GLYPHS:
        image = pil.open(io.BytesIO(icon_png(path) or b"")).convert("RGBA")
        colours = {px[:3] for px in image.get_flattened_data() if px[3] > 40}
        assert len(colours) <= 2, path  # the slate, and maybe a rounding neighbour


def test_every_kind_has_a_glyph_of_its_own():
    assert set(KINDS) <= set(KIND_ICONS)
    assert len(set(KIND_ICONS.values())) == len(KIND_ICONS), "two roles share a glyph"
    assert {UNKNOWN_ICON, GHOST_ICON}.isdisjoint(KIND_ICONS.values())


@pytest.mark.parametrize("path", all_icons())
def test_every_icon_comes_from_the_installed_diagrams(path):
    pytest.importorskip("diagrams")
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(f"diagrams.{module}"), name)
    assert SOURCES[path] == f"{cls._icon_dir.removeprefix('resources/')}/{cls._icon}"
    file = resource_file(path)
    assert file is not None and os.path.isfile(file)


@pytest.mark.parametrize("tech", [
    "kafka", "airflow", "kubeflow", "redis", "dynamodb", "s3", "spark", "flink", "bigquery",
    "snowflake", "sagemaker", "fastapi", "docker", "kubernetes", "prometheus", "grafana", "qdrant",
    "bedrock", "Spark-Streaming", "Vertex AI",
])
def test_known_techs_have_their_own_icon(tech):
    assert has_own_icon(tech)


@pytest.mark.parametrize("kind,tech", [
    ("feature_store", "feast"), ("monitoring", "evidently"), ("online_serving", "triton"),
    ("vector_db", "pinecone"), ("llm", "openai"), ("training_pipeline", None),
    # MLflow's artwork is white on clear and vanished on white: its role's glyph stands in.
    ("model_registry", "mlflow"), ("experiment_tracking", "mlflow"),
])
def test_techs_without_a_usable_icon_get_their_kinds_glyph(kind, tech):
    assert icon_path(kind, tech) == KIND_ICONS[kind]


def test_tech_icons_win_and_client_techs_stay_on_clients():
    assert icon_path("event_stream", "Kafka") == "onprem.queue.Kafka"
    assert icon_path("client", "ios") == "generic.device.Mobile"
    assert icon_path("service", "web") == KIND_ICONS["service"]
    assert icon_path(None, None) == UNKNOWN_ICON
    assert set(TECH_ICONS.values()) <= set(all_icons())
