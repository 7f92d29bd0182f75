"""The command line: parse, call the library, format, exit. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from typing import Any, Optional, Sequence

import click

from . import __version__

LEVEL_CHOICE = click.Choice(["L4", "L5", "L6", "L7"], case_sensitive=False)
SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)


class UsageProblem(click.ClickException):
    """A problem with what the user asked for: one line, exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        from .textsafe import terminal

        click.echo(f"designgrade: error: {terminal(self.format_message(), keep_newlines=True)}", err=True)


def _note(text: str, kind: str = "note") -> None:
    from .textsafe import terminal

    click.echo(f"designgrade: {kind}: {terminal(text)}", err=True)


def _safe_streams() -> None:
    """A character the terminal's encoding lacks (a CJK file name on a cp1252 console, a
    name that was not UTF-8) is printed as an escape instead of stopping the output."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _color(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _names(values: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="designgrade")
def cli() -> None:
    """Lint and grade ML system designs written in YAML.

    \b
    Examples:
      designgrade lint design.yaml                 findings as file:line:col lines
      designgrade explain overbuilt-realtime-serving
      designgrade grade submissions/ --rubric l6   score and level verdicts
      designgrade render design.yaml -o arch.svg   the diagram, findings drawn on it
    """
    _safe_streams()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--level", type=LEVEL_CHOICE, help="Judge at this level (default: the design's own `level`).")
@click.option("--select", multiple=True, metavar="NAMES",
              help="Only these rules: slugs, codes (DG3, DG301) or pillars; comma-separated or repeated.")
@click.option("--ignore", multiple=True, metavar="NAMES", help="Skip these rules (same names as --select).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif", "junit"]),
              default="text", show_default=True)
@click.option("--fail-on", type=SEVERITY_CHOICE, help="Exit 1 on findings at or above this severity [default: error].")
@click.option("--show-fixes", is_flag=True, help="Print each finding's fix under it (text format).")
@click.option("--show-config", is_flag=True,
              help="Print which config file (designgrade.toml, pyproject.toml) applies to each design, and stop.")
@click.option("--rubric", "rubric_name", metavar="l5|l6|FILE",
              help="Also score each design against this rubric, as `grade` does: the score, each bar and what "
                   "blocks it (text and json).")
def lint(paths: tuple[str, ...], level: Optional[str], select: tuple[str, ...], ignore: tuple[str, ...],
         fmt: str, fail_on: Optional[str], show_fixes: bool, show_config: bool = False,
         rubric_name: Optional[str] = None) -> None:
    """Check designs like a code linter.

    PATHS are design files or folders (every *.yaml / *.yml below them).

    \b
    Examples:
      designgrade lint design.yaml
      designgrade lint design.yaml --rubric l6      findings, then the score and the bars
      designgrade lint designs/ --level L6 --format json
      designgrade lint design.yaml --ignore no-autoscaling,monitoring
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 unreadable file or usage error.
    """
    if show_config:
        _show_config(paths)
        return
    reports, fail_on = _lint_all(paths, level, select, ignore, fail_on)
    scores = _lint_scores(reports, rubric_name) if fmt in ("text", "json") else None
    if fmt == "json" and scores is not None:
        from .report import json_format

        click.echo(json_format.render(reports, [s and s.to_dict() for s in scores]), nl=False)
    else:
        click.echo(_format_lint(reports, fmt, show_fixes), nl=False)
        if scores is not None:
            click.echo(_score_text(reports, scores), nl=False)
    sys.exit(_exit_code(reports, fail_on))


def _lint_scores(reports: list[Any], rubric_name: Optional[str]) -> Optional[list[Any]]:
    """Each design's score as `grade` computes it (rules at the rubric's highest bar, whatever --level
    shows), against --rubric or the config's `rubric`; None when neither names one."""
    from .rubric.load import RubricError, load_rubric

    cache: dict[Any, Any] = {}
    names = [rubric_name or _config_for(r.file, cache).rubric for r in reports]
    if not any(names):
        return None
    from .grading import grade_file

    rubrics: dict[str, Any] = {}
    scores: list[Any] = []
    for report, name in zip(reports, names):
        if not name or report.unreadable:
            scores.append(None)
            continue
        if name not in rubrics:
            try:
                rubrics[name] = load_rubric(name)
            except RubricError as exc:
                raise UsageProblem(_rubric_problem(exc, name)) from None
        scores.append(grade_file(report.file, rubrics[name]).score)
    return scores


