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
        click.echo(f"designgrade: error: {self.format_message()}", err=True)


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
def lint(paths: tuple[str, ...], level: Optional[str], select: tuple[str, ...], ignore: tuple[str, ...],
         fmt: str, fail_on: Optional[str], show_fixes: bool) -> None:
    """Check designs like a code linter.

    PATHS are design files or folders (every *.yaml / *.yml below them).

    \b
    Examples:
      designgrade lint design.yaml
      designgrade lint designs/ --level L6 --format json
      designgrade lint design.yaml --ignore no-autoscaling,monitoring
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 unreadable file or usage error.
    """
    reports, fail_on = _lint_all(paths, level, select, ignore, fail_on)
    click.echo(_format_lint(reports, fmt, show_fixes), nl=False)
    sys.exit(_exit_code(reports, fail_on))


def _lint_all(paths: Sequence[str], level: Optional[str], select: Sequence[str], ignore: Sequence[str],
              fail_on: Optional[str]) -> tuple[list[Any], str]:
    from .config import ConfigError, find_config
    from .engine import Options, SelectionError, check_names, expand_paths, lint as lint_file

    files = expand_paths(paths)
    if not files:
        raise UsageProblem(f"no *.yaml or *.yml files under {', '.join(paths)}")
    select_names, ignore_names = _names(select), _names(ignore)
    try:
        check_names(select_names + ignore_names)
    except SelectionError as exc:
        raise UsageProblem(str(exc)) from None
    reports = []
    chosen_fail_on = fail_on
    cache: dict[Any, Any] = {}
    for file in files:
        try:
            config = find_config(file, cache)
            check_names(config.select + config.ignore)
        except (ConfigError, SelectionError) as exc:
            raise UsageProblem(str(exc)) from None
        options = Options(
            level=(level or config.level or None) and (level or config.level).upper(),
            select=select_names or config.select,
            ignore=ignore_names or config.ignore,
        )
        chosen_fail_on = chosen_fail_on or config.fail_on
        reports.append(lint_file(file, options))
    return reports, (chosen_fail_on or "error").lower()


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
@click.option("--fail-on", type=SEVERITY_CHOICE, default="error", show_default=True)
@click.option("--compare", "compare_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="An earlier run's results.jsonl: print how each score and verdict moved "
                   "(with --out, also compare.csv).")
def grade(paths: tuple[str, ...], rubric_name: str, scores_path: Optional[str], fmts: tuple[str, ...],
          out_dir: Optional[str], jobs: Optional[int], fail_on: str, compare_path: Optional[str] = None) -> None:
    """Score designs against a rubric, with level verdicts.

    \b
    Examples:
      designgrade grade submissions/ --rubric l6
      designgrade grade alice.yaml --rubric l5 --scores scores.yaml --format json
      designgrade grade submissions/ --out reports/ --format html --format md --format json
      designgrade grade submissions/ --rubric l6 --compare reports/results.jsonl
    Rules run at the rubric's highest bar (L6 for l6), whatever the design's own level.
    """
    from .engine import expand_paths
    from .grading import grade_file, load_rubric, manual_for, unmatched_scores
    from .rubric.load import RubricError
    from .rubric.scores_file import load_scores

    try:
        rubric = load_rubric(rubric_name)
        scores = load_scores(scores_path, rubric) if scores_path else {}
    except RubricError as exc:
        raise UsageProblem("\n".join(exc.lines())) from None
    files = expand_paths(paths)
    if not files:
        raise UsageProblem(f"no *.yaml or *.yml files under {', '.join(paths)}")
    for key in unmatched_scores(scores, files):
        click.echo(f"designgrade: warning: {scores_path}: '{key}' matches no submission being graded", err=True)
    earlier = None

    def echo_compare(results: list[Any]) -> None:
        if earlier is None:
            return
        from .report.summary import compare, compare_lines
        from .report.text import _clean

        click.echo(f"changes since {_clean(str(compare_path))}:")
        for line in compare_lines(compare(earlier, results)):
            click.echo(line)

    if compare_path is not None:
        from .report.summary import CompareError, load_results

        if out_dir is None and fmts and fmts[-1] == "json":
            raise UsageProblem("--compare prints text lines: drop --format json, or add --out DIR "
                               "(the JSON is then in DIR/results.jsonl and the comparison in DIR/compare.csv)")
        try:
            earlier = load_results(compare_path)
        except CompareError as exc:
            raise UsageProblem(str(exc)) from None
    if out_dir is not None:
        from .batch import BatchError, write_reports
        from .report.summary import batch_totals, summary_row

        try:
            bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
            try:
                results = write_reports(files, rubric, scores, out_dir, fmts or ("html", "md", "json"), jobs,
                                        on_progress=bar.advance if bar else None, compare=earlier)
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
        click.echo(f"{line}; reports in {os.path.join(out_dir, 'index.html')}")
    else:
        results = [grade_file(f, rubric, manual_for(f, scores, files)) for f in files]
        fmt = fmts[-1] if fmts else "text"
        if fmt == "json":
            import json

            click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        elif fmt == "text":
            from .report import grade_text

            click.echo(grade_text.render(results), nl=False)
            if earlier is not None:
                click.echo("")
            echo_compare(results)
        else:
            raise UsageProblem(f"--format {fmt} writes files: add --out DIR")
    sys.exit(_exit_code([r.report for r in results], fail_on.lower()))


