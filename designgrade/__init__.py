"""designgrade: lint and grade ML system designs written in YAML.

The library API mirrors the command line::

    import designgrade
    report = designgrade.lint("design.yaml")
    for finding in report.findings:
        print(finding.line, finding.rule, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["lint", "lint_text", "Report", "Finding", "__version__"]

if TYPE_CHECKING:
    from .engine import lint, lint_text
    from .findings import Finding, Report


def __getattr__(name: str) -> Any:
    # Lazy so that `import designgrade` stays cheap and each command imports only what it uses.
    if name in ("lint", "lint_text"):
        from . import engine

        return getattr(engine, name)
    if name in ("Report", "Finding"):
        from . import findings

        return getattr(findings, name)
    raise AttributeError(f"module 'designgrade' has no attribute {name!r}")
