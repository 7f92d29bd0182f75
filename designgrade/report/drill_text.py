"""`designgrade drill` output: the follow-up questions as text for a terminal or Markdown for notes."""

from __future__ import annotations

from ..drill import Question


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def drill_text(title: str, questions: list[Question], *, markdown: bool = False) -> str:
    """The questions as text (one block each) or Markdown (for study notes)."""
    out: list[str] = []
    if markdown:
        from .markdown import md

        out += [f"# Follow-up questions: {md(title)}", ""]
        for n, q in enumerate(questions, 1):
            out += [f"{n}. **{md(_sentence(q.text))}**", f"   - A strong answer covers: {md('; '.join(q.covers))}.",
                    f"   - Source: {md(q.source)} ({q.level})", ""]
        if not questions:
            out.append("No follow-up question: the design has no model to ask about.")
    else:
        out.append(f"Follow-up questions for {title}:")
        for n, q in enumerate(questions, 1):
            out += ["", f"{n}. {_sentence(q.text)}", f"   covers: {'; '.join(q.covers)}",
                    f"   source: {q.source} ({q.level})"]
        if not questions:
            out.append("  none: the design has no model to ask about")
    return "\n".join(out).rstrip() + "\n"
