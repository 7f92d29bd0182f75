"""Data rules (DG2xx): ingestion, features, labels, and the data that reaches training.

Step 2 of the interview framework: how raw events become features, whether training and
serving see the same features computed the same way, and whether the labels say what the
model is meant to learn.
"""

from __future__ import annotations

import re

from collections import deque
from typing import TYPE_CHECKING, Optional

from ..analysis.problem import EXPOSURE_TASKS, FAST, SLOW, mentions
from ..analysis.lifecycle import AUTOMATED
from ..outcome import Evidence, Violation, check, gap, missing, not_applicable, satisfied, violated
from ..registry import rule
from .common import article, named, needs_models, needs_trained, quote_ids, said, which

if TYPE_CHECKING:
    from ..analysis import Analysis, ModelFacts
    from ..outcome import Outcome

RAW_KINDS = ("source_db", "event_stream", "data_lake", "client")
PROCESSORS = ("stream_processor", "batch_processor")
DATA = ("stream", "batch")
HAND_ROLLED = ("key_value_store", "cache", "database")


def _hand_rolled_reads(a: "Analysis", m: "ModelFacts") -> list[tuple[str, str]]:
    """(store, processor) pairs: processor-written stores the server (or its caller) reads."""
    facts = a.features(m)
    return [(p.via, p.cid) for p in facts.producers
            if p.via and a.graph.kind(p.via) in HAND_ROLLED and a.graph.kind(p.cid) in PROCESSORS]


@rule(code="DG201", slug="missing-feature-store", pillar="data", severity="warning", level="L5",
      summary="online features are written to a hand-rolled store and, separately, to training data",
      fix="put the features in a feature_store (feast, tecton, ...) whose online side serving reads and "
          "whose offline side training reads with point-in-time joins")
