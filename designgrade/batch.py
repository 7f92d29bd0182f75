"""``designgrade grade ... --out DIR``: a report per design in each format, and a summary.

    from designgrade.batch import write_reports
    results = write_reports(files, rubric, scores, "reports", ("html", "md", "json"), jobs=None)

Writes, in ``DIR``:

- per design, ``NAME.html`` / ``NAME.md`` / ``NAME.json`` / ``NAME.txt`` for the formats
  asked (``NAME`` from the input path, see :func:`output_names`);
- ``index.html`` (every submission in a sortable table), ``summary.csv`` and
  ``results.jsonl`` (one cli.md JSON object a line), and ``compare.csv`` with ``compare``;
- ``.designgrade-manifest.json``: the files designgrade wrote there.

Safety: every file is written to a temp file in ``DIR`` and moved into place with
``os.replace``; a name is never derived from candidate text other than the input path,
and then only from ``[A-Za-z0-9._-]``, so nothing is written outside ``DIR``; a file
that exists and is not in the manifest is never overwritten (:class:`OutputConflict`),
and nothing is ever deleted.

Grading (and drawing) runs in a process pool for ``jobs`` > 1; results come back in
input order. jinja2 and the renderer are imported only here, never at lint start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

from .fileio import write_atomic

MANIFEST = ".designgrade-manifest.json"
SUMMARY_FILES = ("index.html", "summary.csv", "results.jsonl")
COMPARE_FILE = "compare.csv"
EXTENSIONS = {"html": ".html", "md": ".md", "json": ".json", "text": ".txt"}
FORMAT_LABELS = {"html": "HTML", "md": "Markdown", "json": "JSON", "text": "Text"}
DESIGN_SUFFIXES = (".yaml", ".yml")
RESERVED_STEMS = frozenset({"index", "summary", "results", "compare"})
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})
MAX_DIAGRAM_COMPONENTS = 300  # a larger picture is unreadable in a report (docs/limits.md)
MAX_NAME = 80  # characters of a name before its extension, hash included
HASH_CHARS = 10


class BatchError(Exception):
    """The reports cannot be written; one line that says what to do (the CLI exits 2)."""


class OutputConflict(BatchError):
    """A file designgrade did not write is in the way."""


# --- names --------------------------------------------------------------------------------


def _safe(text: str) -> str:
    out = []
    for ch in text:
        out.append(ch if (ch.isascii() and (ch.isalnum() or ch in "._-")) else "_")
    return "".join(out)


def _digest(text: str, chars: int = HASH_CHARS) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:chars]


def _relative(files: Sequence[str]) -> list[str]:
    """Each input's path relative to the inputs' common parent folder, with '/' separators."""
    absolute = [os.path.abspath(f) for f in files]
    if not absolute:
        return []
    try:
        common = os.path.commonpath([os.path.dirname(a) for a in absolute])
    except ValueError:  # different drives (Windows)
        common = ""
    out = []
    for a in absolute:
        rel = os.path.relpath(a, common) if common else a
        out.append(rel.replace(os.sep, "/"))
    return out


def output_names(files: Sequence[str]) -> list[str]:
    """A safe, unique file stem per input (no extension), in input order.

    The input's path relative to the common parent, its .yaml/.yml dropped, ``/`` turned
    into ``__``, every character outside ``[A-Za-z0-9._-]`` into ``_``, no leading dot or
    dash. Names that collide (case-insensitively, for macOS and Windows disks), that are
    too long, or that are taken by the summary files get a short hash of the path.
    """
    rels = _relative(files)
    bases = []
    for rel in rels:
        stem = rel
        for suffix in DESIGN_SUFFIXES:
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        parts = [p for p in stem.split("/") if p not in ("", ".")]
        base = "__".join(_safe(p) for p in parts)
        base = base.lstrip(".-_") or "design"
        bases.append(base)
    folded: dict[str, int] = {}
    for base in bases:
        folded[base.lower()] = folded.get(base.lower(), 0) + 1
    names: list[str] = []
    taken: set[str] = set()
    for rel, base in zip(rels, bases):
        needs_hash = (folded[base.lower()] > 1 or len(base) > MAX_NAME or base.lower() in RESERVED_STEMS
                      or base.split(".")[0].lower() in WINDOWS_RESERVED)
        name = f"{base[: MAX_NAME - HASH_CHARS - 1]}-{_digest(rel)}" if needs_hash else base
        again = 0
        while name.lower() in taken:  # the same file given twice, or a plain name equal to a hashed one
            again += 1
            name = f"{base[: MAX_NAME - HASH_CHARS - 1]}-{_digest(f'{rel}#{again}')}"
        taken.add(name.lower())
        names.append(name)
    return names


# --- files ----------------------------------------------------------------------------------


def read_manifest(out: Path) -> set[str]:
    """The names designgrade wrote in ``out`` before; an unreadable manifest counts as empty
    (then nothing already there is overwritten)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", []) if isinstance(data, dict) else []
        return {f for f in files if isinstance(f, str) and "/" not in f and "\\" not in f}
    except (OSError, ValueError):
        return set()


