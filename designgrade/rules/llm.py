"""LLM system rules (DG7xx): evaluation, guardrails, index versioning, cost and fallbacks.

Every rule here applies only to an LLM system (rules.md, Terms): the task is llm_rag or
llm_assistant, or the design has an llm component.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..graph import DesignGraph
from ..registry import Violation, rule
from ..techs import normalize
from .wording import quote_ids


def _set(value: Any) -> bool:
    return value is not None and value != "" and value != {}


def _query_embedders(g: DesignGraph, vdb: str) -> list[str]:
    """Embedding models on the request path whose vectors are searched in ``vdb``.

    Those with a flow into ``vdb``; and those with no flow into any vector_db or
    semantic_cache whose caller (a request-path component) also looks ``vdb`` up.
    """
    found = []
    for emb in g.of_kind("embedding_model"):
        if not g.on_request_path(emb):
            continue
        targets = [t for t in g.successors(emb) if g.kind(t) in ("vector_db", "semantic_cache")]
        if vdb in targets:
            found.append(emb)
        elif not targets and any(
            g.on_request_path(caller) and g.has_edge(caller, vdb, "request")
            for caller in g.predecessors(emb, "request")
        ):
            found.append(emb)
    return found


def _describe(g: DesignGraph, cid: str) -> str:
    comp = g.get(cid)
    version = comp.version or "no version"
    return f"'{cid}' ({comp.tech} {version})" if comp.tech else f"'{cid}' ({version})"


@rule(code="DG701", slug="llm-no-evaluation", pillar="llm", severity="warning", level="L5",
      summary="the LLM system is not evaluated both offline and online",
      fix="add an llm_evaluation with offline: true (golden set) and online: true (sampled live traffic)")
def llm_no_evaluation(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    In an LLM system, expects an `llm_evaluation` with `offline: true` (a golden set
    scored before release: faithfulness, context recall, answer relevance) and one with
    `online: true` (sampled production traces scored continuously). One component may do
    both. One finding names what is missing, at the evaluation component if there is one.

    ## Why is this bad?
    LLM output cannot be checked with a unit test: prompt, model or index changes quietly
    change answers. Offline evaluation gates a release; online evaluation catches what
    the golden set does not cover (new questions, stale documents, provider model
    updates). Either alone leaves a blind side.

    ## Example
    ```yaml
    evals: {kind: llm_evaluation, tech: ragas, offline: true}
    ```

    ## Use instead
    ```yaml
    evals: {kind: llm_evaluation, tech: ragas, offline: true, online: true}
    ```

    ## References
    - GAL, GENPERF01-BP01: evaluate generative workloads against a ground-truth set,
      retrieval and generation separately (RAGAS-style metrics).
    - GAL, GENOPS02: observe production invocations continuously.
    - MLTS, Model 6 and Monitor 7: quality is checked before release and in production.
    """
    if not g.llm_system:
        return
    evals = g.of_kind("llm_evaluation")
    offline = any(g.get(c).offline for c in evals)
    online = any(g.get(c).online for c in evals)
    if offline and online:
        return
    if not evals:
        yield Violation(("components",), "the LLM system has no llm_evaluation: answers are scored neither "
                        "offline on a golden set (offline: true) nor online on live traffic (online: true)")
        return
    missing = [m for m, ok in (("offline: true (golden set before release)", offline),
                               ("online: true (sampled live traffic)", online)) if not ok]
    field = "offline" if not offline else "online"
    yield Violation(g.path_of(evals[0], field), f"llm_evaluation {quote_ids(evals)} lacks "
                    f"{' and '.join(missing)}", component=evals[0])


@rule(code="DG702", slug="llm-no-guardrails", pillar="llm", severity="warning", level="L5",
      summary="no guardrails on the LLM request path",
      fix="put a guardrails component on the request path (input: prompt injection, PII; output: safety)")