def _rubric_problem(exc: Any, name: str) -> str:
    """The first problem of a rubric that does not load; a file's full list is one command away."""
    from .textsafe import terminal

    first = terminal(exc.lines()[0])
    more = f" (designgrade check-rubric {terminal(name)} lists every problem)" if os.path.isfile(name) else ""
    return first + more


def _score_text(reports: list[Any], scores: list[Any]) -> str:
    from .report.grade_text import score_lines
    from .textsafe import terminal

    lines: list[str] = []
    for report, score in zip(reports, scores):
        if score is None:
            continue
        lines += ["", f"{terminal(report.file)}: score against rubric {terminal(score.rubric)}"]
        lines += score_lines(score)
    if lines:
        lines += ["", "The score counts every rule up to the rubric's highest bar, whatever --level shows; "
                      "'designgrade rubrics show RUBRIC' lists what each criterion asks."]
    return "\n".join(lines) + ("\n" if lines else "")


def _expand(paths: Sequence[str], others: Optional[list[tuple[str, str]]] = None) -> list[str]:
    """The designs PATHS name. YAML files in a folder that are plainly not designs go into
    ``others`` when given, else each gets a note; they are never dropped in silence."""
    from .engine import scan_paths
    from .textsafe import terminal

    notes: list[str] = []
    files, not_designs = scan_paths(paths, notes)
    for note in notes:
        _note(note)
    if others is not None:
        others.extend(not_designs)
    else:
        for file, why in not_designs:
            _note(terminal(f"skipped {file}: not a design ({why}); name the file to check it anyway"))
    if not files:
        if not_designs:
            raise UsageProblem(f"no designs under {', '.join(paths)}: {len(not_designs)} YAML file"
                               f"{'s' if len(not_designs) != 1 else ''} found, none a design "
                               "(a design has components and flows)")
        raise UsageProblem(f"no *.yaml or *.yml files under {', '.join(paths)}")
    return files


def _config_for(file: str, cache: dict[Any, Any]) -> Any:
    from .config import ConfigError, find_config
    from .engine import SelectionError, check_names

    try:
        config = find_config(file, cache)
        check_names(config.select + config.ignore)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    except SelectionError as exc:  # a name in the config file: say which file
        raise UsageProblem(f"{config.source}: {exc}") from None
    return config


def _show_config(paths: Sequence[str]) -> None:
    files = _expand(paths)
    cache: dict[Any, Any] = {}
    for file in files:
        config = _config_for(file, cache)
        if config.source is None:
            first, last = config.searched
            click.echo(f"{file}: no config file (looked in {first} and up to {last}); defaults apply")
            continue
        values = []
        for key, value in (("level", config.level), ("fail-on", config.fail_on)):
            if value:
                values.append(f'{key} = "{value}"')
        for key, names in (("select", config.select), ("ignore", config.ignore)):
            if names:
                values.append(f"{key} = [{', '.join(repr(n) for n in names)}]")
        click.echo(f"{file}: {config.source} ({'; '.join(values) or 'no options set'}); "
                   "command-line options win over it")


