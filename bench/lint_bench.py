"""Lint speed, cold, against peers in the same run.

    .venv/bin/python bench/lint_bench.py [--runs 15]

Prints the median CPU time (user + system) of fresh processes:
- `designgrade lint` on an example, on every example at once, and on a generated design of
  500 components;
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
import pathlib, sys, yaml, click, pydantic
class M(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    title: str = ""
root = pathlib.Path(sys.argv[1])
for path in sorted(root.rglob("*.yaml")) if root.is_dir() else [root]:
    M.model_validate(yaml.load(open(path), Loader=yaml.CSafeLoader))
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


def cpu_time(cmd: list[str]) -> float:
    """CPU seconds (user + system) of one fresh process: steadier than wall time on a
    shared machine, and what start-up work costs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(commands: list[list[str]], runs: int) -> list[float]:
    """Interleaved runs (a b c, a b c, ...) so that drift in machine speed hits every
    command alike; the median of each."""
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, cmd in enumerate(commands):
            samples[index].append(cpu_time(cmd))
    return [statistics.median(s) for s in samples]


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
        files = [ROOT / "examples" / "fraud-detection.yaml", ROOT / "examples", big]
        print(f"{'file':28} {'floor':>8} {'yamllint':>9} {'lint':>8} {'lint/floor':>11} {'lint/yamllint':>14}")
        for file in files:
            commands = [[sys.executable, str(floor), str(file)], [designgrade, "lint", str(file)]]
            if yamllint:
                commands.append([yamllint, "-d", "relaxed", str(file)])
            floor_t, lint_t, *rest = medians(commands, args.runs)
            yl_t = rest[0] if rest else float("nan")
            name = f"{file.name}/ (all)" if file.is_dir() else file.name
            print(f"{name:28} {floor_t:8.3f} {yl_t:9.3f} {lint_t:8.3f} {lint_t / floor_t:11.2f} "
                  f"{lint_t / yl_t:14.2f}")
        print(f"(median CPU seconds, user + system, of {args.runs} cold runs each)")


if __name__ == "__main__":
    main()
