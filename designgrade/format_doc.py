"""docs/design-format.md, generated from the models (``designgrade schema --format markdown``)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from . import model as m
from . import units

_INTRO = """\
# The design format, version 1

Generated from `designgrade/model.py` by `designgrade schema --format markdown`; a test
fails when this file drifts. The JSON Schema (`designgrade schema`,
`schemas/design.schema.json`) comes from the same models.

A design is one YAML file, UTF-8, one document. Unknown keys are errors (with a
did-you-mean), so a typo never passes silently. Values written `a | b` are closed enums;
other text (tech, metric names, ...) is open. Quantities take `k`, `M`, `B` suffixes
(`50k`, `1.5M`); durations take `ms`, `s`, `m`, `h`, `d`, `w` (`200ms`, `30d`).

Where the contract was silent, designgrade chose:
- a flow from a component to itself is a schema violation;
- a bare number as a duration means seconds;
- YAML dates, binary values and anchors/merge keys are read; any other tag
  (`!!python/...`) is refused, never executed;
- a file over 1 MiB, nesting deeper than 64 levels or expanding to more than 200,000
  values (alias bombs) is refused as invalid-yaml;
- a component whose kind is unknown keeps its id, so flows to it are not reported
  twice, but rules skip it.

## Flows

A list of directed edges. Short form `"events -> lake"`, with a label
`"events -> lake: raw clicks"`, chains `"client -> lb -> serving"`. Unquoted,
`- events -> lake: raw clicks` is a one-key mapping in YAML and is read the same way.
The long form is a mapping (see Flow below). Mode inference for short-form flows, first
match wins: into or out of an event_stream or stream_processor: `stream`; monitoring to
training_pipeline: `trigger`; client into a source_db, data_lake or data_warehouse:
`batch`; out of a client, or between two online-path kinds: `request`; else `batch`.
"""


def _type(annotation: Any) -> str:
    special = {units.Quantity: "quantity (50k, 1.5M)", units.Duration: "duration (200ms, 30d)",
               units.Millis: "milliseconds", m.Schedule: "schedule (cron, hourly, daily, weekly, on_trigger)",
               m.Hardware: "`cpu` \\| `gpu` \\| `gpu:<model>`", m.ComponentId: "component id"}
    for key, text in special.items():
        if annotation is key:
            return text
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin is typing.Union:
        parts = [_type(a) for a in args if a is not type(None)]
        return " or ".join(parts)
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"mapping of {_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return getattr(annotation, "__name__", str(annotation))


_OVERRIDES = {
    ("Design", "components"): "mapping of component id to a component (see [Components](#components))",
    ("Design", "flows"): "list of flows (see [Flows](#flows))",
}


def _table(model: type[BaseModel], skip: tuple[str, ...] = ()) -> list[str]:
    rows = ["| field | type | required | description |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        key = info.alias or name
        required = "yes" if info.is_required() else ""
        description = (info.description or "").replace("|", "\\|")
        shown = _OVERRIDES.get((model.__name__, key)) or _type(info.annotation)
        rows.append(f"| `{key}` | {shown} | {required} | {description} |")
    return rows


def format_markdown() -> str:
    out = [_INTRO]
    for title, model in (("Design (top level)", m.Design), ("Problem", m.Problem), ("Metrics", m.Metrics),
                         ("Requirements", m.Requirements), ("DataSpec", m.DataSpec), ("Flow", m.Flow),
                         ("Model", m.Model), ("Deployment", m.Deployment), ("Gate", m.Gate),
                         ("Tradeoff", m.Tradeoff)):
        out += [f"## {title}" if title == model.__name__ else f"## {model.__name__}", ""]
        if model.__doc__ and title == "Flow":
            out += ["The long form of an edge.", ""]
        out += _table(model) + [""]
    out += ["## Components", "",
            "`components` maps an id (lowercase letters, digits, `_`, `-`, starting with a letter) to a "
            "component. Every component has `kind` and may have these common fields:", ""]
    out += _table(m.ComponentBase) + [""]
    out += ["Each kind adds its own fields:", "", "| kind | fields of its kind |", "|---|---|"]
    common = set(m.ComponentBase.model_fields) | {"kind"}
    for kind, model in m.KIND_MODELS.items():
        own = [f"`{n}`" for n in model.model_fields if n not in common]
        out.append(f"| `{kind}` | {', '.join(own) or '—'} |")
    out.append("")
    nested = (m.Feature, m.Evaluation, m.Autoscaling, m.DataDrift, m.Performance)
    for model in [mod for mod in m.COMPONENT_MODELS if set(mod.model_fields) - common] + list(nested):
        out += [f"### {model.__name__}", ""] + _table(model, skip=tuple(common)) + [""]
    return "\n".join(out).rstrip() + "\n"


_RUBRIC_INTRO = """\
# The rubric format, version 1

Generated from `designgrade/rubric/model.py` by `designgrade schema --rubric --format
markdown`; the JSON Schema (`designgrade schema --rubric`, `schemas/rubric.schema.json`)
comes from the same models. How a rubric scores: [grading.md](grading.md).

A rubric is one YAML file. Unknown keys are errors (with a did-you-mean); section weights
sum to 100; `designgrade check-rubric FILE` reports every problem with line:column.
"""


def rubric_markdown() -> str:
    """The rubric format as Markdown tables, one per model."""
    from .rubric import model as r

    out = [_RUBRIC_INTRO]
    for model in (r.Rubric, r.Section, r.Criterion, r.Bar, r.Check, r.Match, r.PathSpec):
        out += [f"## {model.__name__}", ""] + _table(model) + [""]
    return "\n".join(out).rstrip() + "\n"