class _ProgressBar:
    """A one-line bar on a terminal's stderr while a batch is graded."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def _width(self) -> int:
        import shutil

        return max(20, shutil.get_terminal_size((80, 20)).columns - 1)

    def advance(self, done: int, total: int, file: str) -> None:
        from .report.text import _clean

        width = self._width()
        bar_width = max(10, min(30, width // 3))
        filled = bar_width * done // max(total, 1)
        head = f"grading [{'#' * filled}{'.' * (bar_width - filled)}] {done}/{total} "
        tail, room = _clean(file), width - len(head)
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
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def init(file: str, task: str, title: str, force: bool) -> None:
    """Write a commented starter design for a task.

    \b
    Examples:
      designgrade init design.yaml --task recommendation
      designgrade init fraud.yaml --task fraud_detection --title "Card fraud"
    Lint the result: each finding is a to-do, not a structure error.
    """
    from pathlib import Path

    from .starter import TASKS, starter
    from .validate import did_you_mean

    if task not in TASKS:
        hint = did_you_mean(task, TASKS) or f" (tasks: {', '.join(TASKS)})"
        raise UsageProblem(f"unknown task '{task}'{hint}")
    target = Path(file)
    if target.exists() and not force:
        raise UsageProblem(f"{file} exists; choose another name or add --force to overwrite it")
    if not target.parent.is_dir():
        raise UsageProblem(f"cannot write {file}: the folder {target.parent} does not exist")
    schema = target.parent / "design.schema.json"
    text = starter(task, title, schema.name if schema.exists() else None)
    from .fileio import write_atomic

    write_atomic(target, text)
    click.echo(f"wrote {file}: a starter {task} design; next: designgrade lint {file}")


@cli.command()
def rubrics() -> None:
    """List the built-in rubrics with their sections, weights and bars.

    \b
    Example:
      designgrade rubrics
    """
    from .rubric.load import builtin_rubrics

    for rubric in builtin_rubrics():
        click.echo(f"{rubric.id}: {rubric.title}")
        for section in rubric.sections:
            manual = sum(1 for c in section.criteria if c.manual)
            click.echo(f"  {section.id:12} weight {section.weight:g}  {len(section.criteria)} criteria"
                       f" ({manual} manual)  {section.title}")
        for level, bar in rubric.bars.items():
            click.echo(f"  bar {level}: at least {bar.min_score:g}% and must pass {', '.join(bar.must_pass)}")
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

    try:
        rubric = load_rubric(file)
    except RubricError as exc:
        for line in exc.lines():
            click.echo(line)
        sys.exit(2)
    criteria = sum(len(s.criteria) for s in rubric.sections)
    click.echo(f"{file}: rubric '{rubric.id}' is valid: {len(rubric.sections)} sections, {criteria} criteria, "
               f"{len(rubric.checks)} checks, bars {', '.join(rubric.bars)}")


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
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule (by slug or code): what, why, bad and good YAML, sources.

    \b
    Example:
      designgrade explain DG301
    """
    from .catalog import explain_text
    from .registry import all_rules, find_rule

    found = find_rule(rule)
    if found is None:
        import difflib

        names = [r.slug for r in all_rules()] + [r.code for r in all_rules()]
        close = difflib.get_close_matches(rule, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; 'designgrade rules' lists them"
        raise UsageProblem(f"no rule '{rule}'{hint}")
    click.echo(explain_text(found))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True,
              help="json: the JSON Schema; markdown: the format reference (docs/design-format.md).")
@click.option("--rubric", "of_rubric", is_flag=True, help="The JSON Schema of the rubric format instead.")
def schema(fmt: str, of_rubric: bool) -> None:
    """Print the JSON Schema of the design format (for editors and validators).

    \b
    Examples:
      designgrade schema > design.schema.json
      designgrade schema --rubric > rubric.schema.json
    """
    if of_rubric:
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
    from .render import RenderError, render_file

    if out is None and fmt not in (None, "mermaid", "dot"):
        raise UsageProblem(f"--format {fmt} needs -o OUT (a binary or large file is not printed)")
    try:
        result = render_file(file, out, fmt=fmt, findings=findings, level=level and level.upper())
    except RenderError as exc:
        raise UsageProblem(str(exc)) from None
    if out is None and result is not None:
        text = result if isinstance(result, str) else result.decode("utf-8")
        click.echo(text if text.endswith("\n") else text + "\n", nl=False)


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="designgrade", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("designgrade: aborted", err=True)
        return 130
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
    except Exception as exc:  # a bug of ours; a user still gets one line, never a traceback
        if os.environ.get("DESIGNGRADE_DEBUG"):
            raise
        click.echo(f"designgrade: internal error: {type(exc).__name__}: {exc} "
                   "(please report it; DESIGNGRADE_DEBUG=1 shows the traceback)", err=True)
        return 2
    return 0