def write_manifest(out: Path, names: set[str]) -> None:
    from . import __version__

    data = {"written_by": f"designgrade {__version__}",
            "note": "The files designgrade wrote in this folder; it overwrites only these.",
            "files": sorted(names)}
    write_atomic(out / MANIFEST, json.dumps(data, indent=2) + "\n")


def prepare_out(out_dir: Union[str, os.PathLike[str]], planned: Sequence[str]) -> tuple[Path, set[str]]:
    """Create ``out_dir``, check that every planned name is free or ours, and record the
    planned names in the manifest before anything is written."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out_dir}: exists and is not a folder; give a folder for the reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"--out {out_dir}: cannot create the folder: {exc.strerror or exc}") from None
    manifest_path = out / MANIFEST
    if manifest_path.is_symlink() or (manifest_path.exists() and not manifest_path.is_file()):
        raise OutputConflict(f"{manifest_path}: is not designgrade's manifest file; move it away or choose "
                             "another --out folder")
    ours = read_manifest(out)
    foreign = [name for name in planned
               if (os.path.lexists(out / name)) and (name not in ours or (out / name).is_dir())]
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputConflict(
            f"--out {out_dir}: will not overwrite {shown}: designgrade did not write "
            f"{'it' if len(foreign) == 1 else 'them'} (not in {MANIFEST}); move "
            f"{'it' if len(foreign) == 1 else 'them'} away or choose another --out folder")
    try:
        write_manifest(out, ours | set(planned))
    except OSError as exc:
        raise BatchError(f"--out {out_dir}: cannot write there: {exc.strerror or exc}") from None
    return out, ours | set(planned)


# --- one design (runs in a worker process) -----------------------------------------------


@dataclass
class Job:
    index: int
    file: str
    name: str
    manual: Any


_CONTEXT: dict[str, Any] = {}


def _init_worker(rubric: Any, fmts: Sequence[str], out: str, names: Sequence[str], files: Sequence[str]) -> None:
    _CONTEXT.update(rubric=rubric, fmts=tuple(fmts), out=Path(out), names=list(names), files=list(files))


def _links(name: str, fmts: Sequence[str], skip: str) -> dict[str, Any]:
    return {"index": "index.html",
            "formats": [(FORMAT_LABELS[f], name + EXTENSIONS[f]) for f in fmts if f != skip]}


def _diagram(report: Any, fmt: str) -> tuple[Optional[str], Optional[str]]:
    """(picture, note): the diagram in ``fmt`` with the findings drawn, or why there is none."""
    if report.unreadable:
        return None, "No diagram: the file is not valid YAML."
    graph = report.design
    if graph is None or not getattr(graph, "components", None):
        return None, "No diagram: the design has no valid components (see the schema findings)."
    if len(graph.components) > MAX_DIAGRAM_COMPONENTS:
        return None, (f"No diagram: {len(graph.components):,} components are more than a report can show "
                      f"({MAX_DIAGRAM_COMPONENTS}); draw it with designgrade render.")
    from .render import RenderError, render

    try:
        picture = render(graph, report.findings, fmt, title=report.title)
    except RenderError as exc:
        return None, f"No diagram: {exc}."
    except Exception as exc:  # a design the renderer cannot draw must not stop the batch
        return None, f"No diagram: the renderer failed ({type(exc).__name__}: {exc})."
    return (picture if isinstance(picture, str) else None), None


def _grade_safely(file: str, rubric: Any, manual: Any) -> Any:
    from . import grading

    try:
        return grading.grade_file(file, rubric, manual)
    except Exception as exc:  # a bug of ours on one file must not lose the others
        from .engine import _finding  # type: ignore[attr-defined]
        from .findings import Report
        from .registry import find_rule
        from .rubric.score import score

        meta = find_rule("invalid-yaml")
        report = Report(file=file, unreadable=True, level=grading.rubric_level(rubric))
        if meta is not None:
            report.findings.append(_finding(meta, f"designgrade could not grade this file ({type(exc).__name__}: "
                                                  f"{exc}); please report it", 1, 1, None, meta.fix))
        return grading.Graded(report, score(rubric, report.findings, manual, unreadable=True))


def grade_one(job: Job) -> Any:
    """Grade one design and write its reports; returns the Graded without the parse tree."""
    rubric, fmts, out = _CONTEXT["rubric"], _CONTEXT["fmts"], _CONTEXT["out"]
    graded = _grade_safely(job.file, rubric, job.manual)
    report = graded.report
    for fmt in fmts:
        path = out / (job.name + EXTENSIONS[fmt])
        if fmt == "json":
            text = json.dumps(graded.to_dict(), indent=2, ensure_ascii=False) + "\n"
        elif fmt == "html":
            from .report import html

            svg, note = _diagram(report, "svg")
            mermaid = None
            if svg is None and report.design is not None and not report.unreadable:
                mermaid, _ = _diagram(report, "mermaid")
            text = html.render_report(graded, rubric, svg=svg, diagram_note=note, mermaid=mermaid,
                                      links=_links(job.name, fmts, fmt))
        elif fmt == "md":
            from .report import markdown

            mermaid, note = _diagram(report, "mermaid")
            text = markdown.render_report(graded, rubric, mermaid=mermaid, diagram_note=note,
                                          links=_links(job.name, fmts, fmt))
        else:
            from .report import grade_text

            text = "\n".join(grade_text.design_block(graded)) + "\n"
        write_atomic(path, text)
    report.design = None  # the parse tree stays in the worker: only what reports need travels back
    report.source = None
    return graded


# --- the batch -------------------------------------------------------------------------------


def _warm(fmts: Sequence[str]) -> None:
    """Import what every worker needs once, before the pool forks."""
    from .registry import all_rules

    all_rules()
    if "html" in fmts:
        from .report import html

        html.environment().get_template("report.html.j2")
    if "html" in fmts or "md" in fmts:
        from . import render  # noqa: F401
        from .render import layout  # noqa: F401


def write_reports(files: Sequence[str], rubric: Any, scores: dict[str, Any], out_dir: Union[str, os.PathLike[str]],
                  fmts: Sequence[str], jobs: Optional[int] = None,
                  on_progress: Optional[Callable[[int, int, str], None]] = None,
                  compare: Optional[Sequence[Any]] = None) -> list[Any]:
    """Grade ``files`` and write their reports and the summary into ``out_dir``.

    Returns the Graded results in input order (without parse trees). ``compare``: the
    submissions of an earlier results.jsonl (report.summary.load_results), for compare.csv
    and a change column in index.html. Raises BatchError (OutputConflict) before writing
    anything when a file designgrade did not write is in the way.
    """
    from .grading import manual_for
    from .report import summary

    files = list(files)
    fmts = tuple(dict.fromkeys(f for f in fmts if f in EXTENSIONS)) or ("html", "md", "json")
    names = output_names(files)
    planned = [name + EXTENSIONS[fmt] for name in names for fmt in fmts]
    planned += list(SUMMARY_FILES) + ([COMPARE_FILE] if compare is not None else [])
    out, _ = prepare_out(out_dir, planned)

    jobs_list = [Job(i, f, n, manual_for(f, scores, files)) for i, (f, n) in enumerate(zip(files, names))]
    workers = min(jobs or os.cpu_count() or 1, len(jobs_list)) or 1
    done = 0

    def advance(file: str) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, len(jobs_list), file)

    results: list[Any] = []
    _warm(fmts)
    init_args = (rubric, fmts, str(out), names, files)
    if workers <= 1:
        _init_worker(*init_args)
        for job in jobs_list:
            results.append(grade_one(job))
            advance(job.file)
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(16, len(jobs_list) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=init_args) as pool:
            for job, graded in zip(jobs_list, pool.map(grade_one, jobs_list, chunksize=chunk)):
                results.append(graded)
                advance(job.file)

    primary = next((f for f in ("html", "md", "json", "text") if f in fmts), None)
    rows = []
    for name, graded in zip(names, results):
        links = {FORMAT_LABELS[f]: name + EXTENSIONS[f] for f in
                 sorted(fmts, key=lambda f: f != primary)}
        rows.append(summary.summary_row(graded, links))
    changes = summary.compare(compare, results) if compare is not None else None
    from .report import html

    write_atomic(out / "index.html", html.render_index(rows, summary.batch_totals(rows), rubric=rubric.id,
                                                       rubric_title=getattr(rubric, "title", None), changes=changes))
    write_atomic(out / "summary.csv", summary.summary_csv(rows))
    write_atomic(out / "results.jsonl", "".join(json.dumps(g.to_dict(), ensure_ascii=False) + "\n" for g in results))
    if changes is not None:
        write_atomic(out / COMPARE_FILE, summary.compare_csv(changes))
    return results
