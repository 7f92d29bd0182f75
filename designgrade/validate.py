"""Validate loaded data section by section, so one bad field never hides the rest.

Each component is validated with the model of its own kind; a bad value is reported and
dropped, and validation goes on with what is left, as rules.md asks ("Structure errors
do not stop the rest"). The result is a :class:`Design` built from what validated.
"""

from __future__ import annotations

import copy
import re
from typing import Any, NamedTuple, Optional, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from . import model as m
from .flows import FlowError, RawEdge, check_endpoints, parse_short

Path_ = tuple[Any, ...]
_ID = re.compile(m.COMPONENT_ID)

# Far above any design a person writes (docs/limits.md); past them the rest is not read.
MAX_COMPONENTS = 10_000
MAX_FLOWS = 50_000


class Issue(NamedTuple):
    """A schema violation: where it is and what to do about it."""

    path: Path_
    message: str
    component: Optional[str] = None


class Unresolved(m.ComponentBase):
    """A component whose kind could not be read: it exists for references, rules skip it."""

    kind: Optional[str] = None


class Validated(NamedTuple):
    design: m.Design
    edges: list[RawEdge]
    issues: list[Issue]


def did_you_mean(word: Any, choices: Any) -> str:
    if not isinstance(word, str):
        return ""
    import difflib  # only when there is something to suggest

    choices = list(choices)
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not match and len(word) >= 3:
        # a shortened name ('fraud' for fraud_detection) is as good a clue as a typo
        match = [c for c in choices if c.startswith(word.lower())][:1]
    return f"; did you mean '{match[0]}'?" if match else ""


def comma_hint(mapping: Any, key: Any) -> str:
    """Why ``key`` is there, when an unquoted comma made it: ``{purpose: images, uploads}``
    is ``purpose: images`` plus a key ``uploads`` with no value."""
    from .loader import is_bare

    found = next((k for k in mapping if k == key), None) if isinstance(mapping, dict) else None
    if not is_bare(found):
        return ""
    keys = list(mapping)
    before = keys[keys.index(found) - 1] if keys.index(found) > 0 else None
    if (before is not None and isinstance(mapping[before], int) and not isinstance(mapping[before], bool)
            and re.fullmatch(r"\d{3}(\.\d+)?", str(key))):
        from .units import parse_quantity

        written = f"{mapping[before]},{key}"
        advice = "write the number without the comma"
        try:
            parse_quantity(written)
        except ValueError as exc:
            advice = str(exc).split("; ", 1)[-1]
        return f": '{before}: {written}' was read as {before}: {mapping[before]} and a key '{key}'; {advice}"
    if before is not None and isinstance(mapping[before], (str, int, float)) and not isinstance(mapping[before], bool):
        return (f": inside {{...}} a comma ends an entry, so '{before}: {mapping[before]}, {key}' was read as two; "
                f"quote the value: {before}: \"{mapping[before]}, {key}\"")
    return ": inside {...} a comma ends an entry, and this one has no ':'; quote any text that holds a comma"


def suggest_kind(kind: Any) -> str:
    """For a technology written as a kind (``kind: kafka``): the kind it is, and its tech."""
    from .techs import normalize, techs_for

    if not isinstance(kind, str) or not kind.strip():
        return ""
    tech = normalize(kind)
    kinds = [k for k in m.KINDS if tech in techs_for(k)]
    if not kinds:
        return ""
    options = " or ".join(f"'{k}'" for k in kinds[:3])
    return f"; {kind} is a technology: write kind: {options} with tech: {tech}"


