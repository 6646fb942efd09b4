"""Cases (통합사례관리) of the caller's agency: open under consent, worklist, close, withdraw
consent (purges at once), follow-up tasks, saved plans (what changed, replay), re-screening.

Only the agency that opened a case sees it: another agency's case id is a 404."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from app.deps import (
    AuditContextDep,
    CaseReader,
    CaseWriter,
    CipherDep,
    IdempotencyKeyDep,
    LocaleDep,
    SessionDep,
    SnapshotDep,
    StaffDep,
    audit_access,
    say_replayed,
)
from app.hardening import HardenedRoute
from app.schemas.cases import (
    CaseClose,
    CaseCreate,
    CaseList,
    CaseOut,
    SavedPlanCreate,
    SavedPlanList,
    SavedPlanOut,
    TaskCreate,
    TaskList,
    TaskOut,
)
from app.schemas.common import problem_responses
from app.schemas.plans import Plan
from app.services import case_plans, case_purge, cases
from app.services.cases import Caller

router = APIRouter(prefix="/v1/cases", tags=["cases"], route_class=HardenedRoute)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[42])]
TaskId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[5])]
PlanNumber = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[1])]
_READ = problem_responses(403, 404)
_WRITE = problem_responses(403, 404, 409)


@router.post(
    "",
    status_code=201,
    summary="Open a case under the citizen's recorded consent",
    responses=problem_responses(403),
)
def create_case(
    body: CaseCreate, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep, session: SessionDep,
    cipher: CipherDep, once: IdempotencyKeyDep, response: Response,
) -> CaseOut:  # fmt: skip
    case, replayed = cases.create_case(session, Caller(ctx, staff), cipher, body, once)
    say_replayed(response, replayed)
    return case


@router.get(
    "",
    summary="The agency's cases; with due_before, the worklist of what falls due",
    responses=problem_responses(403),
)
def list_cases(
    _: CaseReader, ctx: AuditContextDep, session: SessionDep,
    due_before: Annotated[date | None, Query(description="Open tasks/referrals due before")] = None,
    status: Annotated[Literal["open", "closed", "purged"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CaseList:  # fmt: skip
    caller = Caller(ctx)
    return cases.list_cases(session, caller, due_before=due_before, status=status, limit=limit)


@router.get(
    "/{case_id}",
    summary="One case: consent, profile, contact (decrypted), status",
    responses=_READ,
    dependencies=[Depends(audit_access("cases.read"))],
)
def get_case(
    case_id: CaseId, _: CaseReader, ctx: AuditContextDep, session: SessionDep, cipher: CipherDep
) -> CaseOut:
    return cases.get_case(session, Caller(ctx), cipher, case_id)


@router.post("/{case_id}/close", summary="Close a case (a reason)", responses=_WRITE)
def close_case(
    case_id: CaseId, body: CaseClose, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep,
    session: SessionDep, cipher: CipherDep,
) -> CaseOut:  # fmt: skip
    return cases.close_case(session, Caller(ctx, staff), cipher, case_id, body)


@router.post(
    "/{case_id}/consent/withdraw",
    summary="The citizen withdraws consent: the case is purged at once (tombstone kept)",
    responses=_WRITE,
)
def withdraw_consent(
    case_id: CaseId, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep, session: SessionDep,
    cipher: CipherDep,
) -> CaseOut:  # fmt: skip
    return case_purge.withdraw_consent(session, Caller(ctx, staff), cipher, case_id)


@router.post("/{case_id}/tasks", status_code=201, summary="Add a follow-up task", responses=_WRITE)
def add_task(
    case_id: CaseId, body: TaskCreate, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep,
    session: SessionDep,
) -> TaskOut:  # fmt: skip
    return cases.add_task(session, Caller(ctx, staff), case_id, body)


@router.get("/{case_id}/tasks", summary="The case's follow-up tasks", responses=_READ)
def list_tasks(
    case_id: CaseId, _: CaseReader, ctx: AuditContextDep, session: SessionDep
) -> TaskList:
    return cases.list_tasks(session, Caller(ctx), case_id)


@router.post("/{case_id}/tasks/{task_id}/done", summary="Mark a task done", responses=_WRITE)
def complete_task(
    case_id: CaseId, task_id: TaskId, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep,
    session: SessionDep,
) -> TaskOut:  # fmt: skip
    return cases.complete_task(session, Caller(ctx, staff), case_id, task_id)


@router.post(
    "/{case_id}/plans",
    status_code=201,
    summary="Plan the case's household and save it, with what changed since the last plan",
    responses=problem_responses(403, 404, 409, 503),
)
def save_plan(
    case_id: CaseId, body: SavedPlanCreate, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep,
    session: SessionDep, cipher: CipherDep, snapshot: SnapshotDep,
) -> SavedPlanOut:  # fmt: skip
    return case_plans.save_plan(session, Caller(ctx, staff), cipher, snapshot, case_id, body)


@router.get(
    "/{case_id}/plans",
    summary="The case's saved plans",
    responses=_READ,
    dependencies=[Depends(audit_access("cases.plan.read"))],
)
def list_plans(
    case_id: CaseId, _: CaseReader, ctx: AuditContextDep, session: SessionDep
) -> SavedPlanList:
    return case_plans.list_plans(session, Caller(ctx), case_id)


@router.get(
    "/{case_id}/plans/{number}",
    summary="One saved plan",
    responses=_READ,
    dependencies=[Depends(audit_access("cases.plan.read"))],
)
def get_plan(
    case_id: CaseId, number: PlanNumber, _: CaseReader, ctx: AuditContextDep, session: SessionDep
) -> SavedPlanOut:
    return case_plans.get_plan(session, Caller(ctx), case_id, number)


@router.get(
    "/{case_id}/plans/{number}/replay",
    response_model=Plan,
    summary="A saved plan re-rendered from its stored request and as_of on today's catalog",
    responses=problem_responses(403, 404, 503),
    dependencies=[Depends(audit_access("cases.plan.replay"))],
)
def replay_plan(
    case_id: CaseId, number: PlanNumber, _: CaseReader, ctx: AuditContextDep, session: SessionDep,
    cipher: CipherDep, snapshot: SnapshotDep, locale: LocaleDep,
) -> Response:  # fmt: skip
    caller = Caller(ctx)
    plan = case_plans.replay_plan(session, caller, cipher, snapshot, case_id, number, locale)
    headers = {"Content-Language": locale, "Vary": "Accept-Language"}
    return Response(plan.json(), media_type="application/json", headers=headers)


@router.post(
    "/{case_id}/rescreen",
    status_code=201,
    summary="Re-screen the case now (a saved plan; a task for each newly eligible program)",
    responses=problem_responses(403, 404, 409, 503),
)
def rescreen(
    case_id: CaseId, _: CaseWriter, ctx: AuditContextDep, staff: StaffDep, session: SessionDep,
    cipher: CipherDep, snapshot: SnapshotDep,
) -> SavedPlanOut:  # fmt: skip
    return case_plans.rescreen(session, Caller(ctx, staff), cipher, snapshot, case_id)
