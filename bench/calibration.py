"""Judgment figures: how designgrade's verdicts and findings agree with senior interviewers.

    .venv/bin/python bench/calibration.py [--dir ../shared/calibration] [--json] [--quiet]

Runs `lint --level L6` and both built-in rubrics over a calibration set (designs judged
blind by senior interviewers: ``judgments.yaml`` beside ``designs/``) and prints, per design
and in total:

- verdict agreement: the L5 bar of ``--rubric l5`` and the L6 bar of ``--rubric l6`` against
  each design's ``verdict.l5`` / ``verdict.l6``; whether every degenerate design is below both;
- the Spearman rank correlation between the l6 percent and the interviewers' ``score``;
- must_flag recall: an item counts when its rule (an existing slug, or the name after
  ``new:``) is a rule slug or alias in the catalog and that rule reports a warning or an
  error on the design. Items whose rule the catalog does not know stay in the overall total;
- must_not_flag respected: the named rule reports nothing at warning or error;
- noise: warning and error findings on designs judged ``meets`` at L6 whose rule is not in
  that design's must_flag.

The set is a development set: nothing in designgrade reads it. Where it is absent (it lives
beside the checkout, not in it) the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DIR = ROOT.parent / "shared" / "calibration"


def _ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions), 1-based."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> Optional[float]:
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else None


def _rule_name(item: dict[str, Any]) -> str:
    rule = str(item.get("rule") or "manual")
    return rule[4:] if rule.startswith("new:") else rule


def measure(directory: Path) -> dict[str, Any]:
    """Every figure, as data (the test of aggregate floors reads this)."""
    import yaml

    from designgrade.engine import Options, lint
    from designgrade.grading import grade_file, load_rubric
    from designgrade.registry import find_rule

    judgments = yaml.safe_load((directory / "judgments.yaml").read_text(encoding="utf-8"))
    rubrics = {name: load_rubric(name) for name in ("l5", "l6")}
    rows: list[dict[str, Any]] = []
    for judged in judgments:
        path = directory / judged["file"]
        report = lint(path, Options(level="L6"))
        speaking = {f.rule for f in report.findings if f.severity in ("warning", "error")}
        graded = {name: grade_file(path, rubric) for name, rubric in rubrics.items()}
        verdict = {"l5": graded["l5"].score.verdict.get("L5"), "l6": graded["l6"].score.verdict.get("L6")}
        l6 = graded["l6"].score
        percent = 100.0 * l6.points / l6.max if l6.max else 0.0

        def fires(name: str) -> tuple[bool, bool]:
            """(the catalog knows the name, the rule it names speaks on this design)."""
            found = find_rule(name)
            return found is not None, found is not None and found.slug in speaking

        must = []
        for item in judged.get("must_flag") or []:
            name = _rule_name(item)
            if name == "manual":
                continue
            known, hit = fires(name)
            must.append({"rule": str(item["rule"]), "known": known, "hit": hit, "new": str(item["rule"]).startswith("new:")})
        must_not = []
        for item in judged.get("must_not_flag") or []:
            name = _rule_name(item)
            if name == "manual":
                continue
            known, hit = fires(name)
            must_not.append({"rule": name, "respected": not hit})
        flagged = set()
        for item in judged.get("must_flag") or []:
            found = find_rule(_rule_name(item))
            if found is not None:
                flagged.add(found.slug)
        noise = sorted(f"{f.rule}" for f in report.findings
                       if f.severity in ("warning", "error") and f.rule not in flagged)
        rows.append({
            "file": judged["file"], "kind": judged.get("kind"), "judged": judged["verdict"], "verdict": verdict,
            "score": judged.get("score"), "percent": round(percent, 1),
            "l5_percent": round(100.0 * graded["l5"].score.points / graded["l5"].score.max, 1)
            if graded["l5"].score.max else 0.0,
            "must_flag": must, "must_not_flag": must_not,
            "noise": noise if judged["verdict"].get("l6") == "meets" else None,
            "findings": [f"{f.severity}:{f.rule}" for f in report.findings],
        })
    return _aggregate(rows)


def _aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    agree = sum((r["verdict"]["l5"] == r["judged"]["l5"]) + (r["verdict"]["l6"] == r["judged"]["l6"]) for r in rows)
    degenerate = [r for r in rows if r["kind"] == "degenerate"]
    must = [m for r in rows for m in r["must_flag"]]
    known = [m for m in must if m["known"]]
    new = [m for m in must if m["new"]]
    must_not = [m for r in rows for m in r["must_not_flag"]]
    meets = [r for r in rows if r["noise"] is not None]
    noise_total = sum(len(r["noise"]) for r in meets)
    existing = [m for m in must if not m["new"]]
    return {
        "rows": rows,
        "verdicts": {"agree": agree, "total": 2 * len(rows)},
        "degenerate_below": all(r["verdict"]["l5"] == "below" and r["verdict"]["l6"] == "below" for r in degenerate),
        "spearman": spearman([r["percent"] for r in rows], [float(r["score"]) for r in rows]),
        "recall": {"overall_hit": sum(m["hit"] for m in must), "overall": len(must),
                   "known_hit": sum(m["hit"] for m in known), "known": len(known),
                   "existing_hit": sum(m["hit"] for m in existing), "existing": len(existing),
                   "new_hit": sum(m["hit"] for m in new), "new": len(new),
                   "unknown": len(must) - len(known)},
        "must_not": {"respected": sum(m["respected"] for m in must_not), "total": len(must_not)},
        "noise": {"total": noise_total, "designs": len(meets),
                  "per_design": noise_total / len(meets) if meets else 0.0},
    }


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100.0 * a / b:.0f}%)" if b else "0/0"


def print_report(figures: dict[str, Any], quiet: bool = False) -> None:
    if not quiet:
        print(f"{'design':44} {'l5 dg/judged':14} {'l6 dg/judged':14} {'l6 %':>6} {'score':>5}  noise / missed / not-respected")
        for r in figures["rows"]:
            v, j = r["verdict"], r["judged"]
            missed = [m["rule"] for m in r["must_flag"] if not m["hit"]]
            wrong = [m["rule"] for m in r["must_not_flag"] if not m["respected"]]
            extra = []
            if r["noise"]:
                extra.append("noise: " + ", ".join(r["noise"]))
            if missed:
                extra.append("missed: " + ", ".join(missed))
            if wrong:
                extra.append("NOT RESPECTED: " + ", ".join(wrong))
            print(f"{Path(r['file']).stem[:44]:44} {v['l5'] + '/' + j['l5']:14} {v['l6'] + '/' + j['l6']:14} "
                  f"{r['percent']:6.1f} {r['score']:5}  {'; '.join(extra)}")
        print()
    rec, mn, nz = figures["recall"], figures["must_not"], figures["noise"]
    rho = figures["spearman"]
    print("== calibration figures (goals in brackets)")
    print(f"verdicts agree:        {_pct(figures['verdicts']['agree'], figures['verdicts']['total'])}  [>= 44/48]; "
          f"degenerate below both bars: {'yes' if figures['degenerate_below'] else 'NO'}")
    print(f"spearman l6% vs score: {rho:.2f}  [>= 0.80]" if rho is not None else "spearman: n/a")
    print(f"must_flag recall:      overall {_pct(rec['overall_hit'], rec['overall'])} [>= 70%]; "
          f"known-rule {_pct(rec['known_hit'], rec['known'])} [>= 85%]")
    print(f"  existing slugs:      {_pct(rec['existing_hit'], rec['existing'])}; "
          f"new: items {rec['new_hit']}/{rec['new']} [>= 20]; rule unknown to the catalog: {rec['unknown']}")
    print(f"must_not_flag:         respected {_pct(mn['respected'], mn['total'])}  [>= 90%]")
    print(f"noise on meets:        {nz['total']} findings over {nz['designs']} designs = "
          f"{nz['per_design']:.2f} per design  [<= 1.5]")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the calibration folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    if not (args.dir / "judgments.yaml").is_file():
        print(f"calibration set not found at {args.dir}: nothing to measure (it lives beside the checkout)")
        return 0
    figures = measure(args.dir)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