def _lint_all(paths: Sequence[str], level: Optional[str], select: Sequence[str], ignore: Sequence[str],
              fail_on: Optional[str]) -> tuple[list[Any], str]:
    from .engine import Options, SelectionError, check_names, lint as lint_file, selected_rules

    files = _expand(paths)
    select_names, ignore_names = _names(select), _names(ignore)
    try:
        check_names(select_names + ignore_names)
    except SelectionError as exc:
        raise UsageProblem(str(exc)) from None
    reports = []
    chosen_fail_on = fail_on
    cache: dict[Any, Any] = {}
    warned: set[Any] = set()
    for file in files:
        config = _config_for(file, cache)
        options = Options(
            level=(level or config.level or None) and (level or config.level).upper(),
            select=select_names or config.select,
            ignore=ignore_names or config.ignore,
        )
        if (options.select, options.ignore) not in warned:
            warned.add((options.select, options.ignore))
            if not selected_rules(options.select, options.ignore):
                where = config.source if not (select_names or ignore_names) and config.source else "the options"
                _note(f"every rule is turned off (select/ignore in {where}); only unreadable files are reported",
                      "warning")
        chosen_fail_on = chosen_fail_on or config.fail_on
        reports.append(_lint_one(lint_file, file, options))
    return reports, (chosen_fail_on or "error").lower()


def _lint_one(lint_file: Any, file: str, options: Any) -> Any:
    """Lint one file; a bug of ours on it is reported for that file and the others still run."""
    from .textsafe import show_name

    try:
        report = lint_file(file, options)
    except Exception as exc:
        if os.environ.get("DESIGNGRADE_DEBUG"):
            raise
        from .engine import _finding  # type: ignore[attr-defined]
        from .findings import Report
        from .registry import find_rule

        _note(f"internal error on {file}: {type(exc).__name__}: {exc} (please report it; DESIGNGRADE_DEBUG=1 "
              "shows the traceback)")
        report = Report(file=file, unreadable=True, level=options.level or "L5")
        meta = find_rule("invalid-yaml")
        if meta is not None:
            report.findings.append(_finding(meta, f"designgrade failed on this file ({type(exc).__name__}); "
                                                  "please report it", 1, 1, None, meta.fix))
    report.file = show_name(report.file)
    return report


def _format_lint(reports: list[Any], fmt: str, show_fixes: bool = False) -> str:
    if fmt == "json":
        from .report import json_format

        return json_format.render(reports)
    if fmt == "github":
        from .report import github

        return github.render(reports)
    if fmt == "sarif":
        from .report import sarif

        return sarif.render(reports)
    if fmt == "junit":
        from .report import junit

        return junit.render(reports)
    from .report import text

    return text.render(reports, color=_color(), show_fixes=show_fixes)


def _exit_code(reports: list[Any], fail_on: str) -> int:
    if any(r.unreadable for r in reports):
        return 2
    return 1 if any(r.failing(fail_on) for r in reports) else 0


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--rubric", "rubric_name", default="l6", show_default=True, metavar="l5|l6|FILE",
              help="A built-in rubric or a rubric file.")
@click.option("--scores", "scores_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="The interviewer's manual scores (YAML).")
@click.option("--format", "fmts", multiple=True, type=click.Choice(["text", "json", "md", "html"]),
              help="Repeatable. Without --out: text (default) or json on stdout. With --out: files per design.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write one report per design plus a summary here.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel workers (default: the cores).")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="Time budget per design (0: none). A design over it is stopped and reported as not graded; "
                   "the others go on.")
@click.option("--fail-on", type=SEVERITY_CHOICE, default="error", show_default=True)
@click.option("--compare", "compare_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="An earlier run's results.jsonl: print how each score and verdict moved "
                   "(with --out, also compare.csv).")
