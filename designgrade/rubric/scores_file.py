"""The interviewer's manual scores: a YAML file of criterion scores and comments per submission.

    scores:
      alice.yaml:                      # a submission's path, file name or stem
        communication: {score: 3, comment: Drove the discussion}
        cost-reasoning: 2              # a bare number is the score
"""

from __future__ import annotations

import difflib
from typing import Any

from ..loader import load_file
from .load import RubricError, RubricProblem
from .model import Rubric
from .score import ManualScore


def load_scores(path: str, rubric: Rubric) -> dict[str, dict[str, ManualScore]]:
    loaded = load_file(path)
    problems = [RubricProblem(p.position.line, p.position.column, p.message) for p in loaded.problems]
    if loaded.fatal:
        raise RubricError(path, problems)
    points = {c.id: c.points for s in rubric.sections for c in s.criteria}
    data = loaded.data

    def problem(where: tuple[Any, ...], message: str) -> None:
        position = loaded.position(where)
        problems.append(RubricProblem(position.line, position.column, message))

    result: dict[str, dict[str, ManualScore]] = {}
    if not isinstance(data, dict) or set(data) != {"scores"} or not isinstance(data["scores"], dict):
        problem((), "a scores file is a mapping with one key, scores: {submission: {criterion: score}}")
        raise RubricError(path, problems)
    for submission, criteria in data["scores"].items():
        if not isinstance(criteria, dict):
            problem(("scores", submission), f"the scores of '{submission}' must be a mapping of criterion ids")
            continue
        own: dict[str, ManualScore] = {}
        for cid, value in criteria.items():
            where = ("scores", submission, cid)
            if cid not in points:
                close = difflib.get_close_matches(str(cid), list(points), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f" of rubric {rubric.id}"
                problem(where, f"'{cid}' is not a criterion{hint}")
                continue
            comment = None
            if isinstance(value, dict):
                unknown = set(value) - {"score", "comment"}
                if unknown or "score" not in value:
                    problem(where, f"'{cid}' takes {{score: N, comment: text}}")
                    continue
                comment = value.get("comment")
                value = value["score"]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= points[cid]:
                problem(where, f"the score of '{cid}' must be a number from 0 to {points[cid]:g}")
                continue
            own[str(cid)] = ManualScore(float(value), None if comment is None else str(comment))
        result[str(submission)] = own
    if problems:
        raise RubricError(path, problems)
    return result
