"""The rule registry: every rule is a function with its metadata and its documentation.

A rule is a small predicate over the design's :class:`~designgrade.analysis.Analysis`. It
returns an :class:`~designgrade.outcome.Outcome`: satisfied (with the evidence), violated
(with the findings an interviewer would raise) or not applicable (with the reason). The
engine stamps code, severity, pillar, level and a line:column on each finding. The
docstring is the documentation that ``designgrade explain`` prints, in ruff's headings.

Slugs are public interface. A rule may carry aliases: names it answered to before (a
retired or merged slug) or the name a judgment proposed for it; ``--select``, ``--ignore``,
trade-offs and rubrics accept them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional

from .outcome import Evidence, Outcome, Violation  # noqa: F401  (re-exported for rule modules)

if TYPE_CHECKING:
    from .analysis import Analysis

DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CODE = re.compile(r"^DG\d{3}$")

Check = Callable[["Analysis"], Outcome]


class Rule(NamedTuple):
    code: str
    slug: str
    pillar: str
    severity: str
    level: str
    summary: str
    fix: str
    check: Check
    doc: str
    aliases: tuple[str, ...] = ()
    late: bool = False  # runs after the others and sees which rules fired (unused-tradeoff)

    def sections(self) -> dict[str, str]:
        return doc_sections(self.doc)


_RULES: dict[str, Rule] = {}
_ALIASES: dict[str, str] = {}


def rule(
    *,
    code: str,
    slug: str,
    pillar: str,
    severity: str,
    level: str,
    summary: str,
    fix: str,
    aliases: tuple[str, ...] = (),
    late: bool = False,
) -> Callable[[Check], Check]:
    """Register a rule; the decorated function is returned unchanged."""

    def register(check: Check) -> Check:
        taken = set(_RULES) | set(_ALIASES)
        if slug in taken or any(a in taken or a == slug for a in aliases) or any(
                r.code == code for r in _RULES.values()):
            raise ValueError(f"rule {code} {slug} is registered twice")
        _RULES[slug] = Rule(
            code=code, slug=slug, pillar=pillar, severity=severity, level=level,
            summary=summary, fix=fix, check=check, doc=_dedent(check.__doc__ or ""),
            aliases=tuple(aliases), late=late,
        )
        for alias in aliases:
            _ALIASES[alias] = slug
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule, ordered by code. Importing the rule modules registers them."""
    from . import rules  # noqa: F401  (registration happens on import)

    return sorted(_RULES.values(), key=lambda r: r.code)


def find_rule(name: str) -> Optional[Rule]:
    """A rule by slug, alias or code, case-insensitively."""
    all_rules()
    name = name.strip()
    key = name.lower()
    if key in _RULES:
        return _RULES[key]
    if key in _ALIASES:
        return _RULES[_ALIASES[key]]
    upper = name.upper()
    return next((r for r in _RULES.values() if r.code == upper), None)


def canonical(name: str) -> str:
    """The slug a name stands for (itself when it is no alias)."""
    found = find_rule(name)
    return found.slug if found is not None else name


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring at its ``## Heading`` lines."""
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in doc.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        else:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)
