"""Purging cases (파기, PIPA §21): when the retention period is over (a scheduled job and
``hanaro cases purge``) and at once when the citizen withdraws consent (PIPA §37).

A purge deletes the profile, the contact details, the pseudonymous reference, the saved plans
and the tasks, and the notes and reasons of the referrals' history; unfinished referrals are
closed (the receiving agency hears ``referral.closed``). What stays is a tombstone: the case
row (status ``purged``, when and why), its consent record (what was agreed, when withdrawn),
the referral statuses, and the audit entries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.crypto import DataCipher
from app.db.case_models import CaseFile
from app.db.repositories.cases import CaseRepository
from app.db.repositories.referrals import ReferralRepository
from app.db.session import write_transaction
from app.errors import TransitionNotAllowed, text
from app.schemas.cases import CaseOut
from app.security import ANONYMOUS
from app.services.audit import AuditContext, record
from app.services.cases import Caller, audit, case_out, check_staff, find_case
from app.services.referrals import close_for_purge

SYSTEM = AuditContext(ANONYMOUS, client_address=None, request_id=None, actor="system:cases")


def purge_case(session: Session, case: CaseFile, reason: str, now: datetime) -> dict[str, int]:
    """Clear ``case`` down to its tombstone (inside the caller's transaction)."""
    plans, tasks = CaseRepository(session).delete_plans_and_tasks(case.id)
    referrals = ReferralRepository(session)
    for event in referrals.events_of_case(case.id):
        event.note = None
        event.reason = None
    closed = sum(close_for_purge(session, r, reason, now) for r in referrals.of_case(case.id))
    case.citizen_ref = None
    case.profile_token = case.contact_token = None
    case.profile_as_of = case.next_event_on = None
    case.close_reason = None
    case.status, case.purged_at, case.purge_reason = "purged", now, reason
    session.flush()
    return {"plans": plans, "tasks": tasks, "referrals_closed": closed}


def withdraw_consent(session: Session, caller: Caller, cipher: DataCipher, case_id: int) -> CaseOut:
    """Consent withdrawn (동의 철회): the case is purged at once, the withdrawal recorded."""
    now = datetime.now(UTC)
    with write_transaction(session):
        staff = check_staff(session, caller)
        case = find_case(session, caller, case_id, lock=True)
        if case.status == "purged":  # open or closed: either still holds data
            raise TransitionNotAllowed(text("errors.cases.not_open", status=case.status))
        consent = CaseRepository(session).consent(case.id)
        consent.withdrawn_at, consent.withdrawn_by = now, staff
        counts = purge_case(session, case, "consent_withdrawn", now)
        audit(session, caller, "case.consent_withdraw", f"case:{case.id}", **counts)
        return case_out(case, consent, cipher)


def purge_expired(session: Session, today: date, ctx: AuditContext = SYSTEM) -> list[int]:
    """Purge every case whose retention period ended before ``today``; each purge audited."""
    now = datetime.now(UTC)
    purged = []
    with write_transaction(session):
        for case in CaseRepository(session).expired(today):
            counts = purge_case(session, case, "retention", now)
            detail = {"reason": "retention", "retention_until": case.retention_until.isoformat()}
            record(session, ctx, "case.purge", f"case:{case.id}", detail | counts)
            purged.append(case.id)
    return purged
