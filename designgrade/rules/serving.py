"""Serving rules (DG3xx): does the inference architecture fit who uses the predictions (step 4)?

Serving is judged against each model's consumers: who reads its predictions, whether they
wait for them, and how fresh they need them (a consumer's own `freshness`, else the
problem's). A daily consumer makes real-time GPUs overbuilt whatever the design says; a
checkout that waits makes a nightly batch underbuilt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..analysis.lifecycle import AUTOMATED
from ..analysis.problem import FAST, FRESHNESS_SECONDS, SLOW, say_seconds, schedule_seconds
from ..outcome import Evidence, Violation, check, gap, missing, not_applicable, satisfied, violated
from ..registry import rule
from .common import article, named, needs_models, needs_trained, quote_ids, said, which

if TYPE_CHECKING:
    from ..analysis import Analysis, ModelFacts
    from ..outcome import Outcome

# Predictions that depend on the request itself: the query typed, the auction now, the
# route asked for, the payment being made. They cannot be precomputed for everyone.
REQUEST_TASKS = ("search", "ads_ctr", "eta", "fraud_detection", "llm_rag", "llm_assistant")
FRONT_DOORS = ("load_balancer", "api_gateway", "service", "llm_gateway")
SLOW_STORES = ("data_warehouse", "data_lake")


def _num(value: float) -> str:
    """137.0 -> '137', 20000.0 -> '20,000', 2.5 -> '2.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _waited_on(a: "Analysis") -> list["ModelFacts"]:
    """Models a client waits for: online or in-process, reached from a client by request."""
    return [m for m in a.models if m.mode in ("online", "in_process") and m.client_callers]


def _online_servers(a: "Analysis") -> list[str]:
    """online_serving components that run a model called by request (not stream scorers)."""
    out = []
    for m in a.models:
        if m.mode == "online" and m.server_kind == "online_serving" and m.server not in out:
            out.append(m.server)
    return out


@rule(code="DG301", slug="overbuilt-realtime-serving", pillar="serving", severity="error", level="L5",
      summary="a model scores every request online although its consumers need hourly or slower predictions",
      fix="precompute predictions with batch_inference into a key_value_store the app reads at O(1), "
          "or acknowledge the trade-off (e.g. in-session signals)")