def grade(paths: tuple[str, ...], rubric_name: str, scores_path: Optional[str], fmts: tuple[str, ...],
          out_dir: Optional[str], jobs: Optional[int], fail_on: str, compare_path: Optional[str] = None,
          timeout: float = 30.0) -> None:
    """Score designs against a rubric, with level verdicts.

    \b
    Examples:
      designgrade grade submissions/ --rubric l6
      designgrade grade alice.yaml --rubric l5 --scores scores.yaml --format json
      designgrade grade submissions/ --out reports/ --format html --format md --format json
      designgrade grade submissions/ --rubric l6 --compare reports/results.jsonl
    Rules run at the rubric's highest bar (L6 for l6), whatever the design's own level.
    """
    from .grading import load_rubric
    from .rubric.load import RubricError
    from .rubric.scores_file import assign_scores, load_scores

    try:
        rubric = load_rubric(rubric_name)
        scores = load_scores(scores_path, rubric) if scores_path else {}
    except RubricError as exc:
        raise UsageProblem("\n".join(exc.lines())) from None
    not_designs: list[tuple[str, str]] = []
    files = _expand(paths, not_designs)
    try:
        assigned, unmatched = assign_scores(scores, files)
    except RubricError as exc:
        raise UsageProblem("\n".join(exc.lines())) from None
    for key in unmatched:
        _note(f"{scores_path}: '{key}' matches no submission being graded", "warning")
    earlier = None

    def echo_compare(results: list[Any]) -> None:
        if earlier is None:
            return
        from .report.summary import compare, compare_lines
        from .textsafe import terminal

        click.echo(f"changes since {terminal(str(compare_path))}:")
        for line in compare_lines(compare(earlier, results)):
            click.echo(terminal(line))  # levels and verdicts come from the earlier file as written

    if compare_path is not None:
        from .report.summary import CompareError, load_results

        if out_dir is None and fmts and fmts[-1] == "json":
            raise UsageProblem("--compare prints text lines: drop --format json, or add --out DIR "
                               "(the JSON is then in DIR/results.jsonl and the comparison in DIR/compare.csv)")
        try:
            earlier = load_results(compare_path)
        except CompareError as exc:
            raise UsageProblem(str(exc)) from None
    budget = timeout or None
    if out_dir is not None:
        from .batch import BatchError, write_reports
        from .report.summary import batch_totals, summary_row

        try:
            bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
            try:
                results = write_reports(files, rubric, scores, out_dir, fmts or ("html", "md", "json"), jobs,
                                        on_progress=bar.advance if bar else None, compare=earlier,
                                        timeout=budget, on_wait=_note, not_designs=not_designs)
            finally:
                if bar:
                    bar.close()
        except BatchError as exc:
            raise UsageProblem(str(exc)) from None
        echo_compare(results)
        totals = batch_totals([summary_row(r) for r in results])
        line = f"{totals['designs']} design{'s' if totals['designs'] != 1 else ''} graded: " + ", ".join(
            f"{count} meet {level}" for level, count in totals["meets"].items())
        if totals["unreadable"]:
            line += f"; {totals['unreadable']} unreadable"
        if totals["timed_out"]:
            line += f" ({totals['timed_out']} over the {timeout:g} s budget)"
        if not_designs:
            line += f"; {len(not_designs)} not a design (listed, not graded)"
        _echo_not_designs(not_designs)
        click.echo(f"{line}; reports in {os.path.join(out_dir, 'index.html')}")
    else:
        fmt = fmts[-1] if fmts else "text"
        if fmt not in ("json", "text"):
            raise UsageProblem(f"--format {fmt} writes files: add --out DIR")
        from .batch import Job, grade_all
        from .textsafe import show_name

        jobs_list = [Job(i, f, "", assigned.get(f), show_name(f)) for i, f in enumerate(files)]
        results = grade_all(jobs_list, rubric, (), None, jobs, budget)
        if fmt == "json":
            import json

            from .textsafe import json_text

            listed = [r.to_dict() for r in results] + [
                {"file": show_name(f), "not_a_design": why} for f, why in not_designs]
            click.echo(json_text(json.dumps(listed, indent=2, ensure_ascii=False)))
        else:
            from .report import grade_text

            click.echo(grade_text.render(results, [(show_name(f), why) for f, why in not_designs]), nl=False)
            if earlier is not None:
                click.echo("")
            echo_compare(results)
    sys.exit(_exit_code([r.report for r in results], fail_on.lower()))


