"""What a diagram costs and how readable it is: for each example, the smallest node text
when the picture is fitted into a 1600 x 900 slide, the SVG's size, and the in-process
render time against Graphviz alone on the same DOT.

    python bench/render_bench.py [--repeat N] [--generated] [FILE_OR_DIR ...]   (default: examples/)

Columns (medians of N runs, milliseconds; render and dot are timed in turn):
  text px   node label text (names, techs) in pixels on a 1600 x 900 slide, read back from
            Graphviz's layout of the picture (tests/render/picture.py); 11 is the floor
  svg KB    the SVG render() returns, icons included
  render    render(..., "svg") in this process: lint excluded, start-up (imports) excluded
            by a warm-up; it lays the picture out, writes the DOT, runs dot and finishes the SVG
  dot       `dot -Tsvg` alone on the very DOT render() hands Graphviz (same icons)
  ratio     render / dot (the goal: at most 1.5)
--generated adds designs of 40 and 80 components (tests/render/generated.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from designgrade.engine import expand_paths, lint, lint_text  # noqa: E402
from designgrade.render import render  # noqa: E402
from designgrade.render.dot import scene_to_dot  # noqa: E402
from designgrade.render.icons import icon_png  # noqa: E402
from designgrade.render.layout import lay_out  # noqa: E402
from tests.render import generated  # noqa: E402
from tests.render.picture import node_text_px, read_layout  # noqa: E402


def paired_ms(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two functions run in turn, so a busy machine slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def the_dot(report, folder: Path) -> str:
    """The DOT render() gives Graphviz for an SVG, its icons written to ``folder``."""

    def icon_file(path: str):
        data = icon_png(path)
        if not data:
            return None
        file = folder / f"{path}.png"
        file.write_bytes(data)
        return str(file)

    scene, layout = lay_out(report.design, report.findings, None, report.source)
    return scene_to_dot(scene, layout, icon_file)


def row(name: str, report, repeat: int, folder: Path) -> dict:
    graph = report.design
    svg = render(graph, report.findings, "svg", source=report.source)
    dot = the_dot(report, folder)
    render_ms, dot_ms = paired_ms(
        lambda: render(graph, report.findings, "svg", source=report.source),
        lambda: subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True), repeat)
    return {
        "name": name[:30], "nodes": len(graph.components), "edges": len(graph.edges),
        "px": node_text_px(read_layout(dot)), "kb": len(svg.encode("utf-8")) / 1024,
        "render": render_ms, "dot": dot_ms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples")])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--generated", action="store_true", help="also designs of 40 and 80 components")
    args = parser.parse_args()
    if shutil.which("dot") is None:
        print("Graphviz 'dot' is not installed: apt-get install graphviz / brew install graphviz")
        return 2

    designs = [(Path(p).stem, lint(p)) for p in expand_paths(args.paths)]
    if args.generated:
        designs += [(f"generated-{n}", lint_text(generated.design(n))) for n in (40, 80)]
    designs = [(n, r) for n, r in designs if r.design is not None and r.design.components]
    warm = designs[0][1]
    render(warm.design, warm.findings, "svg", source=warm.source)  # imports and caches: start-up

    print(f"{'design':30} {'nodes':>5} {'edges':>5} {'text px':>8} {'svg KB':>7} {'render':>8} {'dot':>8} {'ratio':>6}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, report in designs:
            r = row(name, report, args.repeat, Path(folder))
            rows.append(r)
            print(f"{r['name']:30} {r['nodes']:5d} {r['edges']:5d} {r['px']:8.1f} {r['kb']:7.1f} "
                  f"{r['render']:8.1f} {r['dot']:8.1f} {r['render'] / r['dot']:6.2f}")
    total_render = sum(r["render"] for r in rows)
    total_dot = sum(r["dot"] for r in rows)
    print(f"\nsmallest text {min(r['px'] for r in rows):.1f} px (median "
          f"{statistics.median(r['px'] for r in rows):.1f}); largest SVG {max(r['kb'] for r in rows):.0f} KB; "
          f"render / dot alone over all: {total_render / total_dot:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
