"""Case use cases: open a case under recorded consent, read it, the worklist, close it, follow-up
tasks. Only the agency that opened a case sees it (another agency's case id is a 404); every
write names a staff member of that agency (``Hanaro-Staff``) and is audited with the staff code,
never with profile values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.clock import today_in_seoul
from app.crypto import DataCipher
from app.db.case_models import CaseConsent, CaseFile, CaseTask
from app.db.repositories.cases import CaseRepository, CaseRow, StaffRepository
from app.db.session import write_transaction
from app.errors import (
    CaseNotFound,
    ConsentRequired,
    StaffUnknown,
    TaskNotFound,
    TransitionNotAllowed,
    text,
)
from app.schemas.cases import (
    CaseClose,
    CaseCreate,
    CaseList,
    CaseOut,
    CaseSummary,
    ConsentOut,
    ContactIn,
    TaskCreate,
    TaskList,
    TaskOut,
)
from app.schemas.profile import ProfileIn
from app.services.audit import AuditContext, record
from app.services.case_events import next_event_on
from app.services.idempotency import IdempotencyKey, claim_made, remember_made
from app.services.plans import check_profile

HEALTH_FACTS = frozenset(
    {
        "pregnant",
        "due_date",
        "high_risk_pregnancy",
        "infertility_diagnosed",
        "mental_health_referral",
        "long_term_care_grade",
        "daily_living_difficulty",
    }
)
"""Facts about health (건강): sensitive data (PIPA §23), stored only with their own consent."""
DISABILITY_FACTS = frozenset({"disability_registered", "disability_severe"})
"""Facts about disability (장애): sensitive data, with their own consent."""


@dataclass(frozen=True)
class Caller:
    """Who acts: the request's audit context (the key's agency) and the staff member's code."""

    ctx: AuditContext
    staff: str | None = None

    @property
    def partner_id(self) -> int:
        partner = self.ctx.principal.partner_id
        assert partner is not None  # the scope check let no anonymous caller through
        return partner


def check_staff(session: Session, caller: Caller) -> str:
    """The staff code, known and active at the caller's agency; ``StaffUnknown`` otherwise."""
    code = caller.staff
    if code is None or StaffRepository(session).active(caller.partner_id, code) is None:
        raise StaffUnknown(text("errors.cases.staff_unknown"))
    return code


def audit(session: Session, caller: Caller, action: str, target: str, **detail: object) -> None:
    record(session, caller.ctx, action, target, {"staff": caller.staff, **detail})


def check_consent(
    consent: CaseConsent, profile: ProfileIn | None, contact: ContactIn | None
) -> None:
    """What would be stored is covered by the consent: the items, and the sensitive facts."""
    if profile is not None and "household_profile" not in consent.items:
        raise ConsentRequired(text("errors.cases.item_consent", item="household_profile"))
    if contact is not None and "contact" not in consent.items:
        raise ConsentRequired(text("errors.cases.item_consent", item="contact"))
    if profile is None:
        return
    stated = _stated_facts(profile)
    missing = []
    if stated & HEALTH_FACTS and not consent.sensitive_health:
        missing.append("health")
    if stated & DISABILITY_FACTS and not consent.sensitive_disability:
        missing.append("disability")
    if missing:
        raise ConsentRequired(text("errors.cases.sensitive_consent", kinds=", ".join(missing)))


def _stated_facts(profile: ProfileIn) -> set[str]:
    people = [profile.applicant, *profile.members]
    return {name for person in people for name in person.model_dump(exclude_none=True)}


def seal_profile(cipher: DataCipher, profile: ProfileIn) -> str:
    return cipher.encrypt(profile.model_dump_json(exclude_none=True))


def profile_data(cipher: DataCipher, token: str | None) -> dict[str, Any] | None:
    """The stored profile as JSON data, without the facts it does not state."""
    profile = open_profile(cipher, token)
    return None if profile is None else profile.model_dump(mode="json", exclude_none=True)


def open_profile(cipher: DataCipher, token: str | None) -> ProfileIn | None:
    return None if token is None else ProfileIn.model_validate_json(cipher.decrypt(token))


def open_contact(cipher: DataCipher, token: str | None) -> ContactIn | None:
    return None if token is None else ContactIn.model_validate_json(cipher.decrypt(token))


def create_case(
    session: Session, caller: Caller, cipher: DataCipher, body: CaseCreate,
    once: IdempotencyKey | None = None,
) -> tuple[CaseOut, bool]:  # fmt: skip
    """The new case, and whether it is a retry's (``once``: the case its first request made)."""
    now = datetime.now(UTC)
    given = body.consent
    with write_transaction(session):
        staff = check_staff(session, caller)
        if once is not None:
            made = claim_made(session, once, cipher, "case.create", body.model_dump(mode="json"))
            if made is not None:
                case = find_case(session, caller, made)
                return case_out(case, CaseRepository(session).consent(case.id), cipher), True
        consent = CaseConsent(
            purposes=list(dict.fromkeys(given.purposes)),
            items=list(dict.fromkeys(given.items)),
            sensitive_health=given.sensitive_health,
            sensitive_disability=given.sensitive_disability,
            retention_until=given.retention_until,
            consented_on=given.consented_on,
            recorded_by=staff,
            recorded_at=now,
        )
        check_consent(consent, body.profile, body.contact)
        profile_as_of = body.profile_as_of or today_in_seoul() if body.profile else None
        if body.profile is not None and profile_as_of is not None:
            check_profile(body.profile, profile_as_of)  # ages against birth dates, as plans do
        case = CaseFile(
            partner_id=caller.partner_id,
            citizen_ref=body.citizen_ref,
            status="open",
            profile_token=seal_profile(cipher, body.profile) if body.profile else None,
            profile_as_of=profile_as_of,
            contact_token=cipher.encrypt(body.contact.model_dump_json(exclude_none=True))
            if body.contact
            else None,
            opened_by=staff,
            opened_at=now,
            retention_until=given.retention_until,
            next_event_on=next_event_on(body.profile, profile_as_of)
            if body.profile and profile_as_of
            else None,
        )
        CaseRepository(session).add(case, consent)
        audit(session, caller, "case.create", f"case:{case.id}", items=consent.items)
        if once is not None:
            remember_made(session, once, case.id)
        return case_out(case, consent, cipher), False


