"""How lint and DOT rendering grow with design size, against yamllint on the same files,
and how long the designs of the hostile-input report take.

    .venv/bin/python bench/scale_bench.py            # both tables
    .venv/bin/python bench/scale_bench.py --hostile  # only the hostile designs

The first table generates designs of n components and 2.5 n flows (random, cycles
included) and prints, per size, the CPU seconds of one cold `designgrade lint`, one cold
`designgrade render --format dot`, and one cold `yamllint` of the same file, and the time
per component.

The second prints the wall seconds of `lint` and `render --format dot` on three designs
that once took minutes or crashed, each stopped after --limit seconds (default
120): 5,000 components with 20,000 flows; 200 servings and 200 training pipelines over a
2,000-store chain; a request path of 20 diamonds followed by a 1,500-hop chain. The goal
is under 5 s to lint each and under 10 s to draw the first. tests/hostile/ runs the same
designs with a 60 s guard.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

BIN = Path(sys.executable).parent
KINDS = ["service", "cache", "key_value_store", "online_serving", "event_stream", "data_lake",
         "batch_processor", "monitoring", "feature_store"]
HEADER = ["designgrade: 1", "level: L6", "problem:", "  task: ranking", "  objective: x",
          "  metrics: {offline: [ndcg@10], online: [ctr], guardrails: [p99]}",
          "  requirements: {freshness: minutes, latency_p99_ms: 100, peak_qps: 1k}"]


def design(n: int, m: int) -> str:
    """n components of mixed kinds, m random flows between them (cycles included)."""
    rng = random.Random(n)
    lines = HEADER[:1] + [f"title: generated {n}"] + HEADER[1:] + ["components:", "  app: {kind: client, tech: web}"]
    lines += [f"  c{i}: {{kind: {KINDS[i % len(KINDS)]}, latency_ms: 1}}" for i in range(1, n)]
    lines.append("flows:")
    for _ in range(m):
        a, b = rng.randrange(0, n), rng.randrange(1, n)
        if a != b:
            lines.append(f'  - "{"app" if a == 0 else f"c{a}"} -> c{b}"')
    return "\n".join(lines) + "\n"


def skew_design(servings: int = 200, trainers: int = 200, chain: int = 2000) -> str:
    """Servings reading a stream-fed key-value store, trainers at the end of a long chain of
    lake and warehouse tables: every (trainer, serving) pair is a training-serving-skew
    question, and each trainer's upstream is the whole chain."""
    lines = HEADER[:1] + ["title: skew at scale"] + HEADER[1:] + [
        "components:", "  app: {kind: client, tech: web}", "  events: {kind: event_stream, tech: kafka}",
        "  flink: {kind: stream_processor, tech: flink}", "  kv: {kind: key_value_store, tech: redis, latency_ms: 2}"]
    lines += [f"  s{i}: {{kind: {'data_lake' if i % 2 == 0 else 'data_warehouse'}}}" for i in range(chain)]
    lines += [f"  t{i}: {{kind: training_pipeline, tech: airflow, schedule: daily}}" for i in range(trainers)]
    lines += [f"  v{i}: {{kind: online_serving, tech: fastapi, latency_ms: 5}}" for i in range(servings)]
    lines += ["flows:", '  - "events -> flink -> kv"', '  - "events -> s0"']
    lines += [f'  - "s{i} -> s{i + 1}"' for i in range(chain - 1)]
    lines += [f'  - "s{chain - 1} -> t{i}"' for i in range(trainers)]
    lines += [f'  - "app -> v{i} -> kv"' for i in range(servings)]
    return "\n".join(lines) + "\n"


def chain_design(diamonds: int = 20, hops: int = 1500) -> str:
    """A request path of ``diamonds`` diamonds (2^diamonds paths) and then a chain of
    ``hops`` services: deep enough to overflow a recursive walk, wide enough to make
    enumerating paths hopeless."""
    lines = HEADER[:1] + ["title: a long request path"] + HEADER[1:] + ["components:", "  app: {kind: client, tech: web}"]
    flows = ["flows:"]
    previous = "app"
    for i in range(diamonds):
        top, left, right, join = f"d{i}", f"d{i}l", f"d{i}r", f"j{i}"
        lines += [f"  {name}: {{kind: service, latency_ms: 1}}" for name in (top, left, right, join)]
        flows += [f'  - "{previous} -> {top}"', f'  - "{top} -> {left} -> {join}"', f'  - "{top} -> {right} -> {join}"']
        previous = join
    for i in range(hops):
        lines.append(f"  h{i}: {{kind: service, latency_ms: 1}}")
        flows.append(f'  - "{previous} -> h{i}"')
        previous = f"h{i}"
    lines.append("  scoring: {kind: online_serving, tech: fastapi, latency_ms: 5}")
    flows.append(f'  - "{previous} -> scoring"')
    return "\n".join(lines + flows) + "\n"


HOSTILE: dict[str, Callable[[], str]] = {
    "5,000 components / 20,000 flows": lambda: design(5000, 20000),
    "200 servings x 200 trainers, 2,000-store chain": skew_design,
    "20 diamonds, then a 1,500-hop chain": chain_design,
}


def cpu(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def wall(cmd: list[str], limit: float) -> tuple[Optional[float], int]:
    """(seconds, exit code), or (None, -1) when stopped at ``limit``."""
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, -1
    return time.perf_counter() - started, done.returncode


def sizes() -> None:
    designgrade = str(BIN / "designgrade")
    yamllint = shutil.which("yamllint", path=str(BIN)) or shutil.which("yamllint")
    print(f"{'components':>10} {'flows':>7} {'lint s':>8} {'dot s':>8} {'yamllint s':>11} {'lint ms/comp':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (100, 500, 1000, 2000, 4000):
            m = int(n * 2.5)
            path = Path(tmp) / f"d{n}.yaml"
            path.write_text(design(n, m))
            lint = min(cpu([designgrade, "lint", str(path)]) for _ in range(3))
            dot = min(cpu([designgrade, "render", str(path), "-o", str(Path(tmp) / f"d{n}.dot")]) for _ in range(3))
            yl = min(cpu([yamllint, "-d", "relaxed", str(path)]) for _ in range(3)) if yamllint else float("nan")
            print(f"{n:>10} {m:>7} {lint:8.3f} {dot:8.3f} {yl:11.3f} {1000 * lint / n:13.3f}")
    print("(best CPU seconds, user + system, of 3 cold runs each)")


def hostile(limit: float) -> None:
    designgrade = str(BIN / "designgrade")

    def shown(result: tuple[Optional[float], int]) -> str:
        seconds, code = result
        return f"> {limit:g} s" if seconds is None else f"{seconds:.2f} s (exit {code})"

    print(f"{'design':<48} {'KB':>6} {'lint':>16} {'render --format dot':>20}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in HOSTILE.items():
            path = Path(tmp) / "design.yaml"
            path.write_text(make())
            lint = wall([designgrade, "lint", str(path)], limit)
            dot = wall([designgrade, "render", str(path), "-o", str(Path(tmp) / "design.dot")], limit)
            print(f"{name:<48} {path.stat().st_size // 1024:>6} {shown(lint):>16} {shown(dot):>20}")
    print(f"(wall seconds of one cold run each, stopped at {limit:g} s; exit 1 means findings, as expected)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hostile", action="store_true", help="only the hostile designs")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a run is stopped")
    args = parser.parse_args()
    if not args.hostile:
        sizes()
        print()
    hostile(args.limit)


if __name__ == "__main__":
    main()
