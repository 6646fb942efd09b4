"""Cases (통합사례관리): consent, the case, follow-up tasks, saved plans and what changed."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.matching import Need
from app.schemas.common import IsoDate, UtcDatetime
from app.schemas.plans import AmountRange
from app.schemas.profile import ProfileIn

Purpose = Literal["case_management", "referral", "follow_up"]
ConsentItem = Literal[
    "household_profile",
    "contact",
    "share_profile_with_referral_agencies",
    "share_contact_with_referral_agencies",
]
CaseStatus = Literal["open", "closed", "purged"]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
CitizenRef = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{3,63}$"),
    Field(
        description="The agency's own pseudonymous reference for the citizen (never a "
        "주민등록번호 or a name)",
        examples=["SB-2026-0412"],
    ),
]
_STRICT = ConfigDict(extra="forbid")


class ConsentIn(BaseModel):
    """The citizen's consent as recorded by the staff member (PIPA §15 · §17 · §22; health and
    disability facts are sensitive data, §23, each consented to separately)."""

    model_config = _STRICT

    purposes: list[Purpose] = Field(
        min_length=1, description="수집·이용 목적", examples=[["case_management", "referral"]]
    )
    items: list[ConsentItem] = Field(
        description="수집 항목 and 제3자 제공: what may be stored and shared with the agencies a "
        "case is referred to",
        examples=[["household_profile", "contact", "share_profile_with_referral_agencies"]],
    )
    sensitive_health: bool = Field(
        default=False, description="민감정보(건강) 별도 동의: pregnancy, care and health facts"
    )
    sensitive_disability: bool = Field(
        default=False, description="민감정보(장애) 별도 동의: disability facts"
    )
    consented_on: IsoDate = Field(description="동의일", examples=["2026-03-02"])
    retention_until: IsoDate = Field(
        description="보유·이용 기간: the case is purged (파기) after this date",
        examples=["2029-03-01"],
    )

    @model_validator(mode="after")
    def _retention_after_consent(self) -> ConsentIn:
        if self.retention_until <= self.consented_on:
            raise ValueError("retention_until must be after consented_on")
        return self


class ConsentOut(BaseModel):
    purposes: list[str]
    items: list[str]
    sensitive_health: bool
    sensitive_disability: bool
    consented_on: date
    retention_until: date
    recorded_by: str = Field(description="Staff code of who recorded it", examples=["sw-017"])
    recorded_at: UtcDatetime
    withdrawn_at: UtcDatetime | None = None
    withdrawn_by: str | None = None


class ContactIn(BaseModel):
    """Contact details: encrypted at rest, only with the consent item ``contact``."""

    model_config = _STRICT

    phone: str | None = Field(
        default=None, pattern=r"^[0-9+][0-9 -]{6,19}$", examples=["010-0000-0000"]
    )
    address: str | None = Field(default=None, max_length=200, examples=["가상시 예시로 1"])
    email: str | None = Field(default=None, max_length=120, examples=["someone@example.org"])


class CaseCreate(BaseModel):
    model_config = _STRICT

    citizen_ref: CitizenRef
    consent: ConsentIn
    profile: ProfileIn | None = Field(
        default=None, description="The household profile as of the case (consent item)"
    )
    profile_as_of: IsoDate | None = Field(
        default=None,
        description="When the profile was true; default today",
        examples=["2026-03-02"],
    )
    contact: ContactIn | None = None


class CaseClose(BaseModel):
    model_config = _STRICT

    reason: Reason = Field(examples=["욕구 해소: 기초연금 수급 시작"])


class CaseOut(BaseModel):
    id: int = Field(examples=[42])
    status: CaseStatus
    citizen_ref: str | None = Field(description="null once purged")
    opened_at: UtcDatetime
    opened_by: str = Field(examples=["sw-017"])
    consent: ConsentOut
    profile: dict[str, Any] | None = Field(
        default=None,
        description="The household profile as stored (a `POST /v1/plans` profile; facts not "
        "stated are left out); null once purged or without the consent item",
    )
    profile_as_of: date | None = None
    contact: ContactIn | None = None
    closed_at: UtcDatetime | None = None
    close_reason: str | None = None
    next_event_on: date | None = Field(
        default=None, description="Next dated event that re-screens the case (turning 65 ...)"
    )
    purged_at: UtcDatetime | None = None
    purge_reason: Literal["retention", "consent_withdrawn"] | None = None


class CaseSummary(BaseModel):
    id: int
    status: CaseStatus
    citizen_ref: str | None
    opened_at: UtcDatetime
    next_due_on: date | None = Field(
        description="The earliest due date among open tasks and open referrals"
    )
    open_tasks: int
    open_referrals: int


class CaseList(BaseModel):
    items: list[CaseSummary]


class TaskCreate(BaseModel):
    model_config = _STRICT

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    due_on: IsoDate = Field(examples=["2026-04-01"])
    program_id: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)


class TaskOut(BaseModel):
    id: int
    case_id: int
    title: str
    kind: Literal["manual", "rescreen"]
    program_id: str | None
    due_on: date
    status: Literal["open", "done"]
    created_at: UtcDatetime
    created_by: str
    done_at: UtcDatetime | None = None
    done_by: str | None = None


class TaskList(BaseModel):
    items: list[TaskOut]


class SavedPlanCreate(BaseModel):
    """Plan the case's household now (or on ``as_of``) and keep the result."""

    model_config = _STRICT

    needs: list[Need] = Field(default_factory=list, max_length=8, examples=[["income", "care"]])
    as_of: IsoDate | None = Field(default=None, examples=["2026-03-02"])
    profile: ProfileIn | None = Field(
        default=None, description="A new household profile for the case (it replaces the old one)"
    )


class Verdict(BaseModel):
    status: str = Field(examples=["eligible"])
    amount: AmountRange | None = None


class StatusChange(BaseModel):
    program_id: str
    before: str
    after: str


class AmountChange(BaseModel):
    program_id: str
    before: AmountRange | None
    after: AmountRange | None


class PlanChanges(BaseModel):
    """What changed since the previous saved plan."""

    since_plan: int = Field(examples=[1])
    catalog_version_before: str
    newly_eligible: list[str] = Field(examples=[["basic-pension"]])
    no_longer_eligible: list[str]
    status_changed: list[StatusChange]
    amount_changed: list[AmountChange]


class SavedPlanOut(BaseModel):
    number: int = Field(examples=[2])
    trigger: Literal["manual", "catalog", "dated_event"]
    catalog_version: str
    as_of: date
    created_at: UtcDatetime
    created_by: str
    summary: dict[str, Verdict] = Field(description="Program id -> status and amount")
    changes: PlanChanges | None = Field(description="Against the previous saved plan")
    tasks_created: list[int] = Field(default_factory=list)


class SavedPlanList(BaseModel):
    items: list[SavedPlanOut]


class RescreenReport(BaseModel):
    replanned: list[int] = Field(description="Case ids re-planned")
    skipped: list[int] = Field(description="Case ids whose profile no longer validates")
    tasks_created: int


class PurgeReport(BaseModel):
    purged: list[int]
