"""Lint: load a design, validate it, build its graph, run the rules, and return a Report."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Optional, Sequence

from .findings import LEVELS, PILLARS, Finding, Report, RuleResult, level_rank
from .loader import Loaded, load_file
from .outcome import Outcome, not_applicable
from .registry import Rule, all_rules, canonical, find_rule

DESIGN_SUFFIXES = (".yaml", ".yml")


class SelectionError(ValueError):
    """A --select/--ignore name that is no rule, code or pillar."""


class Options(NamedTuple):
    level: Optional[str] = None  # None: the design's own level
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def check_names(names: Iterable[str]) -> None:
    """Fail loudly on a name that selects nothing, with a did-you-mean."""
    rules = all_rules()
    known = [r.slug for r in rules] + [r.code for r in rules] + list(PILLARS) + [a for r in rules for a in r.aliases]
    for name in names:
        if _matches_any(name, rules):
            continue
        import difflib

        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else " (see 'designgrade rules')"
        raise SelectionError(f"'{name}' is not a rule slug, code or pillar{hint}")


def _matches(name: str, rule: Rule) -> bool:
    name = name.strip()
    return (
        name.lower() in (rule.slug, rule.pillar, "all")
        or name.lower() in rule.aliases
        or (name.upper().startswith("DG") and rule.code.startswith(name.upper()))
    )


def _matches_any(name: str, rules: Sequence[Rule]) -> bool:
    return any(_matches(name, r) for r in rules)


def selected_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    rules = all_rules()
    if select:
        rules = [r for r in rules if any(_matches(n, r) for n in select)]
    return [r for r in rules if not any(_matches(n, r) for n in ignore)]


def expand_paths(paths: Iterable[str | os.PathLike[str]], notes: Optional[list[str]] = None) -> list[str]:
    """Files as given; folders become every *.yaml / *.yml below them, sorted.

    A file named explicitly is always returned (reading it says what is wrong with it). In
    a folder, only regular files are taken, and a symbolic link only when it stays inside
    the folder: a link to /etc/shadow in a submissions folder must not be graded and quoted
    back in a report. What is skipped is said in ``notes`` (one line each), never silently.
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(_walk(str(raw), notes if notes is not None else [])))
        else:
            out.append(str(raw))
    return out


DESIGN_KEYS = ("designgrade", "components", "flows")
_DESIGN_KEY_LINE = None


def not_a_design(path: str) -> Optional[str]:
    """Why a YAML file found in a folder is plainly not a design, or None when it may be one.

    Plainly not a design: it reads as YAML and has none of the keys a design starts with
    (designgrade, components, flows) at its top, like a scores file or a CI config. A file
    that does not read, or is empty, may be a candidate's broken design and is graded as one.
    """
    import re

    global _DESIGN_KEY_LINE
    if _DESIGN_KEY_LINE is None:
        _DESIGN_KEY_LINE = re.compile(rb"^[\"']?(?:designgrade|components|flows)[\"']?[ \t]*:", re.M)
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
    except OSError:
        return None  # reading it for real says what is wrong
    if _DESIGN_KEY_LINE.search(head):
        return None  # the common case, without parsing
    loaded = load_file(path)
    data = loaded.data
    if loaded.fatal or data is None:
        return None
    if isinstance(data, dict):
        if any(str(key).strip().lower() in DESIGN_KEYS for key in data):
            return None
        keys = [str(k) for k in list(data)[:3]]
        shown = ", ".join(keys) + (", ..." if len(data) > 3 else "")
        return f"no designgrade, components or flows key at the top (its keys: {shown})"
    kind = "list" if isinstance(data, list) else "single value"
    return f"a YAML {kind}, not a mapping with designgrade, components and flows keys"


def scan_paths(paths: Iterable[str | os.PathLike[str]], notes: Optional[list[str]] = None
               ) -> tuple[list[str], list[tuple[str, str]]]:
    """(designs, not designs): like expand_paths, but the YAML files found in a folder that are
    plainly not designs come back apart, each with the reason; a file named explicitly is
    always a design."""
    designs: list[str] = []
    others: list[tuple[str, str]] = []
    for raw in paths:
        if Path(raw).is_dir():
            for found in sorted(_walk(str(raw), notes if notes is not None else [])):
                why = not_a_design(found)
                if why is None:
                    designs.append(found)
                else:
                    others.append((found, why))
        else:
            designs.append(str(raw))
    return designs, others


