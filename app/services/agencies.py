"""Partner agencies in case work (민관협력): their kind (public/private) and type, their staff.

Agencies are partners (``hanaro keys create`` makes one on first sight); ``hanaro agencies set``
gives one a kind and type, ``hanaro staff add`` registers a staff code the ``Hanaro-Staff``
header may name.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.db.case_models import AgencyStaff
from app.db.repositories.cases import AgencyRepository, StaffRepository
from app.db.session import write_transaction
from app.errors import NotFound, text
from app.schemas.referrals import AgencyList, AgencyOut
from app.security import ANONYMOUS
from app.services.audit import AuditContext, record

_CLI = AuditContext(ANONYMOUS, client_address=None, request_id=None, actor="cli:agencies")


def set_agency(session: Session, name: str, *, kind: str, agency_type: str) -> AgencyOut:
    with write_transaction(session):
        partner = AgencyRepository(session).named(name)
        if partner is None:
            raise NotFound(text("errors.cases.unknown_agency", agency_id=name))
        partner.kind, partner.agency_type = kind, agency_type
        record(session, _CLI, "agency.set", f"partner:{partner.id}", {"kind": kind})
        return AgencyOut.model_validate(partner, from_attributes=True)


def add_staff(session: Session, agency: str, code: str) -> None:
    with write_transaction(session):
        partner = AgencyRepository(session).named(agency)
        if partner is None:
            raise NotFound(text("errors.cases.unknown_agency", agency_id=agency))
        repo = StaffRepository(session)
        found = repo.named(partner.id, code)
        if found is not None:  # registered before: active again (adding twice changes nothing)
            found.deactivated_at = None
        else:
            repo.add(AgencyStaff(partner_id=partner.id, code=code, created_at=datetime.now(UTC)))
        record(session, _CLI, "staff.add", f"partner:{partner.id}", {"staff": code})


def deactivate_staff(session: Session, agency: str, code: str) -> None:
    with write_transaction(session):
        partner = AgencyRepository(session).named(agency)
        staff = StaffRepository(session).named(partner.id, code) if partner else None
        if partner is None or staff is None:
            raise NotFound(text("errors.cases.staff_unknown"))
        staff.deactivated_at = datetime.now(UTC)
        record(session, _CLI, "staff.deactivate", f"partner:{partner.id}", {"staff": code})


def list_agencies(session: Session) -> AgencyList:
    with session.begin():
        rows = AgencyRepository(session).agencies()
        return AgencyList(items=[AgencyOut.model_validate(p, from_attributes=True) for p in rows])
