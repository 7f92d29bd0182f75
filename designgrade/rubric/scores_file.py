"""The interviewer's manual scores: a YAML file of criterion scores and comments per submission.

    scores:
      alice.yaml:                      # a submission's path, file name or stem
        communication: {score: 3, comment: Drove the discussion}
        cost-reasoning: 2              # a bare number is the score

A key names a submission by its path (as given, or its end: ``team-a/alice.yaml``), else by
its file name, else by its stem. A key that names two submissions, or two keys that name
one, are errors: a score is never given to the wrong candidate or silently dropped.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, Optional, Sequence

from ..loader import Position, is_bare, load_file
from .load import RubricError, RubricProblem
from .model import Rubric
from .score import ManualScore


class Scores(dict):  # type: ignore[type-arg]
    """submission key -> {criterion id: ManualScore}, and where each key was written."""

    def __init__(self, data: Any = (), source: str = "scores", positions: Optional[dict[str, Position]] = None) -> None:
        super().__init__(data)
        self.source = source
        self.positions: dict[str, Position] = positions or {}


def _comma_hint(key: Any) -> str:
    return (f"; '{key}' has no value because a comma inside {{...}} ends an entry: quote the text that holds "
            "the comma (comment: \"clear, well argued\")") if is_bare(key) else ""


def load_scores(path: str, rubric: Rubric) -> Scores:
    loaded = load_file(path)
    problems = [RubricProblem(p.position.line, p.position.column, p.message) for p in loaded.problems]
    if loaded.fatal:
        raise RubricError(path, problems)
    points = {c.id: c.points for s in rubric.sections for c in s.criteria}
    data = loaded.data

    def problem(where: tuple[Any, ...], message: str) -> None:
        position = loaded.position(where)
        problems.append(RubricProblem(position.line, position.column, message))

    result = Scores(source=path)
    if not isinstance(data, dict) or set(data) != {"scores"} or not isinstance(data["scores"], dict):
        problem((), "a scores file is a mapping with one key, scores: {submission: {criterion: score}}")
        raise RubricError(path, problems)
    for submission, criteria in data["scores"].items():
        if not isinstance(criteria, dict):
            problem(("scores", submission), f"the scores of '{submission}' must be a mapping of criterion ids"
                                            f"{_comma_hint(submission)}")
            continue
        own: dict[str, ManualScore] = {}
        for cid, value in criteria.items():
            where = ("scores", submission, cid)
            if cid not in points:
                close = difflib.get_close_matches(str(cid), list(points), n=1)
                hint = _comma_hint(cid) or (f"; did you mean '{close[0]}'?" if close else f" of rubric {rubric.id}")
                problem(where, f"'{cid}' is not a criterion{hint}")
                continue
            comment = None
            if isinstance(value, dict):
                unknown = set(value) - {"score", "comment"}
                bare = [k for k in value if is_bare(k)]
                if bare:
                    problem(("scores", submission, cid, bare[0]), f"in the scores of '{cid}'{_comma_hint(bare[0])}")
                    continue
                if unknown or "score" not in value:
                    wrong = f"unknown key '{sorted(map(str, unknown))[0]}'" if unknown else "no 'score'"
                    problem(where, f"'{cid}' has {wrong}; write {cid}: {{score: N, comment: text}} or {cid}: N")
                    continue
                comment = value.get("comment")
                value = value["score"]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= points[cid]:
                problem(where, f"the score of '{cid}' must be a number from 0 to {points[cid]:g}")
                continue
            own[str(cid)] = ManualScore(float(value), None if comment is None else str(comment))
        result[str(submission)] = own
        result.positions[str(submission)] = loaded.position(("scores", submission))
    if problems:
        raise RubricError(path, problems)
    return result


def _normal(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _targets(key: str, normals: dict[str, str], index: dict[str, dict[str, list[str]]]) -> list[str]:
    """The submissions ``key`` names: by path, else by file name, else by stem."""
    normal = _normal(key)
    found = index["path"].get(normal, [])
    if not found and "/" in normal:
        found = [f for f, n in normals.items() if ("/" + n).endswith("/" + normal)]
    return found or index["name"].get(key, []) or index["stem"].get(key, [])


def assign_scores(scores: dict[str, Any], files: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
    """({submission: its manual scores}, keys that name no submission); RubricError when a
    key names several submissions or two keys name the same one."""
    index: dict[str, dict[str, list[str]]] = {"path": {}, "name": {}, "stem": {}}
    normals = {f: _normal(f) for f in files}
    for f, norm in normals.items():
        index["path"].setdefault(norm, []).append(f)
        index["name"].setdefault(Path(f).name, []).append(f)
        index["stem"].setdefault(Path(f).stem, []).append(f)
    source = getattr(scores, "source", "scores")
    positions: dict[str, Position] = getattr(scores, "positions", {})
    assigned: dict[str, Any] = {}
    by_whom: dict[str, str] = {}
    unmatched: list[str] = []
    problems: list[RubricProblem] = []
    for key, criteria in scores.items():
        where = positions.get(key, Position(1, 1))
        targets = _targets(str(key), normals, index)
        if not targets:
            unmatched.append(key)
        elif len(targets) > 1:
            shown = ", ".join(targets[:3]) + (f" and {len(targets) - 3} more" if len(targets) > 3 else "")
            problems.append(RubricProblem(where.line, where.column, (
                f"'{key}' names {len(targets)} submissions ({shown}); write the path that tells them apart, "
                f"such as '{'/'.join(Path(targets[0]).parts[-2:])}'")))
        elif targets[0] in by_whom:
            first = by_whom[targets[0]]
            line = positions.get(first, Position(1, 1)).line
            problems.append(RubricProblem(where.line, where.column, (
                f"'{key}' and '{first}' (line {line}) both name {targets[0]}; merge their scores under one key")))
        else:
            by_whom[targets[0]] = key
            assigned[targets[0]] = criteria
    if problems:
        raise RubricError(source, problems)
    return assigned, unmatched


def manual_for(file: str, scores: dict[str, Any], files: Sequence[str]) -> Optional[dict[str, ManualScore]]:
    """One submission's manual scores (see :func:`assign_scores`)."""
    return assign_scores(scores, files)[0].get(file) if scores else None
