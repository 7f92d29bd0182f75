"""``lint --format github``: one workflow-command annotation a line, as the Actions runner parses it."""

from __future__ import annotations

import json
import re

from . import FLAWED, RANKING, acknowledged_design, hostile_design

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")
LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
def printable(text: str) -> str:
    """Annotations carry no control characters (a candidate's escape codes become spaces)."""
    return "".join(ch if ch.isprintable() or ch in "\r\n" else " " for ch in text)


def unescape(text: str) -> str:
    # The runner's unescaping, in its order: %25 last so that an escaped '%3A' stays literal.
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    annotations = []
    for line in stdout.split("\n")[:-1]:
        match = COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        properties = dict(p.split("=", 1) for p in match.group(2).split(","))
        annotations.append((match.group(1), {k: unescape(v) for k, v in properties.items()}, unescape(match.group(3))))
    return annotations


def expected(dg, *args):
    reports = json.loads(dg("lint", *args, "--format", "json").stdout)
    return [(r["file"], f) for r in reports for f in r["findings"] if not f["acknowledged"]]


def check(dg, *args):
    result = dg("lint", *args, "--format", "github")
    assert result.stdout == "" or result.stdout.endswith("\n")
    annotations = parse(result.stdout)
    findings = expected(dg, *args)
    assert len(annotations) == len(findings)
    for (command, properties, message), (file, f) in zip(annotations, findings):
        assert command == LEVEL[f["severity"]]
        assert properties == {"file": file, "line": str(f["line"]), "col": str(f["column"]),
                              "title": f"{f['code']} {f['rule']}"}
        assert message == printable(f"{f['message']} — {f['fix']}")
    return result, annotations


def test_one_annotation_per_unacknowledged_finding(dg):
    result, annotations = check(dg, *FLAWED, "--level", "L7")
    assert result.exit_code == 1
    assert {a[0] for a in annotations} == {"error", "warning"}
    assert sum(1 for line in result.stdout.split("\n") if line.startswith("::error file=")) == \
        sum(1 for _, f in expected(dg, *FLAWED, "--level", "L7") if f["severity"] == "error")


def test_clean_design_prints_nothing(dg):
    result = dg("lint", RANKING, "--level", "L7", "--format", "github")
    assert result.exit_code == 0 and result.stdout == ""


def test_acknowledged_findings_are_not_annotated(dg, tmp_path):
    result, annotations = check(dg, acknowledged_design(tmp_path), "--level", "L7")
    assert result.exit_code == 0 and annotations == []


def test_percent_colon_comma_and_newlines_are_escaped(dg, tmp_path):
    path = hostile_design(tmp_path, name="a,b:c%d.yaml")
    result, annotations = check(dg, path)
    raw = result.stdout
    assert "file=" + str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C") + ",line=" in raw
    orphan = [line for line in raw.split("\n") if "title=DG005 orphan-component::" in line]
    assert len(orphan) == 1
    assert "100%25 a:b,c%0Anext line" in orphan[0]  # data: '%' and newline escaped, ':' and ',' may stay
    assert not any(line.startswith("next line") for line in raw.split("\n"))
    assert "DG501" not in raw  # acknowledged in the design's tradeoffs
