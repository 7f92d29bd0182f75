"""Data rules (DG2xx): ingestion, features, and the data that reaches training.

Step 2 of the interview framework: how raw events become features, and whether training
and serving see the same features computed the same way.
"""

from __future__ import annotations

from collections import deque
from typing import Iterator, Optional

from ..graph import FAST_FRESHNESS, SERVING_KINDS, SLOW_FRESHNESS, DesignGraph
from ..registry import Violation, rule
from .wording import quote_ids

PROCESSORS = ("stream_processor", "batch_processor")
HAND_ROLLED_STORES = ("key_value_store", "cache")
RAW_KINDS = ("source_db", "event_stream", "data_lake")
DATA_KINDS = frozenset(RAW_KINDS + PROCESSORS + HAND_ROLLED_STORES + ("data_warehouse", "feature_store"))
DATA_FLOWS = ("stream", "batch")


def _writers(g: DesignGraph, cid: str) -> set[str]:
    """Who writes ``cid``: the sources of its incoming stream and batch flows."""
    return set(g.predecessors(cid, *DATA_FLOWS))


def _holds_predictions(g: DesignGraph, cid: str) -> bool:
    """A store written only by serving components (batch_inference, say) holds predictions, not features."""
    writers = _writers(g, cid)
    return bool(writers) and all(g.kind(w) in SERVING_KINDS for w in writers)


def _upstream(g: DesignGraph, cid: str) -> set[str]:
    """Everything that reaches ``cid`` by stream or batch flows."""
    seen: set[str] = set()
    queue = deque([cid])
    while queue:
        for src in g.predecessors(queue.popleft(), *DATA_FLOWS):
            if src not in seen:
                seen.add(src)
                queue.append(src)
    return seen


def _across_validation(g: DesignGraph, cid: str, forward: bool) -> set[str]:
    """Direct data-flow neighbours of ``cid``, looking through data_validation steps."""
    step = g.successors if forward else g.predecessors
    found: set[str] = set()
    seen = {cid}
    queue = deque([cid])
    while queue:
        for nxt in step(queue.popleft(), *DATA_FLOWS):
            if nxt in seen:
                continue
            seen.add(nxt)
            if g.kind(nxt) == "data_validation":
                queue.append(nxt)
            else:
                found.add(nxt)
    return found


def _training_reads(g: DesignGraph, training: str) -> set[str]:
    """What a training_pipeline reads, looking through data_validation steps (a check passes
    data on unchanged: `warehouse -> checks -> training` still trains on the warehouse)."""
    return g.reads(training) | _across_validation(g, training, forward=False)


@rule(code="DG201", slug="missing-feature-store", pillar="data", severity="warning", level="L5",
      training=True, summary="features are served from ad-hoc stores with no feature store",
      fix="add a feature_store (feast, tecton, ...) with an online and an offline store that both "
          "serving and training read")