def _echo_not_designs(not_designs: Sequence[tuple[str, str]]) -> None:
    from .textsafe import show_name, terminal

    for file, why in not_designs:
        click.echo(terminal(f"{show_name(file)}: not a design ({why}); not graded"))


class _ProgressBar:
    """A one-line bar on a terminal's stderr while a batch is graded."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def _width(self) -> int:
        import shutil

        return max(20, shutil.get_terminal_size((80, 20)).columns - 1)

    def advance(self, done: int, total: int, file: str) -> None:
        from .textsafe import terminal

        width = self._width()
        bar_width = max(10, min(30, width // 3))
        filled = bar_width * done // max(total, 1)
        head = f"grading [{'#' * filled}{'.' * (bar_width - filled)}] {done}/{total} "
        tail, room = terminal(file), width - len(head)
        if len(tail) > room:
            tail = "\u2026" + tail[-(room - 1):] if room > 1 else ""
        self.stream.write("\r" + (head + tail).ljust(width))
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * self._width() + "\r")
        self.stream.flush()


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--task", required=True, metavar="TASK",
              help="The problem: recommendation, ranking, search, ads_ctr, fraud_detection, classification, "
                   "regression, forecasting, eta, content_moderation, anomaly_detection, llm_rag, "
                   "llm_assistant or other.")
@click.option("--title", default="", help="The design's title.")
@click.option("--level", type=LEVEL_CHOICE, default="L5", show_default=True,
              help="The level you prepare for; lint judges the design at it.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def init(file: str, task: str, title: str, force: bool, level: str = "L5") -> None:
    """Write a commented starter design for a task.

    \b
    Examples:
      designgrade init design.yaml --task recommendation
      designgrade init fraud.yaml --task fraud_detection --title "Card fraud" --level L6
    Lint the result: each finding is a to-do, not a structure error.
    """
    from pathlib import Path

    from .starter import TASKS, starter
    from .validate import did_you_mean

    if task not in TASKS:
        hint = did_you_mean(task, TASKS) or f" (tasks: {', '.join(TASKS)})"
        raise UsageProblem(f"unknown task '{task}'{hint}")
    from .fileio import WriteError, check_replaceable, write_atomic

    target = Path(file)
    try:
        check_replaceable(target)  # /dev/null or a link is refused even with --force
    except WriteError as exc:
        raise UsageProblem(str(exc)) from None
    if target.exists() and not force:
        raise UsageProblem(f"{file} exists; choose another name or add --force to overwrite it")
    if not target.parent.is_dir():
        raise UsageProblem(f"cannot write {file}: the folder {target.parent} does not exist")
    schema = target.parent / "design.schema.json"
    text = starter(task, title, schema.name if schema.exists() else None, level.upper())
    try:
        write_atomic(target, text)
    except WriteError as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"wrote {file}: a starter {task} design at {level.upper()}; next: designgrade lint {file}")


@cli.command()
@click.argument("words", nargs=-1, metavar="[show] [RUBRIC]")
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True,
              help="md: Markdown, for study notes.")
def rubrics(words: tuple[str, ...], fmt: str) -> None:
    """List the built-in rubrics, or show one as study material.

    `rubrics show RUBRIC` lists its sections and weights, each criterion with its level,
    points, rules and (for manual criteria) what earns the points, and what each bar adds
    over the one below it. RUBRIC is l5, l6 or a rubric file.

    \b
    Examples:
      designgrade rubrics
      designgrade rubrics show l6
      designgrade rubrics show l6 --format md > l6-rubric.md
    """
    from .rubric.load import RubricError, builtin_rubrics, load_rubric
    from .textsafe import terminal

    if words and words[0] == "show":
        words = words[1:]
        if not words:
            raise UsageProblem("name the rubric to show: designgrade rubrics show l6 (or l5, or a rubric file)")
    if len(words) > 1:
        raise UsageProblem(f"one rubric at a time, not {len(words)}: designgrade rubrics show l6")
    if words:
        from .report.rubric_text import show_text

        try:
            rubric = load_rubric(words[0])
        except RubricError as exc:
            raise UsageProblem(_rubric_problem(exc, words[0])) from None
        click.echo(terminal(show_text(rubric, markdown=fmt == "md"), keep_newlines=True), nl=False)
        return
    for rubric in builtin_rubrics():
        click.echo(f"{rubric.id}: {rubric.title}")
        for section in rubric.sections:
            manual = sum(1 for c in section.criteria if c.manual)
            click.echo(f"  {section.id:12} weight {section.weight:g}  {len(section.criteria)} criteria"
                       f" ({manual} manual)  {section.title}")
        for level, bar in rubric.bars.items():
            click.echo(f"  bar {level}: at least {bar.min_score:g}% and must pass {', '.join(bar.must_pass)}")
        click.echo(f"  designgrade rubrics show {rubric.id}: every criterion, its rules and what each bar adds")
        click.echo("")


@cli.command("check-rubric")
@click.argument("file", type=click.Path(dir_okay=False))
def check_rubric(file: str) -> None:
    """Validate a custom rubric file: every problem with line:col and a did-you-mean.

    \b
    Example:
      designgrade check-rubric team-rubric.yaml
    """
    from .rubric.load import RubricError, load_rubric
    from .textsafe import terminal

    try:
        rubric = load_rubric(file)
    except RubricError as exc:
        for line in exc.lines():
            click.echo(terminal(line))
        sys.exit(2)
    criteria = sum(len(s.criteria) for s in rubric.sections)
    click.echo(terminal(f"{file}: rubric '{rubric.id}' is valid: {len(rubric.sections)} sections, {criteria} "
                        f"criteria, {len(rubric.checks)} checks, bars {', '.join(rubric.bars)}"))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List the rule catalog: code, slug, pillar, severity, level, summary.

    \b
    Examples:
      designgrade rules
      designgrade rules --format json | jq '.[] | select(.level == "L6")'
    """
    from .catalog import rules_json, rules_markdown, rules_table

    click.echo({"json": rules_json, "markdown": rules_markdown, "text": rules_table}[fmt](), nl=False)


