"""Catalog read models: programs, facts and parameters as partners and front-ends see them.

Text fields are already in the response language (``ko`` or ``en``); ids, codes and enums are not
translated.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from app.matching import (
    Domain,
)
from app.schemas.plans import ApplyOption

Verification = Literal["verified", "partial", "unverified"]
ParameterPayload = int | float | dict[str, int | float]


_SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": "basic-pension",
    "name": "기초연금",
    "summary": "만 65세 이상이고 소득인정액이 선정기준액 이하이면 매달 받습니다.",
    "domain": "welfare",
    "stages": ["senior"],
    "targets": ["low_income"],
    "needs": ["income"],
    "regions": ["KR"],
    "agency": "보건복지부 / 국민연금공단",
    "verification": "verified",
    "is_emergency": False,
    "effective_from": "2014-07-01",
    "effective_to": None,
}


class ProgramSummary(BaseModel):
    """One program in a list: enough to show a card and decide whether to open the detail."""

    model_config = ConfigDict(json_schema_extra={"example": _SUMMARY_EXAMPLE})

    id: str = Field(description="Stable program id (kebab slug)", examples=["basic-pension"])
    name: str = Field(examples=["기초연금"])
    summary: str = Field(description="Who it is for and what it gives, in one or two sentences")
    domain: Domain
    stages: list[str] = Field(description="Life-cycle stages it serves", examples=[["senior"]])
    targets: list[str] = Field(description="Target groups", examples=[["low_income"]])
    needs: list[str] = Field(
        default_factory=list, description="Needs it answers", examples=[["income"]]
    )
    regions: list[str] = Field(
        description="`KR` (nationwide) or 시도 codes (`27` = 대구)", examples=[["KR"]]
    )
    agency: str = Field(examples=["보건복지부"])
    verification: Verification = Field(
        description="How well the rule is verified against official sources"
    )
    is_emergency: bool = Field(default=False, description="Emergency help (listed first)")
    effective_from: date = Field(examples=["2014-07-01"])
    effective_to: date | None = Field(default=None, description="Last day in effect; null: open")


class SourceOut(BaseModel):
    url: str = Field(examples=["https://www.bokjiro.go.kr/"])
    title: str | None = Field(default=None, examples=["복지로 기초연금"])


class DocumentRef(BaseModel):
    """A document from the shared dictionary; plans merge documents by ``id``."""

    id: str = Field(examples=["id-card"])
    name: str = Field(examples=["신분증 (주민등록증·운전면허증·여권)"])
    note: str | None = Field(default=None, examples=["가구원 각각 서명합니다."])


class ProgramRef(BaseModel):
    id: str = Field(examples=["national-employment-support"])
    name: str = Field(description="Name in the response language (the id if not in the catalog)")


class ExclusionOut(BaseModel):
    """A program that cannot be received together with this one, and which one wins."""

    program_id: str = Field(examples=["disability-pension"])
    name: str = Field(examples=["장애인연금"])
    prefer: Literal["higher_benefit", "this", "other"] = Field(
        description="Which is kept when both are eligible"
    )
    reason: str


class ProgramDetail(ProgramSummary):
    """One program in full: criteria in words, benefit, where to apply, what to bring."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                **_SUMMARY_EXAMPLE,
                "verification_note": "2024~2026 선정기준액은 확인됨.",
                "criteria": [
                    "- 다음을 모두 충족",
                    "  - 나이 65세 이상",
                    "  - 국적 대한민국",
                ],
                "eligibility": {"all": [{"fact": "applicant.age", "op": "ge", "value": 65}]},
                "benefit_kind": "cash_monthly",
                "benefit": "최대 기준연금액(2026 349,700원)을 매달 받습니다.",
                "apply": [{"channel": "community_center", "label": "행정복지센터"}],
                "documents": [{"id": "id-card", "name": "신분증"}],
                "excludes": [],
                "prerequisites": [],
                "legal_basis": "기초연금법 제3조",
                "sources": [{"url": "https://www.bokjiro.go.kr/", "title": "복지로 기초연금"}],
                "version": 1,
                "is_in_effect": True,
                "as_of": "2026-03-02",
                "catalog_version": "3f0c2b6e9d1a4c5e",
            }
        }
    )

    verification_note: str | None = Field(
        default=None,
        description="What is and is not verified; always present unless `verified`",
    )
    criteria: list[str] = Field(
        description="The eligibility rule, readable, one line per condition; indentation "
        "(two spaces per level) shows nesting; parameter values are those in force on `as_of`",
        examples=[["- 다음을 모두 충족", "  - 나이 65세 이상"]],
    )
    eligibility: dict[str, Any] = Field(description="The rule in the Hanaro rule language")
    who: dict[str, Any] | None = Field(
        default=None,
        description="For a program decided per person: which household members it is decided "
        "for (each on their own, `person.*` in `eligibility` is that member); absent for a "
        "household program",
        examples=[{"fact": "person.age", "op": "ge", "value": 65}],
    )
    benefit_kind: str = Field(examples=["cash_monthly"])
    benefit: str = Field(description="What the program gives, in words")
    apply: list[ApplyOption] = Field(description="Where and how to apply")
    documents: list[DocumentRef] = Field(description="Documents to bring")
    excludes: list[ExclusionOut] = Field(description="Programs that cannot be received together")
    prerequisites: list[ProgramRef] = Field(description="Programs to obtain first")
    legal_basis: str | None = Field(default=None, examples=["기초연금법 제3조"])
    sources: list[SourceOut] = Field(description="Where the rule and amounts come from")
    version: int = Field(description="Current version number in the catalog", examples=[1])
    is_in_effect: bool = Field(description="In effect on `as_of`")
    as_of: date = Field(description="Date the criteria are rendered at", examples=["2026-03-02"])
    catalog_version: str = Field(description="Hash of the catalog", examples=["3f0c2b6e9d1a4c5e"])


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the filters", examples=[66])
    limit: int = Field(examples=[20])
    offset: int = Field(examples=[0])