def llm_no_guardrails(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    In an LLM system, fires when no `guardrails` component is on the request path
    (reached from a client by request flows), before or after the llm. A guardrails
    component that exists but is not on the request path does not count; the finding
    then points at it.

    ## Why is this bad?
    User input reaches the model unchecked (prompt injection, jailbreaks, PII) and the
    model's output reaches the user unchecked (harmful or leaked content, hallucinated
    policy). Guardrails that sit off the request path are never consulted.

    ## Example
    ```yaml
    flows:
      - "web -> gateway -> orchestrator -> llm"
    ```

    ## Use instead
    ```yaml
    flows:
      - "web -> gateway -> guard -> orchestrator -> llm"
    ```

    ## References
    - GAL, GENSEC04-BP02 (high risk): sanitize and validate prompts against injection.
    - GAL, GENSEC02-BP01: filter model output before it reaches users.
    - Research notes, LLM-02: input sanitization and output guardrails are expected at L5.
    """
    if not g.llm_system:
        return
    guards = g.of_kind("guardrails")
    if any(g.on_request_path(c) for c in guards):
        return
    llms = [c for c in g.of_kind("llm") if g.on_request_path(c)]
    serves = f" before or after {quote_ids(llms)}" if llms else ""
    if guards:
        yield Violation(g.path_of(guards[0]), f"guardrails {quote_ids(guards)} are not on the request path: no "
                        f"request flow passes through them{serves}", component=guards[0])
        return
    yield Violation(("components",), f"no guardrails component on the request path{serves}: prompts and "
                    f"answers are not checked for injection, PII or unsafe content")


@rule(code="DG703", slug="rag-embedding-version-skew", pillar="llm", severity="error", level="L5",
      summary="queries are embedded by a different model or version than the index they search",
      fix="embed queries with the same embedding model and version that built the index, and pin that version")
def rag_embedding_version_skew(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    For each `vector_db`, compares the embedding model that embeds queries (an
    embedding_model on the request path) with the one named by the vector_db's
    `embedding_model` (the one that built the index). It fires when the query-side model
    is another component with a different `version`, or, when both give a `tech`, a
    different tech; when the named model has no `version`; and when a vector_db searched
    by a query embedder names no `embedding_model` at all (nothing to check it against).
    A query embedder belongs to a vector_db when it has a flow into it, or, when it flows
    into no vector_db or semantic_cache, when the component that calls it also looks the
    vector_db up (the usual orchestrator pattern).

    ## Why is this bad?
    Vectors from two embedding models, or two versions of one, live in different spaces:
    nearest-neighbour search returns unrelated documents with no error at all. Upgrading
    the query embedder without re-indexing (or the reverse) silently breaks retrieval;
    an unpinned version makes that upgrade happen by accident.

    ## Example
    ```yaml
    query_embedder: {kind: embedding_model, tech: openai_embeddings, version: text-embedding-3-large}
    docs_embedder: {kind: embedding_model, tech: openai_embeddings, version: text-embedding-ada-002}
    vectors: {kind: vector_db, tech: qdrant, embedding_model: docs_embedder}
    ```

    ## Use instead
    ```yaml
    query_embedder: {kind: embedding_model, tech: openai_embeddings, version: text-embedding-3-large}
    docs_embedder: {kind: embedding_model, tech: openai_embeddings, version: text-embedding-3-large}
    vectors: {kind: vector_db, tech: qdrant, embedding_model: docs_embedder}
    ```

    ## References
    - GAL, RAG guidance: version the embedding model with the index; re-embed on change.
    - Research notes, LLM-01: pin vector store and embedding model versions; plan the
      re-index (dual index, backfill, cutover); never mix two models' vectors in one index.
    - HTD, section 3: unstable data dependencies change behaviour without a code change.
    """
    if not g.llm_system:
        return
    reported: set[str] = set()
    for vdb in g.of_kind("vector_db"):
        named = g.get(vdb).embedding_model
        ref = g.get(named) if named in g.components and g.kind(named) == "embedding_model" else None
        if ref is not None and not ref.version and named not in reported:
            reported.add(named)
            yield Violation(g.path_of(named, "version"), f"embedding model '{named}', which built the index "
                            f"of '{vdb}', has no version: an upgrade of it or of the query embedder "
                            f"silently mixes vector spaces", component=named)
        for emb in _query_embedders(g, vdb):
            if emb == named:
                continue
            if not named:
                yield Violation(g.path_of(vdb, "embedding_model"), f"vector_db '{vdb}' is searched with "
                                f"vectors from '{emb}' but does not name the embedding_model that built its "
                                f"index, so their versions cannot be checked", component=vdb)
                continue
            if ref is None or not ref.version:
                continue  # unknown-reference, or the missing version reported above
            comp = g.get(emb)
            techs = (normalize(comp.tech) if comp.tech else None, normalize(ref.tech) if ref.tech else None)
            if comp.version != ref.version or (all(techs) and techs[0] != techs[1]):
                yield Violation(g.path_of(emb, "version"), f"query embedder {_describe(g, emb)} differs from "
                                f"{_describe(g, named)}, which built the index of '{vdb}': queries and "
                                f"documents are embedded in different vector spaces", component=emb)