@cli.command()
@click.argument("name", metavar="RULE|CRITERION")
def explain(name: str) -> None:
    """Explain a rule (by slug or code) or a rubric criterion (by id).

    A rule: what it checks, when it applies, what satisfies it, why, bad and good YAML,
    sources. A criterion: its rubric, level, points, rules or manual guidance.

    \b
    Examples:
      designgrade explain DG301
      designgrade explain training-serving-skew
      designgrade explain feedback-loops
    """
    from .catalog import explain_text
    from .registry import all_rules, find_rule

    found = find_rule(name)
    if found is not None:
        click.echo(explain_text(found))
        return
    from .rubric.load import builtin_rubrics
    from .rubric.study import criterion_ids, find_criterion

    views = find_criterion(name.strip().lower())
    if views:
        from .report.rubric_text import criterion_text

        click.echo(criterion_text(views, {r.id: r for r in builtin_rubrics()}), nl=False)
        return
    import difflib

    from .textsafe import terminal

    names = [r.slug for r in all_rules()] + [r.code for r in all_rules()] + criterion_ids()
    close = difflib.get_close_matches(name, names, n=1)
    hint = (f"; did you mean '{close[0]}'?" if close
            else "; 'designgrade rules' lists the rules, 'designgrade rubrics show l6' the criteria")
    raise UsageProblem(f"no rule or rubric criterion '{terminal(name)}'{hint}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--level", type=LEVEL_CHOICE, default="L6", show_default=True,
              help="Ask what an interviewer asks at this level.")