def show(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def validate(data: Any) -> Validated:
    issues: list[Issue] = []
    empty = m.Design.model_construct(
        designgrade=1, title=None, level="L5", problem=None, components={}, flows=[],
        models=None, deployment=None, tradeoffs=[], notes=None,
    )
    if data is None:
        issues.append(Issue((), "the file is empty; a design needs designgrade, title, problem, "
                                "components and flows (designgrade init writes a starter)"))
        return Validated(empty, [], issues)
    if not isinstance(data, dict):
        issues.append(Issue((), f"the top level is a {_type_name(data)}, but a design is a mapping "
                                "with the keys designgrade, title, problem, components and flows"))
        return Validated(empty, [], issues)

    for key in data:
        if key not in m.TOP_LEVEL_KEYS:
            issues.append(Issue((key,), f"unknown top-level key '{key}'"
                                        f"{comma_hint(data, key) or did_you_mean(key, m.TOP_LEVEL_KEYS)}"
                                        f" (the keys are {', '.join(m.TOP_LEVEL_KEYS)})"))
    for key in m.REQUIRED_TOP_LEVEL:
        if key not in data:
            issues.append(Issue((), f"the design has no '{key}'; add it at the top level"))

    header_data = {k: data[k] for k in ("designgrade", "title", "level", "notes") if k in data}
    header = validate_section(m.DesignHeader, header_data, (), issues,
                      defaults={"designgrade": 1, "title": "(untitled)"}, report_missing=False)
    problem = validate_section(m.Problem, data.get("problem"), ("problem",), issues, defaults={"task": "other"},
                       optional="problem" not in data)
    components = _components(data.get("components"), issues)
    edges = _flows(data.get("flows"), issues)
    models = None
    if data.get("models") is not None:
        models = {}
        if isinstance(data["models"], dict):
            for name, value in data["models"].items():
                parsed = validate_section(m.Model, value, ("models", name), issues)
                if parsed is not None:
                    models[str(name)] = parsed
        else:
            issues.append(Issue(("models",), "models must be a mapping from a model id to a model"))
    deployment = validate_section(m.Deployment, data.get("deployment"), ("deployment",), issues, optional=True)
    tradeoffs = []
    raw_tradeoffs = data.get("tradeoffs")
    if isinstance(raw_tradeoffs, list):
        for index, value in enumerate(raw_tradeoffs):
            parsed = validate_section(m.Tradeoff, value, ("tradeoffs", index), issues)
            if parsed is not None:
                tradeoffs.append(parsed)
    elif raw_tradeoffs is not None:
        issues.append(Issue(("tradeoffs",), "tradeoffs must be a list of {rule, why}"))

    design = m.Design.model_construct(
        designgrade=1,
        title=header.title if header else None,
        level=header.level if header else "L5",
        notes=header.notes if header else None,
        problem=problem,
        components=components,
        flows=[],
        models=models,
        deployment=deployment,
        tradeoffs=tradeoffs,
    )
    return Validated(design, edges, issues)


def _type_name(value: Any) -> str:
    return {list: "list", dict: "mapping", str: "string", int: "number", float: "number",
            bool: "boolean", type(None): "null"}.get(type(value), type(value).__name__)


def _components(raw: Any, issues: list[Issue]) -> dict[str, m.ComponentBase]:
    components: dict[str, m.ComponentBase] = {}
    if raw is None:
        return components
    if not isinstance(raw, dict):
        issues.append(Issue(("components",), "components must be a mapping from an id to a component"))
        return components
    if len(raw) > MAX_COMPONENTS:
        issues.append(Issue(("components",), f"the design has {len(raw):,} components; designgrade reads the "
                                             f"first {MAX_COMPONENTS:,} (docs/limits.md)"))
        raw = dict(list(raw.items())[:MAX_COMPONENTS])
    for cid, value in raw.items():
        cid = str(cid)
        path = ("components", cid)
        if cid in ("", "null", "~"):
            issues.append(Issue(path, "a component has no id before its ':'; give it one such as feature_store", cid))
        elif not _ID.match(cid):
            issues.append(Issue(path, f"the component id '{cid}' must be lowercase letters, digits, "
                                      "'_' or '-', starting with a letter (e.g. feature_store)", cid))
        if not isinstance(value, dict):
            issues.append(Issue(path, f"component '{cid}' must be a mapping with at least a kind", cid))
            components[cid] = Unresolved.model_construct(kind=None)
            continue
        kind = value.get("kind")
        if kind not in m.KIND_MODELS:
            where = path + ("kind",) if "kind" in value else path
            if "kind" not in value:
                text = f"component '{cid}' has no kind; add kind: one of {', '.join(m.KINDS)}"
            else:
                hint = suggest_kind(kind) or did_you_mean(kind, m.KINDS) or f" (kinds: {', '.join(m.KINDS)})"
                text = f"unknown kind {show(kind)} for component '{cid}'{hint}"
            issues.append(Issue(where, text, cid))
            components[cid] = Unresolved.model_construct(kind=None)
            continue
        parsed = validate_section(m.KIND_MODELS[kind], value, path, issues, component=cid)
        components[cid] = parsed if parsed is not None else Unresolved.model_construct(kind=None)
    return components


def _flows(raw: Any, issues: list[Issue]) -> list[RawEdge]:
    edges: list[RawEdge] = []
    if raw is None:
        return edges
    if not isinstance(raw, list):
        issues.append(Issue(("flows",), "flows must be a list of edges such as \"events -> lake\""))
        return edges
    if len(raw) > MAX_FLOWS:
        issues.append(Issue(("flows",), f"the design has {len(raw):,} flows; designgrade reads the first "
                                        f"{MAX_FLOWS:,} (docs/limits.md)"))
        raw = raw[:MAX_FLOWS]
    for index, item in enumerate(raw):
        path: Path_ = ("flows", index)
        try:
            if isinstance(item, str):
                edges.extend(parse_short(item, path))
            elif isinstance(item, dict) and len(item) == 1 and "->" in str(next(iter(item))):
                (text, label), = item.items()
                if label is not None and not isinstance(label, (str, int, float)):
                    raise FlowError(f"the label of {text!r} must be text")
                edges.extend(parse_short(str(text), path + (text,), None if label is None else str(label)))
            elif isinstance(item, dict):
                flow = validate_section(m.Flow, item, path, issues)
                if flow is not None:
                    check_endpoints(flow.from_, flow.to, f"{flow.from_} -> {flow.to}")
                    edges.append(RawEdge(flow.from_, flow.to, flow.label, flow.mode, flow.latency_ms, path,
                                         f"{flow.from_} -> {flow.to}"))
            else:
                raise FlowError(f"a flow is text like \"a -> b\" or a mapping with from and to, "
                                f"not a {_type_name(item)}")
        except FlowError as exc:
            issues.append(Issue(path, str(exc)))
    return edges


def validate_section(model: type[BaseModel], value: Any, path: Path_, issues: list[Issue], *,
             defaults: Optional[dict[str, Any]] = None, optional: bool = True,
             report_missing: bool = True, component: Optional[str] = None) -> Any:
    """Validate one section; report each error once, drop bad values and keep the rest."""
    if value is None:
        if not optional:
            issues.append(Issue(path, f"'{dotted(path)}' is empty; fill it in", component))
        return None
    if not isinstance(value, dict):
        issues.append(Issue(path, f"'{dotted(path)}' must be a mapping, not a {_type_name(value)}", component))
        return None
    data = copy.deepcopy(value)
    seen: set[Path_] = set()
    for _ in range(5):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        removals: list[Path_] = []
        unrecoverable = False
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "missing":
                name = loc[0] if len(loc) == 1 else None
                if name is not None and defaults and name in defaults:
                    if report_missing and loc not in seen:
                        issues.append(Issue(path, _message(model, path, loc, error, data), component))
                    data[name] = defaults[name]
                    seen.add(loc)
                    continue
                if loc not in seen:
                    seen.add(loc)
                    issues.append(Issue(path + _existing(data, loc[:-1]), _message(model, path, loc, error, data),
                                        component))
                unrecoverable = True
                continue
            existing = _existing(data, loc)
            if existing not in seen:
                seen.add(existing)
                issues.append(Issue(path + existing, _message(model, path, loc, error, data), component))
            removals.append(existing)
        if unrecoverable or not removals:
            return None
        for target in sorted(set(removals), key=lambda p: [str(x) for x in p], reverse=True):
            _delete(data, target)
    return None


def _existing(data: Any, loc: Path_) -> Path_:
    """The longest prefix of a pydantic location that exists in the data (unions add type names)."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        out.append(part)
    return tuple(out)


def _delete(data: Any, path: Path_) -> None:
    if not path:
        return
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]


def _message(model: type[BaseModel], base: Path_, loc: Path_, error: dict[str, Any], data: Any = None) -> str:
    kind = error["type"]
    field_name = next((str(p) for p in reversed(loc) if isinstance(p, str) and not _is_type_tag(p)), "value")
    where = dotted(base + tuple(p for p in loc if not _is_type_tag(p)))
    if kind == "missing":
        parent = dotted(base + loc[:-1])
        return f"'{parent}' needs '{loc[-1]}'; add it"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        parent = _value_at(data, loc[:-1])
        hint = comma_hint(parent, loc[-1]) or did_you_mean(loc[-1], allowed)
        listing = f" (allowed here: {', '.join(allowed)})" if allowed and not hint else ""
        return f"unknown key '{loc[-1]}' in '{dotted(base + loc[:-1])}'{hint}{listing}"
    value = error.get("input")
    if kind == "literal_error":
        choices = _choices(error)
        if base + loc == ("designgrade",):
            return (f"designgrade: {show(value)} is not a format version this designgrade reads; "
                    f"write designgrade: {' or '.join(choices)}")
        if len(choices) == 1:
            return f"{show(value)} is not a valid {field_name} at '{where}'; it must be {choices[0]}"
        return (f"{show(value)} is not a valid {field_name} at '{where}'{did_you_mean(value, choices)}"
                f" (one of: {', '.join(choices)})")
    if kind == "string_pattern_mismatch":
        return f"{show(value)} is not a valid {field_name} at '{where}': {_pattern_hint(field_name)}"
    text = str(error.get("msg", "invalid value"))
    text = text.removeprefix("Value error, ")
    got = "" if "got " in text or repr(value) in text else f" (got {show(value)})"
    return f"'{where}': {text[:1].lower() + text[1:]}{got}"


def _choices(error: dict[str, Any]) -> list[str]:
    """The allowed values of a Literal, from pydantic's "'a', 'b' or 'c'" (or "1")."""
    expected = str(error.get("ctx", {}).get("expected", ""))
    quoted = re.findall(r"'([^']*)'", expected)
    return quoted or [part for part in re.split(r",\s*|\s+or\s+", expected) if part]


def _value_at(data: Any, loc: Path_) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif _is_type_tag(part):
            continue
        else:
            return None
    return node


def _pattern_hint(field_name: str) -> str:
    return {
        "hardware": "use cpu, gpu, or gpu:<model> such as gpu:t4",
        "schedule": "use a cron expression such as '0 3 * * *', or hourly, daily, weekly, on_trigger",
    }.get(field_name, "check its format in docs/design-format.md")


def _is_type_tag(part: Any) -> bool:
    # Union branches appear in pydantic locations as type names such as 'str' or 'dict[str,...]'.
    return isinstance(part, str) and (part in {"str", "int", "float", "bool"} or "[" in part)


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names of the (nested) model that a location points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or _is_type_tag(part):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, list, dict) or get_args(annotation):
        for arg in get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
