"""ORM models of integrated case management (통합사례관리): agency staff, cases with their
consent, saved plans, follow-up tasks, and referrals to partner agencies (민관협력).

Personal data (the household profile, contact details, the plan requests) is stored encrypted
(``app.crypto``) and only with consent; purging a case (retention over, consent withdrawn) clears
it and leaves a tombstone: the case row, its consent record and the referral statuses.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class AgencyStaff(Base):
    """A person working at a partner agency, known by a code the agency chooses (사번); the
    ``Hanaro-Staff`` header names one on every case write, for the audit trail."""

    __tablename__ = "agency_staff"
    __table_args__ = (UniqueConstraint("partner_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CaseFile(Base):
    """One citizen's case at the agency that opened it. ``citizen_ref`` is the agency's own
    pseudonymous reference (never a 주민등록번호); profile and contact are Fernet tokens."""

    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="RESTRICT"), index=True
    )
    citizen_ref: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True, doc="open, closed or purged")
    profile_token: Mapped[str | None] = mapped_column(Text)
    profile_as_of: Mapped[date | None] = mapped_column(Date)
    contact_token: Mapped[str | None] = mapped_column(Text)
    opened_by: Mapped[str] = mapped_column(String(40), doc="staff code")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    close_reason: Mapped[str | None] = mapped_column(Text)
    retention_until: Mapped[date] = mapped_column(Date, index=True)
    next_event_on: Mapped[date | None] = mapped_column(
        Date, index=True, doc="the next dated event that calls for a re-screening"
    )
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    purge_reason: Mapped[str | None] = mapped_column(String(32))


class CaseConsent(Base):
    """The consent a case was opened under (PIPA §15, §17, §22; §23 for health and disability,
    asked separately). Kept after a purge as the record of what was agreed and withdrawn."""

    __tablename__ = "case_consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), unique=True
    )
    purposes: Mapped[list[str]] = mapped_column(JSON)
    items: Mapped[list[str]] = mapped_column(JSON)
    sensitive_health: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sensitive_disability: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    retention_until: Mapped[date] = mapped_column(Date)
    consented_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(40), doc="staff code")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(40))


class CasePlan(Base):
    """A saved plan: the request (encrypted), the catalog version and ``as_of`` it ran on, and its
    verdict summary (program id -> status and amount), so it can be replayed and compared."""

    __tablename__ = "case_plan"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(16), doc="manual, catalog or dated_event")
    request_token: Mapped[str] = mapped_column(Text)
    catalog_version: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[date] = mapped_column(Date)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(40), doc="staff code or system")


class CaseTask(Base):
    """A follow-up task of a case with a due date (the worklist)."""

    __tablename__ = "case_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), doc="manual or rescreen")
    program_id: Mapped[str | None] = mapped_column(String(80))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(8), doc="open or done")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(40))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[str | None] = mapped_column(String(40))


class Referral(Base):
    """A case referred to another agency for a program or a service, with its status."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    from_partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="RESTRICT"), index=True
    )
    to_partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="RESTRICT"), index=True
    )
    program_id: Mapped[str | None] = mapped_column(String(80))
    service: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    shares_profile: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(40))


class ReferralEvent(Base):
    """One step of a referral's history: the status it moved to, why, and who."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    partner_id: Mapped[int | None] = mapped_column(Integer)
    staff_code: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