@click.option("-n", "count", type=click.IntRange(1, 50), default=8, show_default=True, help="How many questions.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
def drill(file: str, level: str, count: int, fmt: str) -> None:
    """The follow-up questions a senior interviewer would ask of this design.

    Each question is asked only when the design's facts make it fair (a store on the
    request path, streamed features, new items, delayed labels...), names the design's
    own components, and comes with what a strong answer covers and a source. Most
    important first.

    \b
    Examples:
      designgrade drill design.yaml
      designgrade drill design.yaml --level L5 -n 5
      designgrade drill design.yaml --format md >> study-notes.md
    """
    import json

    from .drill import drill as ask
    from .report.drill_text import drill_text
    from .engine import Options, lint as lint_file
    from .textsafe import json_text, show_name, terminal

    if not os.path.isfile(file):
        raise UsageProblem(f"{terminal(file)}: no such file; give a design YAML file")
    report = lint_file(file, Options(level=level.upper()))
    if report.unreadable or report.analysis is None:
        first = report.findings[0] if report.findings else None
        where = f":{first.line}:{first.column}" if first else ""
        why = f": {first.message}" if first else ""
        click.echo(terminal(f"{show_name(file)}{where}: cannot drill a design that is not readable{why}; "
                            f"run: designgrade lint {show_name(file)}"), err=True)
        sys.exit(2)
    questions = ask(report.analysis, report.findings, level=level.upper(), limit=count)
    if fmt == "json":
        click.echo(json_text(json.dumps({"file": show_name(file), "title": report.title, "level": level.upper(),
                                          "questions": [q.to_dict() for q in questions]},
                                         indent=2, ensure_ascii=False)))
        return
    title = report.title or show_name(file)
    text = drill_text(title, questions, markdown=fmt == "md")
    click.echo(terminal(text, keep_newlines=True), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True,
              help="json: the JSON Schema; markdown: the format reference (docs/design-format.md).")
@click.option("--rubric", "of_rubric", is_flag=True, help="The rubric format instead of the design format.")
def schema(fmt: str, of_rubric: bool) -> None:
    """Print the JSON Schema of the design format (for editors and validators).

    \b
    Examples:
      designgrade schema > design.schema.json
      designgrade schema --rubric > rubric.schema.json
      designgrade schema --rubric --format markdown
    """
    if of_rubric:
        if fmt == "markdown":
            from .format_doc import rubric_markdown

            click.echo(rubric_markdown(), nl=False)
            return
        from .schema import rubric_schema_text

        click.echo(rubric_schema_text(), nl=False)
        return
    if fmt == "markdown":
        from .format_doc import format_markdown

        click.echo(format_markdown(), nl=False)
        return
    from .schema import design_schema_text

    click.echo(design_schema_text(), nl=False)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="Where to write; the suffix picks the format.")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf", "dot", "mermaid"]),
              help="Default: from -o's suffix (.svg .png .pdf .dot .mmd, or .md for a fenced Mermaid block); "
                   "without -o, Mermaid to stdout.")
@click.option("--findings/--no-findings", default=True, show_default=True,
              help="Draw findings and missing parts on the diagram.")
