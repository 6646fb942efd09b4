"""Catalog read models: programs, facts and parameters as partners and front-ends see them."""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from app.schemas.plans import ApplyChannel, Domain


class ProgramSummary(BaseModel):
    id: str = Field(examples=["basic-pension"])
    name: str = Field(examples=["기초연금"])
    summary: str
    domain: Domain
    stages: list[str] = Field(examples=[["senior"]])
    targets: list[str] = Field(examples=[["low_income"]])
    regions: list[str] = Field(examples=[["KR"]])
    agency: str = Field(examples=["보건복지부"])
    verification: Literal["verified", "partial", "unverified"]
    effective_from: date
    effective_to: date | None = None


class Source(BaseModel):
    url: str
    title: str | None = None


class ProgramDetail(ProgramSummary):
    verification_note: str | None = None
    criteria: list[str] = Field(
        description="The eligibility rule, readable, one line per condition"
    )
    eligibility: dict[str, Any] = Field(description="The rule in the Hanaro rule language")
    benefit_kind: str = Field(examples=["cash_monthly"])
    benefit: str = Field(description="What the program gives, in words")
    apply: list[ApplyChannel]
    documents: list[str]
    excludes: list[str] = Field(description="Programs that cannot be received together")
    prerequisites: list[str]
    legal_basis: str | None = None
    sources: list[Source]
    version: int = Field(description="Current version number in the catalog", examples=[1])
    catalog_version: str


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the filters", examples=[66])
    limit: int = Field(examples=[20])
    offset: int = Field(examples=[0])


class FactOption(BaseModel):
    value: str | bool
    label: str


class FactOut(BaseModel):
    id: str = Field(examples=["person.age"])
    type: str = Field(examples=["int"])
    scope: Literal["person", "household"]
    question: str = Field(examples=["만 나이가 어떻게 되세요?"])
    unit: str | None = None
    options: list[FactOption] = Field(default_factory=list)
    is_sensitive: bool
    is_derived: bool
    asked_as: str | None = None
    profile_path: str = Field(
        description="Where the answer goes in a plan request", examples=["applicant.age"]
    )


class ParameterValueOut(BaseModel):
    effective_from: date
    value: int | float | dict[str, int | float] | None


class ParameterOut(BaseModel):
    id: str = Field(examples=["median_income.base"])
    unit: str | None = None
    description: str | None = None
    reference: str | None = None
    source_url: str | None = None
    verification: str | None = None
    key: str | None = None
    values: list[ParameterValueOut]
    value_at_as_of: int | float | dict[str, int | float] | None = Field(
        description="The value in force on as_of"
    )
