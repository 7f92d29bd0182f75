"""LLM system rules (DG7xx): evaluation, guardrails, retrieval, data handling, cost and fallbacks.

These apply to an LLM system: the task is llm_rag or llm_assistant, or the design has an
llm component; other designs are not applicable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from ..analysis.models import VENDOR_TECHS
from ..outcome import Evidence, Violation, check, gap, missing, not_applicable, satisfied, violated
from ..registry import rule
from ..techs import normalize
from .common import named, quote_ids, said

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..outcome import Outcome


def _set(value: Any) -> bool:
    return value is not None and value != "" and value != {}


def _not_llm(a: "Analysis") -> Optional["Outcome"]:
    return None if a.llm_system else not_applicable("not an LLM system")


def _query_embedders(a: "Analysis", vdb: str) -> list[str]:
    """Embedding models on the request path whose vectors are searched in ``vdb``: those with
    a flow into it, and those with no flow into any index whose caller also looks ``vdb`` up."""
    g = a.graph
    found = []
    for emb in g.of_kind("embedding_model"):
        if not g.on_request_path(emb):
            continue
        targets = [t for t in g.successors(emb) if g.kind(t) in ("vector_db", "semantic_cache")]
        if vdb in targets:
            found.append(emb)
        elif not targets and any(g.on_request_path(caller) and g.has_edge(caller, vdb, "request")
                                 for caller in g.predecessors(emb, "request")):
            found.append(emb)
    return found


def _describe(a: "Analysis", cid: str) -> str:
    comp = a.graph.get(cid)
    version = comp.version or "no version"
    return f"'{cid}' ({comp.tech} {version})" if comp.tech else f"'{cid}' ({version})"


@rule(code="DG701", slug="llm-no-evaluation", pillar="llm", severity="warning", level="L5",
      summary="the LLM system is not evaluated both offline and on live traffic",
      fix="add an llm_evaluation with offline: true (golden set) and online evaluation (sampled live traces, "
          "or an experiment on live metrics)")
def llm_no_evaluation(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to LLM systems. Satisfied when answers are evaluated offline before release
    (an `llm_evaluation` with `offline: true`: a golden set, a test-checked harness) and
    on live traffic (an `llm_evaluation` with `online: true`, an experiment reading live
    metrics, or a monitor tracking answer quality on labels). Reported when either side
    is missing, naming it.

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
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    evals = g.of_kind("llm_evaluation")
    offline = [c for c in evals if g.get(c).offline]
    online = [c for c in evals if g.get(c).online]
    live = online or g.of_kind("experimentation") or a.monitoring.quality_monitors
    if offline and live:
        return satisfied(Evidence(f"'{offline[0]}' scores a golden set; '{live[0]}' judges live traffic",
                                  g.path_of(offline[0])))
    if not evals and not live:
        return violated(Violation(("components",), "the LLM system has no evaluation: answers are scored neither "
                                                   "offline on a golden set nor on live traffic"))
    gaps = [m for m, ok in (("offline evaluation (a golden set before release)", offline),
                            ("online evaluation (sampled live traffic or an experiment)", live)) if not ok]
    where = g.path_of(evals[0]) if evals else ("components",)
    return violated(Violation(where, f"the LLM system lacks {' and '.join(gaps)}",
                              component=evals[0] if evals else None))


@rule(code="DG702", slug="llm-no-guardrails", pillar="llm", severity="warning", level="L5",
      summary="no guardrails on the LLM request path",
      fix="put a guardrails component on the request path (input: prompt injection, PII; output: safety)")
def llm_no_guardrails(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to LLM systems whose llm answers requests. Satisfied by a `guardrails`
    component on the request path, before or after the llm. Reported otherwise; a
    guardrails component off the request path does not count, and the finding then points
    at it.

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
    """
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    if not a.llm.request_llms:
        return not_applicable("no llm answers requests")
    guards = g.of_kind("guardrails")
    on_path = [c for c in guards if g.on_request_path(c)]
    if on_path:
        return satisfied(Evidence(f"{named(a, on_path[0])} checks the request path", g.path_of(on_path[0])))
    if guards:
        return violated(Violation(g.path_of(guards[0]), f"guardrails {quote_ids(guards)} are not on the request path: "
                                  f"no prompt or answer passes through them", component=guards[0]))
    llms = a.llm.request_llms
    serves = f" in front of {quote_ids(llms)}" if llms else ""
    return violated(Violation(("components",), f"no guardrails component on the request path{serves}: prompts and "
                                               f"answers are not checked for injection, PII or unsafe content"))


