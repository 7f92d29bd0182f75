"""Tests of the output formats, read back as their consumers (CI, code scanning) read them."""

from __future__ import annotations

from pathlib import Path

from ..conftest import EXAMPLES, ROOT

RANKING = ROOT / "tests" / "rules" / "bases" / "ranking.yaml"  # clean at L7
FLAWED = sorted((EXAMPLES / "flawed").glob("*.yaml"))

# Characters XML 1.0 cannot carry, a CDATA terminator, markup and the GitHub escapes, in YAML
# double-quoted escapes so that the candidate's text really holds them.
HOSTILE = r'<b>&amp; ]]> \x01\x1b[31m \x7f 100% a:b,c'


def acknowledged_design(tmp_path: Path) -> Path:
    """The clean ranking design with a fixed fleet, acknowledged as a trade-off."""
    text = RANKING.read_text(encoding="utf-8")
    autoscaling = "    autoscaling: {min: 4, max: 40, metric: cpu}\n"
    assert autoscaling in text and "    replicas: 4\n" in text, "the ranking base changed; update this helper"
    text = text.replace(autoscaling, "").replace("    replicas: 4\n", "    replicas: 22\n")  # 1.1x the peak
    text += "tradeoffs:\n  - rule: no-autoscaling\n    why: fixed fleet\n"
    path = tmp_path / "acknowledged.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def unreadable_design(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text("designgrade: 1\ntitle: tabs\n\tlevel: L5\n", encoding="utf-8")
    return path


def hostile_design(tmp_path: Path, name: str = "hostile.yaml") -> Path:
    """A design whose title, component id and trade-off reason carry hostile text."""
    path = tmp_path / name
    path.write_text(
        "designgrade: 1\n"
        f'title: "{HOSTILE}"\n'
        "level: L5\n"
        "problem: {task: ranking, objective: more clicks}\n"
        "components:\n"
        "  app: {kind: client}\n"
        f'  "orphan{HOSTILE}\\nnext line": {{kind: cache}}\n'
        "  serving: {kind: online_serving}\n"
        "flows: ['app -> serving']\n"
        "tradeoffs:\n"
        "  - rule: no-online-experiment\n"
        f'    why: "no traffic yet {HOSTILE}"\n',
        encoding="utf-8",
    )
    return path
