"""The Markdown reports of `grade --out --format md`, for study notes and PR comments:
the same content as the HTML, the diagram as a mermaid block, candidate text inert."""

from __future__ import annotations

import re
import shutil

import pytest

from ..conftest import EXAMPLES

HOSTILE_TITLE = "<script>alert(1)</script> & | `tick` ``` *bold* _it_ [x](javascript:alert(2)) <!-- c"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    from click.testing import CliRunner

    from designgrade.cli import cli

    root = tmp_path_factory.mktemp("md")
    subs = root / "subs"
    subs.mkdir()
    text = (EXAMPLES / "eta-prediction.yaml").read_text(encoding="utf-8")
    title = HOSTILE_TITLE.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("title: Ride-hailing ETA prediction\n", f'title: "{title}"\n')
    text = text.replace("    autoscaling: {min: 100, max: 200, metric: qps_per_replica}   # 400k QPS ceiling\n", "")
    text += "tradeoffs:\n  - rule: no-autoscaling\n    why: \"fixed | fleet <b>on purpose</b>\"\n"
    (subs / "hostile.yaml").write_text(text, encoding="utf-8")
    shutil.copyfile(EXAMPLES / "flawed" / "rag-no-guardrails.yaml", subs / "rag.yaml")
    (subs / "broken.yaml").write_text("designgrade: 1\ntitle: tabs\n\tlevel: L5\n", encoding="utf-8")
    scores = root / "scores.yaml"
    scores.write_text("scores:\n  rag.yaml:\n    tradeoff-discussion: {score: 1, comment: \"Only | when <asked>\"}\n",
                      encoding="utf-8")
    out = root / "out"
    CliRunner().invoke(cli, ["grade", str(subs), "--out", str(out), "--format", "md", "--scores", str(scores)],
                       catch_exceptions=False)
    return out


def outside_code(markdown: str) -> str:
    """The text of a Markdown document outside fenced blocks and code spans."""
    lines, fence = [], None
    for line in markdown.splitlines():
        match = re.match(r"^(`{3,})", line)
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if line.startswith(fence) and line.strip("`") == "":
                fence = None
            continue
        lines.append(line)
    assert fence is None, "a fenced block is never closed"
    text = "\n".join(lines)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)


def test_diagram_is_a_mermaid_block(out):
    md = (out / "rag.md").read_text(encoding="utf-8")
    block = re.search(r"^```mermaid\n(.*?)\n```$", md, re.S | re.M)
    assert block and block.group(1).startswith("---\ntitle:") and "flowchart LR" in block.group(1)
    assert "missing:" in block.group(1)  # the findings are drawn: missing guardrails


def test_same_content_as_the_html_in_the_same_order(out):
    md = (out / "rag.md").read_text(encoding="utf-8")
    order = ["# Customer-support RAG assistant", "**Below L5** · **Below L6**", "## Sections",
             "### Serving, rollout and experimentation", "## Strengths", "## Architecture", "## Findings",
             "- **Where:** `", "- **Why:**", "- **Fix:**", "- **Sources:**", "## Acknowledged trade-offs",
             "## Interviewer's scores", "### Unscored manual criteria"]
    positions = [md.find(item) for item in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions)
    assert "missed: `llm-no-guardrails`" in md
    assert "rag.yaml:" in md  # locations
    assert "| Weighed trade-offs and raised risks without being asked (`tradeoff-discussion`) | 1/3 | " \
           "Only \\| when &lt;asked&gt; |" in md


def test_candidate_text_cannot_inject_markup(out):
    md = (out / "hostile.md").read_text(encoding="utf-8")
    prose = outside_code(md)
    assert "<" not in prose and ">" not in prose.replace("&gt;", "")  # no raw HTML anywhere outside code
    first = md.splitlines()[0]
    assert first == ("# &lt;script&gt;alert(1)&lt;/script&gt; &amp; \\| \\`tick\\` \\`\\`\\` \\*bold\\* \\_it\\_ "
                     "\\[x\\](javascript:alert(2)) &lt;!-- c")
    assert "](javascript:" not in prose.replace("\\](javascript:", "")
    # the candidate's reason in the trade-offs section, escaped too
    assert "fixed \\| fleet &lt;b&gt;on purpose&lt;/b&gt;" in md


def test_tables_keep_their_columns(out):
    for page in out.glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("| "):
                cells = re.split(r"(?<!\\)\|", line)[1:-1]
                header = 3
                assert len(cells) == header, (page.name, line)


def test_broken_submission_has_a_report(out):
    md = (out / "broken.md").read_text(encoding="utf-8")
    assert "could not be read" in md and "broken.yaml:3:" in md and "No diagram" in md
    assert "```mermaid" not in md


def test_fences_and_code_spans_outgrow_candidate_backticks():
    from designgrade.report.markdown import code, fenced, md

    assert code("a`b") == "``a`b``"
    assert code("``x") == "``` ``x ```"
    assert fenced("x ``` y\n````", "mermaid") == ["`````mermaid", "x ``` y\n````", "`````"]
    assert md("line\nbreak\n# not a heading") == "line break # not a heading"
    assert md("- item") == "\\- item" and md("1. item") == "1\\. item"
