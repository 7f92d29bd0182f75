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
that exists and is not in the manifest, or is not a regular file, is never overwritten
(:class:`OutputConflict`), and nothing but our own temp files is ever deleted. A lock
(fcntl, on the folder) makes a second run into the same folder wait, so the manifest's
read-modify-write never loses entries.

Time: each design is graded (and its reports drawn) in a worker process with a budget
(``timeout``, 30 s by default). A design over budget has its worker stopped and gets
its own row, reports and JSON object saying so; the batch goes on and always ends with
its summary files. Results come back in input order. jinja2 and the renderer are
imported only here, never at lint start-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

from .fileio import TEMP_SUFFIX, WriteError, check_replaceable, write_atomic
from .grading import Graded
from .textsafe import json_text, show_name

MANIFEST = ".designgrade-manifest.json"
DEFAULT_TIMEOUT = 30.0  # seconds per design; a design a person writes takes well under one
SUMMARY_FILES = ("index.html", "summary.csv", "results.jsonl")
COMPARE_FILE = "compare.csv"
EXTENSIONS = {"html": ".html", "md": ".md", "json": ".json", "text": ".txt"}
FORMAT_LABELS = {"html": "HTML", "md": "Markdown", "json": "JSON", "text": "Text"}
DESIGN_SUFFIXES = (".yaml", ".yml")
RESERVED_STEMS = frozenset({"index", "summary", "results", "compare"})
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})
MAX_DIAGRAM_COMPONENTS = 300  # a larger picture is unreadable in a report (docs/limits.md)
# Graphviz's layout grows much faster than linearly in edges: 300 components with 750
# random flows take 6 s, with 1,000 flows 47 s (bench/scale_bench.py, docs/limits.md).
MAX_DIAGRAM_FLOWS = 600
MAX_NAME = 80  # characters of a name before its extension, hash included
HASH_CHARS = 10


class BatchError(Exception):
    """The reports cannot be written; one line that says what to do (the CLI exits 2)."""


class OutputConflict(BatchError):
    """A file designgrade did not write is in the way."""


@dataclass
class NotGraded(Graded):
    """A design the batch could not grade: over its time budget, or its worker failed.
    It still has a report (one finding that says so), a row and a JSON object."""

    kind: str = "timeout"  # "timeout" or "internal"
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["error"] = {"kind": self.kind, "message": self.detail}
        return data


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
    from .fileio import ReadError, read_limited

    try:
        raw = read_limited(out / MANIFEST, MAX_MANIFEST_BYTES)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_MANIFEST_BYTES else None
        files = data.get("files", []) if isinstance(data, dict) else []
        return {f for f in files if isinstance(f, str) and "/" not in f and "\\" not in f}
    except (ReadError, ValueError, RecursionError):
        return set()


MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def write_manifest(out: Path, names: set[str]) -> None:
    from . import __version__

    data = {"written_by": f"designgrade {__version__}",
            "note": "The files designgrade wrote in this folder; it overwrites only these.",
            "files": sorted(names)}
    write_atomic(out / MANIFEST, json.dumps(data, indent=2) + "\n")


