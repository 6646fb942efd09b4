"""Admin catalog API models: program and parameter changes, version history, rule dry runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.matching import (
    Parameter,
    ProgramSpec,
    Rule,
)
from app.schemas.common import ChangeReason, IsoDate, UtcDatetime
from app.schemas.plans import Condition, Truth
from app.schemas.profile import ProfileIn


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgramChange(_In):
    """A program's full spec (the rule language of docs/rule-language.md) and why it changes."""

    spec: ProgramSpec = Field(description="The complete program; every change is a new version")
    change_reason: ChangeReason


class ParameterChange(_In):
    """A parameter's complete dated values and why they change."""

    spec: Parameter = Field(description="The complete parameter (all dated values)")
    change_reason: ChangeReason


class ProgramVersionOut(BaseModel):
    """One immutable version of a program, as the public history shows it: no partner identity
    (key prefixes and partner names are in the audit log, for ``audit:read`` only)."""

    program_id: str = Field(examples=["seoul-youth-rent"])
    version: int = Field(ge=1, examples=[2])
    spec_hash: str = Field(description="sha256 of the canonical spec JSON")
    effective_from: date
    effective_to: date | None
    created_at: UtcDatetime
    change_reason: str = Field(examples=["2026년 지원 금액 변경"])
    retires: bool = Field(description="This version retired the program")
    spec: dict[str, Any] = Field(description="The program as it was in this version")


class ParameterVersionOut(BaseModel):
    """One immutable version of a parameter (public history: no partner identity)."""

    parameter_id: str = Field(examples=["median_income.base"])
    version: int = Field(ge=1, examples=[3])
    spec_hash: str
    created_at: UtcDatetime
    change_reason: str
    spec: dict[str, Any] = Field(description="The parameter with all its dated values")


class ProgramChangeResult(ProgramVersionOut):
    """The version just written, shown to its writer (who may see their own key)."""

    created_by: str = Field(description="The writing key and partner (`key:<prefix> <partner>`)")
    catalog_version: str | None = Field(
        description="This worker's catalog version after the change", examples=["9f2c4e1a7b3d5f60"]
    )


class ParameterChangeResult(ParameterVersionOut):
    created_by: str = Field(description="The writing key and partner (`key:<prefix> <partner>`)")
    catalog_version: str | None = Field(examples=["9f2c4e1a7b3d5f60"])


class SampleProfile(_In):
    name: str = Field(min_length=1, max_length=80, examples=["만 66세 1인 가구, 소득 없음"])
    profile: ProfileIn


class RuleCheck(_In):
    """A dry run: compile ``spec`` (a whole program) or ``rule`` (just an eligibility rule)
    against the live facts and parameters and evaluate it on invented sample profiles.
    Nothing is written."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "rule": {"all": [{"fact": "applicant.age", "op": "ge", "value": 65}]},
                "as_of": "2026-03-01",
                "samples": [{"name": "66세", "profile": {"applicant": {"age": 66}}}],
            }
        },
    )

    spec: ProgramSpec | None = None
    rule: Rule | None = None
    as_of: IsoDate | None = Field(default=None, description="Evaluation date; default today")
    samples: list[SampleProfile] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _one_subject(self) -> RuleCheck:
        if (self.spec is None) == (self.rule is None):
            raise PydanticCustomError("spec_or_rule", "give exactly one of spec or rule")
        return self


class SampleResult(BaseModel):
    name: str
    truth: Truth = Field(description="true, false, or unknown (needs more facts)")
    missing: list[str] = Field(description="Facts that could still change an unknown verdict")
    trace: list[Condition]


class RuleCheckReport(BaseModel):
    is_valid: bool = Field(description="Always true here; an invalid rule is a 422 problem")
    as_of: date
    catalog_version: str = Field(description="The catalog whose parameters were used")
    results: list[SampleResult]
