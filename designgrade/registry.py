"""The rule registry: every rule is a function with its metadata and its documentation.

A rule is a generator over a :class:`~designgrade.graph.DesignGraph` that yields
:class:`Violation` objects (a YAML path and a message). The engine stamps code, severity,
pillar, level and a line:column on each. The docstring is the documentation that
``designgrade explain`` prints, in ruff's headings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple, Optional

if TYPE_CHECKING:
    from .graph import DesignGraph

DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CODE = re.compile(r"^DG\d{3}$")


class Violation(NamedTuple):
    """One occurrence of a rule: where in the YAML, and what is wrong there."""

    path: tuple[Any, ...]
    message: str
    fix: Optional[str] = None
    component: Optional[str] = None


class Rule(NamedTuple):
    code: str
    slug: str
    pillar: str
    severity: str
    level: str
    summary: str
    fix: str
    check: Callable[["DesignGraph"], Iterable[Violation]]
    doc: str
    training: bool = False  # applies only to designs that train a model (rules.md, Terms)
    late: bool = False  # runs after the others and sees which rules fired (unused-tradeoff)

    def sections(self) -> dict[str, str]:
        return doc_sections(self.doc)


_RULES: dict[str, Rule] = {}


def rule(
    *,
    code: str,
    slug: str,
    pillar: str,
    severity: str,
    level: str,
    summary: str,
    fix: str,
    training: bool = False,
    late: bool = False,
) -> Callable[[Callable[["DesignGraph"], Iterator[Violation]]], Callable[["DesignGraph"], Iterator[Violation]]]:
    """Register a rule; the decorated function is returned unchanged."""

    def register(check: Callable[["DesignGraph"], Iterator[Violation]]) -> Callable[["DesignGraph"], Iterator[Violation]]:
        if slug in _RULES or any(r.code == code for r in _RULES.values()):
            raise ValueError(f"rule {code} {slug} is registered twice")
        _RULES[slug] = Rule(
            code=code, slug=slug, pillar=pillar, severity=severity, level=level,
            summary=summary, fix=fix, check=check, doc=_dedent(check.__doc__ or ""),
            training=training, late=late,
        )
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule, ordered by code. Importing the rule modules registers them."""
    from . import rules  # noqa: F401  (registration happens on import)

    return sorted(_RULES.values(), key=lambda r: r.code)


def find_rule(name: str) -> Optional[Rule]:
    """A rule by slug or code, case-insensitively."""
    name = name.strip()
    for candidate in all_rules():
        if candidate.slug == name.lower() or candidate.code == name.upper():
            return candidate
    return None


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
