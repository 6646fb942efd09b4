"""Admin catalog API (scope ``catalog:write``) and the public version history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.clock import today_in_seoul
from app.deps import (
    AuditContextDep,
    CatalogReader,
    CatalogStoreDep,
    CatalogWriter,
    IdempotencyKeyDep,
    LocaleDep,
    PreconditionDep,
    SessionDep,
    say_replayed,
)
from app.errors import ServiceUnavailable
from app.hardening import HardenedRoute
from app.preconditions import entity_tag
from app.schemas.admin import (
    ParameterChange,
    ParameterChangeResult,
    ParameterVersionOut,
    ProgramChange,
    ProgramChangeResult,
    ProgramVersionOut,
    RuleCheck,
    RuleCheckReport,
)
from app.schemas.common import (
    IF_NONE_MATCH_PARAMETER,
    ChangeReason,
    etag_response,
    if_match_parameter,
    problem_responses,
)
from app.services import admin, rule_checks
from app.services.admin import Change

router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=HardenedRoute)
history = APIRouter(tags=["catalog"], route_class=HardenedRoute)

ProgramId = Annotated[
    str,
    Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80, examples=["basic-pension"]),
]
ParameterId = Annotated[
    str, Path(pattern=r"^[a-z0-9_.]+$", max_length=120, examples=["median_income.base"])
]
_WRITE_PROBLEMS = problem_responses(403, 404, 409)
_EDIT_PROBLEMS = problem_responses(403, 404, 409, 412, 428)


@router.post(
    "/programs",
    status_code=201,
    summary="Create a program (version 1)",
    responses=_WRITE_PROBLEMS | etag_response(201),
)
def create_program(
    body: ProgramChange, _: CatalogWriter, ctx: AuditContextDep, session: SessionDep,
    store: CatalogStoreDep, once: IdempotencyKeyDep, response: Response,
) -> ProgramChangeResult:  # fmt: skip
    change = Change(ctx, body.change_reason)
    created = admin.create_program(session, store, body.spec, change, once)
    response.status_code = created.status
    response.headers["ETag"] = entity_tag(created.result.program_id, created.result.version)
    say_replayed(response, created.is_replay)
    return created.result


@router.put(
    "/programs/{program_id}",
    summary="Update a program: the full spec becomes a new version (If-Match: its ETag)",
    responses=_EDIT_PROBLEMS | etag_response(200),
    openapi_extra={"parameters": [if_match_parameter()]},
)
def update_program(
    program_id: ProgramId, body: ProgramChange, _: CatalogWriter, ctx: AuditContextDep,
    session: SessionDep, store: CatalogStoreDep, precondition: PreconditionDep, response: Response,
) -> ProgramChangeResult:  # fmt: skip
    change = Change(ctx, body.change_reason)
    result = admin.update_program(session, store, program_id, body.spec, change, precondition)
    response.headers["ETag"] = entity_tag(result.program_id, result.version)
    return result


@router.delete(
    "/programs/{program_id}",
    summary="Retire a program (a retirement version; nothing is deleted; If-Match: its ETag)",
    responses=_EDIT_PROBLEMS | etag_response(200),
    openapi_extra={"parameters": [if_match_parameter()]},
)
def retire_program(
    program_id: ProgramId, change_reason: Annotated[ChangeReason, Query()], _: CatalogWriter,
    ctx: AuditContextDep, session: SessionDep, store: CatalogStoreDep,
    precondition: PreconditionDep, response: Response,
) -> ProgramChangeResult:  # fmt: skip
    change = Change(ctx, change_reason)
    result = admin.retire_program(session, store, program_id, change, precondition)
    response.headers["ETag"] = entity_tag(result.program_id, result.version)
    return result


@router.put(
    "/parameters/{parameter_id}",
    summary="New version of a parameter (national partners only; If-Match, or If-None-Match: *)",
    responses=_EDIT_PROBLEMS | etag_response(200),
    openapi_extra={"parameters": [if_match_parameter(required=False), IF_NONE_MATCH_PARAMETER]},
)
def put_parameter(
    parameter_id: ParameterId, body: ParameterChange, _: CatalogWriter, ctx: AuditContextDep,
    session: SessionDep, store: CatalogStoreDep, precondition: PreconditionDep, response: Response,
) -> ParameterChangeResult:  # fmt: skip
    change = Change(ctx, body.change_reason)
    result = admin.put_parameter(session, store, parameter_id, body.spec, change, precondition)
    response.headers["ETag"] = entity_tag(result.parameter_id, result.version)
    return result


@router.post(
    "/rules/validate",
    summary="Dry run: compile a rule or program and evaluate it on sample profiles",
    responses=problem_responses(403, 503),
)
async def validate_rule(
    body: RuleCheck, _: CatalogWriter, store: CatalogStoreDep, locale: LocaleDep
) -> RuleCheckReport:
    loaded = store.current
    if loaded is None:
        raise ServiceUnavailable()
    return rule_checks.check_rule(loaded.snapshot, body, locale, today_in_seoul())


@history.get(
    "/v1/programs/{program_id}/versions",
    summary="Every version of a program, oldest first (ETag: the current one)",
    responses=problem_responses(403, 404) | etag_response(200),
)
def program_versions(
    program_id: ProgramId, _: CatalogReader, session: SessionDep, response: Response
) -> list[ProgramVersionOut]:
    versions = admin.program_versions(session, program_id)
    response.headers["ETag"] = entity_tag(program_id, versions[-1].version)
    return versions


@history.get(
    "/v1/parameters/{parameter_id}/versions",
    summary="Every version of a parameter, oldest first (ETag: the current one)",
    responses=problem_responses(403, 404) | etag_response(200),
)
def parameter_versions(
    parameter_id: ParameterId, _: CatalogReader, session: SessionDep, response: Response
) -> list[ParameterVersionOut]:
    versions = admin.parameter_versions(session, parameter_id)
    response.headers["ETag"] = entity_tag(parameter_id, versions[-1].version)
    return versions
