"""Referrals (의뢰) from a case to a partner agency and their lifecycle:

    sent ──► accepted ──► in_progress ──► completed
      └────► declined (reason)
    any of them ──► closed (by the referring agency; a reason unless it was completed)

The receiving agency makes the first four steps, the referring agency closes. Every step is
recorded in the referral's history, audited with the staff code, and written to the outbox for
the other party's webhook (``referral.<status>``) in the same transaction: ids, statuses and due
dates only, never profile values, contact details, notes or reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.crypto import DataCipher
from app.db.case_models import CaseFile, Referral, ReferralEvent
from app.db.repositories.cases import AgencyRepository, CaseRepository
from app.db.repositories.referrals import ReferralRepository
from app.db.session import write_transaction
from app.errors import (
    InvalidRequest,
    ReasonRequired,
    ReferralNotFound,
    TransitionNotAllowed,
    UnknownAgency,
    text,
)
from app.matching import CatalogSnapshot
from app.schemas.referrals import (
    AgencyRef,
    ReceivedReferral,
    ReceivedReferralList,
    ReferralCreate,
    ReferralEventOut,
    ReferralList,
    ReferralOut,
    ReferralStatusChange,
)
from app.services.cases import (
    Caller,
    audit,
    check_staff,
    find_case,
    open_case,
    open_contact,
    profile_data,
)
from app.services.idempotency import IdempotencyKey, claim_made, remember_made
from app.webhooks.outbox import enqueue

RECEIVER_STEPS = frozenset(
    {("sent", "accepted"), ("sent", "declined"), ("accepted", "in_progress"),
     ("in_progress", "completed")}
)  # fmt: skip
SENDER_STEPS = frozenset(
    (current, "closed") for current in ("sent", "accepted", "declined", "in_progress", "completed")
)


def needs_reason(current: str, status: str) -> bool:
    """Declining, and closing anything but a completed referral, need a reason: the citizen and
    the other agency will ask why."""
    return status == "declined" or (status == "closed" and current != "completed")


def create_referral(
    session: Session, caller: Caller, snapshot: CatalogSnapshot, case_id: int,
    body: ReferralCreate, cipher: DataCipher, once: IdempotencyKey | None = None,
) -> tuple[ReferralOut, bool]:  # fmt: skip
    """The new referral, and whether it is a retry's (``once``: the referral its first request
    made, and no second ``referral.sent``)."""
    now = datetime.now(UTC)
    with write_transaction(session):
        staff = check_staff(session, caller)
        if once is not None:
            payload = [case_id, body.model_dump(mode="json")]
            made = claim_made(session, once, cipher, "referral.create", payload)
            if made is not None:
                case = find_case(session, caller, case_id)
                return _sender_view(session, [_in_case(session, case, made)])[0], True
        case = open_case(session, caller, case_id)
        target = AgencyRepository(session).get(body.to_agency_id)
        if target is None or target.id == caller.partner_id:
            raise UnknownAgency(text("errors.cases.unknown_agency", agency_id=body.to_agency_id))
        if body.program_id is not None and body.program_id not in snapshot.programs:
            unknown = text("errors.program_not_found.named", program_id=body.program_id)
            raise InvalidRequest(unknown, errors=[{"pointer": "/program_id", "detail": unknown}])
        consent = CaseRepository(session).consent(case.id)
        referral = ReferralRepository(session).add(
            Referral(
                case_id=case.id,
                from_partner_id=caller.partner_id,
                to_partner_id=target.id,
                program_id=body.program_id,
                service=body.service,
                status="sent",
                due_on=body.due_on,
                shares_profile="share_profile_with_referral_agencies" in consent.items,
                created_at=now,
                updated_at=now,
                created_by=staff,
            )
        )
        _step(session, referral, "sent", None, body.note, caller.partner_id, staff, now)
        _notify(session, referral, "sent", None, now)
        audit(session, caller, "referral.create", f"referral:{referral.id}", case=case.id)
        if once is not None:
            remember_made(session, once, referral.id)
        return _sender_view(session, [referral])[0], False


def list_case_referrals(session: Session, caller: Caller, case_id: int) -> ReferralList:
    with session.begin():
        case = find_case(session, caller, case_id)
        return ReferralList(
            items=_sender_view(session, ReferralRepository(session).of_case(case.id))
        )


def get_case_referral(
    session: Session, caller: Caller, case_id: int, referral_id: int
) -> ReferralOut:
    with session.begin():
        case = find_case(session, caller, case_id)
        referral = _in_case(session, case, referral_id)
        return _sender_view(session, [referral])[0]


def close_referral(
    session: Session, caller: Caller, case_id: int, referral_id: int,
    body: ReferralStatusChange,
) -> ReferralOut:  # fmt: skip
    """The referring agency's step (only ``closed``)."""
    with write_transaction(session):
        staff = check_staff(session, caller)
        case = find_case(session, caller, case_id, lock=True)
        referral = _in_case(session, case, referral_id, lock=True)
        _move(session, referral, body, SENDER_STEPS, caller, staff)
        return _sender_view(session, [referral])[0]


