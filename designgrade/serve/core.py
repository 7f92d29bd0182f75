"""One update of the playground: the editor's text in, findings, score, diagram and drill
questions out, as plain data ready for JSON.

Nothing here imports starlette or uvicorn, prints or exits: the app (app.py) calls
:meth:`Playground.update` in a worker thread, and ``bench/serve_bench.py`` calls it
directly. The design is linted once, at the rubric's level, and graded from that lint;
the findings tab shows the same findings filtered to the level the candidate picked
(default: the design's own), which is what ``designgrade lint --level`` reports. Only
when the candidate picks a level above the rubric's is the design linted a second time.

The diagram is the one ``designgrade render`` draws, badges included, for the findings
shown. Graphviz is the slow part, so a drawing is cached by what it is drawn from (the
loaded design and the findings): an edit in a comment, or one that puts a value back as
it was, costs no new drawing.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from typing import Any, Optional

from ..findings import LEVELS, level_rank
from ..loader import MAX_BYTES, decode

RUBRICS = ("l5", "l6")
DEFAULT_RUBRIC = "l6"
SVG_CACHE_SIZE = 24
QUESTION_LIMIT = 8


class TooLarge(ValueError):
    """A design over the loader's size limit."""


def too_large_message(size: Optional[int] = None) -> str:
    got = f" ({size // 1024} KiB)" if size is not None else ""
    return (f"the design is larger than {MAX_BYTES // 1024} KiB{got}, the limit for one design; "
            "a design this large is not a design a person wrote")


def text_of(raw: bytes) -> tuple[str, Optional[dict[str, Any]]]:
    """The text of a request body, or a parse error (line, column, message) when it is not UTF-8."""
    if len(raw) > MAX_BYTES:
        raise TooLarge(too_large_message(len(raw)))
    text, problem = decode(raw)
    if problem:
        message, position = problem
        return "", {"line": position.line, "column": position.column, "message": message}
    return text, None


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


class Playground:
    """The state the app keeps between updates: loaded rubrics and recent drawings."""

    def __init__(self, cache_size: int = SVG_CACHE_SIZE) -> None:
        self._rubrics: dict[str, Any] = {}
        self._svg = _LRU(cache_size)
        self._lock = threading.Lock()

    def rubric(self, name: str) -> Any:
        from ..grading import load_rubric

        name = name if name in RUBRICS else DEFAULT_RUBRIC
        with self._lock:
            if name not in self._rubrics:
                self._rubrics[name] = load_rubric(name)
            return self._rubrics[name]

    # -- the update -----------------------------------------------------------------------

    def analyse(self, text: str, rubric: str = DEFAULT_RUBRIC, level: Optional[str] = None,
                name: str = "design.yaml") -> "Analysed":
        """Lint once at the rubric's level, grade, and pick the findings shown at ``level``."""
        from ..engine import Options, lint_text
        from ..grading import grade_report, rubric_level

        if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise TooLarge(too_large_message(len(text.encode("utf-8", "surrogatepass"))))
        the_rubric = self.rubric(rubric)
        bar = rubric_level(the_rubric)
        report = lint_text(text, Options(level=bar), name=name)
        own = _design_level(report)
        shown_level = level if level in LEVELS else own
        # Findings and outcomes before the rubric's own checks are added by grading.
        lint_findings = list(report.findings)
        graded = grade_report(report, the_rubric)
        if level_rank(shown_level) <= level_rank(bar):
            shown = [f for f in lint_findings if level_rank(_level(f)) <= level_rank(shown_level)]
            hidden = report.hidden + len(lint_findings) - len(shown)
        else:
            again = lint_text(text, Options(level=shown_level), name=name)
            shown, hidden = list(again.findings), again.hidden
        return Analysed(graded, shown, hidden, shown_level, own, the_rubric)

    def update(self, text: str, rubric: str = DEFAULT_RUBRIC, level: Optional[str] = None,
               name: str = "design.yaml", diagram: bool = True) -> dict[str, Any]:
        """Everything the page shows for ``text``, as JSON-ready data."""
        started = time.perf_counter()
        analysed = self.analyse(text, rubric, level, name)
        linted = time.perf_counter()
        result = analysed.to_dict()
        result["questions"] = self.questions(analysed)
        result["timings"] = {"lint_score_ms": round(1000 * (linted - started), 1)}
        if diagram:
            drawn = time.perf_counter()
            result.update(self.diagram(analysed))
            result["timings"]["svg_ms"] = round(1000 * (time.perf_counter() - drawn), 1)
        result["timings"]["total_ms"] = round(1000 * (time.perf_counter() - started), 1)
        return result

    def questions(self, analysed: "Analysed") -> list[dict[str, Any]]:
        from ..drill import drill

        report = analysed.graded.report
        if report.unreadable or report.analysis is None:
            return []
        level = analysed.level if level_rank(analysed.level) >= level_rank("L5") else "L5"
        return [q.to_dict() for q in drill(report.analysis, analysed.findings, level=level, limit=QUESTION_LIMIT)]

    def diagram(self, analysed: "Analysed") -> dict[str, Any]:
        """``{"svg": ..., "diagram_note": ..., "svg_cached": bool}``; svg is None when
        there is nothing to draw (the page then keeps the last good diagram)."""
        report = analysed.graded.report
        if report.unreadable:
            return {"svg": None, "diagram_note": "the YAML does not parse: the diagram is the last good one",
                    "svg_cached": False}
        if report.design is None or not getattr(report.design, "components", None):
            return {"svg": None, "diagram_note": "nothing to draw yet: add a component", "svg_cached": False}
        key = self.drawing_key(analysed)
        cached = self._svg.get(key)
        if cached is not None:
            return {"svg": cached, "diagram_note": None, "svg_cached": True}
        from ..render import RenderError, render

        try:
            svg = render(report.design, analysed.findings, "svg", source=report.source)
        except RenderError as exc:
            return {"svg": None, "diagram_note": str(exc), "svg_cached": False}
        safe = safe_svg(svg if isinstance(svg, str) else svg.decode("utf-8", "replace"))
        if safe is None:
            return {"svg": None, "diagram_note": "the renderer did not return an SVG", "svg_cached": False}
        self._svg.put(key, safe)
        return {"svg": safe, "diagram_note": None, "svg_cached": False}

    @staticmethod
    def drawing_key(analysed: "Analysed") -> str:
        """What a drawing depends on: the loaded design (not its comments or layout) and
        the findings drawn on it, positions included (a badge's id carries them)."""
        report = analysed.graded.report
        data = getattr(report.source, "data", None)
        findings = [(f.code, f.rule, f.severity, f.line, f.column, f.message, f.component, f.flow,
                     f.acknowledged) for f in analysed.findings]
        blob = json.dumps([data, findings], default=str, ensure_ascii=False, sort_keys=False)
        return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()

    # -- downloads --------------------------------------------------------------------------

    def export(self, text: str, fmt: str, rubric: str = DEFAULT_RUBRIC, level: Optional[str] = None,
               name: str = "design.yaml") -> tuple[bytes, str]:
        """A download: (bytes, media type) for svg, png or md. Raises ExportError."""
        analysed = self.analyse(text, rubric, level, name)
        report = analysed.graded.report
        if fmt in ("svg", "png"):
            if report.unreadable:
                raise ExportError("the YAML does not parse; fix it to download the diagram")
            if fmt == "svg":
                drawn = self.diagram(analysed)
                if drawn["svg"] is None:
                    raise ExportError(drawn["diagram_note"] or "nothing to draw")
                from ..render import RenderError, render

                try:  # the standalone file, prolog included, as `designgrade render` writes it
                    svg = render(report.design, analysed.findings, "svg", source=report.source)
                except RenderError as exc:
                    raise ExportError(str(exc)) from None
                data = svg.encode("utf-8") if isinstance(svg, str) else svg
                return data, "image/svg+xml"
            from ..render import RenderError, render

            try:
                png = render(report.design, analysed.findings, "png", source=report.source)
            except RenderError as exc:
                raise ExportError(str(exc)) from None
            return (png if isinstance(png, bytes) else png.encode("utf-8")), "image/png"
        if fmt == "md":
            from ..report import markdown

            mermaid, note = None, None
            if not report.unreadable and report.design is not None and getattr(report.design, "components", None):
                from ..render import RenderError, render

                try:
                    mermaid = str(render(report.design, report.findings, "mermaid", source=report.source))
                except RenderError as exc:
                    note = f"No diagram: {exc}"
            text_out = markdown.render_report(analysed.graded, analysed.rubric, mermaid=mermaid, diagram_note=note)
            return text_out.encode("utf-8"), "text/markdown; charset=utf-8"
        raise ExportError(f"unknown download format '{fmt}': use svg, png or md")


