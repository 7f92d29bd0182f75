"""A design's report in Markdown, for study notes and pull-request comments.

The same content as the HTML report, in the same order, with the diagram as a
```` ```mermaid ```` block that GitHub and GitLab draw. Candidate text is escaped so it is
always shown as text: ``<``, ``>`` and ``&`` become entities (no raw HTML reaches the
page), Markdown's own characters (backticks, ``*``, ``_``, brackets, ``|``...) get a
backslash, and newlines become spaces so a title cannot start a new block.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from .summary import design_view, num

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # brackets escaped, so parentheses never make a link
_LINE_START = re.compile(r"^(\s*)(?:([-=+>#])|(\d+)([.)]))")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _plain(text: Any) -> str:
    """One line of text with no control, bidi or separator character (textsafe)."""
    from ..textsafe import terminal

    return terminal(_CONTROL.sub(" ", "" if text is None else str(text)))


def md(text: Any) -> str:
    """Candidate (or any) text as inline Markdown that renders as exactly that text."""
    s = _plain(text)
    s = re.sub(r"\s+", " ", s).strip()
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    return _LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else
                                                   f"{m.group(3)}\\{m.group(4)}"), s)


def code(text: Any) -> str:
    """Text in a code span: the fence is longer than any run of backticks inside it."""
    s = _plain(text)
    s = re.sub(r"\s+", " ", s).strip()
    longest = max((len(run) for run in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def fenced(body: str, info: str) -> list[str]:
    """A fenced block whose fence no line of ``body`` can close."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", body.rstrip("\n"), fence]


def _verdict_line(d: dict[str, Any]) -> str:
    badges = " · ".join(f"**{'Meets' if v['verdict'] == 'meets' else 'Below'} {v['level']}**"
                        + ("\\*" if v.get("provisional") else "") for v in d["verdicts"])
    percent = f" ({d['percent']:.0f}%)" if d["percent"] is not None else ""
    spread = (f", {d['range'][0]:.0f}–{d['range'][1]:.0f}% once the manual criteria are scored"
              if d.get("range") else "")
    return f"{badges} — score **{num(d['points'])}/{num(d['max'])}**{percent}{spread} on rubric {md(d['rubric'])}"


def _criterion(c: dict[str, Any]) -> str:
    mark = "✓" if c["earned"] is not None and c["earned"] + 1e-9 >= c["points"] else (
        "?" if c["earned"] is None else "½" if c["earned"] > 0 else "✗")
    if c.get("na"):
        reason = f"; {md(c['reasons'][0])}" if c.get("reasons") else ""
        return f"- N/A {md(c['title'])}{reason}"
    score = f"{num(c['earned'])}/{num(c['points'])}" if c["earned"] is not None else f"–/{num(c['points'])}"
    line = f"- {mark} {md(c['title'])} — {score}"
    if c["must_pass_for"]:
        line += f" (must pass {', '.join(c['must_pass_for'])})"
    notes = []
    if c["fired"]:
        notes.append("missed: " + ", ".join(code(r) for r in c["fired"]))
    if c["acknowledged"]:
        notes.append("acknowledged trade-off: " + ", ".join(code(r) for r in c["acknowledged"]))
    if c["scored_by"] == "manual":
        notes.append("scored by the interviewer" + (f": “{md(c['comment'])}”" if c["comment"] else ""))
    if c["scored_by"] == "unscored":
        notes.append("manual, unscored")
    if notes and (mark != "✓" or c["scored_by"] == "manual"):
        line += "; " + "; ".join(notes)
    elif mark == "✓" and c.get("evidence"):
        line += f"; {md(c['evidence'][0])}"
    return line


def _finding(f: dict[str, Any], acknowledged: bool = False) -> list[str]:
    lines = [f"#### {md(f['severity'])} {code(f['code'])} {md(f['rule'])}", "", md(f["message"]), ""]
    if acknowledged:
        lines.append(f"- **Reason:** {md(f['reason'] or '(no reason given)')}")
    where = code(f["location"]) + (f" · component {code(f['component'])}" if f["component"] else "")
    lines.append(f"- **Where:** {where}")
    if f["why"]:
        lines.append(f"- **Why:** {md(f['why'])}")
    if f["fix"] and not acknowledged:
        lines.append(f"- **Fix:** {md(f['fix'])}")
    if f["sources"]:
        lines.append("- **Sources:**")
        lines.extend(f"  - {md(s)}" for s in f["sources"])
    lines.append("")
    return lines