def make_out(out_dir: Union[str, os.PathLike[str]]) -> Path:
    """Create the ``--out`` folder (and its parents)."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {show_name(out_dir)}: exists and is not a folder; give a folder for the reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"--out {show_name(out_dir)}: cannot create the folder: {exc.strerror or exc}") from None
    return out


def prepare_out(out_dir: Union[str, os.PathLike[str]], planned: Sequence[str]) -> tuple[Path, set[str]]:
    """Create ``out_dir``, check that every planned name is free or ours, and record the
    planned names in the manifest before anything is written. Call it holding :func:`locked`."""
    out = make_out(out_dir)
    shown = show_name(out_dir)
    manifest_path = out / MANIFEST
    if os.path.lexists(manifest_path) and not _replaceable(manifest_path):
        raise OutputConflict(f"{show_name(manifest_path)}: is not designgrade's manifest file; move it away or "
                             "choose another --out folder")
    ours = read_manifest(out)
    foreign = [name for name in planned if os.path.lexists(out / name) and name not in ours]
    odd = [name for name in planned if name in ours and os.path.lexists(out / name) and not _replaceable(out / name)]
    for names, why in ((foreign, "designgrade did not write {it} (not in " + MANIFEST + ")"),
                       (odd, "{it} {is} not a regular file (a link, a folder or a device someone put there)")):
        if names:
            one = len(names) == 1
            listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            reason = why.format(it="it" if one else "they", **{"is": "is" if one else "are"})
            raise OutputConflict(f"--out {shown}: will not overwrite {listed}: {reason}; move "
                                 f"{'it' if one else 'them'} away or choose another --out folder")
    try:
        write_manifest(out, ours | set(planned))
    except OSError as exc:
        raise BatchError(f"--out {shown}: cannot write there: {exc}") from None
    return out, ours | set(planned)


def _replaceable(path: Path) -> bool:
    # A link or a device in our name's place was put there by someone: it is theirs.
    try:
        check_replaceable(path)
    except WriteError:
        return False
    return True


@contextlib.contextmanager
def locked(out: Path, on_wait: Optional[Callable[[str], None]] = None) -> Iterator[None]:
    """Hold a lock on the ``out`` folder for a whole run; a second run into it waits.

    Two runs that read and rewrote the manifest at once lost each other's entries (and the
    next run then refused the folder). The lock is an fcntl lock on the folder itself, so
    it adds no file, and the kernel releases it when the process ends, however it ends."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; runs into one folder must not overlap there
        yield
        return
    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise BatchError(f"--out {show_name(out)}: cannot open the folder: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"another designgrade run is writing to {show_name(out)}; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def sweep_temp_files(out: Path) -> None:
    """Remove our temp files left in ``out`` by a worker stopped mid-write (over budget,
    or on Ctrl-C/SIGTERM). Called with the lock held, so no other run's file is touched."""
    try:
        entries = list(os.scandir(out))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


# --- one design (runs in a worker process) -----------------------------------------------


@dataclass
class Job:
    index: int
    file: str
    name: str
    manual: Any
    shown: str = ""  # the file as reports show it (a name that is not UTF-8 escaped)


_CONTEXT: dict[str, Any] = {}


def _init_worker(rubric: Any, fmts: Sequence[str], out: Optional[str], worker: bool = False) -> None:
    _CONTEXT.update(rubric=rubric, fmts=tuple(fmts), out=Path(out) if out is not None else None)
    if worker and hasattr(os, "setpgid"):
        import signal

        # Stopped over budget, a worker takes Graphviz (its child) down with it: in a process
        # group of its own, one signal reaches both. Our temp files are swept by the parent.
        try:
            os.setpgid(0, 0)
            signal.signal(signal.SIGTERM, _stop_group)
        except OSError:
            pass


def _stop_group(signum: int, frame: Any) -> None:
    import signal

    os.killpg(os.getpgid(0), signal.SIGKILL)


def _links(name: str, fmts: Sequence[str], skip: str) -> dict[str, Any]:
    return {"index": "index.html",
            "formats": [(FORMAT_LABELS[f], name + EXTENSIONS[f]) for f in fmts if f != skip]}


def _diagram(graded: Any, fmt: str) -> tuple[Optional[str], Optional[str]]:
    """(picture, note): the diagram in ``fmt`` with the findings drawn, or why there is none."""
    report = graded.report
    if isinstance(graded, NotGraded):
        return None, "No diagram: the design was not graded (see the finding above)."
    if report.unreadable:
        return None, "No diagram: the file is not valid YAML."
    graph = report.design
    if graph is None or not getattr(graph, "components", None):
        return None, "No diagram: the design has no valid components (see the schema findings)."
    if len(graph.components) > MAX_DIAGRAM_COMPONENTS:
        return None, (f"No diagram: {len(graph.components):,} components are more than a report can show "
                      f"({MAX_DIAGRAM_COMPONENTS}); draw it with designgrade render.")
    flows = len(getattr(graph, "edges", ()) or ())
    if flows > MAX_DIAGRAM_FLOWS:
        return None, (f"No diagram: {flows:,} flows are more than a report can show ({MAX_DIAGRAM_FLOWS}); "
                      "draw it with designgrade render.")
    from .render import RenderError, render

    try:
        picture = render(graph, report.findings, fmt, title=report.title, source=report.source)
    except RenderError as exc:
        return None, f"No diagram: {exc}."
    except Exception as exc:  # a design the renderer cannot draw must not stop the batch
        return None, f"No diagram: the renderer failed ({type(exc).__name__}: {exc})."
    return (picture if isinstance(picture, str) else None), None


def not_graded(job: Job, rubric: Any, kind: str, detail: str) -> NotGraded:
    """The result of a design that could not be graded: unreadable, 0 points, one finding."""
    from . import grading
    from .engine import _finding  # type: ignore[attr-defined]
    from .findings import Report
    from .registry import find_rule
    from .rubric.score import score

    report = Report(file=job.shown or show_name(job.file), unreadable=True, level=grading.rubric_level(rubric))
    meta = find_rule("invalid-yaml")
    if meta is not None:
        report.findings.append(_finding(meta, detail, 1, 1, None, meta.fix))
    return NotGraded(report, score(rubric, report.findings, job.manual, unreadable=True), kind, detail)


def over_budget(job: Job, rubric: Any, seconds: float) -> NotGraded:
    return not_graded(job, rubric, "timeout", (
        f"grading this design took longer than its {seconds:g} s budget (grade --timeout), so it was stopped "
        "and scores 0; a design a person writes takes well under a second: look for thousands of components "
        "or flows, or grade it alone with a larger --timeout"))


def _grade_safely(job: Job, rubric: Any) -> Any:
    from . import grading

    try:
        graded = grading.grade_file(job.file, rubric, job.manual)
    except Exception as exc:  # a bug of ours on one file must not lose the others
        return not_graded(job, rubric, "internal", f"designgrade could not grade this file ({type(exc).__name__}: "
                                                   f"{exc}); please report it")
    graded.report.file = job.shown or show_name(job.file)
    return graded


def write_design(graded: Any, name: str, fmts: Sequence[str], out: Path, rubric: Any) -> None:
    """Write one design's reports, in each format."""
    report = graded.report
    for fmt in fmts:
        path = out / (name + EXTENSIONS[fmt])
        if fmt == "json":
            text = json_text(json.dumps(graded.to_dict(), indent=2, ensure_ascii=False)) + "\n"
        elif fmt == "html":
            from .report import html

            svg, note = _diagram(graded, "svg")
            mermaid = None
            if svg is None and report.design is not None and not report.unreadable:
                mermaid, _ = _diagram(graded, "mermaid")
            text = html.render_report(graded, rubric, svg=svg, diagram_note=note, mermaid=mermaid,
                                      links=_links(name, fmts, fmt))
        elif fmt == "md":
            from .report import markdown

            mermaid, note = _diagram(graded, "mermaid")
            text = markdown.render_report(graded, rubric, mermaid=mermaid, diagram_note=note,
                                          links=_links(name, fmts, fmt))
        else:
            from .report import grade_text

            text = "\n".join(grade_text.design_block(graded)) + "\n"
        write_atomic(path, text)


def _slim(graded: Any) -> Any:
    graded.report.design = None  # the parse tree stays in the worker: only what reports need travels back
    graded.report.source = None
    return graded


def grade_one(job: Job) -> Any:
    """Grade one design and, with an output folder, write its reports; returns the Graded
    without the parse tree."""
    rubric, fmts, out = _CONTEXT["rubric"], _CONTEXT["fmts"], _CONTEXT["out"]
    graded = _grade_safely(job, rubric)
    if out is not None:
        write_design(graded, job.name, fmts, out, rubric)
    return _slim(graded)


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


def grade_all(jobs_list: Sequence[Job], rubric: Any, fmts: Sequence[str], out: Optional[Path], jobs: Optional[int],
              timeout: Optional[float], on_done: Optional[Callable[[Job], None]] = None) -> list[Any]:
    """Grade every job (writing its reports when ``out`` is given) and return the results
    in input order. Each design runs in a worker process with ``timeout`` seconds (None or
    0: no budget, and with one job or ``jobs`` = 1 in this process); a design over budget,
    or whose worker died, gets a :class:`NotGraded` result, with its reports written here.
    Ctrl-C or SIGTERM (turned into an exception by the caller) stops the workers."""
    _warm(fmts)
    init_args = (rubric, tuple(fmts), str(out) if out is not None else None)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_list)))
    results: list[Any] = [None] * len(jobs_list)
    if not timeout and workers == 1:
        _init_worker(*init_args)
        for job in jobs_list:
            results[job.index] = grade_one(job)
            if on_done is not None:
                on_done(job)
        return results

    from concurrent.futures import TimeoutError as OverTime
    from concurrent.futures import as_completed

    from pebble import ProcessPool

    pool = ProcessPool(max_workers=workers, initializer=_init_worker, initargs=init_args + (True,))
    try:
        futures = {pool.schedule(grade_one, args=(job,), timeout=timeout or None): job for job in jobs_list}
        for future in as_completed(futures):
            job = futures[future]
            try:
                results[job.index] = future.result()
            except OverTime:
                results[job.index] = over_budget(job, rubric, float(timeout or 0))
            except WriteError as exc:  # a full disk fails every design alike: stop, saying where
                raise BatchError(str(exc)) from None
            except Exception as exc:  # the worker died (out of memory, a crash in C code, ...)
                results[job.index] = not_graded(job, rubric, "internal", (
                    f"designgrade could not grade this file: its worker stopped ({type(exc).__name__}: {exc}); "
                    "please report it"))
            if isinstance(results[job.index], NotGraded) and out is not None:
                write_design(results[job.index], job.name, fmts, out, rubric)
            if on_done is not None:
                on_done(job)
    except BaseException:
        pool.stop()  # on Ctrl-C/SIGTERM or a full disk: the workers are stopped, never left behind
        pool.join()
        raise
    pool.close()
    pool.join()
    return results


