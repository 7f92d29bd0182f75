"""How lint and DOT rendering grow with design size, against yamllint on the same files.

    .venv/bin/python bench/scale_bench.py

Generates designs of n components and 2.5 n flows (random, cycles included) and prints,
per size, the CPU seconds of one cold `designgrade lint`, one cold `designgrade render
--format dot`, and one cold `yamllint` of the same file, and the time per component.
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
KINDS = ["service", "cache", "key_value_store", "online_serving", "event_stream", "data_lake",
         "batch_processor", "monitoring", "feature_store"]


def design(n: int, m: int) -> str:
    rng = random.Random(n)
    lines = ["designgrade: 1", f"title: generated {n}", "level: L6", "problem:", "  task: ranking",
             "  objective: x", "  metrics: {offline: [ndcg@10], online: [ctr], guardrails: [p99]}",
             "  requirements: {freshness: minutes, latency_p99_ms: 100, peak_qps: 1k}", "components:",
             "  app: {kind: client, tech: web}"]
    lines += [f"  c{i}: {{kind: {KINDS[i % len(KINDS)]}, latency_ms: 1}}" for i in range(1, n)]
    lines.append("flows:")
    for _ in range(m):
        a, b = rng.randrange(0, n), rng.randrange(1, n)
        if a != b:
            lines.append(f'  - "{"app" if a == 0 else f"c{a}"} -> c{b}"')
    return "\n".join(lines) + "\n"


def cpu(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
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


if __name__ == "__main__":
    main()
