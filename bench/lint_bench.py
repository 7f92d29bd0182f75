"""Lint speed, cold, against peers in the same run.

    .venv/bin/python bench/lint_bench.py [--runs 15]

Prints the median CPU time (user + system) of fresh processes:
- `designgrade lint` on an example and on a generated design of 500 components;
- `yamllint` on the same files (a peer that only parses and checks YAML style);
- the floor of our stack: a process that imports PyYAML, click and pydantic, defines one
  model and loads the file, which no lint of ours can beat.
and the ratios lint/floor and lint/yamllint.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

FLOOR = """
import sys, yaml, click, pydantic
class M(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    title: str = ""
M.model_validate(yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader))
"""


def generated_design(n: int) -> str:
    """A valid design with n components in chains of stores, services and serving."""
    lines = ["designgrade: 1", f"title: generated {n}", "level: L6", "problem:", "  task: ranking",
             "  objective: x", "  metrics: {offline: [ndcg@10], online: [ctr], guardrails: [p99]}",
             "  requirements: {freshness: minutes, latency_p99_ms: 100, peak_qps: 1k}",
             "components:", "  app: {kind: client, tech: web}"]
    kinds = ["service", "cache", "key_value_store", "online_serving"]
    flows = []
    for i in range(1, n):
        kind = kinds[i % len(kinds)]
        lines.append(f"  c{i}: {{kind: {kind}, latency_ms: 1}}")
        flows.append(f'  - "{"app" if i < 5 else f"c{i - 4}"} -> c{i}"')
    lines.append("flows:")
    lines.extend(flows)
    return "\n".join(lines) + "\n"


def median_time(cmd: list[str], runs: int) -> float:
    """Median CPU seconds (user + system) of a fresh process: steadier than wall time when
    the machine is busy, and what start-up work costs."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    designgrade = str(BIN / "designgrade")
    yamllint = shutil.which("yamllint", path=str(BIN)) or shutil.which("yamllint")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "generated-500.yaml"
        big.write_text(generated_design(500))
        floor = Path(tmp) / "floor.py"
        floor.write_text(FLOOR)
        files = [ROOT / "examples" / "fraud-detection.yaml", big]
        print(f"{'file':28} {'floor':>8} {'yamllint':>9} {'lint':>8} {'lint/floor':>11} {'lint/yamllint':>14}")
        for file in files:
            floor_t = median_time([sys.executable, str(floor), str(file)], args.runs)
            yl_t = median_time([yamllint, "-d", "relaxed", str(file)], args.runs) if yamllint else float("nan")
            lint_t = median_time([designgrade, "lint", str(file)], args.runs)
            print(f"{file.name:28} {floor_t:8.3f} {yl_t:9.3f} {lint_t:8.3f} {lint_t / floor_t:11.2f} "
                  f"{lint_t / yl_t:14.2f}")
        print(f"(median CPU seconds, user + system, of {args.runs} cold runs each)")


if __name__ == "__main__":
    main()