def write_reports(files: Sequence[str], rubric: Any, scores: dict[str, Any], out_dir: Union[str, os.PathLike[str]],
                  fmts: Sequence[str], jobs: Optional[int] = None,
                  on_progress: Optional[Callable[[int, int, str], None]] = None,
                  compare: Optional[Sequence[Any]] = None, timeout: Optional[float] = DEFAULT_TIMEOUT,
                  on_wait: Optional[Callable[[str], None]] = None,
                  not_designs: Sequence[tuple[str, str]] = ()) -> list[Any]:
    """Grade ``files`` and write their reports and the summary into ``out_dir``.

    ``not_designs``: (file, reason) of the YAML files found beside them that are plainly not
    designs; they get a row in index.html and summary.csv and are never graded.

    Returns the Graded results in input order (without parse trees). ``compare``: the
    submissions of an earlier results.jsonl (report.summary.load_results), for compare.csv
    and a change column in index.html. ``timeout``: seconds per design (None: no budget).
    ``on_wait`` hears once when another run holds the folder. Raises BatchError
    (OutputConflict) before writing anything when a file designgrade did not write is in
    the way.
    """
    from .rubric.scores_file import assign_scores

    files = list(files)
    manual, _ = assign_scores(scores, files) if scores else ({}, [])
    fmts = tuple(dict.fromkeys(f for f in fmts if f in EXTENSIONS)) or ("html", "md", "json")
    names = output_names(files)
    planned = [name + EXTENSIONS[fmt] for name in names for fmt in fmts]
    planned += list(SUMMARY_FILES) + ([COMPARE_FILE] if compare is not None else [])
    out = make_out(out_dir)
    with locked(out, on_wait):
        prepare_out(out_dir, planned)
        jobs_list = [Job(i, f, n, manual.get(f), show_name(f))
                     for i, (f, n) in enumerate(zip(files, names))]
        done = 0

        def advance(job: Job) -> None:
            nonlocal done
            done += 1
            if on_progress is not None:
                on_progress(done, len(jobs_list), job.shown)

        try:
            results = grade_all(jobs_list, rubric, fmts, out, jobs, timeout, advance)
            _write_summary(out, names, results, fmts, rubric, compare, not_designs)
        except WriteError as exc:
            raise BatchError(str(exc)) from None
        finally:
            sweep_temp_files(out)
    return results