def missing_feature_store(a: "Analysis") -> "Outcome":
    """## What it does
    Applies where serving reads precomputed features (from a feature store, or from a
    key-value store, cache or database that a stream or batch job fills). Reported when
    such a hand-rolled store is filled by a job whose output also reaches training by
    another route (Flink writing Redis for serving and the lake for training): one
    feature definition, two copies, no point-in-time join. Satisfied by a feature store
    serving reads, or by features that training reads back from what serving logged.
    Not applicable where no precomputed feature is read online: features taken from the
    request, computed inside the model from raw lookups, a pure batch pipeline with one
    job for training and scoring. When training and serving compute features by two code
    paths, training-serving-skew reports the cause and this rule adds no finding.

    ## Why is this bad?
    Two copies of one feature written at different moments disagree: the online value at
    request time is not the value training joins for that request, so the model learns
    from numbers it is never served. A feature store keeps one definition with an online
    side for lookups and an offline side with point-in-time joins for training; the
    interview guide expects it named at L5 wherever features are shared this way.

    ## Example
    ```yaml
    flows:
      - "events -> flink -> counters"      # counters: key_value_store
      - "flink -> lake"                    # the same values, written again for training
      - "serving -> counters: user features"
      - "lake -> training"
    ```

    ## Use instead
    ```yaml
    components:
      features: {kind: feature_store, tech: feast, online_store: redis,
                 offline_store: s3, point_in_time: true}
    flows:
      - "events -> flink -> features"
      - "serving -> features: user features"
      - "features -> training: point-in-time features"
    ```

    ## References
    - SEED, Pillar 1: at L5 you must mention a feature store (Feast, SageMaker Feature
      Store); it prevents training-serving skew.
    - RoML, rule 32: reuse code between the training and the serving pipeline.
    - GCP, MLOps levels 1-2: the feature store as the shared source of features.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    skewed = [m for m in a.trained_models if a.features(m).two_paths or a.features(m).declared_two_sources]
    if skewed:
        return missing("training-serving-skew", f"{which(skewed[0])} has features computed by two code paths")
    g = a.graph
    stores = sorted({fs for m in a.models for fs in a.features(m).feature_stores})
    if stores:
        return satisfied(Evidence(f"serving reads features from feature store {named(a, stores[0])}",
                                  g.path_of(stores[0])))
    problems, logged = [], []
    for m in a.trained_models:
        for store, proc in _hand_rolled_reads(a, m):
            if not m.trainer:
                continue
            reached = g.reachable([proc], DATA)
            if m.trainer in reached:
                problems.append(Violation(g.path_of(store),
                                          f"'{proc}' writes features to '{store}' ({g.kind(store)}) for "
                                          f"'{m.server}' and, separately, toward '{m.trainer}': two copies of "
                                          f"one definition with no feature_store to join them as of each "
                                          f"request", component=store))
            else:
                logged.append(store)
    if problems:
        return violated(problems[0])
    for m in a.trained_models:
        if m.trainer and logged and any(m.trainer in g.reachable([src], DATA) for src, _ in a.prediction_logs(m)):
            return satisfied(Evidence(f"training reads back what '{m.server}' logged, so the features in "
                                      f"{quote_ids(sorted(set(logged)))} have one copy", g.path_of(m.server)))
    if logged:
        return not_applicable(f"training does not use the features in {quote_ids(sorted(set(logged)))}")
    for m in a.trained_models:
        for p in a.features(m).producers:
            if m.trainer and m.trainer in g.reachable([p.cid], DATA):
                return satisfied(Evidence(f"'{p.cid}' computes features once: serving uses them and training "
                                          f"reads what it logged", g.path_of(p.cid)))
    return not_applicable("no precomputed feature is read online")


def _served_features_logged(a: "Analysis", m: "ModelFacts") -> Optional[Evidence]:
    """Serving logs the feature values it used (a log flow whose label says features) where
    training reads them: training learns from exactly what was served."""
    g = a.graph
    if not m.trainer:
        return None
    # Training must say it learns from the logged values ("logged served features"), not
    # merely read the store the log lands in beside tables built by other code.
    if not any(isinstance(e.label, str) and re.search(r"\b(logged|served|serving[- ]time)\b", e.label, re.I)
               for e in g.in_edges(m.trainer)):
        return None
    for src, sink in a.prediction_logs(m):
        for edge in g.out_edges(src):
            if edge.dst != sink or not isinstance(edge.label, str) or not re.search(r"feature", edge.label, re.I):
                continue
            if re.search(r"\b(no|not|without)\b", edge.label, re.I):
                continue
            if m.trainer in g.reachable([sink], DATA):
                return Evidence(f"'{src}' logs the features it served (\"{edge.label.strip()}\") and "
                                f"'{m.trainer}' trains on them", tuple(edge.path) if edge.path else g.path_of(src))
    return None


def _skew_evidence(a: "Analysis", m: "ModelFacts") -> str:
    facts = a.features(m)
    if m.mode == "on_device":
        return f"{which(m)} computes its inputs on the device, for training and inference alike"
    if facts.feature_stores:
        return f"{which(m)}: serving and training share feature store {named(a, facts.feature_stores[0])}"
    if facts.producers:
        return f"{which(m)}: {quote_ids([p.cid for p in facts.producers], 2)} computes features once for both"
    return f"{which(m)}: nothing computes features twice (they come with the request or from the model's own lookups)"


@rule(code="DG202", slug="training-serving-skew", pillar="data", severity="error", level="L5",
      summary="training and serving compute the same features by different code paths",
      fix="compute each feature once: a feature_store both sides read, or log the features served and train "
          "on the log")
def training_serving_skew(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to each model trained here. Finds where its serving features are computed: a
    stream or batch job that fills a store the model server reads (or feeds it directly),
    or a service that reads raw data and calls the model with what it computed. Reported
    when the raw data such a computation starts from also reaches training by a route
    that does not pass through it, so training computes the same features again (a Spark
    job over the warehouse for training, a Go service or Flink at request time for
    serving); when a model's `features` name different components for training and
    serving; or when training joins current-state tables of a source that serving never
    reads, so the features it learns from do not exist at request time. Satisfied when
    serving and training share a feature store, when training reads the features serving
    logged (a log flow whose label says it carries the served features, and a flow into
    training whose label says it brings the logged or served values), when training
    reads what serving logged,
    when one job feeds both, or when features come with the request. A job that updates
    the model's own parameters online (`updated_by`) is part of the model, not a feature
    path.

    ## Why is this bad?
    Two implementations of one feature differ in windows, joins, null handling and time
    zones, so the model is served inputs it never saw in training and quality drops
    silently: offline metrics look fine, online ones do not. Interviewers treat it as a
    blocker, so it is an error.

    ## Example
    ```yaml
    flows:
      - "app -> api -> model: features"
      - "api -> gps_window: recent speeds"      # the service computes features at request time
      - "app -> events -> warehouse -> spark_features -> training"   # and Spark again for training
    ```

    ## Use instead
    ```yaml
    flows:
      - "app -> api -> model"
      - "model -> features: online features"    # one feature_store
      - "events -> flink -> features"
      - "features -> training: point-in-time features"
    ```

    ## References
    - SEED, Pillar 1: a centralized feature store prevents training-serving skew by
      using the exact same feature logic in inference and in training.
    - RoML, rules 29, 31-32 and 37: log features at serving time, reuse code between
      training and serving, measure the skew.
    - MLTS, Monitor 3: training and serving features compute the same values.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    problems: dict[tuple[str, str], Violation] = {}
    evidence = []
    for m in a.trained_models:
        facts = a.features(m)
        declared = facts.declared_two_sources
        two = facts.two_paths
        logged = _served_features_logged(a, m) if two is not None and not declared else None
        if logged is not None:
            evidence.append(logged)
            continue
        if declared:
            name, train, serve = declared[0]
            problems.setdefault((train, serve), Violation(m.path + ("features",),
                                f"{which(m)}: feature '{name}' is computed by '{train}' for training and by "
                                f"'{serve}' for serving: two code paths", component=m.server))
        elif two is not None:
            p = two.producer
            how = (f"computes features at request time from {quote_ids(p.reads, 2)}" if g.kind(p.cid) not in PROCESSORS
                   else f"computes the features '{m.server}' reads" + (f" from '{p.via}'" if p.via else ""))
            side = (f"'{two.training_side}' ({g.kind(two.training_side)})" if two.training_side != m.trainer
                    else f"'{m.trainer}' itself")
            key = (p.cid, two.training_side)
            problems.setdefault(key, Violation(g.path_of(p.cid),
                                f"{which(m)}: '{p.cid}' ({g.kind(p.cid)}) {how}, while training gets the same "
                                f"data from '{two.raw}' by another route and {side} computes them again: two "
                                f"code paths", component=p.cid))
        elif m.trainer:
            unavailable = [leak for leak in a.leaks(m.trainer) if leak.through
                           and g.kind(leak.through) in PROCESSORS + ("data_warehouse",)
                           and a.unavailable_at_serving(m, leak.source)]
            if unavailable:
                leak = unavailable[0]
                problems.setdefault((leak.source, m.trainer), Violation(g.path_of(leak.source),
                                    f"{which(m)}: training joins current tables of '{leak.source}', which nothing "
                                    f"on the serving side reads: those features do not exist at request time",
                                    component=leak.source))
            else:
                evidence.append(Evidence(_skew_evidence(a, m), m.path))
        if m.trainer is None and not declared and two is None:
            continue
    return check(list(problems.values()), *evidence)


@rule(code="DG203", slug="feature-store-offline-only", pillar="data", severity="warning", level="L5",
      summary="the request path reads a feature store that says it has only an offline store",
      fix="give the feature_store an online_store (redis, dynamodb, ...) for millisecond lookups")
def feature_store_offline_only(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to feature stores that a component on the request path reads. Reported when
    one names an `offline_store` but no `online_store`. Satisfied when each has an online
    store, or names neither (a feature store read at request time serves from its online
    side). Designs without a feature store on the request path are not applicable.

    ## Why is this bad?
    An offline store (S3, BigQuery, Hive) answers in seconds to minutes and is built for
    scans, not per-key lookups. Reading it inside a request blows the latency budget.
    Feature stores serve online traffic from a separate low-latency store (Redis,
    DynamoDB) kept in sync with the offline one.

    ## Example
    ```yaml
    components:
      features: {kind: feature_store, tech: feast, offline_store: s3}
    flows:
      - "serving -> features"
    ```

    ## Use instead
    ```yaml
    components:
      features: {kind: feature_store, tech: feast, offline_store: s3, online_store: redis}
    flows:
      - "serving -> features"
    ```

    ## References
    - GCP, MLOps: the feature store serves features for online prediction at low latency
      and for training in batch.
    - SEED, Pillar 1 (feature stores) and Pillar 2 (p99 latency targets).
    """
    g = a.graph
    judged, problems, evidence = 0, [], []
    online = {m.server for m in a.models if m.server and m.mode in ("online", "stream", "in_process")}
    for fs in sorted(g.of_kind("feature_store")):
        readers = sorted(r for r in g.readers(fs) if g.on_request_path(r) or r in online)
        if not readers:
            continue
        judged += 1
        comp = g.get(fs)
        online = (comp.online_store or "").strip()
        if not online and (comp.offline_store or "").strip():
            problems.append(Violation(g.path_of(fs, "online_store"),
                                      f"{quote_ids(readers)} read{'s' if len(readers) == 1 else ''} feature_store "
                                      f"'{fs}' online, but it names only an offline_store "
                                      f"({comp.offline_store}) and no online_store", component=fs))
        else:
            evidence.append(Evidence(f"'{fs}' serves online lookups" + (f" from {online}" if online else ""),
                                     g.path_of(fs)))
    if not judged:
        return not_applicable("no feature store is read online")
    return check(problems, *evidence)


