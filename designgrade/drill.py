"""Follow-up questions a senior interviewer would ask of one particular design.

Interviews are spoken: after the diagram come the follow-ups ("Redis is down: what does
the homepage show?", "how does a new video get its first impressions?"). Each kind of
question here is asked only when the design facts behind it hold, reads those facts from
the design's analysis, and names the design's own components; each comes with what a
strong answer covers and where the expectation comes from. The list is deterministic and
ordered by what matters most at the level asked for.

    from designgrade.drill import drill
    for q in drill(report.analysis, report.findings, level="L6", limit=8):
        print(q.text)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Optional

from .analysis.problem import EXPOSURE_TASKS, PROTECTIVE_TASKS, say_seconds

if TYPE_CHECKING:
    from .analysis import Analysis, ModelFacts

STATEFUL = ("feature_store", "key_value_store", "cache", "database", "source_db", "vector_db", "semantic_cache")


class Question(NamedTuple):
    kind: str  # which kind of follow-up (dependency-failure, cold-start, ...)
    text: str  # the question, in the design's own terms
    covers: tuple[str, ...]  # what a strong answer covers
    source: str  # where the expectation comes from
    level: str  # the level at which an interviewer asks it (L5, L6)
    weight: int  # how much it matters (higher first)
    about: tuple[str, ...] = ()  # the components it is about

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "covers": list(self.covers), "source": self.source,
                "level": self.level, "about": list(self.about)}


Asker = Callable[["Analysis", set[str]], Iterable[Question]]
_ASKERS: list[Asker] = []


def asks(fn: Asker) -> Asker:
    _ASKERS.append(fn)
    return fn


def _tech(a: "Analysis", cid: str) -> str:
    tech = getattr(a.graph.components.get(cid), "tech", None)
    return f"'{cid}' ({tech})" if tech else f"'{cid}'"


def _served_online(a: "Analysis") -> list["ModelFacts"]:
    return [m for m in a.models if m.mode in ("online", "in_process") and m.client_callers]


@asks
def dependency_failure(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    """A stateful store on the request path of a model users wait on fails."""
    g = a.graph
    seen: set[str] = set()
    for m in _served_online(a):
        near = [m.server] + sorted(c for c in m.callers if g.kind(c) not in ("client",))
        for cid in near:
            for store in sorted(g.reads(cid)):
                if g.kind(store) not in STATEFUL or store in seen:
                    continue
                seen.add(store)
                fallback = getattr(g.components.get(m.server), "fallback", None)
                hint = f" (the design names '{fallback}' as the fallback: when does it kick in?)" if fallback else ""
                yield Question("dependency-failure",
                               f"{_tech(a, store)} is down or slow: what does '{m.server}' serve "
                               f"{', '.join(repr(c) for c in m.client_callers[:2])} meanwhile?{hint}",
                               ("a timeout well inside the latency budget", "a degraded answer (defaults, cached or "
                                "popular results) rather than an error", "an alert and a way to tell degraded "
                                "answers apart in the logs"),
                               "SEED, pillar 2 and the follow-ups it stresses; APG 7.3 (fallbacks)", "L5",
                               9 if "no-serving-fallback" in fired else 7, (store, m.server))


@asks
def stale_streamed_features(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    g = a.graph
    for m in a.models:
        for p in a.features(m).producers:
            if g.kind(p.cid) != "stream_processor":
                continue
            streams = sorted(c for c in g.upstream([p.cid], ("stream", "batch")) if g.kind(c) == "event_stream")
            if not streams:
                continue
            yield Question("stale-features",
                           f"'{streams[0]}' lags an hour behind: which features of '{m.server or m.name}' go "
                           f"stale through '{p.cid}', and how would you notice before the metrics drop?",
                           ("consumer-lag and feature-age monitoring with alerts", "what the model does with stale "
                            "values (fall back to batch values, widen windows)", "how training saw the same "
                            "staleness, or did not"),
                           "CH, real-time ML (streaming features); MLTS Monitor 4 (staleness)", "L5", 6,
                           (streams[0], p.cid))
            return


@asks
def cold_start(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    if a.task not in EXPOSURE_TASKS or not a.models:
        return
    m = next((m for m in a.models if m.reaches_consumer), a.models[0])
    thing = {"search": "listing", "ads_ctr": "ad", "recommendation": "item", "ranking": "item"}[a.task]
    yield Question("cold-start",
                   f"a brand-new {thing} and a brand-new user arrive: what does {m.name!r} show them, and how does "
                   f"the new {thing} get its first impressions?",
                   ("content or metadata features that need no history", "a popularity or editorial prior for "
                    "new users", "an exploration budget that gives new items traffic", "how long until the "
                    "model has enough data, and how that is measured"),
                   "SEED, the Netflix prompt; RoML rule 35-36 (exploration)", "L5", 6, (m.server or m.name,))


@asks
def feedback_loop(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    if a.task not in EXPOSURE_TASKS or a.graph.data.labels != "implicit" or not a.trained_models:
        return
    m = a.trained_models[0]
    yield Question("feedback-loop",
                   f"{m.name!r} learns from clicks on what it chose to show: how do you keep it from narrowing onto "
                   f"its own past choices, and how do you correct for position?",
                   ("an exploration slice with logged propensities", "position as a feature or inverse propensity "
                    "weighting", "a metric that would show the narrowing (catalog coverage, new-item share)"),
                   "HTD section 4 (feedback loops); RoML rules 35-36", "L6",
                   9 if fired & {"feedback-loop-without-exploration", "position-bias-in-labels"} else 6,
                   (m.server or m.name,))


@asks
def label_delay(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    delay = a.graph.data.label_delay
    if not a.trained_models or delay is None or delay < 86400:
        return
    yield Question("label-delay",
                   f"labels arrive {say_seconds(delay)} after the prediction: how do you know the model is getting "
                   f"worse this week, and what window does each retrain train on?",
                   ("proxy or early labels and input/score drift as the early warning", "a training window that "
                    "ends early enough for labels to mature", "how the delay limits how fast the model can react"),
                   "CH, natural labels and feedback loop length; MLTS Monitor 7", "L5", 7, ())


@asks
def intervention(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    if a.graph.data.labels != "delayed" or a.task not in PROTECTIVE_TASKS | {"classification"}:
        return
    acting = [m for m in a.trained_models if m.reaches_consumer]
    if not acting:
        return
    yield Question("censored-labels",
                   f"the cases {acting[0].name!r} acts on (blocked, declined, contacted) never show their outcome: "
                   f"how does the next model learn about them?",
                   ("a small random holdout or reject-inference band", "sampled manual review of acted-on cases",
                    "how the holdout's cost is bounded"),
                   "HTD section 4; Stripe on counterfactual evaluation", "L6",
                   9 if "intervention-censored-labels" in fired else 7, ())


@asks
def peak_load(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    peak = a.graph.requirements.peak_qps
    online = _served_online(a)
    if peak is None or not online:
        return
    m = online[0]
    yield Question("peak-load",
                   f"traffic reaches three times the {peak:,.0f} qps peak in a sale or a news spike: what breaks first "
                   f"in front of '{m.server}', and what do you shed?",
                   ("per-replica capacity and the autoscaling ceiling, with the arithmetic", "which dependency "
                    "saturates first (feature store, database, GPU)", "load shedding or degrading to cheaper "
                    "answers"),
                   "MLL MLREL05-BP01; XA step 1 (QPS)", "L5",
                   8 if fired & {"insufficient-capacity", "missing-capacity-figures"} else 5, (m.server,))


@asks
def rollback(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    auto = [m for m in a.trained_models if a.deploys_automatically(m)]
    if not auto:
        return
    m = auto[0]
    yield Question("rollback",
                   f"a retrained {m.name!r} passes its gate but is worse for one market or device: how do you find "
                   f"out, and how fast can '{m.server}' go back to the previous version?",
                   ("sliced evaluation in the gate", "a canary or shadow with guardrail metrics", "one-step rollback "
                    "to a versioned artifact, practised"),
                   "MLTS Infra 4, 6, 7; SEED pillar 3", "L6", 8 if "unsafe-auto-deploy" in fired else 6, (m.server,))


@asks
def skew(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    for m in a.trained_models:
        if m.mode not in ("online", "stream", "in_process") or not m.feature_names:
            continue
        yield Question("training-serving-skew",
                       f"how do you know the features '{m.server}' sees at serving equal the ones {m.name!r} was "
                       f"trained on, say {m.feature_names[0]!r}?",
                       ("one definition (a feature store, or logged serving features trained on)", "a skew check that "
                        "compares logged serving values with recomputed training values", "what happens when a "
                        "window or join differs"),
                       "SEED pillar 1; RoML rules 29, 32, 37; MLTS Monitor 3", "L5",
                       10 if "training-serving-skew" in fired else 6, (m.server,))
        return


@asks
def cost(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    g = a.graph
    gpus = [m for m in a.models if m.on_gpu]
    if gpus:
        m = gpus[0]
        yield Question("cost",
                       f"what does '{m.server}' on {m.hardware} cost per month at your peak, and what would a CPU model "
                       f"or precomputed predictions cost instead?",
                       ("GPU count from throughput per GPU and peak load", "the cheaper alternative and what it "
                        "loses", "utilization targets and autoscaling"),
                       "MLL MLCOST01; SEED 'The Shift' (cost of GPU inference)", "L6",
                       9 if fired & {"overbuilt-model", "overbuilt-realtime-serving"} else 6, (m.server,))
        return
    streams = [c for c in g.of_kind("stream_processor")]
    vendors = [c for c in g.of_kind("llm") if getattr(g.get(c), "hosting", None) == "api"]
    if vendors:
        yield Question("cost",
                       f"what does a month of calls to {_tech(a, vendors[0])} cost at your traffic, and what cuts it "
                       f"(caching, a smaller model, shorter prompts)?",
                       ("tokens per request times requests", "semantic caching and prompt trimming", "a budget and "
                        "rate limits that cap a runaway client"),
                       "GAL GENCOST01, GENCOST03", "L6", 6, (vendors[0],))
    elif streams:
        yield Question("cost",
                       f"'{streams[0]}' runs around the clock: which features really need it, and what would a scheduled "
                       f"batch job cost instead?",
                       ("the freshness each streamed feature needs", "the on-call and infrastructure cost of the "
                        "stream", "a batch fallback"),
                       "CH, real-time ML (streaming costs 2-5x batch)", "L6",
                       8 if "overbuilt-streaming-features" in fired else 5, (streams[0],))


@asks
def privacy(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    g = a.graph
    lakes = [c for c in g.of_kind("data_lake", "data_warehouse", "event_stream") if g.readers(c)]
    indexes = [v for v in g.of_kind("vector_db") if a.llm.record_sources(v)]
    if indexes:
        yield Question("privacy-deletion",
                       f"a customer asks to be forgotten: how does their data leave '{indexes[0]}', its caches and the "
                       f"logs, and how do you prove it?",
                       ("deletes propagated to the index (CDC or tombstones)", "TTLs on caches and traces",
                        "an audit of what was removed"),
                       "MLTS Data 5; GDPR right to erasure", "L6",
                       9 if fired & {"index-deletions-not-propagated", "rag-no-access-control"} else 6, (indexes[0],))
    elif lakes and a.trained_models:
        yield Question("privacy-deletion",
                       f"a user asks to be deleted: where does their data live ({', '.join(repr(c) for c in lakes[:2])}), "
                       f"and how does it leave the training data and the next model?",
                       ("retention limits and deletion jobs on the lake", "retraining (or not) after deletions",
                        "which features are personal data"),
                       "MLTS Data 5", "L6", 4, tuple(lakes[:2]))


@asks
def evaluation_without_ab(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    if not a.models:
        return
    has_ab = bool(a.graph.of_kind("experimentation"))
    if a.task in PROTECTIVE_TASKS or a.task in ("forecasting", "regression") or not has_ab:
        what = ("holding protection back from a control group costs real harm" if a.task in PROTECTIVE_TASKS
                else "there is one consumer to randomize" if a.task in ("forecasting", "regression")
                else "the design has no experiment")
        yield Question("evaluation-without-ab",
                       f"{what}: how do you show a new model is better before it acts on everyone?",
                       ("backtests on a time split, with the data as it was known then", "a shadow run judged on "
                        "live labels", "the decision rule for promotion and who signs it off"),
                       "APG 7.1-7.2 (shadow); RoML rule 33 (evaluate on later data)", "L5",
                       8 if "no-online-experiment" in fired else 5, ())


@asks
def llm_failure(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    llms = a.llm.request_llms
    if not llms:
        return
    index = a.llm.retrieval[0] if a.llm.retrieval else None
    if index:
        text = (f"a document in '{index}' contains \"ignore your instructions and...\": what stops "
                f"{_tech(a, llms[0])} from following it, and what stops it answering from a document the user "
                f"may not see?")
        covers = ("guardrails on retrieved context and on output", "permission filters at retrieval time",
                  "evaluation that includes adversarial documents")
    else:
        text = (f"{_tech(a, llms[0])} answers confidently and wrong, or leaks something from its prompt: how do you "
                f"catch it before the user acts on it?")
        covers = ("output guardrails and grounding checks", "sampled online evaluation", "a way for users to "
                  "flag answers, and who reviews them")
    yield Question("llm-failure", text, covers, "GAL GENSEC04-BP02; OWASP LLM Top 10", "L5",
                   9 if fired & {"llm-no-guardrails", "rag-no-access-control"} else 7, (llms[0],))


@asks
def batch_failure(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    batch = [m for m in a.models if m.mode == "batch" and m.reaches_consumer]
    if not batch:
        return
    m = batch[0]
    who = [repr(c.cid) for c in m.consumers[:2]]
    yield Question("batch-failure",
                   f"last night's '{m.server}' run failed or wrote half the predictions: what "
                   f"{'does' if len(who) == 1 else 'do'} {' and '.join(who)} see this morning, and who finds out?",
                   ("atomic swaps of the prediction table (write, validate, then publish)", "serving yesterday's "
                    "predictions with an age check", "an alert on job failure and on row counts"),
                   "MLTS Infra 3; SEED pillar 2 (batch prediction)", "L5", 6, (m.server,))


@asks
def upstream_change(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    g = a.graph
    sources = sorted((c for t in {m.trainer for m in a.trained_models if m.trainer}
                      for c in g.upstream([t], ("stream", "batch")) if g.kind(c) in ("source_db", "service")),
                     key=lambda c: (g.kind(c) != "source_db", c))  # the system of record first
    if not sources:
        return
    yield Question("upstream-change",
                   f"the team that owns '{sources[0]}' renames a field or changes its units: what breaks in training "
                   f"and serving, and who notices first?",
                   ("schema and distribution checks before training", "data contracts or change notifications from "
                    "producers", "which features depend on it"),
                   "MLTS Data 1, Monitor 1; HTD unstable data dependencies", "L6",
                   8 if "no-data-validation" in fired else 5, (sources[0],))


@asks
def threshold(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    if not a.imbalance or not a.models:
        return
    model = a.models[0].name
    yield Question("threshold",
                   f"The positives '{model}' looks for are rare: how do you set its decision threshold, and who "
                   f"decides the trade-off between false positives and misses as the base rate moves?",
                   ("a cost-based or capacity-based threshold", "precision and recall at that threshold, by slice",
                    "re-checking the threshold when the base rate or the model changes"),
                   "CH, class imbalance; SEED pillar 1", "L5", 5, ())


@asks
def latency_split(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    budget = a.graph.requirements.latency_p99_ms
    online = _served_online(a)
    if budget is None or not online:
        return
    m = online[0]
    own = getattr(a.graph.components.get(m.server), "latency_ms", None)
    part = f"'{m.server}' takes {own:g} of your {budget:g} ms" if own else f"your budget is {budget:g} ms"
    yield Question("latency-budget",
                   f"{part} at p99: where do the rest go, and what do you cut first if the p99 creeps up?",
                   ("the budget split into network, feature fetch, model and ranking", "parallel lookups and "
                    "batching", "precomputation or a smaller model as levers"),
                   "SEED pillar 2 (p99 under 50 ms); MLL MLREL05-BP01", "L5",
                   9 if fired & {"latency-budget-exceeded", "missing-latency-figures"} else 4, (m.server,))


@asks
def monitoring_gap(a: "Analysis", fired: set[str]) -> Iterable[Question]:
    if not a.models or "no-monitoring" not in fired:
        return
    m = next((m for m in a.models if m.reaches_consumer), a.models[0])
    yield Question("monitoring",
                   f"{m.name!r} has been quietly getting worse for a month: which signal would have told you, and who "
                   f"gets paged?",
                   ("logged predictions joined with labels when they arrive", "input and score drift with "
                    "thresholds", "an owner and an action for each alert"),
                   "SEED pillar 3; MLTS Monitoring tests", "L5", 10, (m.server or m.name,))


# The manual criteria of the rubrics, as questions only a conversation can answer.
_MANUAL = (
    ("problem-framing", "before any box: what would you ask the product owner, and which of the answers changed "
     "this design?", ("scale, latency and freshness asked unprompted", "the success metric and its guardrails",
                      "whether ML is needed at all"), "XA step 1", "L5", 3),
    ("tradeoff-discussion", "which decision in this design are you least sure of, and what would make you change it?",
     ("a risk raised unprompted", "the alternative weighed", "the signal that would change the decision"),
     "staff expectations: risks raised without being asked", "L6", 3),
)


def drill(analysis: Optional["Analysis"], findings: Iterable[Any] = (), *, level: str = "L6",
          limit: Optional[int] = 8) -> list[Question]:
    """The follow-up questions for this design, most important first, no kind twice."""
    if analysis is None:
        return []
    fired = {f.rule for f in findings if getattr(f, "severity", "info") != "info"}
    questions: list[Question] = []
    for asker in _ASKERS:
        questions.extend(asker(analysis, fired))
    if analysis.models:
        for kind, text, covers, source, lvl, weight in _MANUAL:
            questions.append(Question(kind, text, covers, source, lvl, weight))
    rank = {"L4": 0, "L5": 1, "L6": 2, "L7": 3}
    target = rank.get(level, 2)

    def order(q: Question) -> tuple[int, int, str]:
        fits = rank.get(q.level, 1) <= target
        bonus = 2 if (q.level == level and target >= 2) else 0
        return (-(q.weight + bonus) if fits else 100 - q.weight, 0, q.kind + q.text)

    picked: list[Question] = []
    seen_kinds: set[str] = set()
    seen_text: set[str] = set()
    for q in sorted(questions, key=order):
        if rank.get(q.level, 1) > target or q.kind in seen_kinds or q.text in seen_text:
            continue
        seen_kinds.add(q.kind)
        seen_text.add(q.text)
        picked.append(q)
    return picked if limit is None else picked[:limit]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
