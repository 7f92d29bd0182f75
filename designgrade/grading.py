"""Grade: lint at the rubric's level, add the rubric's own checks, score, infer maturity.

    import designgrade.grading as grading
    rubric = grading.load_rubric("l6")
    result = grading.grade_file("design.yaml", rubric)
    print(result.score.verdict)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Optional

from .engine import Options, lint, lint_text
from .findings import LEVELS, Report, level_rank
from .rubric.checks import run_checks
from .rubric.load import RubricError, find_scores_target, load_rubric  # noqa: F401  (re-exported)
from .rubric.maturity import maturity
from .rubric.model import Rubric
from .rubric.score import ManualScore, Score, score


@dataclass
class Graded:
    report: Report
    score: Score

    def to_dict(self) -> dict[str, Any]:
        data = self.report.to_dict()
        data["score"] = self.score.to_dict()
        return data


def rubric_level(rubric: Rubric) -> str:
    """Rules are evaluated at the rubric's highest bar (cli.md, Rubrics)."""
    return max(rubric.bars, key=level_rank) if rubric.bars else LEVELS[-1]


def grade_file(path: str | os.PathLike[str], rubric: Rubric,
               manual: Optional[dict[str, ManualScore]] = None) -> Graded:
    return grade_report(lint(path, Options(level=rubric_level(rubric))), rubric, manual)


def grade_text(text: str, rubric: Rubric, manual: Optional[dict[str, ManualScore]] = None,
               name: str = "<string>") -> Graded:
    """Grade a design held in memory (an editor's buffer) exactly as grade_file grades a file."""
    return grade_report(lint_text(text, Options(level=rubric_level(rubric)), name=name), rubric, manual)


def grade_report(report: Report, rubric: Rubric, manual: Optional[dict[str, ManualScore]] = None) -> Graded:
    """Score a report linted at rubric_level(rubric) with no rules selected or ignored."""
    level = rubric_level(rubric)
    if report.design is not None and rubric.checks:
        report.findings.extend(run_checks(rubric.checks, report.design, report.source, level))
        report.findings.sort(key=lambda f: (f.line, f.column, f.code))
    result = score(rubric, report.findings, manual, unreadable=report.unreadable, outcomes=report.outcomes)
    if report.analysis is not None:
        result.maturity = maturity(report.analysis, report.outcomes)
    return Graded(report, result)


def manual_for(file: str, scores: dict[str, dict[str, ManualScore]], files: list[str]) -> Optional[dict[str, ManualScore]]:
    for key, criteria in scores.items():
        if find_scores_target(key, files) == file:
            return criteria
    return None


def unmatched_scores(scores: dict[str, dict[str, ManualScore]], files: list[str]) -> list[str]:
    return [key for key in scores if find_scores_target(key, files) is None]