class ExportError(ValueError):
    """A download that cannot be made; one line."""


class Analysed:
    """A graded design and the findings shown at the chosen level."""

    def __init__(self, graded: Any, findings: list[Any], hidden: int, level: str, own_level: str,
                 rubric: Any) -> None:
        self.graded, self.findings, self.hidden = graded, findings, hidden
        self.level, self.own_level, self.rubric = level, own_level, rubric

    def to_dict(self) -> dict[str, Any]:
        report, score = self.graded.report, self.graded.score
        parse_error = None
        if report.unreadable:
            first = next((f for f in report.findings if f.rule == "invalid-yaml"), None)
            if first is not None:
                parse_error = {"line": first.line, "column": first.column, "message": first.message}
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        from ..report.grade_text import score_lines
        from ..textsafe import terminal

        return {
            "ok": not report.unreadable,
            "parse_error": parse_error,
            "title": report.title,
            "level": self.level,
            "design_level": self.own_level,
            "findings": numbered(self.findings),
            "counts": counts,
            "acknowledged": sum(1 for f in self.findings if f.acknowledged),
            "hidden": self.hidden,
            "score": score.to_dict(),
            "score_text": [terminal(line) for line in score_lines(score)],
        }


def _design_level(report: Any) -> str:
    design = getattr(getattr(report, "design", None), "design", None)
    own = getattr(design, "level", None)
    return own if own in LEVELS else "L5"


def _level(finding: Any) -> str:
    return finding.level if finding.level in LEVELS else "L4"


def numbered(findings: list[Any]) -> list[dict[str, Any]]:
    """The findings in report order (errors, warnings, info, each by position; trade-offs
    last), each with its badge number and the id of its badge in the diagram."""
    try:
        from ..render.overlay import number

        pairs = [(f, mark.number, mark.anchor) for f, mark in number(findings)]
    except Exception:  # noqa: BLE001 - the drawing code moved: number them here, without anchors
        pairs = [(f, n, None) for n, f in enumerate(findings, 1)]
    out = []
    for f, n, anchor in pairs:
        item = f.to_dict()
        item["number"] = n
        item["anchor"] = anchor
        out.append(item)
    return out


def safe_svg(svg: str) -> Optional[str]:
    """The renderer's SVG made ready to inline in the page: the report's own cleaner
    (no prolog, no script, no handlers; a badge links to its finding, ``#dg-...``)."""
    from ..report.html import inline_svg

    cleaned = inline_svg(svg)
    return None if cleaned is None else str(cleaned)