def _write_summary(out: Path, names: Sequence[str], results: Sequence[Any], fmts: Sequence[str], rubric: Any,
                   compare: Optional[Sequence[Any]], not_designs: Sequence[tuple[str, str]] = ()) -> None:
    from .report import html, summary

    primary = next((f for f in ("html", "md", "json", "text") if f in fmts), None)
    rows = []
    for name, graded in zip(names, results):
        links = {FORMAT_LABELS[f]: name + EXTENSIONS[f] for f in
                 sorted(fmts, key=lambda f: f != primary)}
        rows.append(summary.summary_row(graded, links))
    changes = summary.compare(compare, results) if compare is not None else None
    others = [summary.not_a_design_row(show_name(file), why) for file, why in not_designs]
    write_atomic(out / "index.html", html.render_index(rows, summary.batch_totals(rows + others), rubric=rubric.id,
                                                       rubric_title=getattr(rubric, "title", None), changes=changes,
                                                       not_designs=others))
    write_atomic(out / "summary.csv", summary.summary_csv(rows + others))
    write_atomic(out / "results.jsonl",
                 "".join(json_text(json.dumps(g.to_dict(), ensure_ascii=False)) + "\n" for g in results))
    if changes is not None:
        write_atomic(out / COMPARE_FILE, summary.compare_csv(changes))
