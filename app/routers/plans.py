"""The citizen-facing core: the combined plan, the kiosk question flow, one program's verdict."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from app.clock import as_of_or_today
from app.deps import LocaleDep, PlanCaller, SnapshotDep, audit_access
from app.errors import ProgramNotFound, text
from app.hardening import HardenedRoute
from app.locale import Locale
from app.schemas.common import problem_responses
from app.schemas.plans import (
    EligibilityRequest,
    IncomeRecognition,
    IncomeRecognitionRequest,
    Plan,
    PlanCheck,
    PlanRequest,
    ProgramEligibility,
    QuestionsRequest,
    QuestionsResponse,
)
from app.services import plans

# The endpoints and their dependencies are ``async``: they do no I/O (the snapshot is in memory)
# and take about a millisecond of CPU, which a threadpool hop would only add to.
router = APIRouter(tags=["plans"], route_class=HardenedRoute)
ProgramId = Annotated[
    str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80, examples=["basic-pension"])
]
JSON = "application/json"


Snapshot = SnapshotDep


@router.post(
    "/v1/plans",
    response_model=Plan,
    summary="The combined plan for a household",
    description=(
        "Runs the profile through every program in effect on `as_of` and returns one plan: "
        "eligible, needs_info (with the facts that would decide), ineligible (with reasons), "
        "conflicts resolved, grouped by domain and place, one document checklist, totals, "
        "next questions and first steps. Any fact may be missing or a range."
    ),
    responses=problem_responses(503),
    dependencies=[Depends(audit_access("plans.create"))],
)
async def create_plan(
    body: PlanRequest, _: PlanCaller, snapshot: Snapshot, header_locale: LocaleDep
) -> Response:
    as_of, locale = _prepare(body, header_locale)
    plan, _core, _picks = plans.build_plan(snapshot, body, locale, as_of)
    return Response(plan.json(), media_type=JSON, headers=_language(locale))


@router.post(
    "/v1/plans/validate",
    response_model=PlanCheck,
    summary="Validate a plan request without matching",
    description=(
        "Checks and normalizes a plan request exactly as `POST /v1/plans` does (as_of, locale, "
        "ages against birth dates) and echoes it, without matching. For form checks; also the "
        "floor the performance benchmark compares plans with."
    ),
    dependencies=[Depends(audit_access("plans.validate"))],
)
async def validate_plan(body: PlanRequest, _: PlanCaller, header_locale: LocaleDep) -> Response:
    as_of, locale = _prepare(body, header_locale)
    check = PlanCheck(valid=True, as_of=as_of, locale=locale, request=body)
    return Response(
        check.model_dump_json(exclude_none=True), media_type=JSON, headers=_language(locale)
    )


@router.post(
    "/v1/questions/next",
    response_model=QuestionsResponse,
    summary="Kiosk flow: the next question(s) and the provisional plan",
    description=(
        "Stateless: send the profile so far (and the paths the citizen could not answer in "
        "`skip`); get the question that settles the most undecided programs, weighted by their "
        "value, with its text and options, and the provisional plan. `done` is true when no "
        "answer could change the plan any more."
    ),
    responses=problem_responses(503),
    dependencies=[Depends(audit_access("questions.next"))],
)
async def next_questions(
    body: QuestionsRequest, _: PlanCaller, snapshot: Snapshot, header_locale: LocaleDep
) -> Response:
    as_of, locale = _prepare(body, header_locale)
    result = plans.next_questions(snapshot, body, locale, as_of)
    return Response(result.json(), media_type=JSON, headers=_language(locale))


@router.post(
    "/v1/programs/{program_id}/eligibility",
    response_model=ProgramEligibility,
    summary="One program's verdict with its full trace",
    responses=problem_responses(404, 503),
    dependencies=[Depends(audit_access("programs.eligibility"))],
)
async def program_eligibility(
    program_id: ProgramId,
    body: EligibilityRequest,
    _: PlanCaller,
    snapshot: Snapshot,
    header_locale: LocaleDep,
) -> Response:
    if program_id not in snapshot.programs:
        raise ProgramNotFound(text("errors.program_not_found.named", program_id=program_id))
    as_of, locale = _prepare(body, header_locale)
    result = plans.eligibility(snapshot, program_id, body.profile, locale, as_of)
    return Response(result.model_dump_json(), media_type=JSON, headers=_language(locale))


@router.post(
    "/v1/income-recognition",
    response_model=IncomeRecognition,
    summary="소득인정액 from plain facts, per scheme, with its steps",
    description=(
        "Computes the recognized income (소득인정액) of the household (기초생활보장 method, also "
        "used for 차상위 and 한부모) and of the applicant and spouse (기초연금 and 장애인연금 "
        "methods) from what a citizen can answer: earnings, pensions, the home, the deposit, "
        "savings, debts and the car. Any input may be missing or a range; the result is then a "
        "range, with the inputs that would narrow it most (`asks`). Constants are dated "
        "catalog parameters; `verification` says whether the figure is an estimate. For "
        "counters and partners; `POST /v1/plans` uses the same computation where the profile "
        "does not state a 소득인정액."
    ),
    responses=problem_responses(503),
    dependencies=[Depends(audit_access("income_recognition.compute"))],
)
async def income_recognition(
    body: IncomeRecognitionRequest, _: PlanCaller, snapshot: Snapshot, header_locale: LocaleDep
) -> Response:
    as_of, locale = _prepare(body, header_locale)
    result = plans.income_recognition(snapshot, body.profile, locale, as_of)
    return Response(result.json(), media_type=JSON, headers=_language(locale))


def _prepare(
    body: PlanRequest | EligibilityRequest | IncomeRecognitionRequest, header_locale: Locale
) -> tuple[date, Locale]:
    """The date the rules apply at (default today in Seoul, checked against the profile's
    birth dates) and the answer's language (the body's ``locale``, else Accept-Language)."""
    as_of = as_of_or_today(body.as_of)
    plans.check_profile(body.profile, as_of)
    return as_of, plans.pick_locale(body.locale, header_locale)


def _language(locale: str) -> dict[str, str]:
    return {"Content-Language": locale, "Vary": "Accept-Language"}
