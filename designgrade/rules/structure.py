"""Structure rules (DG0xx): is this a well-formed design the other rules can read?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.problem import metric_parts, names_metric
from ..outcome import Violation, check, missing, not_applicable, satisfied, violated
from ..registry import all_rules, canonical, find_rule, rule
from ..techs import is_known_tech, techs_for
from ..validate import did_you_mean
from .common import quote_ids

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..outcome import Outcome

TRAINERS = ("training_pipeline", "batch_processor", "stream_processor")
SERVERS = ("online_serving", "batch_inference", "llm", "embedding_model", "client", "service", "vector_db")


@rule(code="DG001", slug="invalid-yaml", pillar="structure", severity="error", level="L4",
      summary="the file is not readable YAML",
      fix="fix the YAML at the line and column shown; designgrade reads UTF-8, one document")
def invalid_yaml(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every file. Reports a file that cannot be read as a YAML document: a
    syntax error (a tab in the indentation, an unclosed bracket), a file that is not
    UTF-8, a tag such as `!!python/object` (never executed), or a document too large or
    too deep to be a design. A file that parses satisfies it.

    ## Why is this bad?
    Nothing else can be checked until the file parses, so it is an error. The finding
    names the line and column where the parser stopped, like a compiler would.

    ## Example
    ```yaml
    designgrade: 1
    	title: tabs are not indentation in YAML
    ```

    ## Use instead
    ```yaml
    designgrade: 1
    title: spaces indent YAML
    ```

    ## References
    - The YAML 1.1 specification, as implemented by libyaml.
    """
    return satisfied("the file is readable YAML")  # an unreadable file never gets this far


@rule(code="DG002", slug="schema-violation", pillar="structure", severity="error", level="L4",
      summary="a field is missing, of the wrong type, or unknown",
      fix="correct the field as the message says; `designgrade schema` lists every field")