def render_report(graded: Any, rubric: Any = None, *, mermaid: Optional[str] = None,
                  diagram_note: Optional[str] = None, links: Optional[dict[str, Any]] = None) -> str:
    d = design_view(graded, rubric)
    out: list[str] = []
    title = "(untitled)" if d["untitled"] else d["title"]
    out += [f"# {md(title)}", "", f"{code(d['file'])}", "", _verdict_line(d), ""]
    if d["problem"]:
        out += [f"> **This submission could not be read**, so it earns no automatic point: {md(d['problem'])}", ""]
    if d.get("provisional"):
        out += [f"\\* Provisional: {len(d['unscored'])} manual criteria are not scored yet ({d['manual_scored']} "
                f"scored), and their scores could change the verdicts marked so.", ""]
    if d.get("capped"):
        cap = d["capped"]
        out += [f"> Score capped at {num(cap['at'])}% (it would be {num(cap['uncapped'])}%) by {'a blocker' if len(cap['by']) == 1 else 'blockers'}: "
                + ", ".join(code(b) for b in cap["by"]), ""]
    for v in d["verdicts"]:
        text = (f"{num(v['percent'])}% of the points at {v['level']}, bar {num(v['min_score'])}%"
                if v["percent"] is not None else "no scored criteria")
        if v["blocking"]:
            text += "; blocked by " + ", ".join(code(b) for b in v["blocking"])
        out.append(f"- **{v['level']} bar:** {text}")
    if d["weakest"] and d["weakest"]["percent"] < 100:
        out.append(f"- **Weakest section:** {md(d['weakest']['title'])} ({d['weakest']['percent']:.0f}%)")
    if d["maturity"]:
        m = d["maturity"]
        if m["level"] is None:
            out.append(f"- **MLOps maturity:** {md(m['name'])}")
        else:
            nxt = (f"; for level {m['level'] + 1}: {md(', '.join(m['missing_for_next']))}"
                   if m["missing_for_next"] else "")
            out.append(f"- **MLOps maturity:** level {m['level']} ({md(m['name'])}){nxt}")
    c = d["counts"]
    out.append(f"- **Findings:** {c['error']} errors, {c['warning']} warnings, {c['info']} info"
               + (f", {len(d['tradeoffs'])} acknowledged" if d["tradeoffs"] else ""))
    out.append("")

    out += ["## Sections", "", "| Section | Weight | Score |", "|---|--:|--:|"]
    for s in d["sections"]:
        score = (f"{num(s['points'])}/{num(s['max'])}" if s["max"] else
                 "N/A" if s["na"] and not (s["unscored"] or s["met"] or s["missed"]) else "unscored")
        out.append(f"| {md(s['title'])} | {num(s['weight'])} | {score} |")
    out.append("")
    for s in d["sections"]:
        out += [f"### {md(s['title'])}", ""]
        out += [_criterion(c) for c in s["missed"] + s["met"] + s["unscored"] + s["na"]]
        out.append("")
    if d.get("feedback"):
        out += ["## Draft feedback", "", "_Written from the score; edit before you paste it._", "",
                md(d["feedback"]["text"]), ""]
    if d.get("questions"):
        out += [f"## Questions to ask ({len(d['questions'])})", ""]
        for n, q in enumerate(d["questions"], 1):
            out += [f"{n}. **{md(q['text'][:1].upper() + q['text'][1:])}** A strong answer covers: "
                    f"{md('; '.join(q['covers']))}. ({md(q['source'])}, {q['level']})"]
        out.append("")
    out += [f"## Strengths ({len(d['strengths'])})", ""]
    for s in d["strengths"]:
        out.append(f"- **{md(s['title'])}:** {md('; '.join(s['evidence']))}")
    if not d["strengths"]:
        out.append("No criterion earned points from what the design shows.")
    out.append("")

    out += ["## Architecture", ""]
    if mermaid:
        out += fenced(mermaid, "mermaid")
        out += ["", "Outlined nodes carry findings; dashed ones are parts the design is missing.", ""]
    else:
        out += [md(diagram_note or "No diagram."), ""]

    out += [f"## Findings ({len(d['findings'])})", ""]
    for f in d["findings"]:
        out += _finding(f)
    if not d["findings"]:
        out += ["No findings.", ""]
    if d.get("findings_omitted"):
        out += [f"{d['findings_omitted']} more findings are not shown here: the JSON report has them all.", ""]
    if d["hidden"]:
        out += [f"{d['hidden']} more findings above the rubric's level are not shown.", ""]

    out += [f"## Acknowledged trade-offs ({len(d['tradeoffs'])})", ""]
    for f in d["tradeoffs"]:
        out += _finding(f, acknowledged=True)
    if not d["tradeoffs"]:
        out += ["The candidate acknowledged no trade-off.", ""]

    out += ["## Interviewer's scores", ""]
    if d["manual"]:
        out += ["| Criterion | Score | Comment |", "|---|--:|---|"]
        for m in d["manual"]:
            out.append(f"| {md(m['title'])} ({code(m['id'])}) | {num(m['earned'])}/{num(m['points'])} | "
                       f"{md(m['comment'] or '')} |")
        out.append("")
    else:
        out += ["No manual score was given for this submission.", ""]
    if d["unscored"]:
        out += [f"### Unscored manual criteria ({len(d['unscored'])})", "",
                "Left out of the points and the maximum; they never block a verdict. Score them in a "
                "`--scores` file.", ""]
        for u in d["unscored"]:
            guidance = f" — {md(u['guidance'])}" if u["guidance"] else ""
            out.append(f"- {md(u['title'])} ({code(u['id'])}, {num(u['points'])} points){guidance}")
        out.append("")
    if links:
        parts = []
        if links.get("index"):
            parts.append(f"[all submissions]({links['index']})")
        parts += [f"[{label}]({href})" for label, href in links.get("formats", [])]
        if parts:
            out += ["---", "", " · ".join(parts), ""]
    return "\n".join(out).rstrip("\n") + "\n"
