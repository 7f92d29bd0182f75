"""The rubric format: sections with weights, criteria with points, bars per level, checks.

A rubric is data. It names rules, never code; the checks are declarative (require or
forbid a component, require or forbid a path between kinds).
"""

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Level = Literal["L4", "L5", "L6", "L7"]
Severity = Literal["error", "warning", "info"]
Pillar = Literal["structure", "objective", "data", "model", "serving", "experimentation", "monitoring", "llm"]
Mode = Literal["stream", "batch", "request", "trigger"]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
FieldValue = Union[str, int, float, bool]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)


class Criterion(Strict):
    id: Id
    title: str
    points: Annotated[float, Field(gt=0, le=1000)]
    rules: list[str] = Field(
        default=[],
        description="Automatic: the criterion passes when none of these rules (or checks) fires.",
    )
    partial: bool = Field(False, description="Automatic: credit in proportion to the rules that do not fire.")
    manual: bool = Field(False, description="Scored by the interviewer in a --scores file.")
    level: Optional[Level] = Field(
        None, description="The lowest bar it counts for (default: the highest level of its rules; L5 if manual)."
    )
    guidance: Optional[str] = Field(None, description="For manual criteria: what earns the points.")
    source: str = Field(description="Where the expectation comes from (cite the research).")


class Section(Strict):
    id: Id
    title: str
    weight: Annotated[float, Field(gt=0, le=1000)]
    criteria: list[Criterion] = Field(min_length=1)


class Bar(Strict):
    min_score: Annotated[float, Field(ge=0, le=100)] = Field(description="Percent of the points at this level.")
    must_pass: list[str] = Field(default=[], description="Criterion ids that must pass.")


class Match(Strict):
    """Which components a check is about."""

    kind: Optional[str] = None
    tech: Optional[Union[str, list[str]]] = None
    fields: dict[str, Union[FieldValue, list[FieldValue]]] = Field(
        default={}, description="Field values that must match (a list: any of them)."
    )


class PathSpec(Strict):
    from_: str = Field(alias="from", description="A component kind.")
    to: str = Field(description="A component kind.")
    modes: list[Mode] = Field(default=[], description="Only along flows of these modes (default: any).")


class Check(Strict):
    id: Id
    message: str
    rationale: str
    severity: Severity = "warning"
    level: Level = "L5"
    pillar: Pillar = "structure"
    fix: Optional[str] = None
    require: Optional[Match] = None
    forbid: Optional[Match] = None
    require_path: Optional[PathSpec] = None
    forbid_path: Optional[PathSpec] = None


class Rubric(Strict):
    rubric: Literal[1] = Field(description="Rubric format version.")
    id: Id
    title: str
    description: Optional[str] = None
    acknowledged_credit: Annotated[float, Field(ge=0, le=1)] = Field(
        0.5, description="Share of a criterion's points kept when its finding is an acknowledged trade-off."
    )
    blocker_cap: Optional[Annotated[float, Field(ge=0, le=100)]] = Field(
        None, description="The most a design scores (percent) while an unacknowledged error finding sits in a "
                          "must-pass criterion of any bar: a blocker an interviewer always raises keeps the "
                          "answer below the bar, whatever else it covers. None: no cap.",
    )
    blocker_step: Annotated[float, Field(ge=0, le=100)] = Field(
        0, description="How much lower the cap goes for each further must-pass criterion held by a blocker "
                       "(percentage points): two blockers are worse than one.",
    )
    sections: list[Section] = Field(min_length=1)
    bars: dict[Level, Bar] = Field(min_length=1)
    checks: list[Check] = Field(default=[])
