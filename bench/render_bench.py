"""How long rendering takes: each example to DOT, SVG and PNG through designgrade.render,
against plain Graphviz (`dot -Tsvg` / `dot -Tpng`) on the same DOT source.

    python bench/render_bench.py [--repeat N] [FILE_OR_DIR ...]   (default: examples/)

Prints one row per design (median of N runs, milliseconds) and a total row. "lint" is the
lint the CLI runs first; "dot" is building the DOT text with diagrams (no Graphviz);
"svg"/"png" are the full renders (DOT + Graphviz + icon inlining for SVG); "dot -Tsvg" and
"dot -Tpng" run Graphviz alone on the DOT text, so svg - (dot + dot -Tsvg) is our overhead.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from designgrade.engine import expand_paths, lint  # noqa: E402
from designgrade.render import render  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _short(path: str) -> str:
    p = Path(path).resolve()
    for base in (ROOT / "examples", ROOT):
        if p.is_relative_to(base):
            return str(p.relative_to(base))[:34]
    return p.name[:34]


def plain_dot(source: str, fmt: str) -> None:
    subprocess.run(["dot", f"-T{fmt}"], input=source.encode(), capture_output=True, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples")])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("dot") is None:
        print("Graphviz 'dot' is not installed: apt-get install graphviz / brew install graphviz")
        return 2

    # What a cold process pays once for diagrams (lint never imports it).
    cold = subprocess.run(
        [sys.executable, "-c", "import time; t = time.perf_counter(); import diagrams; "
         "print((time.perf_counter() - t) * 1000)"], capture_output=True, text=True, check=True)
    print(f"import diagrams in a fresh process: {float(cold.stdout):.0f} ms (once per process)\n")
    first = lint(expand_paths(args.paths)[0])
    render(first.design, first.findings, "dot")  # warm up this process

    cols = ["lint", "dot", "svg", "png", "dot -Tsvg", "dot -Tpng"]
    print(f"{'design':34} {'nodes':>5} {'edges':>5} " + " ".join(f"{c:>10}" for c in cols) + "   (ms)")
    totals = dict.fromkeys(cols, 0.0)
    for path in expand_paths(args.paths):
        report = lint(path)
        graph = report.design
        if graph is None or not graph.components:
            print(f"{_short(path):34} (nothing to draw)")
            continue
        source = render(graph, report.findings, "dot")
        row = {
            "lint": median_ms(lambda: lint(path), args.repeat),
            "dot": median_ms(lambda: render(graph, report.findings, "dot"), args.repeat),
            "svg": median_ms(lambda: render(graph, report.findings, "svg"), args.repeat),
            "png": median_ms(lambda: render(graph, report.findings, "png"), args.repeat),
            "dot -Tsvg": median_ms(lambda: plain_dot(source, "svg"), args.repeat),
            "dot -Tpng": median_ms(lambda: plain_dot(source, "png"), args.repeat),
        }
        for key, value in row.items():
            totals[key] += value
        name = _short(path)
        print(f"{name:34} {len(graph.components):5d} {len(graph.edges):5d} "
              + " ".join(f"{row[c]:10.1f}" for c in cols))
    print(f"{'total':34} {'':5} {'':5} " + " ".join(f"{totals[c]:10.1f}" for c in cols))
    over_svg = totals["svg"] - totals["dot"] - totals["dot -Tsvg"]
    over_png = totals["png"] - totals["dot"] - totals["dot -Tpng"]
    print(f"\noverhead beyond building DOT + Graphviz: svg {over_svg:.1f} ms (icon inlining), png {over_png:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
