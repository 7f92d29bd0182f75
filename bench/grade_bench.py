"""Batch grading speed: `designgrade grade DIR --out OUT` over generated submissions.

    .venv/bin/python bench/grade_bench.py [--designs 500] [--runs 3] [--jobs N]

Generates DESIGNS submissions in a temp folder by varying the examples (titles, labels,
a removed autoscaling block, a dropped flow, a few broken files), then times fresh
processes of `designgrade grade DIR --out OUT` with `--format json` and with
`--format html` (the default --jobs, the cores; and --jobs 1 for reference), and prints
designs per second (the median of RUNS). The target: at least 100 designs/second for
JSON on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))


def variant(text: str, i: int) -> str:
    """The i-th variation of an example: still a plausible submission, not a copy."""
    text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1).strip(chr(34))} (candidate {i})", text,
                  count=1, flags=re.M)
    if i % 3 == 0:  # a display label on the first component
        text = re.sub(r"^(components:\n  )([a-z_]+): \{", lambda m: f"{m.group(1)}{m.group(2)}: {{label: "
                      f"\"{m.group(2)} #{i}\", ", text, count=1, flags=re.M)
    if i % 7 == 0:  # no autoscaling
        text = re.sub(r"^\s+autoscaling: .*\n", "", text, flags=re.M)
    if i % 11 == 0:  # one flow fewer
        text = re.sub(r'^  - "[^"\n]*"\s*(#.*)?\n', "", text, count=1, flags=re.M)
    if i % 97 == 0:  # a broken file now and then: a batch must carry it
        text = text.replace("\nlevel:", "\n\tlevel:", 1)
    return text


def generate(folder: Path, count: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    for i in range(count):
        team = folder / f"team{i % 10}"
        team.mkdir(parents=True, exist_ok=True)
        (team / f"candidate{i:04d}.yaml").write_text(variant(texts[i % len(texts)], i), encoding="utf-8")


def timed(args: list[str], runs: int, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "designgrade", *args, "--out", str(out)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr or "internal error" in done.stderr:
            raise SystemExit(f"designgrade failed ({done.returncode}): {done.stderr[-2000:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--designs", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="default: the cores")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    jobs = args.jobs or cores
    with tempfile.TemporaryDirectory() as tmp:
        subs, out = Path(tmp) / "submissions", Path(tmp) / "reports"
        generate(subs, args.designs)
        print(f"{args.designs} designs from {len(EXAMPLES)} examples, {cores} cores, median of {args.runs} runs")
        print(f"{'format':8} {'jobs':>4} {'seconds':>8} {'designs/s':>10} {'output MB':>10}")
        for fmt, n in (("json", jobs), ("json", 1), ("html", jobs), ("html", 1)):
            seconds = timed(["grade", str(subs), "--format", fmt, "--jobs", str(n)], args.runs, out)
            size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
            print(f"{fmt:8} {n:4d} {seconds:8.2f} {args.designs / seconds:10.1f} {size:10.1f}")


if __name__ == "__main__":
    main()
