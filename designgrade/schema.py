"""The JSON Schema of the design format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "urn:designgrade:schema:design:1"


def design_schema() -> dict[str, Any]:
    from .model import Design

    schema = Design.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def design_schema_text() -> str:
    return json.dumps(design_schema(), indent=2, ensure_ascii=False) + "\n"


RUBRIC_SCHEMA_ID = "urn:designgrade:schema:rubric:1"


def rubric_schema() -> dict[str, Any]:
    from .rubric.model import Rubric

    schema = Rubric.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": RUBRIC_SCHEMA_ID, **schema}


def rubric_schema_text() -> str:
    return json.dumps(rubric_schema(), indent=2, ensure_ascii=False) + "\n"