def schema_violation(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Checks it against the format (docs/design-format.md):
    required fields, types, enum values (with a did-you-mean for typos) and unknown keys.
    A design in which every field validates satisfies it.

    ## Why is this bad?
    A typo such as `onlne_store` would otherwise be silently ignored, and every rule that
    reads the field would judge the design wrongly. It is an error because the design
    does not say what the candidate meant until it is fixed.

    ## Example
    ```yaml
    components:
      features:
        kind: feature_stor
    ```

    ## Use instead
    ```yaml
    components:
      features:
        kind: feature_store
    ```

    ## References
    - docs/design-format.md, generated from the same models as schemas/design.schema.json.
    """
    problems = [Violation(i.path, i.message, component=i.component) for i in a.graph.issues]
    return check(problems, "every field matches the format")


@rule(code="DG003", slug="duplicate-key", pillar="structure", severity="error", level="L4",
      summary="a mapping repeats a key; the later value silently wins",
      fix="remove or rename one of the two keys")
def duplicate_key(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Reports a key given twice in the same mapping, such as two
    components with the same id (a YAML merge key `<<` followed by overrides is not a
    repeat). The later value is kept and linting goes on. No repeated key satisfies it.

    ## Why is this bad?
    Plain YAML loaders keep the last value without a word, so half of what the candidate
    wrote disappears: an error, since the design is not what was written. Two components
    named `serving` usually mean one was meant to be `batch_serving`.

    ## Example
    ```yaml
    components:
      store: {kind: key_value_store, tech: redis}
      store: {kind: feature_store, tech: feast}
    ```

    ## Use instead
    ```yaml
    components:
      predictions: {kind: key_value_store, tech: redis}
      features: {kind: feature_store, tech: feast}
    ```

    ## References
    - YAML 1.2, section 3.2.1.1: mapping keys are unique.
    """
    problems = [Violation(p.path, p.message) for p in a.graph.load_problems if p.rule == "duplicate-key"]
    return check(problems, "no mapping repeats a key")


def _suggest(target: str, a: "Analysis", kinds: tuple[str, ...]) -> str:
    """A did-you-mean that prefers components of the kinds the field expects."""
    ids = list(a.graph.components)
    preferred = [cid for cid in ids if a.graph.kind(cid) in kinds]
    close = did_you_mean(target, preferred)
    if close:
        return close
    # No name is close, but the field expects one kind and the design has exactly one of
    # it: that is the likelier meaning than a similar name of the wrong kind.
    primary = [cid for cid in ids if a.graph.kind(cid) == kinds[0]]
    if len(primary) == 1:
        return f"; did you mean '{primary[0]}' (the only {kinds[0]})?"
    return did_you_mean(target, ids)


@rule(code="DG004", slug="unknown-reference", pillar="structure", severity="error", level="L4",
      summary="a flow, model, feature, fallback or trade-off names something that does not exist",
      fix="use the id of an existing component (or a rule slug for a trade-off)")
def unknown_reference(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Checks that every flow endpoint, a model's `trained_by`,
    `served_by` and `updated_by`, the components a feature names as its `source` (in a
    feature store or a model), an llm's `fallback`, a vector_db's `embedding_model` and a
    trade-off's `rule` name something that exists. It suggests the closest name, among
    components of the kind the field expects first. An online_serving `fallback` is a
    free-text strategy and is not checked. Every name resolving satisfies it.

    ## Why is this bad?
    A flow into a component that does not exist is a broken wire: the design says data
    goes somewhere it cannot, and rules skip the flow, so the design is judged on less
    than the candidate meant. It is an error, like an undefined name in code.

    ## Example
    ```yaml
    flows:
      - "events -> featurestore"
    models:
      ranker: {trained_by: trainer}      # the pipeline is called 'training'
    ```

    ## Use instead
    ```yaml
    flows:
      - "events -> feature_store"
    models:
      ranker: {trained_by: training}
    ```

    ## References
    - Sculley et al., Hidden Technical Debt in ML Systems (2015): undeclared consumers
      and dependencies make systems hard to reason about.
    """
    g = a.graph
    ids = list(g.components)
    problems: list[Violation] = []
    for raw in g.dangling:
        for end in (raw.src, raw.dst):
            if end not in g.components:
                problems.append(Violation(raw.path, f"the flow '{raw.text}' names '{end}', which is not a "
                                                    f"component{did_you_mean(end, ids)}",
                                          flow=(raw.src, raw.dst)))
    for name, mod in (g.design.models or {}).items():
        for field, kinds in (("trained_by", TRAINERS), ("served_by", SERVERS), ("updated_by", TRAINERS)):
            target = getattr(mod, field)
            if target and target not in g.components:
                problems.append(Violation(("models", name, field), f"model '{name}' is "
                                          f"{field.replace('_', ' ')} '{target}', which is not a component"
                                          f"{_suggest(target, a, kinds)}"))
        for index, item in enumerate(mod.features):
            if isinstance(item, str):
                continue
            for field in ("source", "training", "serving"):
                target = getattr(item, field)
                if target and target not in g.components and target != "request":
                    problems.append(Violation(("models", name, "features", index, field),
                                              f"feature '{item.name}' of model '{name}' names {field} '{target}', "
                                              f"which is not a component{_suggest(target, a, TRAINERS)}"))
    for cid in g.of_kind("feature_store"):
        for index, feature in enumerate(g.get(cid).features):
            if feature.source and feature.source not in g.components:
                problems.append(Violation(g.path_of(cid, "features", index, "source"),
                                          f"feature '{feature.name}' of '{cid}' names source '{feature.source}', "
                                          f"which is not a component{_suggest(feature.source, a, TRAINERS)}",
                                          component=cid))
    for cid in g.of_kind("llm"):
        target = g.get(cid).fallback
        if target and target not in g.components:
            problems.append(Violation(g.path_of(cid, "fallback"), f"llm '{cid}' falls back to '{target}', which is "
                                      f"not a component{_suggest(target, a, ('llm',))}", component=cid))
    for cid in g.of_kind("vector_db"):
        target = g.get(cid).embedding_model
        if target and target not in g.components:
            problems.append(Violation(g.path_of(cid, "embedding_model"), f"vector_db '{cid}' names embedding "
                                      f"model '{target}', which is not a component"
                                      f"{_suggest(target, a, ('embedding_model',))}", component=cid))
    for index, tradeoff in enumerate(g.design.tradeoffs):
        if find_rule(tradeoff.rule) is None:
            problems.append(Violation(("tradeoffs", index, "rule"), f"the trade-off names rule '{tradeoff.rule}', "
                                      f"which does not exist{did_you_mean(tradeoff.rule, [r.slug for r in all_rules()])}"))
    return check(problems, "every reference names a component, metric or rule that exists")


@rule(code="DG005", slug="orphan-component", pillar="structure", severity="warning", level="L4",
      summary="a component has no flow in or out",
      fix="connect it with a flow, or remove it if the design does not need it")
def orphan_component(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to a design with flows. Reports a component that no flow touches and that no
    other component names as its `fallback` or `embedding_model`. Every component wired
    in satisfies it.

    ## Why is this bad?
    A box with no arrows says nothing about how the system works: an experiment tracker
    nobody writes to, a monitoring stack nothing feeds. Interviewers read it as a
    buzzword dropped into the diagram. A warning: the rest of the design still stands.

    ## Example
    ```yaml
    components:
      monitoring: {kind: monitoring, tech: prometheus}
    flows:
      - "client -> api"
    ```

    ## Use instead
    ```yaml
    flows:
      - "client -> api"
      - "api -> monitoring: latency, errors"
    ```

    ## References
    - Sculley et al., Hidden Technical Debt in ML Systems (2015), "pipeline jungles".
    """
    g = a.graph
    if not g.edges and not g.dangling:
        return missing("empty-design", "the design has no flows, so nothing is connected")
    touched = {e.src for e in g.edges} | {e.dst for e in g.edges}
    touched |= {r.src for r in g.dangling} | {r.dst for r in g.dangling}
    for cid in g.of_kind("llm", "vector_db"):
        comp = g.get(cid)
        touched.add(getattr(comp, "fallback", None) or "")
        touched.add(getattr(comp, "embedding_model", None) or "")
    problems = [Violation(g.path_of(cid), f"'{cid}' ({comp.kind}) has no flow in or out", component=cid)
                for cid, comp in g.components.items() if cid not in touched and getattr(comp, "kind", None)]
    return check(problems, f"all {len(g.components)} components are wired into flows")


# Where data ends up to be analysed later; written by a pipeline, they should be read.
_SINKS = ("event_stream", "data_lake", "data_warehouse", "feature_store", "vector_db")
_PIPELINE = ("event_stream", "stream_processor", "batch_processor", "data_validation", "batch_inference",
             "data_lake", "data_warehouse")


@rule(code="DG006", slug="unused-data", pillar="structure", severity="warning", level="L4",
      summary="a data pipeline writes into a store or stream that nothing reads",
      fix="add the flow that reads it, or drop the store")
def unused_data(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to event streams, lakes, warehouses, feature stores and vector indexes that a
    data pipeline writes (a stream, a stream or batch job, a validation step, batch
    inference). Reports one that nothing reads. Operational stores (a key-value state
    store, a database, a blob store an upload service writes) are not judged: their
    readers are often the writer itself or outside the design; nor is a lake or warehouse
    whose label or notes say it is an archive (raw, versioned, audit, backfill). Every
    such sink having a reader satisfies it.

    ## Why is this bad?
    Data processed and never read is a dead end of the pipeline jungle: it costs storage
    and compute, and usually means a missing arrow, such as prediction logs that never
    reach monitoring or training. A warning: the design works, with a loose end.

    ## Example
    ```yaml
    flows:
      - "events -> flink -> logs"   # logs is a data_lake nothing reads
    ```

    ## Use instead
    ```yaml
    flows:
      - "events -> flink -> logs"
      - "logs -> training"
    ```

    ## References
    - Sculley et al., Hidden Technical Debt in ML Systems (2015), section 5.
    """
    g = a.graph
    problems = []
    for cid in g.of_kind(*_SINKS):
        writers = g.predecessors(cid, "stream", "batch")
        if writers and any(g.kind(w) in _PIPELINE for w in writers) and not g.readers(cid):
            if g.kind(cid) in ("data_lake", "data_warehouse") and a.prose.find("archive", [cid]):
                continue  # an archive kept for backfills or audits is read later, on purpose
            problems.append(Violation(g.path_of(cid), f"'{cid}' ({g.kind(cid)}) receives data from "
                                      f"{quote_ids(sorted(writers))} but nothing reads it", component=cid))
    return check(problems, "every pipeline output has a reader")


@rule(code="DG007", slug="unknown-tech", pillar="structure", severity="info", level="L4",
      summary="a component's tech is not one designgrade knows for its kind",
      fix="check the spelling; an unknown tech is fine but gets a generic icon")
def unknown_tech(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to components with a `tech`. Notes one that designgrade does not know for the
    component's kind when it looks like a misspelling of one it knows (`kafak`). Mainstream
    tools of each kind and unfamiliar names that resemble nothing are fine: the diagram
    draws a generic icon. Known or unremarkable techs satisfy it.

    ## Why is this bad?
    It is information, not a mistake. A typo in a tech hides the icon and the checks that
    read it; an unfamiliar but real technology is not worth a note.

    ## Example
    ```yaml
    events: {kind: event_stream, tech: kafak}
    ```

    ## Use instead
    ```yaml
    events: {kind: event_stream, tech: kafka}
    ```

    ## References
    - docs/design-format.md, the typical-tech column of each kind.
    """
    g = a.graph
    problems = []
    for cid, comp in g.components.items():
        kind, tech = getattr(comp, "kind", None), getattr(comp, "tech", None)
        if not kind or not tech or is_known_tech(kind, tech):
            continue
        hint = did_you_mean(tech.lower(), techs_for(kind))
        if hint:
            problems.append(Violation(g.path_of(cid, "tech"), f"'{tech}' is not a tech designgrade knows for a "
                                      f"{kind}{hint}", component=cid))
    return check(problems, "every tech is known or unremarkable")


@rule(code="DG008", slug="unused-tradeoff", pillar="structure", severity="info", level="L4",
      summary="a trade-off acknowledges a rule that did not fire", late=True,
      fix="remove the trade-off, or check the rule slug")
def unused_tradeoff(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to a design with `tradeoffs`. Notes an entry whose rule did not fire on this
    design. Every trade-off explaining a finding satisfies it.

    ## Why is this bad?
    It is harmless, but stale: the design changed and the trade-off no longer explains
    anything, or the slug names a different rule than intended.

    ## Example
    ```yaml
    tradeoffs:
      - rule: overbuilt-realtime-serving
        why: we need in-session signals   # but the design serves in batch
    ```

    ## Use instead
    Remove the entry, or keep it only while the finding it explains is reported.

    ## References
    - ruff's unused-noqa (RUF100) does the same for suppressions.
    """
    tradeoffs = a.graph.design.tradeoffs
    if not tradeoffs:
        return not_applicable("the design lists no trade-offs")
    fired = getattr(a, "fired", frozenset())
    problems = [Violation(("tradeoffs", index, "rule"),
                          f"the trade-off for '{t.rule}' acknowledges a rule that did not fire")
                for index, t in enumerate(tradeoffs)
                if find_rule(t.rule) is not None and canonical(t.rule) not in fired]
    return check(problems, "every trade-off explains a finding")


@rule(code="DG009", slug="empty-design", pillar="structure", severity="error", level="L4",
      summary="the design has no components or no flows", aliases=("no-components",),
      fix="draw the system: components for data, training and serving, and the flows between them")
def empty_design(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to every design. Reports one with no components, or with components but not a
    single flow between them. A design with components connected by flows satisfies it.

    ## Why is this bad?
    There is nothing to judge: no data path, no model, no serving. An interviewer would
    stop here, so it is an error, and the rules that need a system to judge count as
    failed without adding findings of their own.

    ## Example
    ```yaml
    components: {}
    flows: []
    ```

    ## Use instead
    ```yaml
    components:
      app: {kind: client, tech: web}
      serving: {kind: online_serving, tech: fastapi}
      training: {kind: training_pipeline, tech: airflow}
    flows:
      - "app -> serving"
      - "training -> serving"
    ```

    ## References
    - SEED, "The ML System Design Framework": the four steps each draw part of the system.
    """
    g = a.graph
    if not g.components:
        return violated(Violation(("components",), "the design has no components and no flows: there is no "
                                                   "system to judge"))
    if not g.edges and not g.dangling:
        return violated(Violation(("flows",), f"the design has {len(g.components)} components and no flow "
                                              f"between them: nothing says how data or requests move"))
    return satisfied(f"{len(g.components)} components joined by {len(g.edges)} flows")


@rule(code="DG010", slug="undeclared-metric", pillar="structure", severity="warning", level="L4",
      summary="the release gate reads a metric the design never declares",
      fix="use a metric listed in problem.metrics, or add it there")
def undeclared_metric(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs that declare metrics and gate releases on one. Reports a
    `deployment.gate` metric that is none of the metrics the design declares
    (problem.metrics, experimentation guardrails, monitoring performance), with the
    closest declared name. A gate that reads a declared metric satisfies it.

    ## Why is this bad?
    A gate on a metric nothing else mentions is usually a typo, or a second name for one
    metric: either way the release check and the metrics the team watches drift apart.

    ## Example
    ```yaml
    problem:
      metrics: {offline: [ndcg@10]}
    deployment:
      gate: {metric: ndgc@10, must_beat: production}
    ```

    ## Use instead
    ```yaml
    deployment:
      gate: {metric: ndcg@10, must_beat: production}
    ```

    ## References
    - RoML, rule 2: design and implement metrics first; one name for one metric.
    """
    g = a.graph
    declared = [m for m in [*g.metrics.business, *g.metrics.online, *g.metrics.offline, *g.metrics.guardrails]
                if isinstance(m, str)]
    for cid in g.of_kind("experimentation"):
        declared += list(getattr(g.get(cid), "guardrail_metrics", []) or [])
    for cid in g.of_kind("monitoring"):
        perf = getattr(g.get(cid), "performance", None)
        if perf is not None and perf.metric:
            declared.append(perf.metric)
    used: list[tuple[str, tuple]] = []
    gate = g.deployment.gate if g.deployment is not None else None
    if gate is not None and gate.metric:
        used.append((gate.metric, ("deployment", "gate", "metric")))
    if not declared or not used:
        return not_applicable("no declared metric, or no gate")
    # A gate may check several metrics at once ('faithfulness_and_acl_leak_rate') or one slice
    # of a declared metric ('macro_f1_per_crop'): each part must be a declared metric.
    problems = [Violation(path, f"the deployment gate reads '{part}', which is none of the design's metrics"
                                f"{did_you_mean(part, declared)}")
                for name, path in used for part in metric_parts(name) if names_metric(part, declared) is None]
    return check(problems, "the gate reads a declared metric")