def overbuilt_realtime_serving(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models served online (an online_serving called by request). Reported when
    the freshness its consumers need is hourly, daily or weekly (a consumer's own
    `freshness`, else `requirements.freshness`) and the prediction does not depend on the
    request (any task but search, ads, ETA, fraud and LLM answers, which need the request
    itself); and, whatever freshness is stated, when no user or event waits for it at all:
    its only callers are jobs nobody calls (a scheduler that scores everyone at send time,
    an engine that builds weekly orders); a caller that states its own `latency_ms` (an
    MTA, a webhook receiver) answers traffic from outside and is no job. Also reported when
    `requirements.freshness` is realtime, seconds or minutes but every consumer states it
    reads the predictions hourly or slower: the stated requirement contradicts the
    design. Satisfied by online serving for consumers that need fresh answers; not
    applicable without online serving.

    ## Why is this bad?
    When the answer may be a day old, every prediction can be computed by a batch job and
    written to a key-value store that the app reads in a millisecond. A fleet of
    always-on model servers (often on GPUs) with a feature fetch per request costs far
    more, adds a p99 budget to defend and more ways to fail, and buys nothing the
    consumers use. The interview guide calls this "a classic trap", and choosing batch or
    online for the consumer is the judgment the serving step exists to test: an
    interviewer always raises it, so it is an error (acknowledge it as a trade-off when
    in-session signals really justify online scoring).

    ## Example
    ```yaml
    problem:
      task: ranking
      requirements: {freshness: daily}
    components:
      scheduler: {kind: service}          # fires once a day per user
      ranker: {kind: online_serving, hardware: gpu:a100}
    flows:
      - "scheduler -> ranker"
    ```

    ## Use instead
    ```yaml
    components:
      nightly: {kind: batch_inference, schedule: hourly}   # one cohort per send hour
      picks: {kind: key_value_store, tech: redis}
    flows:
      - "nightly -> picks"
      - "sender -> picks"
    ```
    If in-session signals do justify online scoring, keep it and list the rule under
    `tradeoffs` with the reason.

    ## References
    - SEED, pillar 2 (Inference architecture): recommending real-time inference for a
      problem that can be solved offline is the classic trap; nightly Airflow batch
      predictions into DynamoDB or Redis serve at O(1).
    - CH, batch vs online prediction: batch prediction suits predictions that can be
      computed ahead for a bounded set of users or items.
    - MLL, cost pillar (MLCOST): pick the cheapest inference option that meets the
      requirement.
    """
    online = [m for m in a.models if m.mode == "online" and m.server_kind in ("online_serving",)]
    if not online:
        early = needs_models(a)
        return early if early is not None else not_applicable("no model is served online")
    g = a.graph
    problems: dict[str, Violation] = {}
    evidence = []
    required = g.requirements.freshness
    for m in online:
        if not m.reaches_consumer:
            continue  # nothing calls it: model-not-deployed's finding
        freshness, source = m.needed_freshness
        stated = [c.freshness for c in m.consumers if c.freshness]
        gpu = f" on {m.hardware}" if m.on_gpu else ""
        if required in FAST and stated and len(stated) == len(m.consumers) and all(s in SLOW for s in stated):
            problems.setdefault(m.server, Violation(("problem", "requirements", "freshness"),
                                f"requirements.freshness is {required}, but every consumer of {which(m)} reads "
                                f"its predictions {min(stated, key=lambda s: FRESHNESS_SECONDS[s])} or slower: "
                                f"'{m.server}' scores online{gpu} for a freshness nobody uses", component=m.server))
            continue
        # A root caller that states its own request latency (an MTA, a webhook receiver)
        # answers live traffic from outside the design: it is not a job nobody waits on.
        live_roots = [r for r in m.roots if getattr(g.get(r), "latency_ms", None) is not None
                      or g.kind(r) == "api_gateway"]
        scheduled = not m.client_callers and not m.stream_fed and bool(m.roots) and not live_roots
        if scheduled and freshness not in SLOW:
            problems.setdefault(m.server, Violation(g.path_of(m.server),
                                f"'{m.server}' scores {which(m)} online{gpu}, but no user or event waits on it: its "
                                f"only callers {quote_ids(m.roots)} are jobs nobody calls, so batch_inference "
                                f"writing a table they read would do the same", component=m.server))
            continue
        if freshness not in SLOW:
            if freshness in FAST:
                evidence.append(Evidence(f"{which(m)} scores online for {article(freshness)} {freshness} freshness",
                                         m.path))
            continue
        if a.task in REQUEST_TASKS and not scheduled:
            evidence.append(Evidence(f"{which(m)} needs the request itself ({a.task})", m.path))
            continue
        who = (f"its callers {quote_ids(m.roots)} are jobs nobody waits on" if scheduled
               else f"the {a.task} predictions can be computed ahead")
        problems.setdefault(m.server, Violation(g.path_of(m.server),
                            f"'{m.server}' scores {which(m)} on every request{gpu}, but its predictions need to be "
                            f"only {freshness} fresh ({source}) and {who}: batch_inference into a key_value_store "
                            f"would serve the same at O(1)", component=m.server))
    if problems:
        return violated(*problems.values())
    if evidence:
        return satisfied(*evidence)
    return not_applicable("no freshness is stated to weigh online serving against")


@rule(code="DG302", slug="underbuilt-batch-serving", pillar="serving", severity="error", level="L5",
      summary="predictions are precomputed in batch, but their consumers need answers fresher than the batch",
      fix="serve the model online (or score it from the event stream) for the consumers that need fresh "
          "answers, or schedule the batch as often as they need")
def underbuilt_batch_serving(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models served in batch (a batch_inference, or outputs precomputed into an
    index or store). Reported when a consumer waits on the precomputed answer for a
    request whose answer depends on the request itself (search, ads, ETA, fraud, an LLM
    answer), when the consumers need realtime or seconds freshness, or when the batch
    runs less often than the freshness they need (an hourly job for minutes). Satisfied
    when the batch cadence meets the consumers' freshness. Models scored online,
    asynchronously from a stream, in-process inside a service or on the device are not
    applicable: each of those answers the request being made.

    ## Why is this bad?
    A fraud score computed last night for a card says nothing about the payment being
    made now; an hourly batch cannot meet a five-minute promise. The serving mode cannot
    meet its consumer, so the design fails its own requirement: an error.

    ## Example
    ```yaml
    problem:
      task: fraud_detection
      requirements: {freshness: realtime}
    components:
      nightly: {kind: batch_inference, schedule: daily}
      scores: {kind: key_value_store, tech: redis}
    flows:
      - "nightly -> scores"
      - "checkout -> scores"
    ```

    ## Use instead
    ```yaml
    components:
      scorer: {kind: online_serving, tech: triton, latency_ms: 20}
      features: {kind: feature_store, tech: feast, online_store: redis}
    flows:
      - "checkout -> scorer -> features"
    ```

    ## References
    - SEED, pillar 2: real-time prediction is necessary for ad targeting and fraud
      detection, served from a model endpoint behind a load balancer.
    - CH, batch vs online prediction: batch prediction cannot react to inputs it has not
      seen, such as new users, sessions or unbounded queries.
    """
    batch = [m for m in a.models if m.mode == "batch" and m.role not in ("embedding", "candidate_generation")]
    if not batch:
        early = needs_models(a)
        if early is not None:
            return early
        served = [m for m in a.models if m.mode != "none"]
        if not served:
            return missing("model-not-deployed", "no model is served")
        modes = sorted({m.mode.replace("_", "-") for m in served})
        return not_applicable(f"predictions are made {', '.join(modes)}, for the request being made")
    g = a.graph
    problems, evidence = [], []
    for m in batch:
        if not m.reaches_consumer:
            continue
        freshness, source = m.needed_freshness
        waiting = m.client_callers
        comp = g.components.get(m.server) if m.server else None
        period = schedule_seconds(getattr(comp, "schedule", None))
        if waiting and a.task in REQUEST_TASKS:
            problems.append(Violation(g.path_of(m.server), f"{quote_ids(waiting)} wait{'s' if len(waiting) == 1 else ''} "
                                      f"on {which(m)}, precomputed in batch by '{m.server}', but a {a.task} answer "
                                      f"depends on the request being made", component=m.server))
        elif freshness in ("realtime", "seconds") and (waiting or m.mode == "batch"):
            problems.append(Violation(g.path_of(m.server), f"{which(m)} is precomputed in batch by '{m.server}', but "
                                      f"its predictions must be {freshness} fresh ({source})", component=m.server))
        elif period is not None and freshness and period > FRESHNESS_SECONDS[freshness] * 1.5:
            problems.append(Violation(g.path_of(m.server, "schedule"), f"'{m.server}' recomputes {which(m)} every "
                                      f"{say_seconds(period)}, but its predictions must be {freshness} fresh "
                                      f"({source})", component=m.server))
        else:
            cadence = f" every {say_seconds(period)}" if period else ""
            need = f" for {article(freshness)} {freshness} freshness" if freshness else ""
            evidence.append(Evidence(f"{which(m)} is precomputed{cadence} by '{m.server}'{need}", m.path))
    if problems:
        return violated(*problems)
    if evidence:
        return satisfied(*evidence)
    return missing("model-not-deployed", "no batch model reaches a consumer")


@rule(code="DG303", slug="batch-without-key-value-store", pillar="serving", severity="warning", level="L5",
      summary="batch predictions are never written where their consumers can read them",
      fix="write batch_inference output into a key_value_store, cache or database the consumer reads")
def batch_without_key_value_store(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models served in batch. Satisfied when their predictions land, directly or
    through streams, jobs, lakes and warehouses, in a store their consumers read: a
    key-value store, cache, database, feature store or index, or a warehouse table read
    by people and tools. Reported when a client's request reads the predictions from a
    lake or warehouse (an analytical scan on every page load), or when they land nowhere
    a consumer reads.

    ## Why is this bad?
    Batch prediction pays off only when the consumer fetches a precomputed answer at
    O(1). Predictions dumped in a lake are unreachable at request time, or read with a
    slow analytical query on every page load; either way the design does not say how
    users see them.

    ## Example
    ```yaml
    flows:
      - "nightly -> warehouse"
      - "app -> api -> warehouse: today's recommendations"
    ```

    ## Use instead
    ```yaml
    flows:
      - "nightly -> predictions"          # a key_value_store
      - "app -> api -> predictions"
    ```

    ## References
    - SEED, pillar 2: run the model nightly with Airflow and dump the results into a fast
      key-value store (DynamoDB, Redis) for the UI to read instantly at O(1).
    - CH, batch prediction: precomputed predictions are stored and retrieved at request
      time.
    """
    batch = [m for m in a.models if m.mode == "batch"]
    if not batch:
        return not_applicable("no model is served in batch")
    g = a.graph
    problems, evidence = [], []
    for m in batch:
        pushed = [c for c in m.consumers if c.how == "push"]
        if pushed and not any(c.how == "store" for c in m.consumers):
            evidence.append(Evidence(f"'{m.server}' delivers {which(m)} to '{pushed[0].cid}'", m.path))
            continue
        if not m.prediction_stores:
            problems.append(Violation(g.path_of(m.server), f"{which(m)} is precomputed by '{m.server}' but written "
                                      f"into no store anyone reads", component=m.server))
            continue
        slow = [c for c in m.consumers if c.via and g.kind(c.via) in SLOW_STORES and c.cid in g.request_path]
        if slow:
            c = slow[0]
            problems.append(Violation(g.path_of(c.via), f"'{c.cid}' reads {which(m)} from '{c.via}' "
                                      f"({g.kind(c.via)}) on every request: an analytical store answers in seconds, "
                                      f"not at O(1)", component=c.via))
        elif m.consumers:
            c = m.consumers[0]
            evidence.append(Evidence(f"{which(m)} lands in {named(a, c.via)}, read by '{c.cid}'", m.path))
        else:
            problems.append(Violation(g.path_of(m.server), f"{which(m)} is written to "
                                      f"{quote_ids(m.prediction_stores)}, which no consumer reads", component=m.server))
    return check(problems, *evidence)


@rule(code="DG304", slug="latency-budget-exceeded", pillar="serving", severity="error", level="L5",
      summary="the slowest request path adds up to more than the p99 latency budget",
      fix="cut the slowest hops (cache, precompute, call lookups in parallel, optimize the model) or "
          "renegotiate the budget")
def latency_budget_exceeded(a: "Analysis") -> "Outcome":
    """## What it does
    Applies when `requirements.latency_p99_ms` is set and a request path exists. Adds up
    `latency_ms` of the components and flows along each request path from a client: a
    component's calls count in parallel (the slowest branch) unless it says `fanout:
    sequential`, when they add up. Reported when the slowest path exceeds the budget,
    naming the chain and its largest contributor; satisfied when it fits.

    ## Why is this bad?
    A p99 budget is a contract with the product: a feed that takes 140 ms when 100 ms was
    promised loses engagement, and an ads auction that misses its deadline serves no ad.
    A design whose own numbers do not fit its own requirement fails it: an error.

    ## Example
    ```yaml
    problem:
      requirements: {latency_p99_ms: 100}
    components:
      lb: {kind: load_balancer, latency_ms: 2}
      serving: {kind: online_serving, latency_ms: 120}
      features: {kind: feature_store, latency_ms: 15}
    flows:
      - "app -> lb -> serving -> features"
    ```

    ## Use instead
    ```yaml
    components:
      lb: {kind: load_balancer, latency_ms: 2}
      serving: {kind: online_serving, latency_ms: 40, optimizations: [onnx, dynamic_batching]}
      features: {kind: feature_store, latency_ms: 5}
    ```

    ## References
    - MLL, MLREL05-BP01 / performance: set and test latency targets for the endpoint.
    - Research notes, default numbers: a 100 ms end-to-end budget leaves 25-40 ms for the
      model and 10-25 ms for feature fetch; online store reads are 2-5 ms p99.
    - SEED, pillar 2: real-time p99 inference latency under 50 ms.
    """
    g = a.graph
    budget = g.requirements.latency_p99_ms
    if budget is None:
        return not_applicable("no latency budget is stated")
    total, path = a.latency.total, a.latency.chain
    if not path:
        if _waited_on(a):
            return missing("missing-latency-figures", "nothing on the request path states its latency")
        return not_applicable("no request path carries latency figures")
    if total <= budget:
        return satisfied(Evidence(f"the slowest request path takes {_num(total)} ms of a {_num(budget)} ms budget",
                                  ("problem", "requirements", "latency_p99_ms")))

    def own(cid: str) -> float:
        return getattr(g.get(cid), "latency_ms", None) or 0.0

    slowest = max(path, key=own)
    summed = f" (calls summed at {quote_ids(a.latency.sequential, 2)})" if a.latency.sequential else ""
    return violated(Violation(g.path_of(slowest),
                              f"request path {' -> '.join(path)} sums to {_num(total)} ms against a {_num(budget)} ms "
                              f"p99 budget ({_num(total - budget)} ms over){summed}; the largest share is "
                              f"'{slowest}' at {_num(own(slowest))} ms", component=slowest))


@rule(code="DG305", slug="missing-latency-figures", pillar="serving", severity="warning", level="L5",
      summary="a p99 budget is set but nothing on the request path says how long it takes",
      fix="give latency_ms to the components (and slow flows) on the request path, so the budget adds up")
def missing_latency_figures(a: "Analysis") -> "Outcome":
    """## What it does
    Applies when `requirements.latency_p99_ms` is set and a client waits on a model
    (online, or in-process inside a service on the request path). Reported when no
    component or flow on that request path has `latency_ms`; one figure anywhere on it
    satisfies it. Designs whose models run on the device, in batch or from a stream are
    not applicable: no request waits on a model server there.

    ## Why is this bad?
    Stating "p99 under 100 ms" and never splitting it between network, feature fetch and
    model is the most common gap interviewers probe: without the split nobody knows
    whether the design meets its own requirement.

    ## Example
    ```yaml
    problem:
      requirements: {latency_p99_ms: 100}
    components:
      serving: {kind: online_serving}
      features: {kind: feature_store}
    ```

    ## Use instead
    ```yaml
    components:
      serving: {kind: online_serving, latency_ms: 30}
      features: {kind: feature_store, latency_ms: 5}
    ```

    ## References
    - XA, step 1 and serving: state the latency requirement, then show the design meets it.
    - Research notes, SERV-02: the p99 budget is split into feature fetch, model and
      network.
    """
    g = a.graph
    budget = g.requirements.latency_p99_ms
    if budget is None:
        return not_applicable("no latency budget is stated")
    waited = _waited_on(a)
    if not waited:
        return not_applicable("no client waits on a model server")
    nodes = set(g.request_path) | set(g.clients)
    if any(getattr(g.get(c), "latency_ms", None) is not None for c in nodes):
        return satisfied(Evidence(f"the request path states latency_ms against the {_num(budget)} ms budget",
                                  ("problem", "requirements", "latency_p99_ms")))
    if any(e.latency_ms is not None for c in nodes for e in g.out_edges(c, "request")):
        return satisfied("request flows state their latency")
    m = waited[0]
    on_path = [c for c in g.components if c in g.request_path]
    shown = ", ".join(on_path[:6]) + (", ..." if len(on_path) > 6 else "")
    return violated(Violation(g.path_of(m.server), f"latency_p99_ms is {_num(budget)} ms but none of the request path "
                              f"({shown}) has latency_ms, so nothing shows the budget is met", component=m.server))


def _capacity(comp: Any) -> Optional[float]:
    per = getattr(comp, "max_qps_per_replica", None)
    if per is None:
        return None
    auto = getattr(comp, "autoscaling", None)
    size = (auto.max if auto is not None and auto.max else None) or getattr(comp, "replicas", None) or 1
    return size * per


@rule(code="DG306", slug="insufficient-capacity", pillar="serving", severity="error", level="L5",
      summary="an online serving fleet at full size cannot take the peak QPS",
      fix="raise autoscaling.max (or replicas) so that max x max_qps_per_replica covers peak_qps "
          "with headroom, or make each replica faster")
def insufficient_capacity(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to online_serving components that state `max_qps_per_replica` when
    `requirements.peak_qps` is set. Computes the largest capacity, `autoscaling.max`
    (else `replicas`, else 1) times `max_qps_per_replica`, and reports a fleet below the
    peak. Every online_serving is held to the full peak, since each request usually
    passes through every stage. A fleet that covers the peak satisfies it.

    ## Why is this bad?
    At peak the fleet saturates: queues grow, p99 latency explodes and requests time out,
    exactly when the traffic matters most. The design cannot carry its own stated load,
    so it is an error.

    ## Example
    ```yaml
    problem:
      requirements: {peak_qps: 20k}
    components:
      serving:
        kind: online_serving
        max_qps_per_replica: 500
        autoscaling: {min: 4, max: 20}      # 20 x 500 = 10k < 20k
    ```

    ## Use instead
    ```yaml
    components:
      serving:
        kind: online_serving
        max_qps_per_replica: 500
        autoscaling: {min: 8, max: 60}      # 60 x 500 = 30k, 50% headroom
    ```

    ## References
    - MLL, MLREL05-BP01: size and autoscale endpoints for peak load.
    - SEED, FAQ: a model is useless to the business if it crashes under user load.
    """
    g = a.graph
    peak = g.requirements.peak_qps
    if peak is None:
        return not_applicable("no peak_qps is stated")
    judged, problems, evidence = 0, [], []
    for cid in g.of_kind("online_serving"):
        capacity = _capacity(g.get(cid))
        if capacity is None:
            continue
        judged += 1
        if capacity < peak:
            problems.append(Violation(g.path_of(cid), f"'{cid}' serves at most {_num(capacity)} qps at full size, "
                                      f"below the peak of {_num(peak)} qps", component=cid))
        else:
            evidence.append(Evidence(f"'{cid}' carries {_num(capacity)} qps against a {_num(peak)} qps peak",
                                     g.path_of(cid)))
    if not judged:
        if _online_servers(a):
            return missing("missing-capacity-figures", "no replica capacity is stated")
        return not_applicable("no online_serving fleet to size")
    return check(problems, *evidence)


@rule(code="DG307", slug="no-load-balancer", pillar="serving", severity="warning", level="L5",
      summary="clients call a replicated model server directly, with nothing to spread the load",
      fix="put a load_balancer or api_gateway between the clients and the replicas")
def no_load_balancer(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to replicated online_serving (`replicas` > 1 or autoscaling) that a client
    calls. Reported when a client calls it directly; satisfied when a load_balancer,
    api_gateway, llm_gateway or a service of the design stands between them (a service
    calling a fleet balances on the client side or through its mesh). Servers scored from
    a stream or called by no client are not applicable.

    ## Why is this bad?
    Replicas without something that spreads requests across them, drains a failing one
    and lets a new version take traffic gradually are replicas in name only. The guide:
    deploy the model endpoint behind a load balancer.

    ## Example
    ```yaml
    flows:
      - "app -> serving"        # serving has 8 replicas
    ```

    ## Use instead
    ```yaml
    flows:
      - "app -> lb -> serving"
    ```

    ## References
    - SEED, pillar 2: deploy the model endpoint behind a load balancer.
    - MLL, MLREL05: endpoints behind load balancing across availability zones.
    """
    g = a.graph
    judged, problems, evidence = 0, [], []
    for cid in _online_servers(a):
        comp = g.get(cid)
        replicated = (comp.replicas or 1) > 1 or comp.autoscaling is not None
        callers = [e.src for e in g.in_edges(cid, "request")]
        if not replicated or not callers:
            continue
        judged += 1
        direct = [c for c in callers if g.kind(c) == "client"]
        if direct:
            problems.append(Violation(g.path_of(cid), f"client {quote_ids(direct)} calls '{cid}' "
                                      f"({comp.replicas or 'autoscaled'} replicas) directly, with no load balancer "
                                      f"or gateway in between", component=cid))
        else:
            evidence.append(Evidence(f"'{cid}' is reached through {quote_ids(callers, 2)}", g.path_of(cid)))
    if not judged:
        return not_applicable("no replicated model server is called by a client")
    return check(problems, *evidence)


@rule(code="DG308", slug="no-autoscaling", pillar="serving", severity="warning", level="L6",
      summary="a fixed fleet with little headroom over the peak, and no autoscaling",
      fix="add autoscaling: {min, max, metric} sized from the peak, or size the fixed fleet with clear headroom")
def no_autoscaling(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to online_serving that runs a model when `requirements.peak_qps` is set.
    Satisfied by `autoscaling`, or by a fixed fleet whose capacity (replicas x
    max_qps_per_replica) is at least 1.5 times the peak: a small service at 50 QPS on
    three replicas needs no autoscaler. Reported for a fixed fleet with less headroom than
    that. A fleet whose capacity is unknown is left to missing-capacity-figures.

    ## Why is this bad?
    Traffic follows the day: a fleet sized for the peak idles most of the time, and one
    sized for the average falls over at the peak. Staff-level answers talk about scaling
    on a signal (QPS, GPU utilization, queue depth) with a floor and a ceiling, or show
    the arithmetic that makes a fixed fleet enough.

    ## Example
    ```yaml
    problem:
      requirements: {peak_qps: 20k}
    components:
      serving: {kind: online_serving, replicas: 20, max_qps_per_replica: 1k}
    ```

    ## Use instead
    ```yaml
    components:
      serving:
        kind: online_serving
        max_qps_per_replica: 1k
        autoscaling: {min: 8, max: 40, metric: qps_per_replica}
    ```

    ## References
    - MLL, MLREL05-BP01 and MLCOST: autoscale endpoints to demand.
    - SEED, "The Shift": manage the cost of inference by scaling dynamically.
    """
    g = a.graph
    peak = g.requirements.peak_qps
    servers = _online_servers(a)
    if peak is None or not servers:
        return not_applicable("no peak_qps, or no model served online")
    problems, evidence, unknown = [], [], ""
    for cid in servers:
        comp = g.get(cid)
        if comp.autoscaling is not None:
            evidence.append(Evidence(f"'{cid}' autoscales", g.path_of(cid, "autoscaling")))
            continue
        capacity = _capacity(comp)
        if capacity is None:
            unknown = unknown or "missing-capacity-figures"
            continue  # that fleet is missing-capacity-figures' finding; judge the others
        if capacity < peak:
            unknown = unknown or "insufficient-capacity"
            continue
        headroom = capacity / peak if peak else float("inf")
        if headroom >= 1.5:
            evidence.append(Evidence(f"'{cid}' is a fixed fleet with {headroom:.1f}x headroom over the peak",
                                     g.path_of(cid)))
        else:
            problems.append(Violation(g.path_of(cid), f"'{cid}' is a fixed fleet of {comp.replicas or 1} replicas with "
                                      f"only {headroom:.1f}x headroom over the {_num(peak)} qps peak, and no "
                                      f"autoscaling", component=cid))
    if problems:
        return violated(*problems)
    if unknown:
        return missing(unknown, "a fleet's capacity is unknown or below the peak")
    return satisfied(*evidence)


@rule(code="DG309", slug="gpu-without-optimization", pillar="serving", severity="warning", level="L6",
      summary="a latency-bound model served on GPUs without TensorRT, ONNX, quantization or batching",
      fix="list optimizations: [tensorrt, dynamic_batching] (or onnx, quantization) on the GPU server")
def gpu_without_optimization(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to online_serving on GPUs (`hardware: gpu` or `gpu:<name>`) when the latency
    budget is under 100 ms. Satisfied by any of tensorrt, onnx, quantization or
    dynamic_batching in `optimizations`; reported without one.

    ## Why is this bad?
    A GPU runs an unoptimized model one request at a time with most of its capacity idle.
    Compiling it (TensorRT, ONNX Runtime), quantizing it and batching requests
    dynamically is what brings p99 under 50 ms at a cost that makes GPUs worth it.

    ## Example
    ```yaml
    serving: {kind: online_serving, hardware: gpu:a10g}
    ```

    ## Use instead
    ```yaml
    serving: {kind: online_serving, hardware: gpu:a10g, optimizations: [tensorrt, dynamic_batching]}
    ```

    ## References
    - SEED, pillar 2: utilize GPU optimization tools (TensorRT, ONNX) to keep p99 under 50 ms.
    - MLL, MLCOST: right-size and optimize inference hardware.
    """
    g = a.graph
    budget = g.requirements.latency_p99_ms
    gpus = [c for c in g.of_kind("online_serving") if (getattr(g.get(c), "hardware", None) or "").startswith("gpu")]
    if not gpus or budget is None or budget >= 100:
        return not_applicable("no GPU serving under a tight latency budget")
    problems, evidence = [], []
    for cid in gpus:
        opts = g.get(cid).optimizations
        if opts:
            evidence.append(Evidence(f"'{cid}' uses {', '.join(opts)}", g.path_of(cid, "optimizations")))
        else:
            problems.append(Violation(g.path_of(cid, "hardware"), f"'{cid}' serves on {g.get(cid).hardware} under a "
                                      f"{_num(budget)} ms budget with no optimizations (tensorrt, onnx, "
                                      f"quantization, dynamic_batching)", component=cid))
    return check(problems, *evidence)


@rule(code="DG310", slug="no-serving-fallback", pillar="serving", severity="warning", level="L6",
      summary="a model server users wait on has no fallback when it or a store fails",
      fix="set fallback on the online_serving: popular items, the previous model's cached output, a rules engine")
def no_serving_fallback(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to online_serving that a client waits on. Satisfied by a `fallback`. Reported
    without one where failure is likely and costly: the server looks up a store on every
    request (a feature store, cache or database that can fail) and the design serves a
    peak of 1,000 QPS or more. Elsewhere the gap costs points but is not raised. Models on
    the device, in-process, in batch or from a stream are not applicable.

    ## Why is this bad?
    Model servers and the feature stores behind them fail: a bad deploy, a Redis
    failover, a GPU node lost. Without a planned degradation (a popularity list, the last
    good predictions, a rules engine) the product fails with them. "Redis is down: what
    does the homepage show?" is a standard staff follow-up.

    ## Example
    ```yaml
    serving: {kind: online_serving, tech: triton}
    ```

    ## Use instead
    ```yaml
    serving: {kind: online_serving, tech: triton, fallback: popular_items_cached}
    ```

    ## References
    - APG, 7.3: fall back to a heuristic or the last known good model.
    - RoML, rule 10: watch for silent failures.
    """
    g = a.graph
    servers = sorted({m.server for m in _waited_on(a) if m.server_kind == "online_serving"})
    if not servers:
        return not_applicable("no client waits on an online_serving")
    without = [c for c in servers if not (g.get(c).fallback or "").strip()]
    if not without:
        return satisfied(*[Evidence(f"'{c}' falls back to {g.get(c).fallback}", g.path_of(c, "fallback"))
                           for c in servers])
    # The fallback often lives in the service that calls the model ("on timeout, serve the
    # rules score"): the server's words, its callers' and the design's notes count.
    near = set(without) | {e.src for c in without for e in g.in_edges(c, "request")} | {None}
    words = said(a, "fallback", near)
    if words is not None:
        return satisfied(words)
    peak = g.requirements.peak_qps
    stores = ("feature_store", "key_value_store", "cache", "database", "source_db", "vector_db")
    fragile = [c for c in without if any(g.kind(r) in stores for r in g.reads(c))]
    if peak is None or peak < 1000 or not fragile:
        return gap(f"{quote_ids(without)} name no fallback")
    return violated(*[Violation(g.path_of(c), f"'{c}' serves {_num(peak)} qps that users wait on and depends on "
                                              f"{quote_ids(sorted(r for r in g.reads(c) if g.kind(r) in stores), 2)}, "
                                              f"but has no fallback: when it or a store fails, the product fails "
                                              f"with it", component=c)
                      for c in fragile])


@rule(code="DG311", slug="no-model-registry", pillar="serving", severity="warning", level="L5",
      summary="retrained models go straight to serving with no registry to version and roll them back",
      fix="put a model_registry (mlflow, sagemaker_model_registry) between training and serving")
def no_model_registry(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models trained here. Satisfied when a model_registry stands between the
    trainer and the server (training -> registry -> serving). Reported when the model is
    retrained automatically (on a schedule, a trigger or continuously) and goes to its
    server with no registry in between: nothing records which version serves or brings
    back the last good one. When retraining is not automated the gap costs points but is
    not raised. Models that are not trained here (a vendor's API, pretrained weights) are
    not applicable.

    ## Why is this bad?
    Without versioned artifacts and lineage, a bad retrain is found by users and undone by
    hand, if the previous model still exists at all. The registry is also where a gate,
    a canary and a rollback hang.

    ## Example
    ```yaml
    flows:
      - "training -> serving: pickled model"     # retrained weekly
    ```

    ## Use instead
    ```yaml
    flows:
      - "training -> registry -> serving"
    ```

    ## References
    - GCP, MLOps level 2: the model registry in the CI/CD pipeline.
    - MLL, MLREL05-BP02: version models and keep lineage.
    - SEED, FAQ: model registry versioning (MLflow).
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    problems, evidence, gaps = [], [], []
    for m in a.trained_models:
        if not m.trainer or not m.server:
            continue
        # a registry the trainer hands models to (directly or through a tracker), not one reached through logs
        registries = [r for r in g.reachable([m.trainer], ("batch", "stream", "request"),
                                             through=("experiment_tracking",))
                      if g.kind(r) == "model_registry"]
        if registries:
            evidence.append(Evidence(f"{which(m)} is versioned in {named(a, sorted(registries)[0])}", m.path))
            continue
        if a.retraining(m.trainer).cadence in AUTOMATED and a.deploys_automatically(m):
            problems.append(Violation(g.path_of(m.trainer), f"'{m.trainer}' retrains {which(m)} automatically and "
                                      f"ships it to '{m.server}' with no model_registry: no versions to compare or "
                                      f"roll back to", component=m.trainer))
        else:
            gaps.append(m.name)
    if problems:
        return violated(*problems)
    if gaps:
        return gap(f"{quote_ids(gaps)} are not versioned in a registry")
    if evidence:
        return satisfied(*evidence)
    return missing("model-not-deployed", "no trained model is wired from training to serving")


@rule(code="DG312", slug="no-automated-deployment", pillar="serving", severity="warning", level="L6",
      summary="models are retrained automatically but a person must deploy each one",
      fix="flow the registry into serving (with a gate and gradual rollout), or say promotion: manual and why")
def no_automated_deployment(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models trained here and kept in a model_registry. Satisfied when the
    registry (or the trainer) flows into the model's server, so a new version reaches
    serving without a hand-off. Reported when retraining is automated but nothing carries
    the result to serving. A design that says `deployment.promotion: manual` (a regulated
    model a person signs off) is not applicable, and so is one without a registry.

    ## Why is this bad?
    Retraining every day and deploying by hand means the fresh model waits for a person,
    or never ships; the automation stops halfway. GCP's level 2 closes the loop with
    continuous delivery from the registry.

    ## Example
    ```yaml
    flows:
      - "training -> registry"       # training runs daily; nothing deploys the result
    ```

    ## Use instead
    ```yaml
    flows:
      - "training -> registry -> serving: canary"
    ```

    ## References
    - GCP, MLOps level 2: CI/CD pipeline automation.
    - SEED, pillar 3: auto-deploying the new model if it beats the baseline.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    if not g.of_kind("model_registry"):
        return not_applicable("no model registry")
    if g.deployment is not None and g.deployment.promotion == "manual":
        return not_applicable("deployment.promotion is manual: a person signs off each model")
    problems, evidence, gaps = [], [], []
    for m in a.trained_models:
        if not m.trainer or not m.server:
            continue
        if a.deploys_automatically(m):
            evidence.append(Evidence(f"{which(m)} reaches '{m.server}' from the registry", m.path))
        elif a.retraining(m.trainer).cadence in AUTOMATED:
            problems.append(Violation(g.path_of(m.server), f"'{m.trainer}' retrains {which(m)} automatically, but "
                                      f"nothing carries a new version to '{m.server}'", component=m.server))
        else:
            gaps.append(m.name)
    if problems:
        return violated(*problems)
    if evidence:
        return satisfied(*evidence)
    return gap("deployment is not automated") if gaps else missing("model-not-deployed", "no model to deploy")


@rule(code="DG313", slug="missing-capacity-figures", pillar="serving", severity="warning", level="L5",
      summary="a peak QPS is stated but no model server says how much load one replica takes",
      fix="give each online_serving max_qps_per_replica (from a load test or an estimate) and a fleet size")
def missing_capacity_figures(a: "Analysis") -> "Outcome":
    """## What it does
    Applies when `requirements.peak_qps` is set and a model is served online. Reported
    for an online_serving without `max_qps_per_replica`: nothing shows the fleet can take
    the peak. Satisfied when each states it.

    ## Why is this bad?
    "20k requests a second on 4 replicas" is a claim until someone divides: per-replica
    throughput, how many candidates each request scores, the fleet size at peak.
    Interviewers expect the arithmetic at L5.

    ## Example
    ```yaml
    problem:
      requirements: {peak_qps: 20k}
    components:
      scoring: {kind: online_serving, replicas: 4}
    ```

    ## Use instead
    ```yaml
    components:
      scoring: {kind: online_serving, replicas: 8, max_qps_per_replica: 3k,
                autoscaling: {min: 8, max: 16, metric: cpu}}
    ```

    ## References
    - XA, step 1: QPS is a requirement the design must show it meets.
    - MLL, MLREL05-BP01: load-test and size endpoints.
    """
    g = a.graph
    peak = g.requirements.peak_qps
    servers = _online_servers(a)
    if peak is None or not servers:
        return not_applicable("no peak_qps, or no model served online")
    if peak < 100:
        return not_applicable(f"a peak of {_num(peak)} qps needs no capacity arithmetic")
    problems = [Violation(g.path_of(c), f"'{c}' must carry the {_num(peak)} qps peak but states no "
                                        f"max_qps_per_replica, so nothing shows it can", component=c)
                for c in servers if g.get(c).max_qps_per_replica is None]
    return check(problems, *[Evidence(f"'{c}' states {_num(g.get(c).max_qps_per_replica)} qps per replica",
                                      g.path_of(c)) for c in servers if g.get(c).max_qps_per_replica is not None])


@rule(code="DG314", slug="oltp-on-request-path", pillar="serving", severity="warning", level="L5",
      summary="the request path queries the operational database behind the product",
      fix="replicate what the model needs into a feature store, key-value store or cache and read that instead")
def oltp_on_request_path(a: "Analysis") -> "Outcome":
    """## What it does
    Applies when a client waits on a model. Reported when a component on that request path
    reads a source_db (the product's operational database) by request, unless the stated
    peak is small (under 500 QPS). Satisfied when the request path reads only stores built
    for lookups (a feature store, key-value store, cache or index).

    ## Why is this bad?
    An OLTP database sized for the product's writes now takes a read per scoring request:
    its p99 joins the model's, a slow query or a migration stalls every prediction, and
    the model's traffic can take the product down. Copy what the model needs into a store
    built for point lookups.

    ## Example
    ```yaml
    flows:
      - "app -> ads -> model"
      - "model -> users_db: profile"     # users_db: source_db (postgres), 20k qps
    ```

    ## Use instead
    ```yaml
    flows:
      - "users_db -> cdc_stream -> features"
      - "model -> features: profile features"
    ```

    ## References
    - MLL, MLREL03: decouple inference from operational data stores.
    - Research notes, default numbers: online store reads are 2-5 ms p99.
    """
    g = a.graph
    if not _waited_on(a):
        return not_applicable("no client waits on a model")
    peak = g.requirements.peak_qps
    hits = [(e.src, e.dst) for c in g.request_path for e in g.out_edges(c, "request") if g.kind(e.dst) == "source_db"]
    if not hits:
        return satisfied("the request path reads only stores built for lookups")
    if peak is not None and peak < 500:
        return satisfied(f"the request path reads a source_db, at a peak of only {_num(peak)} qps")
    src, db = hits[0]
    load = f" at {_num(peak)} qps" if peak else ""
    return violated(Violation(g.path_of(db), f"'{src}' queries source_db '{db}' on every request{load}: the product's "
                              f"operational database sits on the model's request path", component=db, flow=(src, db)))


@rule(code="DG315", slug="missing-latency-budget", pillar="serving", severity="warning", level="L5",
      summary="users wait on the model, but no latency budget is stated",
      fix="state requirements.latency_p99_ms and split it across the request path")
def missing_latency_budget(a: "Analysis") -> "Outcome":
    """## What it does
    Applies when a client waits on a model (online, or in-process inside a service).
    Satisfied by `requirements.latency_p99_ms`. Reported without one when the design
    sizes its traffic (it states `peak_qps`) or the model users wait on generates text (an
    LLM, where seconds per answer shape the whole product); otherwise the gap costs points
    but is not raised.

    ## Why is this bad?
    Latency decides the serving architecture: a 50 ms budget rules out a remote feature
    fetch per candidate, a per-keystroke completion rules out a large model without
    streaming. Without a number nothing in the design can be checked against it.

    ## Example
    ```yaml
    problem:
      task: llm_assistant
      requirements: {freshness: realtime}
    ```

    ## Use instead
    ```yaml
    problem:
      task: llm_assistant
      requirements: {freshness: realtime, latency_p99_ms: 400}
    ```

    ## References
    - XA, step 1: clarify latency requirements before designing.
    - Research notes: LLM time to first token around 200-500 ms p95 feels responsive.
    """
    waited = _waited_on(a)
    if not waited:
        return not_applicable("no client waits on a model")
    g = a.graph
    budget = g.requirements.latency_p99_ms
    if budget is not None:
        return satisfied(Evidence(f"a {_num(budget)} ms p99 budget", ("problem", "requirements", "latency_p99_ms")))
    generators = [m for m in waited if m.server_kind == "llm" or m.role == "generator"]
    if g.requirements.peak_qps is None and not generators:
        return gap("no latency budget is stated")
    m = generators[0] if generators else waited[0]
    why = "it waits for generated text" if generators else f"the design sizes {_num(g.requirements.peak_qps)} qps"
    return violated(Violation(("problem", "requirements"), f"{quote_ids(m.client_callers)} wait"
                              f"{'s' if len(m.client_callers) == 1 else ''} on {which(m)} and {why}, but no "
                              f"latency_p99_ms is stated", component=m.server))