def list_received(
    session: Session, caller: Caller, cipher: DataCipher, status: str | None
) -> ReceivedReferralList:
    with session.begin():
        found = ReferralRepository(session).received(caller.partner_id, status)
        return ReceivedReferralList(items=_receiver_view(session, cipher, found))


def get_received(
    session: Session, caller: Caller, cipher: DataCipher, referral_id: int
) -> ReceivedReferral:
    with session.begin():
        referral = _received(session, caller, referral_id)
        return _receiver_view(session, cipher, [referral])[0]


def answer_referral(
    session: Session, caller: Caller, cipher: DataCipher, referral_id: int,
    body: ReferralStatusChange,
) -> ReceivedReferral:  # fmt: skip
    """The receiving agency's steps: accepted, declined, in_progress, completed."""
    with write_transaction(session):
        staff = check_staff(session, caller)
        referral = _received(session, caller, referral_id, lock=True)
        _move(session, referral, body, RECEIVER_STEPS, caller, staff)
        return _receiver_view(session, cipher, [referral])[0]


# --- steps ----------------------------------------------------------------------------------


def _move(
    session: Session, referral: Referral, body: ReferralStatusChange,
    allowed: frozenset[tuple[str, str]], caller: Caller, staff: str,
) -> None:  # fmt: skip
    current, status = referral.status, body.status
    if (current, status) not in allowed:
        raise TransitionNotAllowed(text("errors.cases.transition", current=current, status=status))
    if needs_reason(current, status) and body.reason is None:
        raise ReasonRequired(text("errors.cases.reason_required", status=status))
    now = datetime.now(UTC)
    referral.status, referral.updated_at = status, now
    _step(session, referral, status, body.reason, body.note, caller.partner_id, staff, now)
    _notify(session, referral, status, current, now)
    audit(session, caller, f"referral.{status}", f"referral:{referral.id}", previous=current)


def close_for_purge(session: Session, referral: Referral, reason: str, now: datetime) -> bool:
    """Close an unfinished referral of a purged case (no staff: the system does it)."""
    if referral.status == "closed":
        return False
    current = referral.status
    referral.status, referral.updated_at = "closed", now
    _step(session, referral, "closed", reason, None, None, None, now)
    _notify(session, referral, "closed", current, now)
    return True


def _step(
    session: Session, referral: Referral, status: str, reason: str | None, note: str | None,
    partner_id: int | None, staff: str | None, now: datetime,
) -> None:  # fmt: skip
    ReferralRepository(session).add_event(
        ReferralEvent(
            referral_id=referral.id,
            status=status,
            reason=reason,
            note=note,
            partner_id=partner_id,
            staff_code=staff,
            occurred_at=now,
        )
    )


