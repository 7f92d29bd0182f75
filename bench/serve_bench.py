"""What one update of `designgrade serve` costs on the server, per example, against what a
candidate did before: `designgrade lint` and `designgrade render` run from the shell.

    python bench/serve_bench.py [--repeat N] [--peer-repeat M] [FILE_OR_DIR ...]   (default: examples/)

Columns (milliseconds; p50 and p95 over N runs, the drawing cache off, so every update
lints, scores and draws from scratch, as when each keystroke changes the picture):
  lint+score   Playground.analyse: one lint at the rubric's level (l6), the score, the
               findings at the design's level, and the drill questions
  svg          Playground.diagram: render(..., "svg") with the badges, and the SVG cleaned
               for the page
  update       both: what POST /api/update spends in this process per keystroke burst
  app          the same update through the app (Starlette's TestClient: HTTP parsing, the
               worker threads and JSON included; drawing cache off), p50
  dot          Graphviz's `dot -Tsvg` alone on the DOT render() hands it, p50: the floor
               for the svg column
  cached       an update whose edit changes no drawing (a comment), p50
  peer         `designgrade lint FILE` + `designgrade render FILE -o x.svg` as two processes,
               p50 / p95 over M runs: what a candidate ran per change before the playground
The goal: update p95 <= 150 ms for the largest example on 2 cores. Serve and peer runs
alternate, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from designgrade.engine import expand_paths  # noqa: E402
from designgrade.serve.core import Playground  # noqa: E402

GOAL_P95_MS = 150.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def dot_alone_ms(pg: Playground, text: str, repeat: int) -> float:
    from designgrade.render import render

    analysed = pg.analyse(text)
    report = analysed.graded.report
    if report.design is None or not getattr(report.design, "components", None):
        return float("nan")
    source = render(report.design, analysed.findings, "dot", source=report.source)
    times = []
    for _ in range(repeat):
        ms, _ = timed(lambda: subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True))
        times.append(ms)
    return statistics.median(times)


def peer_once(file: str, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "designgrade", "lint", file], capture_output=True, env=env, cwd=ROOT)
    subprocess.run([sys.executable, "-m", "designgrade", "render", file, "-o", str(out)], capture_output=True,
                   env=env, cwd=ROOT)
    return (time.perf_counter() - start) * 1000


def app_client():
    import warnings

    warnings.filterwarnings("ignore", message=".*httpx.*")
    from starlette.testclient import TestClient

    from designgrade.serve import create_app

    # Its own playground, drawing cache off: every update through the app draws as well.
    return TestClient(create_app(ROOT / "examples", playground=Playground(cache_size=0)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples")])
    parser.add_argument("--repeat", type=int, default=30, help="serve updates per example (default 30)")
    parser.add_argument("--peer-repeat", type=int, default=5, help="CLI runs per example (default 5)")
    args = parser.parse_args()
    if shutil.which("dot") is None:
        print("serve_bench: Graphviz's dot is not on PATH (scripts/setup installs it)", file=sys.stderr)
        return 2
    files = expand_paths(args.paths)
    cold = Playground(cache_size=0)  # every update draws
    warm = Playground()
    client = app_client()
    headers = {"X-Designgrade": "1", "Content-Type": "application/yaml"}
    for file in files[:1]:  # start-up (imports, rubric) is paid once by the server, not per update
        text = Path(file).read_text(encoding="utf-8")
        cold.update(text)
        client.post("/api/update", content=text.encode(), headers=headers)
    print(f"designgrade serve: server time per update, ms (p50/p95 over {args.repeat} runs; "
          f"peer over {args.peer_repeat}); {os.cpu_count()} cores")
    head = (f"{'design':44} {'KB':>5} {'comp':>4}  {'lint+score':>11}  {'svg':>11}  {'update':>11}  "
            f"{'app':>5}  {'dot':>5}  {'cached':>6}  {'peer (CLI)':>11}  {'x':>4}")
    print(head)
    print("-" * len(head))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "arch.svg"
        for file in files:
            text = Path(file).read_text(encoding="utf-8")
            lint_ms, svg_ms, total_ms, app_ms, peer_ms = [], [], [], [], []
            peer_every = max(1, args.repeat // max(args.peer_repeat, 1))
            for i in range(args.repeat):
                started = time.perf_counter()
                ms, analysed = timed(lambda: cold.analyse(text, name=Path(file).name))
                cold.questions(analysed)
                lint_ms.append((time.perf_counter() - started) * 1000)
                ms, _ = timed(lambda: cold.diagram(analysed))
                svg_ms.append(ms)
                total_ms.append(lint_ms[-1] + svg_ms[-1])
                if i % 3 == 0:
                    ms, response = timed(lambda: client.post("/api/update", content=text.encode(), headers=headers))
                    assert response.status_code == 200
                    app_ms.append(ms)
                if i % peer_every == 0 and len(peer_ms) < args.peer_repeat:
                    peer_ms.append(peer_once(file, out))
            warm.update(text)
            cached = [timed(lambda: warm.update(text + f"# note {i}\n"))[0] for i in range(5)]
            dot_ms = dot_alone_ms(cold, text, 5)
            report = analysed.graded.report
            components = len(getattr(report.design, "components", {}) or {})
            name = os.path.relpath(file, ROOT)
            row = dict(name=name, kb=len(text.encode()) / 1024, components=components,
                       lint=(pct(lint_ms, .5), pct(lint_ms, .95)), svg=(pct(svg_ms, .5), pct(svg_ms, .95)),
                       total=(pct(total_ms, .5), pct(total_ms, .95)), app=pct(app_ms, .5), dot=dot_ms,
                       cached=pct(cached, .5), peer=(pct(peer_ms, .5), pct(peer_ms, .95)))
            rows.append(row)
            speedup = row["peer"][0] / row["total"][0] if row["total"][0] else float("nan")
            print(f"{name:44} {row['kb']:5.1f} {components:4d}  {row['lint'][0]:5.0f}/{row['lint'][1]:<5.0f}  "
                  f"{row['svg'][0]:5.0f}/{row['svg'][1]:<5.0f}  {row['total'][0]:5.0f}/{row['total'][1]:<5.0f}  "
                  f"{row['app']:5.0f}  {row['dot']:5.0f}  {row['cached']:6.1f}  "
                  f"{row['peer'][0]:5.0f}/{row['peer'][1]:<5.0f}  {speedup:4.1f}", flush=True)
    largest = max(rows, key=lambda r: (r["components"], r["kb"]))
    p95 = largest["total"][1]
    share = 100 * statistics.median(r["dot"] / r["total"][0] for r in rows if r["total"][0])
    print()
    print(f"largest example: {largest['name']} ({largest['components']} components, {largest['kb']:.1f} KB): "
          f"update p95 {p95:.0f} ms, goal <= {GOAL_P95_MS:.0f} ms: {'met' if p95 <= GOAL_P95_MS else 'NOT met'}")
    print(f"Graphviz alone is {share:.0f}% of an update (median over the examples); "
          f"peer p50 {statistics.median(r['peer'][0] for r in rows):.0f} ms vs serve p50 "
          f"{statistics.median(r['total'][0] for r in rows):.0f} ms")
    return 0 if p95 <= GOAL_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