def _walk(root: str, notes: list[str]) -> list[str]:
    from .fileio import kind_of, os_reason
    from .textsafe import show_name

    real_root = os.path.realpath(root)
    found: list[str] = []

    def inside(target: str) -> bool:
        return target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)

    def skip(path: str, why: str) -> None:
        notes.append(f"skipped {show_name(path)}: {why}")

    def on_error(exc: OSError) -> None:
        skip(exc.filename or root, os_reason(exc))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            full = os.path.join(folder, name)
            if os.path.islink(full) and not inside(os.path.realpath(full)):
                skip(full, f"a symbolic link to a folder outside {show_name(root)}")
        for name in sorted(files):
            if not name.lower().endswith(DESIGN_SUFFIXES):
                continue
            full = os.path.join(folder, name)
            try:
                link = os.path.islink(full)
                mode = os.stat(full).st_mode
            except OSError as exc:
                skip(full, os_reason(exc))
                continue
            if link and not inside(os.path.realpath(full)):
                skip(full, f"a symbolic link to a file outside {show_name(root)} (name the file itself to lint it)")
            elif not stat.S_ISREG(mode):
                skip(full, f"{kind_of(mode)}, not a file")
            else:
                found.append(full)
    return found


def lint(path: str | os.PathLike[str], options: Optional[Options] = None) -> Report:
    """Lint one design file. Never raises for bad input: problems become findings."""
    options = options or Options()
    loaded = load_file(path)
    return lint_loaded(str(path), loaded, options)


def lint_text(text: str, options: Optional[Options] = None, name: str = "<string>") -> Report:
    from .loader import load_text

    return lint_loaded(name, load_text(text), options or Options())


def lint_loaded(name: str, loaded: Loaded, options: Options) -> Report:
    from .analysis import analyze
    from .graph import DesignGraph
    from .model import TOP_LEVEL_KEYS
    from .validate import validate

    rules = selected_rules(options.select, options.ignore)
    if loaded.fatal:
        report = Report(file=name, unreadable=True, level=options.level or "L5")
        meta = find_rule("invalid-yaml")
        assert meta is not None
        for problem in loaded.problems:
            if problem.fatal:
                report.findings.append(_finding(meta, problem.message, problem.position.line,
                                                 problem.position.column, None, meta.fix))
        return report

    validated = validate(loaded.data)
    graph = DesignGraph(validated.design, validated.edges, validated.issues,
                        [p for p in loaded.problems if not p.fatal])
    analysis = analyze(graph)
    level = options.level or validated.design.level or "L5"
    if level not in LEVELS:
        level = "L5"
    report = Report(file=name, title=validated.design.title, level=level, design=graph, source=loaded)
    report.analysis = analysis
    acknowledged: dict[str, str] = {}
    for tradeoff in validated.design.tradeoffs:
        if tradeoff.why and tradeoff.why.strip():
            acknowledged[canonical(tradeoff.rule)] = tradeoff.why.strip()
    fired: set[str] = set()

    def position(path: tuple[Any, ...]) -> tuple[int, int]:
        where = loaded.position(path, TOP_LEVEL_KEYS)
        return where.line, where.column

    def run(rule: Rule) -> None:
        outcome = _evaluate(rule, analysis)
        evidence = []
        for item in outcome.evidence:
            line, column = position(item.path) if item.path else (None, None)
            evidence.append({"text": item.text, "line": line, "column": column})
        report.outcomes[rule.slug] = RuleResult(rule.slug, outcome.status, evidence, outcome.reason,
                                                outcome.because, rule.level)
        for violation in outcome.violations:
            fired.add(rule.slug)
            if level_rank(rule.level) > level_rank(level):
                report.hidden += 1
                if report.hidden_level is None or level_rank(rule.level) > level_rank(report.hidden_level):
                    report.hidden_level = rule.level
                continue
            line, column = position(violation.path)
            finding = _finding(rule, violation.message, line, column, violation.component,
                               violation.fix or rule.fix, violation.flow)
            if rule.slug in acknowledged:
                finding.acknowledged = True
                finding.reason = acknowledged[rule.slug]
            report.findings.append(finding)

    for rule in rules:
        if not rule.late:
            run(rule)
    analysis.fired = frozenset(fired)  # type: ignore[attr-defined]
    for rule in rules:
        if rule.late:
            run(rule)
    report.findings.sort(key=lambda f: (f.line, f.column, f.code))
    return report


def _evaluate(rule: Rule, analysis: Any) -> Outcome:
    """A rule's outcome. A rule that fails on an input nobody foresaw must not cost the user
    the other rules' findings: it is recorded as not judged (tests set DESIGNGRADE_STRICT to
    see the error instead)."""
    try:
        return rule.check(analysis)
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("DESIGNGRADE_STRICT"):
            raise
        return not_applicable(f"not judged: the rule failed on this design ({type(exc).__name__})")


def _finding(rule: Rule, message: str, line: int, column: int, component: Optional[str], fix: str,
             flow: Optional[tuple[str, str]] = None) -> Finding:
    return Finding(
        rule=rule.slug, code=rule.code, severity=rule.severity, pillar=rule.pillar,  # type: ignore[arg-type]
        level=rule.level, message=message, fix=fix, line=line, column=column, component=component, flow=flow,
    )