@rule(code="DG204", slug="point-in-time-leakage", pillar="data", severity="error", level="L5",
      summary="training reads current-state data and can leak the future into features",
      fix="train from a feature_store with point_in_time: true, from dated snapshots, or from an event log, "
          "not from current-state tables")
def point_in_time_leakage(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to each training pipeline. Reports data it reads that cannot give features as
    of each label's time: a feature_store with `point_in_time: false`, a source_db read
    directly or by a training-only job, or a data_warehouse holding copies of a source_db
    (current-state snapshots). It looks through validation steps and through jobs that
    only training uses. Not reported: data that reaches training through a feature store,
    an event stream or lake (a log), a source_db with `cdc: true` (a change log) or one the
    serving side writes (rows logged at prediction time), and a job that writes dated
    snapshots (`point_in_time: true`) or also feeds serving (the snapshots scoring read are
    the ones training reads). Training from such data satisfies it.

    ## Why is this bad?
    A table that holds the current state (a balance, an account status, a utilization
    now) joined to last year's labels gives the model values from after the event it
    predicts. Offline metrics look excellent and collapse online. Interviewers treat label
    leakage as a blocker, so it is an error.

    ## Example
    ```yaml
    components:
      accounts: {kind: source_db, tech: postgres}
    flows:
      - "accounts -> warehouse: nightly copy of the current tables"
      - "warehouse -> training"
    ```

    ## Use instead
    ```yaml
    components:
      features: {kind: feature_store, tech: feast, point_in_time: true,
                 online_store: redis, offline_store: s3}
    flows:
      - "accounts -> feature_jobs -> features"
      - "features -> training: point-in-time join"
    ```

    ## References
    - RoML, rules 31 and 33: beware of data that changes between training and serving
      time; evaluate on data gathered after the training window.
    - CH, "Designing Machine Learning Systems": data leakage through time.
    - GCP, MLOps: feature stores serve point-in-time correct training data.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    if g.data.labels == "none":
        return not_applicable("no labels: nothing is joined to features as of a label's time")
    trainers = sorted({m.trainer for m in a.trained_models if m.trainer})
    if not trainers:
        return missing("no-training-path", "no trained model says what trains it")
    by_source: dict[str, list[tuple[str, Optional[str]]]] = {}
    for trainer in trainers:
        for leak in a.leaks(trainer):
            by_source.setdefault(leak.source, []).append((trainer, leak.through))
    problems = []
    for source, hits in by_source.items():
        who = quote_ids(sorted({t for t, _ in hits}), limit=None)
        through = next((t for _, t in hits if t), None)
        kind = g.kind(source)
        if kind == "feature_store":
            problems.append(Violation(g.path_of(source, "point_in_time"), f"{who} reads feature_store '{source}', "
                                      f"which is not point_in_time: features are joined as of now, not as of each "
                                      f"label", component=source))
        elif through and g.kind(through) == "data_warehouse":
            problems.append(Violation(g.path_of(source), f"{who} reads data_warehouse '{through}', which holds "
                                      f"current-state copies of source_db '{source}': features can leak values "
                                      f"written after each label's time", component=source))
        else:
            via = f" through '{through}'" if through else " directly"
            problems.append(Violation(g.path_of(source), f"{who} reads source_db '{source}'{via}: current-state "
                                      f"rows leak values from after each label's time into training",
                                      component=source))
    if problems:
        return violated(*problems)
    stores = [fs for t in trainers for fs in g.upstream([t], DATA) if g.kind(fs) == "feature_store"]
    if stores:
        return satisfied(Evidence(f"training reads point-in-time features from {named(a, stores[0])}",
                                  g.path_of(stores[0])))
    return satisfied(Evidence(f"{quote_ids(trainers)} train{'s' if len(trainers) == 1 else ''} on logs, events "
                              f"and dated snapshots, not current-state tables", g.path_of(trainers[0])))


def _stream_feature_jobs(a: "Analysis") -> list[tuple[str, str, str, "ModelFacts"]]:
    """(stream, job, store, model): streaming features a model reads."""
    g = a.graph
    found = []
    for m in a.models:
        for p in a.features(m).producers:
            if g.kind(p.cid) != "stream_processor":
                continue
            streams = [c for c in g.upstream([p.cid], DATA, through=("data_validation",))
                       if g.kind(c) == "event_stream"]
            if streams:
                found.append((sorted(streams)[0], p.cid, p.via or m.server or "", m))
    return found


@rule(code="DG205", slug="overbuilt-streaming-features", pillar="data", severity="warning", level="L5",
      summary="streaming feature computation for predictions that only need to be hourly or slower",
      fix="compute the features in a scheduled batch_processor, or acknowledge the trade-off")
def overbuilt_streaming_features(a: "Analysis") -> "Outcome":
    """## What it does
    Applies where a model reads features that a stream_processor computes from an
    event_stream. Reported when the freshness that model needs is hourly, daily or weekly:
    the freshness its consumers state (a consumer component's `freshness`), else
    `requirements.freshness`. Satisfied when the consumers need minutes or fresher; not
    applicable without streaming features, or with no freshness stated at all.

    ## Why is this bad?
    A streaming pipeline (Kafka, Flink, state backends, exactly-once sinks, on-call for a
    24/7 job) costs several times its batch equivalent. If the predictions are consumed
    once a day, a scheduled Spark or dbt job computes the same features for a fraction of
    the cost. It is the data-side twin of the "real-time inference for an offline
    problem" trap.

    ## Example
    ```yaml
    problem:
      requirements: {freshness: daily}
    flows:
      - "events -> flink -> features"
      - "ranker -> features"
    ```

    ## Use instead
    ```yaml
    problem:
      requirements: {freshness: daily}
    flows:
      - "events -> lake -> spark -> features"   # spark: batch_processor, schedule: daily
      - "ranker -> features"
    ```

    ## References
    - CH, "Real-time machine learning": streaming features are worth it only when
      freshness of seconds to minutes pays; they cost about 2-5x the batch equivalent.
    - SEED, Pillar 2: the classic trap of an overly complex, expensive real-time
      architecture for a problem that can be solved offline.
    """
    jobs = _stream_feature_jobs(a)
    if not jobs:
        return not_applicable("no model reads streaming features")
    g = a.graph
    problems, evidence = {}, []
    for stream, job, store, m in jobs:
        freshness, source = m.needed_freshness
        if freshness in SLOW:
            problems.setdefault(job, Violation(g.path_of(job), f"'{stream}' -> '{job}' -> '{store}' computes streaming "
                                               f"features for {which(m)}, but its predictions need to be {freshness} "
                                               f"fresh ({source}): a scheduled batch job would do", component=job))
        elif freshness in FAST:
            evidence.append(Evidence(f"'{job}' streams features for {article(freshness)} {freshness} freshness",
                                     g.path_of(job)))
    if problems:
        return violated(*problems.values())
    if evidence:
        return satisfied(*evidence)
    return not_applicable("no freshness is stated to weigh the streaming features against")


@rule(code="DG206", slug="no-streaming-ingestion", pillar="data", severity="warning", level="L5",
      summary="fresh predictions are required but the data they read is only loaded in batch",
      fix="ingest the events through an event_stream (kafka, kinesis) into what serving reads")
def no_streaming_ingestion(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models whose consumers need realtime, seconds or minutes freshness and
    whose server reads stores (a feature store, key-value store, cache or database).
    Reported when every such store is filled only by batch jobs, warehouses or lakes, so
    what serving reads is hours old. Satisfied when an event stream, a change-data-capture
    source or a live writer (a service or client writing as things happen) fills them.
    Not applicable when the model reads nothing beyond the request (payload features, an
    on-device model), or when freshness is hourly or slower.

    ## Why is this bad?
    Data that arrives by nightly dumps cannot make a prediction minutes fresh: the model
    would see yesterday's behaviour. Fresh features (clicks in the last five minutes, a
    card's spend in the last hour) need events flowing through a log such as Kafka into a
    stream processor or feature store.

    ## Example
    ```yaml
    problem:
      requirements: {freshness: seconds}
    flows:
      - "db -> spark -> features"
      - "serving -> features"
    ```

    ## Use instead
    ```yaml
    problem:
      requirements: {freshness: seconds}
    flows:
      - "app -> events"                 # events: event_stream (kafka)
      - "events -> flink -> features"
      - "serving -> features"
    ```

    ## References
    - CH, "Real-time machine learning": online features need streaming ingestion.
    - SEED, Pillar 1: user events flow from raw data into feature stores; Pillar 2:
      real-time prediction for fraud and ads.
    """
    early = needs_models(a)
    if early is not None:
        return early
    g = a.graph
    judged, problems, evidence = 0, [], []
    for m in a.models:
        freshness, _ = m.needed_freshness
        if freshness not in FAST or m.mode in ("on_device", "batch", "index") or not m.server:
            continue
        stores = sorted(r for r in g.reads(m.server)
                        if g.kind(r) in ("feature_store", "key_value_store", "cache", "database", "source_db")
                        and not _holds_model_output(a, r))
        if not stores:
            continue
        judged += 1
        live = [s for s in stores if _fed_live(a, s)]
        reference = _fresh_part_in_request(m, stores)
        if not live and reference is not None:
            evidence.append(Evidence(reference, m.path))
            continue
        if live:
            evidence.append(Evidence(f"'{live[0]}' is fed as events happen, for {freshness} predictions",
                                     g.path_of(live[0])))
        else:
            problems.append(Violation(g.path_of(stores[0]), f"{which(m)} needs {freshness} predictions but reads "
                                      f"{quote_ids(stores)}, filled only by batch loads: what it serves is as old "
                                      f"as the last batch run", component=stores[0]))
    if not judged:
        return not_applicable("no model that needs fresh predictions reads stored data")
    return check(problems, *evidence)


_SHORT_WINDOW = re.compile(r"(^|_)(\d+(s|sec|m|min|h|hr))(_|$)|velocity|recent|last_\d|realtime|live|in_session|current")


def _fresh_part_in_request(m: "ModelFacts", stores: list[str]) -> Optional[str]:
    """When a model's declared inputs put what changes fast in the request and read only slow
    reference data (no short window in any stored feature's name) from the batch-loaded
    stores, the stored part need not stream."""
    spec = getattr(m.spec, "features", None) or []
    items = [f for f in spec if not isinstance(f, str)]
    request = [f.name for f in items if (f.source or f.serving) == "request"]
    stored = [f.name for f in items if (f.source or f.serving) in stores]
    if not request or not stored or any(_SHORT_WINDOW.search(name.lower()) for name in stored):
        return None
    return (f"{which(m)} takes what changes fast with the request ({', '.join(request[:2])}); from "
            f"{quote_ids(sorted({f.source or f.serving for f in items if (f.source or f.serving) in stores}), 2)} "
            f"it reads reference data ({', '.join(stored[:2])}) that a batch load keeps current enough")


def _holds_model_output(a: "Analysis", store: str) -> bool:
    """A store filled only by models (precomputed embeddings, candidates, predictions)."""
    g = a.graph
    writers = g.predecessors(store, *DATA)
    if writers:
        return all(g.kind(w) in ("batch_inference", "embedding_model", "online_serving", "training_pipeline",
                                 "model_registry") for w in writers)
    # an embedding model or batch job "calling" a store is writing its outputs into it
    return any(g.kind(c) in ("batch_inference", "embedding_model") for c in g.predecessors(store, "request"))


def _fed_live(a: "Analysis", store: str) -> bool:
    """Whether data reaches ``store`` as it happens: from a stream, a CDC source, a live writer."""
    g = a.graph
    kind = g.kind(store)
    if kind == "source_db":
        return True  # the live database itself
    for edge in g.walk([store], DATA, through=("data_validation",), backwards=True):
        k = g.kind(edge.src)
        if edge.mode == "stream" or k in ("event_stream", "stream_processor", "client", "service", "online_serving"):
            return True
        if k == "source_db" and getattr(g.components[edge.src], "cdc", None):
            return True
    return False


_RANK_LOSS = r"pairwise|listwise|lambda_?(mart|rank)|ranknet|learning_to_rank|\bltr\b"
_PR_METRICS = r"(pr_?auc|pr_curve|auprc|aucpr|precision|recall|f1|f_beta|average_precision)"


@rule(code="DG207", slug="unhandled-class-imbalance", pillar="data", severity="warning", level="L5",
      summary="an imbalanced task with no plan for the rare class",
      fix="list problem.data.imbalance_handling, e.g. negative_downsampling, class_weights, focal_loss")
def unhandled_class_imbalance(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to imbalanced tasks: fraud_detection, ads_ctr, content_moderation and
    anomaly_detection; `data.class_imbalance: true`; or a classifier whose title or
    objective names a rare class (spam, abuse, fraud, churn, ...) unless it says
    `class_imbalance: false`. Satisfied by `problem.data.imbalance_handling`; by a
    formulation that copes with it (a pairwise or listwise ranking loss, a bandit's
    calibrated estimates); by offline metrics that judge the rare class (precision,
    recall, PR-AUC); or by the design's notes naming a plan (downsampling, class weights,
    hard negatives). Reported when none of these shows. Other tasks are not applicable.

    ## Why is this bad?
    With 0.1% fraud or 1% clicks, a model trained naively learns to predict the majority
    class, and training time is spent on millions of easy negatives. Interviewers expect
    a plan: negative downsampling (and recalibrating afterwards), class weights, focal
    loss, or oversampling, together with a metric that sees the rare class.

    ## Example
    ```yaml
    problem:
      task: fraud_detection
      data: {labels: delayed}
    ```

    ## Use instead
    ```yaml
    problem:
      task: fraud_detection
      data:
        labels: delayed
        imbalance_handling: [negative_downsampling, class_weights]
    ```

    ## References
    - SEED, Pillar 1: "Handling Sparsity and Imbalance".
    - CH, "Designing Machine Learning Systems", class imbalance: resampling, class
      weights, focal loss; pick metrics that see the minority class.
    """
    if not a.imbalance:
        return not_applicable(f"the {a.task} task is not imbalanced")
    handling = [h.strip() for h in a.graph.data.imbalance_handling if isinstance(h, str) and h.strip()]
    if handling:
        return satisfied(Evidence(f"imbalance handled by {', '.join(handling[:3])}",
                                  ("problem", "data", "imbalance_handling")))
    for m in a.models:
        # A ranker compares the rare positives with the negatives of the same query; a bandit needs
        # calibrated reward estimates that resampling would bias: both are plans for the rare class.
        if mentions([m.algorithm], _RANK_LOSS):
            return satisfied(Evidence(f"{which(m)} learns with a ranking loss ({m.algorithm}), which compares each "
                                      f"rare positive with the negatives shown beside it", m.path))
        if mentions([m.algorithm], r"bandit|thompson|ucb"):
            return satisfied(Evidence(f"{which(m)} is a bandit: it needs calibrated click estimates, which "
                                      f"resampling would bias", m.path))
    rare = mentions(a.graph.metrics.offline, _PR_METRICS)
    if rare:
        return satisfied(Evidence(f"the offline metrics ({', '.join(rare[:3])}) judge the rare class, which "
                                  f"accuracy would hide", ("problem", "metrics", "offline")))
    words = said(a, "imbalance")
    if words is not None:
        return satisfied(words)
    return violated(Violation(("problem", "data", "imbalance_handling"),
                              f"{a.imbalance} but problem.data.imbalance_handling is empty: no plan for the rare "
                              f"class"))


@rule(code="DG208", slug="no-data-validation", pillar="data", severity="warning", level="L6",
      summary="automated retraining ships models trained on unvalidated data with no gate in between",
      fix="put a data_validation step (great_expectations, tfdv, deequ) on every path from raw data to training")
def no_data_validation(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to trained models. Follows stream and batch flows from raw data (source_db,
    event_stream, data_lake) to each training pipeline, through jobs and stores. Satisfied
    when every such path passes a data_validation step. Reported when some path does not
    and the model is retrained and deployed with nobody in between and no evaluation
    gate, so a broken upstream feed becomes a broken model in production. Where a gate or
    a person stands between training and users, an unvalidated path costs points but is
    not raised.

    ## Why is this bad?
    Upstream data breaks silently: a producer renames a field, a partition lands empty, a
    unit changes from seconds to milliseconds. Without a schema and distribution check in
    front of training, an automated pipeline trains on the broken data and, if deployment
    is automated too, ships the damaged model.

    ## Example
    ```yaml
    flows:
      - "lake -> training"                # retrained daily, deployed by the registry
      - "training -> registry -> serving"
    ```

    ## Use instead
    ```yaml
    flows:
      - "lake -> checks -> training"      # checks: data_validation
      - "training -> registry -> serving"
    ```

    ## References
    - MLTS, Data 1: feature expectations are captured in a schema and checked.
    - GCP, MLOps level 1: automated data validation before training decides whether to
      retrain or stop.
    - HTD, section 5: unstable data dependencies.
    """
    early = needs_trained(a)
    if early is not None:
        return early
    g = a.graph
    trainers = sorted({m.trainer for m in a.trained_models if m.trainer})
    unchecked = _unvalidated_paths(a, trainers)
    if not unchecked:
        checks = g.of_kind("data_validation")
        if checks:
            return satisfied(Evidence(f"raw data reaches training only through {quote_ids(checks, 2)}",
                                      g.path_of(checks[0])))
        return not_applicable("no raw data reaches training")
    trainer, chain = next(iter(unchecked.items()))
    automated = [m for m in a.trained_models if m.trainer in unchecked
                 and a.retraining(m.trainer).cadence in AUTOMATED
                 and a.deploys_automatically(m)]
    if automated and not a.release.gate:
        return violated(Violation(g.path_of(trainer), f"the path {' -> '.join(chain)} brings raw data into "
                                  f"'{trainer}' without a data_validation step, and new models deploy "
                                  f"automatically with no gate", component=trainer))
    return gap(f"the path {' -> '.join(chain)} is not validated; a gate or a person stands before users")


def _unvalidated_paths(a: "Analysis", trainers: list[str]) -> dict[str, list[str]]:
    g = a.graph
    targets = set(trainers)
    parent: dict[str, Optional[str]] = {c: None for c in g.of_kind("source_db", "event_stream", "data_lake")}
    queue = deque(sorted(parent))
    reached: dict[str, list[str]] = {}
    while queue:
        cid = queue.popleft()
        for nxt in g.successors(cid, *DATA):
            if nxt in parent:
                continue
            parent[nxt] = cid
            kind = g.kind(nxt)
            if nxt in targets:
                chain, cur = [], nxt
                while cur is not None:
                    chain.append(cur)
                    cur = parent[cur]
                reached.setdefault(nxt, list(reversed(chain)))
            elif kind not in ("data_validation", "training_pipeline", "model_registry", "online_serving",
                              "batch_inference"):
                queue.append(nxt)
    return reached


@rule(code="DG209", slug="feature-without-source", pillar="data", severity="warning", level="L5",
      summary="a model uses a feature that nothing in the design produces",
      fix="add the feature to the feature store that computes it (with its source), or drop it from the model")
def feature_without_source(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to designs that say where features come from: a feature store listing its
    `features`, or model features given as `{name, source}`. Reported for a model feature
    that no feature store lists and that names no source of its own (a typo, or data the
    design never ingests). Satisfied when every feature of every model has a producer.

    ## Why is this bad?
    A feature nobody computes is either a typo that silently drops an input, or data the
    design forgot to ingest (the weather feed, the partner catalog). Either way the model
    as designed cannot be built.

    ## Example
    ```yaml
    components:
      features:
        kind: feature_store
        features: [{name: user_ctr_7d, source: spark}]
    models:
      ranker: {features: [user_ctr_7d, weather_now]}
    ```

    ## Use instead
    ```yaml
    components:
      features:
        kind: feature_store
        features: [{name: user_ctr_7d, source: spark}, {name: weather_now, source: weather_feed}]
    ```

    ## References
    - MLTS, Data 2-3: every feature is documented and owned.
    - HTD, section 3: underutilized and undeclared data dependencies.
    """
    g = a.graph
    offered = {f.name for fs in g.of_kind("feature_store") for f in g.get(fs).features}
    sourced_models = [m for m in a.models if any(not isinstance(f, str) for f in getattr(m.spec, "features", []) or [])]
    if not offered and not sourced_models:
        return not_applicable("the design does not say which component produces each feature")
    problems, count = [], 0
    for m in a.models:
        for index, item in enumerate(getattr(m.spec, "features", None) or []):
            name = item if isinstance(item, str) else item.name
            own = None if isinstance(item, str) else (item.source or item.training or item.serving)
            count += 1
            if name not in offered and not own and _another_models_output(a, m, name):
                continue
            if name not in offered and not own:
                import difflib

                close = difflib.get_close_matches(name, sorted(offered), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(Violation(m.path + ("features", index), f"{which(m)} uses feature '{name}', which "
                                          f"no feature store lists and no component produces{hint}",
                                          component=m.server))
    if not count:
        return not_applicable("no model lists its features")
    return check(problems, f"all {count} model features have a producer")


def _another_models_output(a: "Analysis", m: "ModelFacts", name: str) -> bool:
    """A score, embedding or prediction of another model of the design that runs beside this
    one (same server, in process, or upstream of it): stacked models feed each other."""
    if not re.search(r"(score|prob|pred|embedding|logit|output|vector|rank)", name.lower()):
        return False
    return any(o is not m and (o.server == m.server or o.mode == "in_process" or o.server in m.callers)
               for o in a.models)


_CENSORING_TASKS = ("fraud_detection", "anomaly_detection", "classification", "content_moderation", "other")
_CORRECTIONS = r"holdout|hold_out|reject_inference|sampled_review|random|explor|counterfactual|propensity|uplift|control"


@rule(code="DG210", slug="intervention-censored-labels", pillar="data", severity="warning", level="L6",
      summary="the model's own interventions hide the outcomes it is trained on",
      fix="keep a small random holdout (or review a sample of the cases you act on) and say so in "
          "problem.data.bias_handling")
def intervention_censored_labels(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to models trained on delayed outcome labels (`data.labels: delayed`) in tasks
    whose predictions trigger an action on the case itself: fraud, anomaly and abuse
    detection, moderation, or a classifier whose scores someone acts on (churn outreach,
    credit approval). Satisfied when `problem.data.bias_handling` names a correction: a
    random holdout, reject inference, a sampled review of the cases acted on, exploration.
    Reported otherwise.

    ## Why is this bad?
    A blocked fraudster never files a chargeback; a declined applicant never defaults; an
    account a CSM saved renews. Training on the outcomes that remain teaches the model
    that what it stopped was harmless, and each retrain gets worse at exactly the cases
    it acts on. Staff candidates are expected to see the loop and keep a small unbiased
    sample.

    ## Example
    ```yaml
    problem:
      task: fraud_detection
      data: {labels: delayed, label_delay: 60d}
    ```

    ## Use instead
    ```yaml
    problem:
      task: fraud_detection
      data:
        labels: delayed
        label_delay: 60d
        bias_handling: [random_holdout_1pct, sampled_review_of_blocked]
    ```

    ## References
    - HTD, section 4: hidden feedback loops, where a model influences its own training data.
    - CH, "Designing Machine Learning Systems": degenerate feedback loops and natural labels.
    - Stripe, "Designing evaluation for fraud models": evaluation on a random holdout of
      blocked traffic.
    """
    if a.graph.data.labels != "delayed" or a.task not in _CENSORING_TASKS:
        return not_applicable("labels are not outcomes the model's actions can prevent")
    early = needs_trained(a)
    if early is not None:
        return early
    acting = [m for m in a.trained_models if m.reaches_consumer]
    if not acting:
        return missing("model-not-deployed", "no model's predictions reach anyone who acts on them")
    corrections = mentions(a.graph.data.bias_handling, _CORRECTIONS)
    if corrections:
        return satisfied(Evidence(f"labels corrected by {', '.join(corrections[:2])}", ("problem", "data", "bias_handling")))
    explored = [m for m in acting if (getattr(m.spec, "exploration", None) or "none").strip().lower() != "none"]
    if explored:
        return satisfied(Evidence(f"{which(explored[0])} explores ({explored[0].spec.exploration}): some acted-on "
                                  f"cases show their outcome", explored[0].path))
    # A holdout that measures lift is not a correction; one whose outcomes feed training is.
    words = said(a, "exploration", also="labels") or said(a, "holdout", also="labels")
    if words is not None:
        return satisfied(words)
    m = acting[0]
    return violated(Violation(("problem", "data", "labels"), f"{which(m)} acts on its predictions and learns from "
                              f"delayed outcomes, but the cases it acts on never show their outcome: no holdout or "
                              f"sampled review is named (problem.data.bias_handling)", component=m.server))


_POSITION = r"position|propensit|ipw|inverse|random|click_model|debias|examination|interleav|shuffle"


@rule(code="DG211", slug="position-bias-in-labels", pillar="data", severity="warning", level="L6",
      summary="a ranker learns from clicks without correcting for the position it showed them in",
      fix="log the position and train with it as a feature (set to a constant at serving), or weight by "
          "inverse propensity; say so in problem.data.bias_handling")
def position_bias_in_labels(a: "Analysis") -> "Outcome":
    """## What it does
    Applies to ranking models (role `ranking`, or any model of a ranking, search,
    recommendation or ads task that gives no role) trained on implicit labels (clicks,
    selections). Satisfied when `problem.data.bias_handling` names a position correction
    (position as a feature, inverse propensity weighting, randomized top slots, a click
    model), or a model feature carries the position. Reported otherwise.

    ## Why is this bad?
    Users click the first result because it is first. Trained on raw clicks, a ranker
    learns to keep whatever it already ranked on top, and offline metrics computed on the
    same logs reward it for that. Interviewers expect position bias named wherever clicks
    are labels.

    ## Example
    ```yaml
    problem:
      task: ranking
      data: {labels: implicit}
    ```

    ## Use instead
    ```yaml
    problem:
      task: ranking
      data:
        labels: implicit
        bias_handling: [position_as_feature, randomized_top3_on_1pct]
    ```

    ## References
    - Joachims et al., "Unbiased Learning-to-Rank with Biased Feedback" (WSDM 2017).
    - RoML, rule 36: avoid feedback loops with positional features.
    - HTD, section 4: hidden feedback loops.
    """
    if a.graph.data.labels != "implicit" or a.task not in EXPOSURE_TASKS:
        return not_applicable("no ranking model learns from clicks")
    early = needs_trained(a)
    if early is not None:
        return early
    rankers = [m for m in a.trained_models if (m.role == "ranking" or (m.role is None and a.task in EXPOSURE_TASKS))
               and "bandit" not in m.algorithm]  # a bandit picks one action and logs its propensity
    if not rankers:
        return not_applicable("no model ranks a list")
    fixed = mentions(a.graph.data.bias_handling, _POSITION)
    if fixed:
        return satisfied(Evidence(f"position bias handled by {fixed[0]}", ("problem", "data", "bias_handling")))
    with_feature = [m for m in rankers if mentions(m.feature_names, r"position|slot|rank_shown")]
    if with_feature:
        return satisfied(Evidence(f"{which(with_feature[0])} learns with the position shown", with_feature[0].path))
    words = said(a, "position")
    if words is not None:
        return satisfied(words)
    m = rankers[0]
    return violated(Violation(("problem", "data", "labels"), f"{which(m)} ranks and learns from clicks, but nothing "
                              f"corrects for the position items were shown in (problem.data.bias_handling is "
                              f"empty)", component=m.server))