def _notify(
    session: Session, referral: Referral, status: str, previous: str | None, now: datetime
) -> None:
    """The webhook event for the party that did not make the step: the receiving agency hears
    of ``sent`` and ``closed``, the referring agency of the rest (with its case id)."""
    to_receiver = status in ("sent", "closed")
    payload: dict[str, Any] = {
        "referral_id": referral.id,
        "status": status,
        "previous_status": previous,
        "program_id": referral.program_id,
        "due_on": referral.due_on.isoformat() if referral.due_on else None,
        "from_agency_id": referral.from_partner_id,
        "to_agency_id": referral.to_partner_id,
    }
    if not to_receiver:
        payload["case_id"] = referral.case_id
    partner = referral.to_partner_id if to_receiver else referral.from_partner_id
    enqueue(session, partner_id=partner, event_type=f"referral.{status}", payload=payload, now=now)


# --- reads ----------------------------------------------------------------------------------


def _in_case(session: Session, case: CaseFile, referral_id: int, lock: bool = False) -> Referral:
    referral = ReferralRepository(session).in_case(case.id, referral_id, lock=lock)
    if referral is None:
        raise ReferralNotFound(text("errors.cases.referral_not_found", referral_id=referral_id))
    return referral


def _received(session: Session, caller: Caller, referral_id: int, lock: bool = False) -> Referral:
    referral = ReferralRepository(session).received_one(caller.partner_id, referral_id, lock=lock)
    if referral is None:
        raise ReferralNotFound(text("errors.cases.referral_not_found", referral_id=referral_id))
    return referral


def _history(session: Session, referrals: Sequence[Referral]) -> dict[int, list[ReferralEventOut]]:
    found = ReferralRepository(session).history([r.id for r in referrals])
    return {
        rid: [
            ReferralEventOut(
                status=e.status,
                reason=e.reason,
                note=e.note,
                agency_id=e.partner_id,
                staff=e.staff_code,
                occurred_at=e.occurred_at,
            )
            for e in events
        ]
        for rid, events in found.items()
    }


def _agencies(session: Session, referrals: Sequence[Referral]) -> dict[int, AgencyRef]:
    ids = {r.from_partner_id for r in referrals} | {r.to_partner_id for r in referrals}
    names = AgencyRepository(session).names(ids)
    return {pid: AgencyRef(id=pid, name=name) for pid, name in names.items()}


def _sender_view(session: Session, referrals: Sequence[Referral]) -> list[ReferralOut]:
    history, agencies = _history(session, referrals), _agencies(session, referrals)
    return [
        ReferralOut(
            id=r.id,
            case_id=r.case_id,
            from_agency=agencies[r.from_partner_id],
            to_agency=agencies[r.to_partner_id],
            program_id=r.program_id,
            service=r.service,
            status=r.status,
            due_on=r.due_on,
            shares_profile=r.shares_profile,
            created_at=r.created_at,
            updated_at=r.updated_at,
            history=history[r.id],
        )
        for r in referrals
    ]


def _receiver_view(
    session: Session, cipher: DataCipher, referrals: Sequence[Referral]
) -> list[ReceivedReferral]:
    """No case id; the profile (and contact) only when the consent shares them with the
    agencies the case is referred to, and never after the case was closed or purged."""
    history, agencies = _history(session, referrals), _agencies(session, referrals)
    cases = CaseRepository(session)
    views = []
    for r in referrals:
        case = cases.by_id(r.case_id)
        shared: dict[str, Any] = {}
        if case is not None and case.status == "open":
            items = cases.consent(case.id).items
            if "share_profile_with_referral_agencies" in items:
                shared["profile"] = profile_data(cipher, case.profile_token)
                shared["profile_as_of"] = case.profile_as_of
            if "share_contact_with_referral_agencies" in items and case.contact_token:
                shared["contact"] = open_contact(cipher, case.contact_token)
        views.append(
            ReceivedReferral(
                id=r.id,
                from_agency=agencies[r.from_partner_id],
                program_id=r.program_id,
                service=r.service,
                status=r.status,
                due_on=r.due_on,
                created_at=r.created_at,
                updated_at=r.updated_at,
                history=history[r.id],
                **shared,
            )
        )
    return views