@click.option("--level", type=LEVEL_CHOICE, help="Level whose findings are drawn (default: the design's).")
def render(file: str, out: Optional[str], fmt: Optional[str], findings: bool, level: Optional[str]) -> None:
    """Draw the architecture diagram (SVG, PNG, PDF, DOT or Mermaid).

    \b
    Examples:
      designgrade render design.yaml -o arch.svg
      designgrade render design.yaml --format mermaid > arch.md
      designgrade render design.yaml -o clean.png --no-findings
    """
    from .fileio import ReadError, WriteError, check_regular, check_replaceable
    from .render import RenderError, render_file

    if out is None and fmt not in (None, "mermaid", "dot"):
        raise UsageProblem(f"--format {fmt} needs -o OUT (a binary or large file is not printed)")
    try:
        check_regular(file)  # a FIFO would block, a link loop is not "no such file"
        if out is not None:
            check_replaceable(out)
        result = render_file(file, out, fmt=fmt, findings=findings, level=level and level.upper())
    except ReadError as exc:
        raise UsageProblem(f"cannot read {exc}") from None
    except (RenderError, WriteError) as exc:
        raise UsageProblem(str(exc)) from None
    if out is None and result is not None:
        text = result if isinstance(result, str) else result.decode("utf-8")
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)
        return
    if out is not None:
        from .render import format_for
        from .textsafe import terminal

        try:
            kind = fmt or ("mermaid" if out.lower().endswith(".md") else format_for(out))
        except RenderError:
            kind = fmt or "diagram"
        size = os.path.getsize(out) if os.path.isfile(out) else 0
        what = "with its findings drawn" if findings else "without findings"
        click.echo(terminal(f"wrote {out}: the {kind} diagram of {file}, {what} ({size:,} bytes)"))


@cli.command()
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False))
@click.option("--port", type=int, default=8000, show_default=True, help="The port (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; anything but loopback lets others on the network use the page.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
def serve(folder: str, port: int, host: str, open_browser: bool) -> None:
    """A local web playground: diagram, findings and score follow every keystroke.

    FOLDER holds the designs to open and save (default: the current folder); nothing
    outside it is read or written.

    \b
    Examples:
      designgrade serve examples/
      designgrade serve designs/ --port 8123 --open
    """
    from .serve import ServeError, prepare

    try:
        prepared = prepare(folder, host, port)
    except ServeError as exc:
        raise UsageProblem(str(exc)) from None
    if prepared.exposed:
        click.echo(f"designgrade: warning: listening on {host}: anyone who can reach it can open and save "
                   f"designs in {folder}", err=True)
    click.echo(f"designgrade serve: {prepared.url} (serving {folder}; Ctrl-C stops)")
    if open_browser:
        import webbrowser

        webbrowser.open(prepared.url)
    try:
        prepared.run()
    except KeyboardInterrupt:
        pass
    click.echo("designgrade serve: stopped", err=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    import signal

    terminated: list[int] = []

    def on_terminate(signum: int, frame: Any) -> None:
        # SIGTERM unwinds like Ctrl-C: pool workers are stopped and temp files removed on the way out.
        terminated.append(signum)
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, on_terminate)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM here
        pass
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="designgrade", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("designgrade: stopped (SIGTERM)" if terminated else "designgrade: aborted", err=True)
        return 143 if terminated else 130
    except click.ClickException as exc:
        if isinstance(exc, click.UsageError) and not isinstance(exc, UsageProblem):
            hint = f" (see 'designgrade {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.parent else \
                " (see 'designgrade --help')"
            click.echo(f"designgrade: error: {exc.format_message()}{hint}", err=True)
            return 2
        exc.show()
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the machine refused (stdout on a full disk, a file gone mid-run): not a bug
        if os.environ.get("DESIGNGRADE_DEBUG"):
            raise
        from .textsafe import terminal

        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        try:
            reason = exc.strerror.lower() if exc.strerror else str(exc)
            click.echo(f"designgrade: error: {terminal(where + reason)}", err=True)
        except OSError:
            pass
        return 2
    except Exception as exc:  # a bug of ours; a user still gets one line, never a traceback
        if os.environ.get("DESIGNGRADE_DEBUG"):
            raise
        click.echo(f"designgrade: internal error: {type(exc).__name__}: {exc} "
                   "(please report it; DESIGNGRADE_DEBUG=1 shows the traceback)", err=True)
        return 2
    return 0