def find_case(session: Session, caller: Caller, case_id: int, *, lock: bool = False) -> CaseFile:
    case = CaseRepository(session).get(case_id, caller.partner_id, lock=lock)
    if case is None:
        raise CaseNotFound(text("errors.cases.not_found", case_id=case_id))
    return case


def open_case(session: Session, caller: Caller, case_id: int) -> CaseFile:
    """The caller's case, locked, and open (else 409)."""
    case = find_case(session, caller, case_id, lock=True)
    if case.status != "open":
        raise TransitionNotAllowed(text("errors.cases.not_open", status=case.status))
    return case


def get_case(session: Session, caller: Caller, cipher: DataCipher, case_id: int) -> CaseOut:
    with session.begin():
        case = find_case(session, caller, case_id)
        return case_out(case, CaseRepository(session).consent(case.id), cipher)


def list_cases(
    session: Session, caller: Caller, *, due_before: date | None, status: str | None, limit: int
) -> CaseList:
    """The agency's cases; with ``due_before``, only those with an open task or an open
    referral due before that date (the worklist), soonest first."""
    with session.begin():
        rows = CaseRepository(session).worklist(
            caller.partner_id, status=status, due_before=due_before, limit=limit
        )
    return CaseList(items=[_summary(row) for row in rows])


def _summary(row: CaseRow) -> CaseSummary:
    dues = [d for d in (row.task_due, row.referral_due) if d is not None]
    case = row.case
    return CaseSummary(
        id=case.id,
        status=case.status,
        citizen_ref=case.citizen_ref,
        opened_at=case.opened_at,
        next_due_on=min(dues) if dues else None,
        open_tasks=row.tasks,
        open_referrals=row.referrals,
    )


def close_case(
    session: Session, caller: Caller, cipher: DataCipher, case_id: int, body: CaseClose
) -> CaseOut:
    with write_transaction(session):
        check_staff(session, caller)
        case = open_case(session, caller, case_id)
        case.status, case.closed_at, case.close_reason = "closed", datetime.now(UTC), body.reason
        case.next_event_on = None
        audit(session, caller, "case.close", f"case:{case.id}")
        return case_out(case, CaseRepository(session).consent(case.id), cipher)


def case_out(case: CaseFile, consent: CaseConsent, cipher: DataCipher) -> CaseOut:
    return CaseOut(
        id=case.id,
        status=case.status,
        citizen_ref=case.citizen_ref,
        opened_at=case.opened_at,
        opened_by=case.opened_by,
        consent=ConsentOut.model_validate(consent, from_attributes=True),
        profile=profile_data(cipher, case.profile_token),
        profile_as_of=case.profile_as_of,
        contact=open_contact(cipher, case.contact_token),
        closed_at=case.closed_at,
        close_reason=case.close_reason,
        next_event_on=case.next_event_on,
        purged_at=case.purged_at,
        purge_reason=case.purge_reason,
    )


# --- follow-up tasks ------------------------------------------------------------------------


def add_task(session: Session, caller: Caller, case_id: int, body: TaskCreate) -> TaskOut:
    with write_transaction(session):
        staff = check_staff(session, caller)
        case = open_case(session, caller, case_id)
        task = CaseRepository(session).add_task(
            CaseTask(
                case_id=case.id,
                title=body.title,
                kind="manual",
                program_id=body.program_id,
                due_on=body.due_on,
                status="open",
                created_at=datetime.now(UTC),
                created_by=staff,
            )
        )
        audit(session, caller, "case.task.create", f"case:{case.id}", task=task.id)
        return TaskOut.model_validate(task, from_attributes=True)


def list_tasks(session: Session, caller: Caller, case_id: int) -> TaskList:
    with session.begin():
        case = find_case(session, caller, case_id)
        tasks = CaseRepository(session).tasks(case.id)
        return TaskList(items=[TaskOut.model_validate(t, from_attributes=True) for t in tasks])


def complete_task(session: Session, caller: Caller, case_id: int, task_id: int) -> TaskOut:
    with write_transaction(session):
        staff = check_staff(session, caller)
        case = find_case(session, caller, case_id, lock=True)
        task = CaseRepository(session).task(case.id, task_id)
        if task is None:
            raise TaskNotFound(text("errors.cases.task_not_found", task_id=task_id))
        if task.status != "open":
            raise TransitionNotAllowed(
                text("errors.cases.transition", current=task.status, status="done")
            )
        task.status, task.done_at, task.done_by = "done", datetime.now(UTC), staff
        audit(session, caller, "case.task.done", f"case:{case.id}", task=task.id)
        return TaskOut.model_validate(task, from_attributes=True)
