"""Structure rules (DG0xx): is this a well-formed design the other rules can read?"""

from __future__ import annotations

from typing import Iterator

from ..graph import STORE_OR_STREAM, DesignGraph
from ..registry import Violation, find_rule, rule
from ..techs import is_known_tech
from ..validate import did_you_mean


@rule(code="DG001", slug="invalid-yaml", pillar="structure", severity="error", level="L4",
      summary="the file is not readable YAML",
      fix="fix the YAML at the line and column shown; designgrade reads UTF-8, one document")
def invalid_yaml(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a file that cannot be read as a YAML document: a syntax error (a tab in the
    indentation, an unclosed bracket), a file that is not UTF-8, a tag such as
    `!!python/object` (never executed), or a document too large or too deep to be a design.

    ## Why is this bad?
    Nothing else can be checked until the file parses. The finding names the line and
    column where the parser stopped, like a compiler would.

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
    return iter(())  # reported by the loader before a graph exists


@rule(code="DG002", slug="schema-violation", pillar="structure", severity="error", level="L4",
      summary="a field is missing, of the wrong type, or unknown",
      fix="correct the field as the message says; `designgrade schema` lists every field")
def schema_violation(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Checks the design against the format (docs/design-format.md): required fields,
    types, enum values (with a did-you-mean for typos) and unknown keys.

    ## Why is this bad?
    A typo such as `onlne_store` would otherwise be silently ignored, and every rule that
    reads the field would judge the design wrongly. Catching it early keeps the other
    findings trustworthy.

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
    for issue in g.issues:
        yield Violation(issue.path, issue.message, component=issue.component)


@rule(code="DG003", slug="duplicate-key", pillar="structure", severity="error", level="L4",
      summary="a mapping repeats a key; the later value silently wins",
      fix="remove or rename one of the two keys")
def duplicate_key(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a key given twice in the same mapping, such as two components with the same
    id. The later value is kept and linting goes on.

    ## Why is this bad?
    Plain YAML loaders keep the last value without a word, so half of what the candidate
    wrote disappears. Two components named `serving` usually mean one was meant to be
    `batch_serving`.

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
    for problem in g.load_problems:
        if problem.rule == "duplicate-key":
            yield Violation(problem.path, problem.message)


@rule(code="DG004", slug="unknown-reference", pillar="structure", severity="error", level="L4",
      summary="a flow, model, fallback, embedding model or trade-off names something that does not exist",
      fix="use the id of an existing component (or rule slug for a trade-off)")
def unknown_reference(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Checks that every flow endpoint, every model's `trained_by` and `served_by`, an llm's
    `fallback`, a vector_db's `embedding_model` and a trade-off's `rule` name something
    that exists, and suggests the closest id when one is misspelled. An online_serving
    `fallback` is a free-text strategy and is not checked.

    ## Why is this bad?
    A flow into a component that does not exist is a broken wire in the diagram: the
    design says data goes somewhere it cannot. Rules skip such flows, so the design is
    judged on less than the candidate meant.

    ## Example
    ```yaml
    flows:
      - "events -> featurestore"
    ```

    ## Use instead
    ```yaml
    flows:
      - "events -> feature_store"
    ```

    ## References
    - Sculley et al., Hidden Technical Debt in ML Systems (2015): undeclared consumers
      and dependencies make systems hard to reason about.
    """
    ids = list(g.components)
    for raw in g.dangling:
        for end in (raw.src, raw.dst):
            if end not in g.components:
                yield Violation(raw.path, f"the flow '{raw.text}' names '{end}', which is not a component"
                                          f"{did_you_mean(end, ids)}")
    for name, mod in g.models.items():
        for field in ("trained_by", "served_by"):
            target = getattr(mod, field)
            if target and target not in g.components:
                yield Violation(("models", name, field), f"model '{name}' is {field.replace('_', ' ')} "
                                f"'{target}', which is not a component{did_you_mean(target, ids)}")
    for cid in g.of_kind("llm"):
        target = g.get(cid).fallback
        if target and target not in g.components:
            yield Violation(g.path_of(cid, "fallback"), f"llm '{cid}' falls back to '{target}', which is "
                            f"not a component{did_you_mean(target, ids)}", component=cid)
    for cid in g.of_kind("vector_db"):
        target = g.get(cid).embedding_model
        if target and target not in g.components:
            yield Violation(g.path_of(cid, "embedding_model"), f"vector_db '{cid}' names embedding model "
                            f"'{target}', which is not a component{did_you_mean(target, ids)}", component=cid)
    for index, tradeoff in enumerate(g.design.tradeoffs):
        if find_rule(tradeoff.rule) is None:
            from ..registry import all_rules

            yield Violation(("tradeoffs", index, "rule"), f"the trade-off names rule '{tradeoff.rule}', "
                            f"which does not exist{did_you_mean(tradeoff.rule, [r.slug for r in all_rules()])}")


@rule(code="DG005", slug="orphan-component", pillar="structure", severity="error", level="L4",
      summary="a component has no flow in or out",
      fix="connect it with a flow, or remove it if the design does not need it")
def orphan_component(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a component that no flow touches and that no other component names as its
    `fallback` or `embedding_model`.

    ## Why is this bad?
    A box with no arrows says nothing about how the system works: an experiment tracker
    nobody writes to, a monitoring stack nothing feeds. Interviewers read it as a
    buzzword dropped into the diagram.

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
    touched = {e.src for e in g.edges} | {e.dst for e in g.edges}
    touched |= {r.src for r in g.dangling} | {r.dst for r in g.dangling}
    for cid in g.of_kind("llm", "vector_db"):
        comp = g.get(cid)
        touched.add(getattr(comp, "fallback", None) or "")
        touched.add(getattr(comp, "embedding_model", None) or "")
    for cid, comp in g.components.items():
        if cid not in touched and getattr(comp, "kind", None) is not None:
            yield Violation(g.path_of(cid), f"'{cid}' ({comp.kind}) has no flow in or out", component=cid)


@rule(code="DG006", slug="unused-data", pillar="structure", severity="error", level="L4",
      summary="a store or stream receives data that nothing reads",
      fix="add the flow that reads it, or drop the store")
def unused_data(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a store or stream (source_db, event_stream, data_lake, data_warehouse,
    feature_store, key_value_store, cache, vector_db, semantic_cache) that receives data
    by a batch or stream flow and is read by nothing.

    ## Why is this bad?
    Data written and never read is a dead end of the pipeline jungle: it costs storage and
    ingestion, and usually means a missing arrow, such as prediction logs that never reach
    monitoring or training.

    ## Example
    ```yaml
    flows:
      - "serving -> logs: predictions"   # logs is an event_stream nothing consumes
    ```

    ## Use instead
    ```yaml
    flows:
      - "serving -> logs: predictions"
      - "logs -> monitoring"
    ```

    ## References
    - Sculley et al., Hidden Technical Debt in ML Systems (2015), section 5.
    """
    for cid in g.of_kind(*STORE_OR_STREAM):
        if g.in_edges(cid, "stream", "batch") and not g.readers(cid):
            yield Violation(g.path_of(cid), f"'{cid}' ({g.kind(cid)}) receives data but nothing reads it",
                            component=cid)


@rule(code="DG007", slug="unknown-tech", pillar="structure", severity="info", level="L4",
      summary="a component's tech is not one designgrade knows for its kind",
      fix="check the spelling; an unknown tech is fine but gets a generic icon")
def unknown_tech(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Notes a `tech` that is not among the technologies designgrade knows for the
    component's kind. It is information, not a mistake: the diagram draws a generic icon.

    ## Why is this bad?
    It often is a typo (`kafak`), or a technology used for the wrong job (a cache tech on
    an event stream). Known techs also get smarter checks.

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
    from ..techs import techs_for

    for cid, comp in g.components.items():
        kind, tech = getattr(comp, "kind", None), getattr(comp, "tech", None)
        if kind and tech and not is_known_tech(kind, tech):
            hint = did_you_mean(tech.lower(), techs_for(kind))
            yield Violation(g.path_of(cid, "tech"), f"'{tech}' is not a tech designgrade knows for a "
                            f"{kind}{hint}", component=cid)


@rule(code="DG008", slug="unused-tradeoff", pillar="structure", severity="info", level="L4",
      summary="a trade-off acknowledges a rule that did not fire", late=True,
      fix="remove the trade-off, or check the rule slug")
def unused_tradeoff(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Notes a `tradeoffs` entry whose rule did not fire on this design.

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
    fired = getattr(g, "fired", frozenset())
    for index, tradeoff in enumerate(g.design.tradeoffs):
        if tradeoff.rule not in fired and find_rule(tradeoff.rule) is not None:
            yield Violation(("tradeoffs", index, "rule"),
                            f"the trade-off for '{tradeoff.rule}' acknowledges a rule that did not fire")
