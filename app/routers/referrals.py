"""Referrals: the referring agency's view under its case (``cases:*``), the receiving agency's
inbox (``referrals:receive``), and the directory of agencies to refer to.

An agency sees only what is addressed to it: another agency's referral id is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from app.deps import (
    AuditContextDep,
    CaseReader,
    CaseWriter,
    CipherDep,
    IdempotencyKeyDep,
    ReferralReceiver,
    SessionDep,
    SnapshotDep,
    StaffDep,
    audit_access,
    say_replayed,
)
from app.hardening import HardenedRoute
from app.schemas.common import problem_responses
from app.schemas.referrals import (
    AgencyList,
    ReceivedReferral,
    ReceivedReferralList,
    ReferralCreate,
    ReferralList,
    ReferralOut,
    ReferralStatus,
    ReferralStatusChange,
)
from app.services import agencies, referrals
from app.services.cases import Caller

router = APIRouter(tags=["referrals"], route_class=HardenedRoute)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[42])]
ReferralId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[3])]
_READ = problem_responses(403, 404)
_WRITE = problem_responses(403, 404, 409)


@router.get(
    "/v1/agencies",
    summary="Partner agencies to refer to (public and private)",
    responses=problem_responses(403),
)
def list_agencies(_: CaseReader, session: SessionDep) -> AgencyList:
    return agencies.list_agencies(session)


@router.post(
    "/v1/cases/{case_id}/referrals",
    status_code=201,
    summary="Refer the case to an agency (the agency's webhook hears referral.sent)",
    responses=_WRITE | problem_responses(503),
)
def create_referral(
    case_id: CaseId, body: ReferralCreate, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep,
    session: SessionDep, snapshot: SnapshotDep, cipher: CipherDep, once: IdempotencyKeyDep,
    response: Response,
) -> ReferralOut:  # fmt: skip
    caller = Caller(ctx, staff)
    referral, replayed = referrals.create_referral(
        session, caller, snapshot, case_id, body, cipher, once
    )
    say_replayed(response, replayed)
    return referral


@router.get("/v1/cases/{case_id}/referrals", summary="The case's referrals", responses=_READ)
def list_case_referrals(
    case_id: CaseId, _: CaseReader, ctx: AuditContextDep, session: SessionDep
) -> ReferralList:
    return referrals.list_case_referrals(session, Caller(ctx), case_id)


@router.get(
    "/v1/cases/{case_id}/referrals/{referral_id}",
    summary="One referral of the case, with its history",
    responses=_READ,
)
def get_case_referral(
    case_id: CaseId, referral_id: ReferralId, _: CaseReader, ctx: AuditContextDep,
    session: SessionDep,
) -> ReferralOut:  # fmt: skip
    return referrals.get_case_referral(session, Caller(ctx), case_id, referral_id)


@router.post(
    "/v1/cases/{case_id}/referrals/{referral_id}/status",
    summary="The referring agency closes a referral (status closed; a reason unless completed)",
    responses=_WRITE,
)
def close_referral(
    case_id: CaseId, referral_id: ReferralId, body: ReferralStatusChange, _: CaseWriter,
    ctx: AuditContextDep, staff: StaffDep, session: SessionDep,
) -> ReferralOut:  # fmt: skip
    return referrals.close_referral(session, Caller(ctx, staff), case_id, referral_id, body)


@router.get(
    "/v1/referrals",
    summary="Referrals addressed to the caller's agency",
    responses=problem_responses(403),
    dependencies=[Depends(audit_access("referrals.read"))],
)
def list_received(
    _: ReferralReceiver, ctx: AuditContextDep, session: SessionDep, cipher: CipherDep,
    status: Annotated[ReferralStatus | None, Query()] = None,
) -> ReceivedReferralList:  # fmt: skip
    return referrals.list_received(session, Caller(ctx), cipher, status)


@router.get(
    "/v1/referrals/{referral_id}",
    summary="One referral addressed to the caller's agency",
    responses=_READ,
    dependencies=[Depends(audit_access("referrals.read"))],
)
def get_received(
    referral_id: ReferralId, _: ReferralReceiver, ctx: AuditContextDep, session: SessionDep,
    cipher: CipherDep,
) -> ReceivedReferral:  # fmt: skip
    return referrals.get_received(session, Caller(ctx), cipher, referral_id)


@router.post(
    "/v1/referrals/{referral_id}/status",
    summary="The receiving agency accepts, declines (a reason), starts or completes a referral",
    responses=_WRITE,
)
def answer_referral(
    referral_id: ReferralId, body: ReferralStatusChange, _: ReferralReceiver,
    ctx: AuditContextDep, staff: StaffDep, session: SessionDep, cipher: CipherDep,
) -> ReceivedReferral:  # fmt: skip
    return referrals.answer_referral(session, Caller(ctx, staff), cipher, referral_id, body)