@rule(code="DG704", slug="llm-no-cost-controls", pillar="llm", severity="warning", level="L5",
      summary="LLM traffic above 10 qps with no rate limits, budget or semantic cache",
      fix="route LLM calls through an llm_gateway with rate_limits and a budget, or add a semantic_cache")
def llm_no_cost_controls(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    In an LLM system with `requirements.peak_qps` above 10, fires when there is neither an
    `llm_gateway` with `rate_limits` or `budget` nor a `semantic_cache`. Below 10 qps the
    token bill is small enough that we do not ask for it. An llm_gateway without limits
    or budget does not count; the finding then points at it.

    ## Why is this bad?
    LLM calls are paid per token: at hundreds of requests per second one abusive client,
    a retry storm or a prompt that grew tenfold turns into a large bill within hours.
    Per-user rate limits and a spend budget cap the damage; a semantic cache answers
    repeated questions without calling the model at all.

    ## Example
    ```yaml
    problem: {task: llm_rag, requirements: {peak_qps: 200}}
    components:
      llm_gw: {kind: llm_gateway, tech: litellm}
    ```

    ## Use instead
    ```yaml
    components:
      llm_gw: {kind: llm_gateway, tech: litellm, rate_limits: per_user, budget: 20000_usd_per_month}
      cache: {kind: semantic_cache, tech: redis}
    ```

    ## References
    - GAL, GENCOST01 and GENCOST03: control token consumption and cost per request.
    - SEED: manage the cost of inference as traffic scales.
    - Research notes, LLM-05 and LLM-06: token cost controls and semantic caching.
    """
    qps = g.requirements.peak_qps
    if not g.llm_system or qps is None or qps <= 10 or g.has_kind("semantic_cache"):
        return
    gateways = g.of_kind("llm_gateway")
    if any(_set(g.get(c).rate_limits) or _set(g.get(c).budget) for c in gateways):
        return
    if gateways:
        yield Violation(g.path_of(gateways[0]), f"llm_gateway {quote_ids(gateways)} sets no rate_limits or budget "
                        f"and there is no semantic_cache, at a peak of {qps:g} qps", component=gateways[0])
        return
    llms = g.of_kind("llm")
    calls = f" to {quote_ids(llms)}" if llms else ""
    yield Violation(("components",), f"peak of {qps:g} qps of LLM calls{calls} with no llm_gateway rate_limits "
                    f"or budget and no semantic_cache: nothing caps the token spend")


@rule(code="DG705", slug="llm-no-fallback", pillar="llm", severity="warning", level="L5",
      summary="an llm on the request path has no fallback model",
      fix="name another llm component as its fallback (another provider or a self-hosted model)")
def llm_no_fallback(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    In an LLM system, reports each `llm` on the request path without a `fallback` (the
    id of another llm). An llm that is itself some llm's fallback needs none, so a chain
    ends cleanly; an llm naming itself has no fallback.

    ## Why is this bad?
    A hosted model has outages, rate limits (HTTP 429) and latency spikes you do not
    control; a self-hosted one has deployments and GPU failures. Without a fallback every
    one of them is a user-facing outage of the whole assistant.

    ## Example
    ```yaml
    primary: {kind: llm, tech: anthropic, hosting: api}
    ```

    ## Use instead
    ```yaml
    primary: {kind: llm, tech: anthropic, hosting: api, fallback: backup}
    backup: {kind: llm, tech: vllm, hosting: self_hosted}
    ```

    ## References
    - GAL, GENREL03: retries, timeouts and fallback model chains for generative workloads.
    - APG, 7.3: a fallback when the model fails.
    - Research notes, default numbers: chains of at most three models; retry on 429 and
      5xx, not on 400 or 401.
    """
    if not g.llm_system:
        return
    llms = g.of_kind("llm")
    fallbacks = {g.get(c).fallback for c in llms if g.get(c).fallback != c}
    for cid in llms:
        comp = g.get(cid)
        if not g.on_request_path(cid) or cid in fallbacks or (comp.fallback and comp.fallback != cid):
            continue
        who = f" ({comp.tech})" if comp.tech else ""
        yield Violation(g.path_of(cid, "fallback"), f"llm '{cid}'{who} on the request path has no fallback: an "
                        f"outage or rate limit of it fails every request", component=cid)