def missing_feature_store(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    In a design that has a training_pipeline and no feature_store, reports that features
    are hand-rolled when either an online_serving on the request path reads a
    key_value_store, cache or stream_processor, or a model lists `features`. A
    key_value_store or cache written only by serving components (batch_inference writing
    precomputed predictions, say) holds predictions rather than features and does not
    count. One finding per design, at the first such online_serving (else at
    `components:`).

    ## Why is this bad?
    For a senior role the interview guide expects a feature store to be named: one
    definition of each feature (`user_spending_7_days`) computed once and served both to
    training (offline, point-in-time) and to the online model. Features assembled from a
    Redis key here and a Flink job there are computed twice, by two code paths that drift
    apart, and nothing records how each value was made.

    ## Example
    ```yaml
    components:
      counters: {kind: key_value_store, tech: redis}
      flink: {kind: stream_processor, tech: flink}
    flows:
      - "events -> flink -> counters"
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
    - MLL, MLREL03-BP02: use a feature store for consistent features.
    """
    if g.has_kind("feature_store") or not g.has_kind("training_pipeline"):
        return
    hand_rolled: list[tuple[str, str]] = []
    for serving in sorted(g.of_kind("online_serving")):
        if not g.on_request_path(serving):
            continue
        for read in sorted(g.reads(serving)):
            kind = g.kind(read)
            if kind == "stream_processor" or (kind in HAND_ROLLED_STORES and not _holds_predictions(g, read)):
                hand_rolled.append((serving, read))
    with_features = sorted(name for name, mod in g.models.items() if mod.features)
    if not hand_rolled and not with_features:
        return
    parts = [f"'{s}' reads features from '{r}' ({g.kind(r)})" for s, r in hand_rolled]
    parts += [f"model '{name}' lists {len(g.models[name].features)} features" for name in with_features]
    where = g.path_of(hand_rolled[0][0]) if hand_rolled else ("components",)
    yield Violation(where, f"no feature_store although {'; '.join(parts)}: training and serving "
                           f"compute features separately", component=hand_rolled[0][0] if hand_rolled else None)


@rule(code="DG202", slug="training-serving-skew", pillar="data", severity="error", level="L5",
      training=True, summary="training and serving compute the same features by different code paths",
      fix="have training and serving read the same feature_store (offline and online sides of one definition)")
def training_serving_skew(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    For each model, with T its `trained_by` and S its `served_by` plus what S reads on
    the request path (everything S reaches by request flows): reports the model when no
    feature_store is read by both T and S, and S reads features from a
    stream_processor, a batch_processor, or a key_value_store or cache one of them writes
    (a feature_store S reads that such a processor feeds counts too). A store written
    only by batch_inference holds predictions, not features.

    Our judgment calls: in a design without a `models` section every training_pipeline
    is T and every online_serving or llm on the request path is an S. A processor that
    also feeds T (Flink writing the same values to Redis and to the lake that training
    reads) is one shared transform, not two code paths, and is not reported. One finding
    per (T, S) pair, at S. What T reads through a data_validation step counts as read
    by T. A batch_processor that only copies lake or warehouse tables T itself reads into
    the online store is a bulk upload of one feature definition, not a second code path;
    when several processors are to blame, a stream job is named first.

    ## Why is this bad?
    When serving computes features in a stream job and training recomputes them from
    the lake with batch SQL, the two implementations differ in windows, joins, null
    handling and time zones. The model is then served inputs it never saw in training,
    and quality drops silently: offline metrics look fine, online metrics do not.

    ## Example
    ```yaml
    flows:
      - "events -> flink -> counters"     # counters: key_value_store
      - "serving -> counters: live features"
      - "lake -> training"               # training recomputes them from raw data
    models:
      ranker: {trained_by: training, served_by: serving}
    ```

    ## Use instead
    ```yaml
    flows:
      - "events -> flink -> features"    # features: feature_store
      - "serving -> features: live features"
      - "features -> training: point-in-time features"
    models:
      ranker: {trained_by: training, served_by: serving}
    ```

    ## References
    - SEED, Pillar 1: a centralized feature store prevents training-serving skew by
      using the exact same feature logic in inference and in training.
    - RoML, rules 29, 31-32 and 37: log features at serving time, reuse code between
      training and serving, measure the skew.
    - MLTS, Monitor 3: training and serving features compute the same values.
    - HTD, section 5: glue code and pipeline jungles.
    """
    pairs: dict[tuple[tuple[str, ...], str], list[str]] = {}
    if g.design.models is not None:
        for name, mod in sorted(g.models.items()):
            if mod.trained_by in g.components and mod.served_by in g.components:
                pairs.setdefault(((mod.trained_by,), mod.served_by), []).append(name)
    else:
        trainers = tuple(sorted(g.of_kind("training_pipeline")))
        for serving in sorted(g.of_kind("online_serving", "llm")):
            if trainers and g.serves_model(serving):
                pairs[(trainers, serving)] = []
    for (trainers, serving), models in pairs.items():
        side = {serving} | {c for c in g.reachable([serving], ["request"]) if g.kind(c) != "client"}
        s_reads = set().union(*(g.reads(c) for c in side))
        t_reads = set().union(*(_training_reads(g, t) for t in trainers))
        if any(g.kind(c) == "feature_store" for c in s_reads & t_reads):
            continue
        t_upstream = set().union(*(_upstream(g, t) for t in trainers))
        culprits: list[tuple[str, str]] = []  # (what S reads, the processor that computes it)
        for read in sorted(s_reads):
            kind = g.kind(read)
            if kind in PROCESSORS:
                culprits.append((read, read))
            elif kind in HAND_ROLLED_STORES + ("feature_store",):
                culprits += [(read, w) for w in sorted(_writers(g, read)) if g.kind(w) in PROCESSORS]
        culprits = [(r, p) for r, p in culprits if p not in t_upstream and not _copies(g, p, t_reads)]
        if not culprits:
            continue
        # name a stream job first (the usual second code path), then the store S looks features up in
        culprits.sort(key=lambda rp: (g.kind(rp[1]) != "stream_processor", rp[0] == rp[1]))
        read, proc = culprits[0]
        via = f" via '{read}'" if read != proc else ""
        who = f"model {quote_ids(sorted(models), limit=None)}: " if models else ""
        yield Violation(g.path_of(serving),
                        f"{who}'{serving}' is served features computed by '{proc}' ({g.kind(proc)}){via}, "
                        f"while {quote_ids(sorted(trainers), limit=None)} shares no feature_store with it: "
                        f"training and serving "
                        f"compute features by different code paths", component=serving)


def _copies(g: DesignGraph, proc: str, training_reads: set[str]) -> bool:
    """A processor that only reads stores training reads too is a bulk copy of training's
    own tables into the online store: one feature definition, not a second code path."""
    if g.kind(proc) != "batch_processor":
        return False
    inputs = {e.src for e in g.in_edges(proc, "stream", "batch")}
    return bool(inputs) and inputs <= training_reads and all(
        g.kind(i) in ("data_lake", "data_warehouse") for i in inputs)


@rule(code="DG203", slug="feature-store-offline-only", pillar="data", severity="warning", level="L5",
      summary="the request path reads a feature store that has no online store",
      fix="give the feature_store an online_store (redis, dynamodb, ...) for millisecond lookups")
def feature_store_offline_only(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports a feature_store without an `online_store` that a component on the request
    path reads (a request flow from that component, or a data flow into it). One finding
    per feature_store, naming its readers.

    ## Why is this bad?
    An offline store (S3, BigQuery, Hive) answers in seconds to minutes and is built for
    scans, not per-key lookups. Reading it inside a request blows the latency budget, or
    means the design silently assumes an online store it never named. Feature stores
    serve online traffic from a separate low-latency store (Redis, DynamoDB) that is kept
    in sync with the offline one.

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
    for fs in sorted(g.of_kind("feature_store")):
        online = getattr(g.get(fs), "online_store", None)
        if online and online.strip():
            continue
        readers = sorted(r for r in g.readers(fs) if g.on_request_path(r))
        if readers:
            yield Violation(g.path_of(fs, "online_store"),
                            f"{quote_ids(sorted(readers), limit=None)} on the request path read{'s' if len(readers) == 1 else ''} "
                            f"feature_store '{fs}', which has no online_store for low-latency lookups",
                            component=fs)


@rule(code="DG204", slug="point-in-time-leakage", pillar="data", severity="error", level="L5",
      training=True, summary="training reads current-state data and can leak the future into features",
      fix="train from a feature_store with point_in_time: true (or from an event log), not from current-state tables")
def point_in_time_leakage(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports data a training_pipeline reads directly that cannot give features as of
    each label's time: a feature_store whose `point_in_time` is not true, a source_db,
    or a data_warehouse fed by a source_db (current-state snapshots). Data that reaches
    training only through a point-in-time feature store does not count. One finding per
    offending source, naming the training pipelines that read it.

    Our judgment: a warehouse is "fed by a source_db" when a source_db reaches it by data
    flows directly or through batch_processor or data_validation steps (an ETL copy). A
    source_db with `cdc: true` ships a change log rather than snapshots, and a feed that
    passes through an event_stream is a log too; neither counts. "Directly" looks through
    data_validation steps in front of training (a check does not make current-state rows
    historical).

    ## Why is this bad?
    A table that holds the current state (a user's balance, an account's status, a
    product's price now) joined to last month's labels gives the model values from after
    the event it predicts. Offline metrics look excellent; online, the future is not
    available, and the model underperforms. A point-in-time join reads each feature as it
    was at the label's timestamp.

    ## Example
    ```yaml
    components:
      accounts: {kind: source_db, tech: postgres}
    flows:
      - "accounts -> training"
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
    offenders: dict[str, list[str]] = {}
    for training in sorted(g.of_kind("training_pipeline")):
        for read in sorted(_training_reads(g, training)):
            kind = g.kind(read)
            if kind == "feature_store" and getattr(g.get(read), "point_in_time", None) is not True:
                offenders.setdefault(read, []).append(training)
            elif kind == "source_db":
                offenders.setdefault(read, []).append(training)
            elif kind == "data_warehouse" and _snapshot_feeders(g, read):
                offenders.setdefault(read, []).append(training)
    for source, trainers in offenders.items():
        kind = g.kind(source)
        who = quote_ids(sorted(trainers), limit=None)
        if kind == "feature_store":
            yield Violation(g.path_of(source, "point_in_time"),
                            f"{who} reads feature_store '{source}', which is not point_in_time: features "
                            f"are joined as of now, not as of each label", component=source)
        elif kind == "source_db":
            yield Violation(g.path_of(source),
                            f"{who} reads source_db '{source}' directly: current-state rows leak values from "
                            f"after each label's time into training", component=source)
        else:
            feeders = quote_ids(sorted(_snapshot_feeders(g, source)), limit=None)
            yield Violation(g.path_of(source),
                            f"{who} reads data_warehouse '{source}', fed with current-state snapshots of "
                            f"source_db {feeders}: features can leak the future", component=source)


def _snapshot_feeders(g: DesignGraph, warehouse: str) -> set[str]:
    """source_dbs without CDC that reach ``warehouse`` directly or through ETL steps."""
    found: set[str] = set()
    seen = {warehouse}
    queue = deque([warehouse])
    while queue:
        for src in g.predecessors(queue.popleft(), *DATA_FLOWS):
            if src in seen:
                continue
            seen.add(src)
            kind = g.kind(src)
            if kind == "source_db" and getattr(g.get(src), "cdc", None) is not True:
                found.add(src)
            elif kind in ("batch_processor", "data_validation"):
                queue.append(src)
    return found


@rule(code="DG205", slug="overbuilt-streaming-features", pillar="data", severity="warning", level="L5",
      summary="streaming feature computation for predictions that only need to be hourly or fresher",
      fix="compute the features in a scheduled batch_processor, or acknowledge the trade-off")
def overbuilt_streaming_features(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    When `requirements.freshness` is hourly, daily or weekly, reports each
    stream_processor that an event_stream feeds and that feeds a feature_store or a
    key_value_store. A data_validation step between them (events -> checks -> flink)
    does not hide the pattern. With no freshness stated the rule stays silent.

    ## Why is this bad?
    A streaming pipeline (Kafka, Flink, state backends, exactly-once sinks, on-call for
    a 24/7 job) costs several times its batch equivalent in infrastructure and
    operations. If predictions only need to be hours fresh, a scheduled Spark or dbt job
    computes the same features for a fraction of the cost. It is the data-side twin of
    the "real-time inference for an offline problem" trap.

    ## Example
    ```yaml
    problem:
      requirements: {freshness: daily}
    flows:
      - "events -> flink -> features"
    ```

    ## Use instead
    ```yaml
    problem:
      requirements: {freshness: daily}
    flows:
      - "events -> lake -> spark -> features"   # spark: batch_processor, schedule: daily
    ```

    ## References
    - CH, "Real-time machine learning": streaming features are worth it only when
      freshness of seconds to minutes pays; they cost about 2-5x the batch equivalent.
    - SEED, Pillar 2: the classic trap of an overly complex, expensive real-time
      architecture for a problem that can be solved offline.
    """
    if g.freshness not in SLOW_FRESHNESS:
        return
    for proc in sorted(g.of_kind("stream_processor")):
        streams = sorted(c for c in _across_validation(g, proc, forward=False) if g.kind(c) == "event_stream")
        sinks = sorted(c for c in _across_validation(g, proc, forward=True)
                       if g.kind(c) in ("feature_store", "key_value_store"))
        if streams and sinks:
            yield Violation(g.path_of(proc),
                            f"'{streams[0]}' -> '{proc}' -> '{sinks[0]}' computes streaming features although "
                            f"freshness is {g.freshness}: a scheduled batch job would do", component=proc)


@rule(code="DG206", slug="no-streaming-ingestion", pillar="data", severity="warning", level="L5",
      summary="fresh predictions are required but no event stream carries the data",
      fix="ingest events through an event_stream (kafka, kinesis, pubsub) and compute fresh features from it")
def no_streaming_ingestion(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    When `requirements.freshness` is realtime, seconds or minutes, reports a design in
    which no event_stream appears in any flow (an event_stream component with no flow
    does not count).

    ## Why is this bad?
    Data that arrives by nightly dumps or hourly batch jobs cannot make a prediction
    minutes fresh: the model would see yesterday's behaviour. Fresh features (clicks in
    the last five minutes, a card's spend in the last hour) need events flowing through a
    log such as Kafka or Kinesis into a stream processor or feature store.

    ## Example
    ```yaml
    problem:
      requirements: {freshness: seconds}
    flows:
      - "app -> db"
      - "db -> spark -> features"
    ```

    ## Use instead
    ```yaml
    problem:
      requirements: {freshness: seconds}
    flows:
      - "app -> events"                 # events: event_stream (kafka)
      - "events -> flink -> features"
    ```

    ## References
    - CH, "Real-time machine learning": online features need streaming ingestion.
    - SEED, Pillar 1: user events flow from raw data into feature stores; Pillar 2:
      real-time prediction for fraud and ads.
    """
    if g.freshness not in FAST_FRESHNESS:
        return
    if any("event_stream" in (g.kind(e.src), g.kind(e.dst)) for e in g.edges):
        return
    idle = sorted(g.of_kind("event_stream"))
    note = f" ({quote_ids(sorted(idle), limit=None)} has no flow)" if idle else ""
    yield Violation(("components",),
                    f"freshness is {g.freshness} but no event_stream appears in any flow{note}: expected an "
                    f"event_stream (kafka, kinesis) carrying events to fresh features")


@rule(code="DG207", slug="unhandled-class-imbalance", pillar="data", severity="warning", level="L5",
      summary="an imbalanced task with no plan for the rare class",
      fix="list problem.data.imbalance_handling, e.g. negative_downsampling, class_weights, focal_loss")
def unhandled_class_imbalance(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Reports an imbalanced task (fraud_detection, ads_ctr, content_moderation,
    anomaly_detection, or `data.class_imbalance: true`) whose
    `problem.data.imbalance_handling` lists nothing. The task alone makes it imbalanced,
    even with `class_imbalance: false`.

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
    if not g.imbalanced_task:
        return
    if any(h.strip() for h in g.data.imbalance_handling if isinstance(h, str)):
        return
    why = f"the {g.task} task is imbalanced" if not g.data.class_imbalance else "class_imbalance is true"
    yield Violation(("problem", "data", "imbalance_handling"),
                    f"{why} but problem.data.imbalance_handling is empty: no plan for the rare class")


@rule(code="DG208", slug="no-data-validation", pillar="data", severity="warning", level="L6",
      training=True, summary="raw data reaches training without passing a data validation step",
      fix="put a data_validation step (great_expectations, tfdv, deequ) on every path from raw data to training")
def no_data_validation(g: DesignGraph) -> Iterator[Violation]:
    """## What it does
    Follows stream and batch flows from raw data (source_db, event_stream, data_lake) and
    reports each training_pipeline that some such path reaches without passing a
    data_validation component, naming one such path. Paths go through processors and
    stores (a feature_store fed by an unvalidated stream counts) but not through a
    training_pipeline.

    Our judgment: a raw store fed only by validated data (source_db -> checks -> lake) is
    no longer raw; a path starts at raw data that has some unvalidated input, or none.

    ## Why is this bad?
    Upstream data breaks silently: a producer renames a field, a partition lands empty, a
    unit changes from seconds to milliseconds. Without a schema and distribution check in
    front of training, an automated pipeline trains on the broken data and, if deployment
    is automated too, ships the damaged model. Validation that covers only one of two
    input paths leaves the other one open.

    ## Example
    ```yaml
    flows:
      - "lake -> checks -> training"
      - "events -> flink -> features"
      - "features -> training"          # this path is never checked
    ```

    ## Use instead
    ```yaml
    flows:
      - "lake -> checks -> training"
      - "events -> event_checks -> flink -> features"
      - "features -> training"
    ```

    ## References
    - MLTS, Data 1: feature expectations are captured in a schema and checked.
    - GCP, MLOps level 1: automated data validation before training decides whether to
      retrain or stop.
    - HTD, section 5: unstable data dependencies.
    """
    clean = _validated(g)
    starts = [c for c in sorted(g.of_kind(*RAW_KINDS)) if c not in clean]
    parent: dict[str, Optional[str]] = {c: None for c in starts}
    queue = deque(starts)
    reached: list[str] = []
    while queue:
        cid = queue.popleft()
        for nxt in sorted(g.successors(cid, *DATA_FLOWS)):
            if nxt in parent:
                continue
            parent[nxt] = cid
            kind = g.kind(nxt)
            if kind == "training_pipeline":
                reached.append(nxt)
            elif kind != "data_validation":
                queue.append(nxt)
    for training in sorted(reached):
        chain, cur = [], training
        while cur is not None:
            chain.append(cur)
            cur = parent[cur]
        yield Violation(g.path_of(training),
                        f"the path {' -> '.join(reversed(chain))} brings raw data into '{training}' without "
                        f"a data_validation step", component=training)


def _validated(g: DesignGraph) -> set[str]:
    """data_validation steps, and the stores, streams and processors whose every input
    (at least one) is validated data. Clients and serving components originate new data
    (events, prediction logs), so they are never clean."""
    clean = set(g.of_kind("data_validation"))
    changed = True
    while changed:
        changed = False
        for cid in g.components:
            if cid in clean or g.kind(cid) not in DATA_KINDS:
                continue
            inputs = _writers(g, cid)
            if inputs and inputs <= clean:
                clean.add(cid)
                changed = True
    return clean