class ProgramPage(Page[ProgramSummary]):
    """Programs in effect on ``as_of`` that match the filters, ordered by id."""

    as_of: date = Field(description="Only programs in effect on this date", examples=["2026-03-02"])
    catalog_version: str = Field(description="Hash of the catalog", examples=["3f0c2b6e9d1a4c5e"])


class FactOption(BaseModel):
    value: str | bool = Field(description="What to send", examples=["27"])
    label: str = Field(description="What to show", examples=["대구광역시"])


class FactOut(BaseModel):
    """One fact a rule can read: what to ask, how to answer, where the answer goes."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "person.age",
                "type": "int",
                "scope": "person",
                "label": "나이",
                "question": "만 나이가 어떻게 되세요?",
                "unit": "years",
                "options": [],
                "minimum": 0,
                "maximum": 120,
                "is_sensitive": False,
                "is_derived": True,
                "asked_as": None,
                "profile_path": "applicant.age",
                "member_path": "members[].age",
            }
        }
    )

    id: str = Field(examples=["person.age"])
    type: Literal["bool", "int", "money", "number", "date", "enum", "set"] = Field(
        description="`money` is whole KRW; `set` is a list of option values", examples=["int"]
    )
    scope: Literal["person", "household"] = Field(
        description="`person`: one per household member; `household`: one per household"
    )
    label: str = Field(examples=["나이"])
    question: str = Field(examples=["만 나이가 어떻게 되세요?"])
    unit: str | None = Field(default=None, examples=["years"])
    options: list[FactOption] = Field(
        default_factory=list, description="Allowed values (enum, set and bool facts)"
    )
    minimum: int | float | None = Field(default=None, examples=[0])
    maximum: int | float | None = Field(default=None, examples=[120])
    is_sensitive: bool = Field(description="Health, disability, crisis...: ask with care")
    is_derived: bool = Field(description="Computed from other facts when not given")
    asked_as: str | None = Field(
        default=None,
        description="Ask this fact instead (a derived fact is settled by it)",
        examples=["person.birth_date"],
    )
    profile_path: str | None = Field(
        description="Where the answer goes in a plan request; null when it cannot be given "
        "directly (ask `asked_as`)",
        examples=["applicant.age"],
    )
    member_path: str | None = Field(
        default=None,
        description="For person facts: the same answer for another household member",
        examples=["members[].age"],
    )


class ParameterValueOut(BaseModel):
    effective_from: date = Field(examples=["2026-01-01"])
    value: ParameterPayload | None = Field(
        description="A number, or a table keyed by `key` values; null ends the parameter",
        examples=[{"1": 2564238, "2": 4199292}],
    )


class ParameterOut(BaseModel):
    """A dated amount or threshold (e.g. 기준 중위소득) with its history."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "median_income.base",
                "unit": "KRW_monthly",
                "description": "기준 중위소득 (100%, 가구원 수별 월액)",
                "reference": "보건복지부 고시 제2025-135호",
                "source_url": "https://www.mohw.go.kr/",
                "verification": "verified",
                "key": "household.size",
                "extrapolate": "last_step",
                "values": [{"effective_from": "2026-01-01", "value": {"1": 2564238}}],
                "value_at_as_of": {"1": 2564238},
                "as_of": "2026-03-02",
            }
        }
    )

    id: str = Field(examples=["median_income.base"])
    unit: str = Field(examples=["KRW_monthly"])
    description: str = Field(examples=["기준 중위소득 (100%, 가구원 수별 월액)"])
    reference: str | None = Field(default=None, description="Legal reference (고시, 법령)")
    source_url: str | None = None
    verification: Verification
    key: str | None = Field(
        default=None,
        description="For tables: the fact selecting the row",
        examples=["household.size"],
    )
    extrapolate: Literal["last_step"] | None = Field(
        default=None,
        description="`last_step`: rows past the last key grow by the last step (8인 이상)",
    )
    values: list[ParameterValueOut] = Field(description="Every dated value, oldest first")
    value_at_as_of: ParameterPayload | None = Field(
        description="The value in force on `as_of`; null when none is"
    )
    as_of: date = Field(examples=["2026-03-02"])


class ParameterList(BaseModel):
    as_of: date = Field(examples=["2026-03-02"])
    catalog_version: str = Field(examples=["3f0c2b6e9d1a4c5e"])
    items: list[ParameterOut]
