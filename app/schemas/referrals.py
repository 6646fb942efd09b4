"""Referrals (의뢰) from a case to a partner agency, and the agencies directory."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.schemas.cases import ContactIn, Note, Reason
from app.schemas.common import IsoDate, UtcDatetime

ReferralStatus = Literal["sent", "accepted", "declined", "in_progress", "completed", "closed"]
AgencyKind = Literal["public", "private"]
AgencyType = Literal[
    "customized_welfare_team",
    "hope_welfare_support_team",
    "community_welfare_center",
    "mental_health_center",
    "employment_center",
    "public_health_center",
    "social_service_agency",
    "community_security_council",
    "other",
]
"""맞춤형복지팀, 희망복지지원단, 종합사회복지관, 정신건강복지센터, 고용센터, 보건소, 사회서비스원,
지역사회보장협의체 member, other."""


class AgencyOut(BaseModel):
    id: int = Field(examples=[7])
    name: str = Field(examples=["가상구 정신건강복지센터"])
    kind: AgencyKind
    agency_type: AgencyType | None = Field(examples=["mental_health_center"])


class AgencyList(BaseModel):
    items: list[AgencyOut]


class ReferralCreate(BaseModel):
    """Refer the case to an agency for a catalog program or a named service (or both)."""

    model_config = ConfigDict(extra="forbid")

    to_agency_id: int = Field(ge=1, le=2**31 - 1, examples=[7])
    program_id: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
        examples=["mental-health-voucher"],
    )
    service: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
        | None
    ) = Field(default=None, examples=["심리상담 연계"])
    due_on: IsoDate | None = Field(default=None, description="Answer expected by this date")
    note: Note | None = None

    @model_validator(mode="after")
    def _program_or_service(self) -> ReferralCreate:
        if self.program_id is None and self.service is None:
            raise ValueError("a referral names a program_id, a service, or both")
        return self


class ReferralStatusChange(BaseModel):
    """Move a referral on. The receiving agency: ``accepted`` or ``declined`` (reason) from
    ``sent``, ``in_progress`` from ``accepted``, ``completed`` from ``in_progress``. The referring
    agency: ``closed`` from any other status (a reason unless it was ``completed``)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["accepted", "declined", "in_progress", "completed", "closed"]
    reason: Reason | None = Field(default=None, examples=["정원 초과로 다음 달 재의뢰 요청"])
    note: Note | None = None


class ReferralEventOut(BaseModel):
    status: ReferralStatus
    reason: str | None
    note: str | None
    agency_id: int | None
    staff: str | None = Field(description="Staff code of who made the step")
    occurred_at: UtcDatetime


class AgencyRef(BaseModel):
    id: int
    name: str


class ReferralOut(BaseModel):
    """A referral as the referring agency sees it."""

    id: int = Field(examples=[3])
    case_id: int
    from_agency: AgencyRef
    to_agency: AgencyRef
    program_id: str | None
    service: str | None
    status: ReferralStatus
    due_on: date | None
    shares_profile: bool
    created_at: UtcDatetime
    updated_at: UtcDatetime
    history: list[ReferralEventOut]


class ReferralList(BaseModel):
    items: list[ReferralOut]


class ReceivedReferral(BaseModel):
    """A referral as the receiving agency sees it: no case id; the profile and contact only when
    the citizen consented to share them with the agencies the case is referred to."""

    id: int
    from_agency: AgencyRef
    program_id: str | None
    service: str | None
    status: ReferralStatus
    due_on: date | None
    created_at: UtcDatetime
    updated_at: UtcDatetime
    history: list[ReferralEventOut]
    profile: dict[str, Any] | None = Field(
        default=None, description="The household profile (a `POST /v1/plans` profile), if shared"
    )
    profile_as_of: date | None = None
    contact: ContactIn | None = None


class ReceivedReferralList(BaseModel):
    items: list[ReceivedReferral]