@rule(code="DG703", slug="rag-embedding-version-skew", pillar="llm", severity="error", level="L5",
      summary="queries are embedded by a different model or version than the index they search",
      fix="embed queries with the same embedding model and version that built the index, and pin that version")
def rag_embedding_version_skew(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to LLM systems with a vector index. For each `vector_db`, compares the
    embedding model that embeds queries (an embedding_model on the request path) with the
    one named by the vector_db's `embedding_model` (the one that built the index).
    Reported when the query-side model is another component with a different `version`
    (or, when both give a `tech`, a different tech); when the named model has no
    `version`; and when a vector_db searched by a query embedder names no
    `embedding_model` at all. One pinned model and version on both sides satisfies it.

    ## Why is this bad?
    Vectors from two embedding models, or two versions of one, live in different spaces:
    nearest-neighbour search returns unrelated documents with no error at all. It is an
    error because retrieval is silently broken, not degraded.

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
    """
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    indexes = g.of_kind("vector_db")
    if not indexes:
        return not_applicable("no vector index")
    problems, evidence, reported = [], [], set()
    for vdb in indexes:
        ref_id = g.get(vdb).embedding_model
        ref = g.get(ref_id) if ref_id in g.components and g.kind(ref_id) == "embedding_model" else None
        if ref is not None and not ref.version and ref_id not in reported:
            reported.add(ref_id)
            problems.append(Violation(g.path_of(ref_id, "version"), f"embedding model '{ref_id}', which built the "
                                      f"index of '{vdb}', has no version: an upgrade of it or of the query embedder "
                                      f"silently mixes vector spaces", component=ref_id))
        for emb in _query_embedders(a, vdb):
            if emb == ref_id:
                continue
            if not ref_id:
                problems.append(Violation(g.path_of(vdb, "embedding_model"), f"vector_db '{vdb}' is searched with "
                                          f"vectors from '{emb}' but does not name the embedding_model that built "
                                          f"its index, so their versions cannot be checked", component=vdb))
                continue
            if ref is None or not ref.version:
                continue
            comp = g.get(emb)
            techs = (normalize(comp.tech) if comp.tech else None, normalize(ref.tech) if ref.tech else None)
            if comp.version != ref.version or (all(techs) and techs[0] != techs[1]):
                problems.append(Violation(g.path_of(emb, "version"), f"query embedder {_describe(a, emb)} differs from "
                                          f"{_describe(a, ref_id)}, which built the index of '{vdb}': queries and "
                                          f"documents are embedded in different vector spaces", component=emb))
        if ref is not None and ref.version:
            evidence.append(Evidence(f"'{vdb}' is built and queried with {_describe(a, ref_id)}", g.path_of(vdb)))
    if not problems and not evidence:
        return gap("the index does not name the model that built it")
    return check(problems, *evidence)


@rule(code="DG704", slug="llm-no-cost-controls", pillar="llm", severity="warning", level="L5",
      summary="LLM traffic above 10 qps with no rate limits, budget or semantic cache",
      fix="route LLM calls through an llm_gateway with rate_limits and a budget, or add a semantic_cache")
def llm_no_cost_controls(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to LLM systems with `requirements.peak_qps` above 10 (below that the token
    bill is small). Satisfied by an `llm_gateway` with `rate_limits` or `budget`, or a
    `semantic_cache`. Reported otherwise; a gateway without limits or budget does not
    count, and the finding then points at it.

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
    - Research notes, LLM-05 and LLM-06: token cost controls and semantic caching.
    """
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    qps = g.requirements.peak_qps
    if qps is None or qps <= 10:
        return not_applicable("LLM traffic is not stated above 10 qps")
    gateways = g.of_kind("llm_gateway")
    limited = [c for c in gateways if _set(g.get(c).rate_limits) or _set(g.get(c).budget)]
    if limited:
        return satisfied(Evidence(f"'{limited[0]}' caps spend with rate limits or a budget", g.path_of(limited[0])))
    caches = g.of_kind("semantic_cache")
    if caches:
        return satisfied(Evidence(f"'{caches[0]}' answers repeated questions without a model call",
                                  g.path_of(caches[0])))
    if gateways:
        return violated(Violation(g.path_of(gateways[0]), f"llm_gateway {quote_ids(gateways)} sets no rate_limits or "
                                  f"budget and there is no semantic_cache, at a peak of {qps:g} qps",
                                  component=gateways[0]))
    llms = g.of_kind("llm")
    calls = f" to {quote_ids(llms)}" if llms else ""
    return violated(Violation(("components",), f"peak of {qps:g} qps of LLM calls{calls} with no llm_gateway "
                                               f"rate_limits or budget and no semantic_cache: nothing caps the token "
                                               f"spend"))


@rule(code="DG705", slug="llm-no-fallback", pillar="llm", severity="warning", level="L5",
      summary="an llm users wait on has no fallback model",
      fix="name another llm component as its fallback (another provider or a self-hosted model)")
def llm_no_fallback(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to llms on the request path. Satisfied when each names a `fallback` (another
    llm); an llm that is itself some llm's fallback needs none, so a chain ends cleanly.
    Reported without one in a design that plans for production load (it states a latency
    budget or peak QPS); in a sketch that states neither the gap costs points but is not
    raised.

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
    """
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    llms = g.of_kind("llm")
    fallbacks = {g.get(c).fallback for c in llms if g.get(c).fallback != c}
    judged = [c for c in llms if g.on_request_path(c) and c not in fallbacks]
    if not judged:
        return not_applicable("no llm answers requests")
    without = [c for c in judged if not (g.get(c).fallback and g.get(c).fallback != c)]
    if not without:
        return satisfied(*[Evidence(f"'{c}' falls back to '{g.get(c).fallback}'", g.path_of(c, "fallback"))
                           for c in judged])
    req = g.requirements
    if req.latency_p99_ms is None and req.peak_qps is None:
        return gap(f"{quote_ids(without)} name no fallback")
    return violated(*[Violation(g.path_of(c, "fallback"), f"llm '{c}'"
                                f"{' (' + g.get(c).tech + ')' if g.get(c).tech else ''} on the request path has no "
                                f"fallback: an outage or rate limit of it fails every request", component=c)
                      for c in without])


@rule(code="DG706", slug="rag-no-access-control", pillar="llm", severity="error", level="L5",
      summary="retrieval over the organisation's records with no document permissions or tenant isolation",
      fix="filter retrieval by the asker's permissions (document ACLs or a partition per tenant) and say so: "
          "vector_db access_control: document or tenant")
def rag_no_access_control(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to LLM systems that retrieve from a vector index filled from records (a
    source_db, database or warehouse: tickets, accounts, internal pages, customers'
    data). Satisfied when the index says who may retrieve what (`access_control:
    document`, `tenant` or `role`). Reported when it says nothing or `none`. Indexes of
    public material only (a lake of help-center articles) are not applicable.

    ## Why is this bad?
    An index of every customer's tickets and the internal runbooks, searched for whoever
    asks, hands one customer's data to another and internal procedures to the public. It
    is a data breach by design, so an interviewer always raises it: an error.

    ## Example
    ```yaml
    vectors: {kind: vector_db, tech: pinecone}     # tickets of all customers and internal runbooks
    flows:
      - "tickets -> ingest -> embedder -> vectors"
      - "widget -> orchestrator -> vectors"
    ```

    ## Use instead
    ```yaml
    vectors: {kind: vector_db, tech: pinecone, access_control: document}   # filtered by the asker's ACLs
    ```

    ## References
    - GAL, GENSEC01/GENSEC03: least-privilege access to the data a generative workload
      retrieves.
    - OWASP Top 10 for LLM Applications: sensitive information disclosure.
    """
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    judged, problems, evidence = 0, [], []
    for vdb in a.llm.retrieval:
        records = a.llm.record_sources(vdb)
        if not records:
            continue
        judged += 1
        control = getattr(g.get(vdb), "access_control", None)
        if control and control != "none":
            evidence.append(Evidence(f"'{vdb}' filters retrieval by {control}", g.path_of(vdb, "access_control")))
            continue
        who = quote_ids(a.llm.audiences) if a.llm.audiences else "whoever asks"
        problems.append(Violation(g.path_of(vdb), f"'{vdb}' indexes records from {quote_ids(records)} and is searched "
                                  f"for {who} with no document permissions or tenant isolation: anyone can retrieve "
                                  f"anyone's data", component=vdb))
    if not judged:
        return not_applicable("no index holds the organisation's records")
    return check(problems, *evidence)


@rule(code="DG707", slug="semantic-cache-cross-tenant", pillar="llm", severity="warning", level="L5",
      summary="a semantic cache shares answers across tenants or users of different rights",
      fix="scope the semantic cache by tenant (or user or role): semantic_cache scope: tenant")
def semantic_cache_cross_tenant(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to LLM systems with a `semantic_cache` whose answers draw on the
    organisation's records (retrieval from a source_db, database or warehouse) or that
    serves more than one kind of client. Satisfied by `scope: tenant`, `user` or `role`.
    Reported when the cache is `global` or says nothing.

    ## Why is this bad?
    A semantic cache returns a stored answer to any question close enough to an earlier
    one. Built from one customer's tickets, that answer is served to the next customer
    who asks something similar: a leak that no retrieval filter stops, since the cache
    answers first.

    ## Example
    ```yaml
    cache: {kind: semantic_cache, tech: redis}
    ```

    ## Use instead
    ```yaml
    cache: {kind: semantic_cache, tech: redis, scope: tenant}
    ```

    ## References
    - Research notes, LLM-06: scope semantic caches by tenant, model and prompt version.
    - OWASP Top 10 for LLM Applications: sensitive information disclosure.
    """
    early = _not_llm(a)
    if early is not None:
        return early
    g = a.graph
    caches = a.llm.semantic_caches
    if not caches:
        return not_applicable("no semantic cache")
    private = any(a.llm.record_sources(v) for v in a.llm.retrieval)
    if not private and len(a.llm.audiences) < 2:
        return not_applicable("the cached answers draw on no private records and serve one audience")
    problems, evidence = [], []
    for cid in caches:
        scope = getattr(g.get(cid), "scope", None)
        if scope and scope != "global":
            evidence.append(Evidence(f"'{cid}' is scoped per {scope}", g.path_of(cid, "scope")))
        else:
            problems.append(Violation(g.path_of(cid), f"semantic cache '{cid}' is shared across "
                                      f"{'tenants' if private else 'audiences'} ({scope or 'no scope stated'}): an answer "
                                      f"built from one customer's data is served to another", component=cid))
    return check(problems, *evidence)


@rule(code="DG708", slug="index-deletions-not-propagated", pillar="llm", severity="warning", level="L6",
      summary="deleted or retracted records stay retrievable: the index is only ever upserted",
      fix="propagate deletes from the sources to the index (CDC, tombstones or periodic full rebuilds) and "
          "say vector_db syncs_deletes: true")
def index_deletions_not_propagated(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to vector indexes filled from records (a source_db, database or warehouse).
    Satisfied when the index says deletions reach it (`syncs_deletes: true`) or every
    record source ships a change log (`cdc: true`). Reported otherwise.

    ## Why is this bad?
    An erasure request, a retired runbook or a retracted answer removed at the source
    stays in the index and keeps being retrieved and quoted. That breaks privacy law as
    well as trust, and an incremental upsert-only ingestion never notices.

    ## Example
    ```yaml
    flows:
      - "tickets -> ingest -> embedder -> vectors"   # ingest upserts new and changed tickets
    ```

    ## Use instead
    ```yaml
    components:
      vectors: {kind: vector_db, tech: pinecone, syncs_deletes: true}
    ```

    ## References
    - MLTS, Data 5: the pipeline has appropriate privacy controls; deletions reach
      derived data.
    - Research notes, LLM-01: ingestion and deletion refresh of the index.
    """
    g = a.graph
    indexes = [v for v in g.of_kind("vector_db") if a.llm.record_sources(v)]
    if not indexes:
        return not_applicable("no index is filled from records")
    problems, evidence = [], []
    for vdb in indexes:
        records = a.llm.record_sources(vdb)
        if getattr(g.get(vdb), "syncs_deletes", None) or all(getattr(g.get(r), "cdc", None) for r in records):
            evidence.append(Evidence(f"deletions in {quote_ids(records, 2)} reach '{vdb}'", g.path_of(vdb)))
        else:
            problems.append(Violation(g.path_of(vdb), f"'{vdb}' is filled from {quote_ids(records)} but nothing says "
                                      f"deletions reach it: erased or retired records stay retrievable",
                                      component=vdb))
    return check(problems, *evidence)


@rule(code="DG709", slug="sensitive-data-to-third-party", pillar="llm", severity="warning", level="L6",
      summary="users' or company data is sent to a vendor-hosted model with no stated data handling",
      fix="state the vendor's retention for prompts (data_retention: zero, under an enterprise agreement), "
          "redact what must not leave, or self-host")
def sensitive_data_to_third_party(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models hosted by a vendor (an llm with `hosting: api` or a vendor's tech;
    an embedding model likewise) that receive what users send or records the design
    retrieves. Satisfied when the vendor component states its `data_retention` (zero
    retention, a contractual window). Reported otherwise. Self-hosted models are not
    applicable.

    ## Why is this bad?
    Prompts carry source code, tickets, medical or financial details. Sent to a third
    party, they may be retained, logged or used for training under default terms; a
    staff candidate states the data agreement, what is redacted and what may never leave.

    ## Example
    ```yaml
    llm: {kind: llm, tech: openai, hosting: api}
    ```

    ## Use instead
    ```yaml
    llm: {kind: llm, tech: openai, hosting: api, data_retention: zero}
    ```

    ## References
    - GAL, GENSEC02: data privacy for prompts sent to model providers.
    - OWASP Top 10 for LLM Applications: sensitive information disclosure.
    """
    g = a.graph
    vendors = _vendors(a)
    if not vendors:
        return not_applicable("no vendor-hosted model receives the design's data")
    evidence = []
    silent = []
    for cid in vendors:
        terms = _vendor_terms(a, cid)
        if terms is not None:
            evidence.append(terms)
        else:
            silent.append(cid)
    if not silent:
        return satisfied(*evidence)
    if all(_personal_data(a, cid) and _redaction(a, cid) is None for cid in silent):
        return missing("personal-data-to-third-party", "the personal data sent to the vendor is the finding")
    # one finding: the data terms are a decision about the design, not about each box
    techs = sorted({g.get(c).tech for c in silent if g.get(c).tech})
    return violated(Violation(g.path_of(silent[0]), f"{quote_ids(silent)} ({', '.join(techs) or 'vendor APIs'}) "
                              f"receive{'s' if len(silent) == 1 else ''} what users send, and nothing says what the "
                              f"vendor retains or may train on", component=silent[0]))


def _vendors(a: "Analysis") -> list[str]:
    """Vendor-hosted models (an API, or a vendor's tech not self-hosted) that receive data."""
    g = a.graph
    vendors = []
    for cid in g.of_kind("llm", "embedding_model"):
        comp = g.get(cid)
        tech = normalize(comp.tech or "")
        if getattr(comp, "hosting", None) == "api" or (tech in VENDOR_TECHS and getattr(comp, "hosting", None) != "self_hosted"):
            if g.on_request_path(cid) or g.predecessors(cid, "stream", "batch", "request"):
                vendors.append(cid)
    return vendors


def _senders(a: "Analysis", cid: str) -> list[str]:
    """The vendor, what calls it, and what calls those (a gateway, then the orchestrator)."""
    g = a.graph
    near = [cid]
    for _ in range(2):
        near += [e.src for c in list(near) for e in g.in_edges(c, "request", "stream", "batch") if e.src not in near]
    return near


def _vendor_terms(a: "Analysis", cid: str) -> Optional[Evidence]:
    """What the design states about the data a vendor receives: retention, or terms and redaction in words."""
    g = a.graph
    retention = (getattr(g.get(cid), "data_retention", None) or "").strip()
    if retention:
        return Evidence(f"'{cid}' keeps prompts for {retention}", g.path_of(cid, "data_retention"))
    return said(a, "vendor_terms", _senders(a, cid))


_SENSITIVE = frozenset({"personal", "financial", "health", "credentials"})
_PASS_ON = ("service", "api_gateway", "llm_gateway", "guardrails", "stream_processor", "batch_processor",
            "event_stream")


def _sensitive_path(a: "Analysis", cid: str) -> Optional[tuple[str, list[str], set[str]]]:
    """(source, classes, the components between) when a component whose data_classes are
    sensitive, or what reads it, sends on to ``cid``; None otherwise."""
    g = a.graph
    for source in sorted(g.components):
        classes = sorted(set(getattr(g.get(source), "data_classes", []) or []) & _SENSITIVE)
        if not classes:
            continue
        carriers = {source} | g.readers(source)
        if cid in carriers:
            return source, classes, set()
        reached = g.reachable(carriers, ("request", "stream", "batch"), through=_PASS_ON)
        if cid in reached:
            between = (reached | carriers) & (g.upstream([cid], ("request", "stream", "batch"), through=_PASS_ON))
            return source, classes, between
    return None


def _redaction(a: "Analysis", cid: str) -> Optional[Evidence]:
    """How personal data is kept out of what reaches ``cid``: a component on the way whose
    `redacts` covers it, a guardrail on the way that filters it, or redaction in words."""
    g = a.graph
    senders = _senders(a, cid)
    path = _sensitive_path(a, cid)
    on_way = (path[2] if path else set()) | set(senders)
    for c in sorted(on_way):
        redacts = set(getattr(g.get(c), "redacts", []) or [])
        if redacts and (path is None or set(path[1]) <= redacts):
            return Evidence(f"'{c}' redacts {', '.join(sorted(redacts))} data before it goes on", g.path_of(c, "redacts"))
    guards = [c for c in on_way if g.kind(c) == "guardrails"]
    filtering = a.prose.find("personal", guards)
    if filtering:
        return Evidence(f"'{filtering[0].owner}' filters personal data on the way: \"{filtering[0].text}\"",
                        filtering[0].path)
    return said(a, "redaction", senders)


def _personal_data(a: "Analysis", cid: str) -> Optional[Any]:
    """What shows that customers' personal, financial or health data reaches ``cid``: a
    component marked with such `data_classes` upstream of it, or the label of a flow into it
    (or into what calls it) naming such data. A guardrail's words name what it filters."""
    path = _sensitive_path(a, cid)
    if path is not None:
        source, classes, _ = path
        return _Shown(f"'{source}' holds {', '.join(classes)} data", a.graph.path_of(source, "data_classes"))
    owners = [c for c in _senders(a, cid) if a.graph.kind(c) != "guardrails"]
    found = a.prose.find("personal", owners, flows_only=True)
    return _Shown(f"a flow carries \"{found[0].text}\"", found[0].path) if found else None


class _Shown(NamedTuple):
    text: str
    path: tuple[Any, ...]


@rule(code="DG710", slug="personal-data-to-third-party", pillar="llm", severity="error", level="L5",
      summary="customers' personal, financial or health data goes to a vendor-hosted model with no redaction or "
              "data terms",
      fix="redact or tokenize personal data before the prompt, fetch only what the question needs, and state the "
          "vendor's terms (data_retention: zero under a data-processing agreement), or self-host")
def personal_data_to_third_party(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to vendor-hosted models (an llm with `hosting: api` or a vendor's tech; an
    embedding model likewise) that receive customers' personal, financial or health data
    (or credentials): a component marked `data_classes: [personal]` (or financial, health,
    credentials) whose data is sent on to the model through services, gateways and
    guardrails, or the label of a flow into the model, or into what calls it, naming such
    data ("full prompt with the customer's account numbers"). Satisfied when the vendor's
    `data_retention` is stated, a component on the way `redacts` those classes, or the
    design says how the data is protected (redaction, tokenization, a data-processing
    agreement, zero retention, a private endpoint). Reported otherwise. Designs that send
    no such data, or self-host, are not applicable.

    ## Why is this bad?
    A bank, insurer or clinic that pipes account numbers and transactions into a third
    party's API under default terms has a data-protection breach, not a design gap:
    interviewers stop there, which is why it is an error (a blocker). The fix is cheap: keep identifiers out of the prompt, fetch
    only what the question needs, and have the terms in writing.

    ## Example
    ```yaml
    flows:
      - "orchestrator -> gpt: full prompt with the customer's account numbers and transactions"
    components:
      gpt: {kind: llm, tech: openai, hosting: api}
    ```

    ## Use instead
    ```yaml
    components:
      accounts: {kind: service, data_classes: [personal, financial]}
      redactor: {kind: guardrails, redacts: [personal, financial]}
      gpt: {kind: llm, tech: openai, hosting: api, data_retention: zero}
    ```

    ## References
    - GAL, GENSEC02: protect sensitive data sent to model providers.
    - OWASP Top 10 for LLM Applications: sensitive information disclosure.
    """
    g = a.graph
    vendors = _vendors(a)
    if not vendors:
        return not_applicable("no vendor-hosted model receives the design's data")
    problems, evidence = [], []
    for cid in vendors:
        personal = _personal_data(a, cid)
        if personal is None:
            continue
        terms = _vendor_terms(a, cid) or _redaction(a, cid)
        if terms is not None:
            evidence.append(terms)
            continue
        tech = g.get(cid).tech
        problems.append(Violation(g.path_of(cid), f"'{cid}' ({tech or 'a vendor API'}) receives customers' personal "
                                  f"data ({personal.text}) with no redaction and no stated data terms",
                                  component=cid))
    if not problems and not evidence:
        return not_applicable("the design does not say that personal data reaches a vendor")
    return check(problems, *evidence)
