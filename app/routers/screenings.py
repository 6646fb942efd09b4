"""Outreach screening jobs (#14, 복지 사각지대 발굴; scope ``screenings``, keyed partners only).

``POST /v1/screenings`` takes either the two files as ``multipart/form-data`` (streamed to disk,
up to ``HANARO_SCREENING_MAX_UPLOAD_BYTES``) or JSON naming PostgreSQL tables; the job then runs
in a worker (``app.services.screening_worker``). Poll it, download its files, cancel it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.deps import AuditContextDep, LocaleDep, ScreeningCaller, SessionDep, SettingsDep
from app.errors import ErrorItem, PayloadTooLarge, ResidentNumberRejected, text
from app.hardening import HardenedRoute
from app.schemas.common import problem_responses
from app.schemas.screenings import (
    JobStatus,
    ResultFormat,
    ScreeningJob,
    ScreeningJobList,
    ScreeningTablesRequest,
)
from app.screening.uploads import UploadRefused, UploadWriter, boundary_of
from app.services import screening_jobs as jobs
from app.services.audit import AuditContext
from app.services.screening_inputs import (
    JobOptions,
    check_files,
    check_tables,
    options_of,
    upload_refused,
)
from app.settings import Settings

router = APIRouter(prefix="/v1/screenings", tags=["screenings"], route_class=HardenedRoute)
UPLOAD_PATH = "/v1/screenings"

_UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["households", "persons"],
    "properties": {
        "households": {"type": "string", "format": "binary",
                       "description": "households.parquet, .csv, .jsonl or .json"},
        "persons": {"type": "string", "format": "binary",
                    "description": "persons.parquet, .csv, .jsonl or .json"},
        "as_of": {"type": "string", "format": "date", "description": "Default: today (Seoul)"},
        "format": {"type": "string", "enum": ["parquet", "csv"], "default": "parquet"},
        "min_cell": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 5},
        "engine": {"type": "string", "enum": ["duckdb", "postgres"], "default": "duckdb"},
    },
}  # fmt: skip
_CREATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": _UPLOAD_SCHEMA},
            "application/json": {"schema": ScreeningTablesRequest.model_json_schema()},
        },
    }
}


@router.post(
    "",
    status_code=202,
    summary="Start a screening: upload households and persons files, or name PostgreSQL tables",
    description="Answers 202 with the queued job and `Location`; poll it. Refused input (a "
    "column that is not a screening fact, such as a name or an address, bad values, a "
    "주민등록번호 anywhere) is a 422 listing every problem by table, column and row count, "
    "never a value, each said in the request's language (`Accept-Language`); nothing is kept.",
    responses=problem_responses(403, 413, 422),
    openapi_extra=_CREATE_BODY,
)
async def create_screening(
    request: Request,
    _: ScreeningCaller,
    ctx: AuditContextDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> ScreeningJob:
    job_id = uuid.uuid4()
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/"):
        job = await _from_upload(request, job_id, ctx, session, settings)
    else:
        job = await _from_tables(request, job_id, ctx, session, settings)
    worker = getattr(request.app.state, "screening_worker", None)
    if worker is not None:
        worker.wake()
    response.headers["Location"] = job.links.self
    return job


async def _from_upload(
    request: Request, job_id: uuid.UUID, ctx: AuditContext, session: Session, settings: Settings
) -> ScreeningJob:
    folder = jobs.input_folder(settings.data_dir, job_id)
    kept = False
    try:
        limit = settings.screening_max_upload_bytes
        writer = UploadWriter(folder, boundary_of(request.headers.get("content-type")), limit)
        async for chunk in request.stream():
            if chunk:
                await run_in_threadpool(writer.feed, chunk)
        upload = writer.finish()
        options = options_of(upload.texts, settings.database_url.startswith("postgresql"))
        files = upload.files
        await run_in_threadpool(check_files, files["households"], files["persons"])
        job = await run_in_threadpool(
            jobs.create_job, session, ctx, job_id=job_id, source="upload", options=options
        )
        kept = True
        return job
    except UploadRefused as refused:
        if refused.reason == "too_large":
            raise PayloadTooLarge(text("errors.payload_too_large.detail")) from None
        if refused.reason == "resident_number":
            said = text("errors.resident_number.detail")
            where: list[ErrorItem] = [{"pointer": f"/{refused.field}", "detail": said}]
            raise ResidentNumberRejected(said, errors=where) from None
        raise upload_refused(refused) from None
    finally:
        if not kept:
            jobs.remove_folder(jobs.job_folder(settings.data_dir, job_id))


async def _from_tables(
    request: Request, job_id: uuid.UUID, ctx: AuditContext, session: Session, settings: Settings
) -> ScreeningJob:
    try:
        body = ScreeningTablesRequest.model_validate(await request.json())
    except ValidationError as invalid:
        raise RequestValidationError(invalid.errors(include_url=False)) from None
    except ValueError:  # no body, or not JSON: as FastAPI says it of a JSON route
        error = {"type": "json_invalid", "loc": ("body", 0), "msg": "JSON decode error"}
        raise RequestValidationError([error | {"input": {}, "ctx": {"error": "-"}}]) from None
    tables = {"households": body.households_table, "persons": body.persons_table}
    await run_in_threadpool(check_tables, session, tables, settings.screening_source_schemas)
    options = JobOptions(
        as_of=body.as_of or _today(), format=body.format, min_cell=body.min_cell, engine="postgres"
    )
    return await run_in_threadpool(
        jobs.create_job, session, ctx, job_id=job_id, source="tables", options=options,
        tables=tables,
    )  # fmt: skip


def _today() -> date:
    from app.clock import today_in_seoul

    return today_in_seoul()


@router.get(
    "", summary="The caller's screening jobs, newest first", responses=problem_responses(403)
)
def list_screenings(
    principal: ScreeningCaller,
    session: SessionDep,
    locale: LocaleDep,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many")] = 20,
    status: Annotated[JobStatus | None, Query(description="Only jobs in this status")] = None,
) -> ScreeningJobList:
    return jobs.list_jobs(session, principal, limit=limit, status=status, locale=locale)


@router.get(
    "/{job_id}",
    summary="A screening job: status, progress, counts and links",
    responses=problem_responses(403, 404),
)
def read_screening(
    job_id: uuid.UUID, principal: ScreeningCaller, session: SessionDep, locale: LocaleDep
) -> ScreeningJob:
    return jobs.get_job(session, principal, job_id, locale)


@router.post(
    "/{job_id}/cancel",
    summary="Cancel a screening job (idempotent)",
    description="A queued job is cancelled at once and its input deleted; a running one is "
    "asked to stop (`cancel_requested`), which its worker does within seconds, interrupting "
    "the statement in progress; an ended job is returned unchanged.",
    responses=problem_responses(403, 404),
)
def cancel_screening(
    job_id: uuid.UUID, _: ScreeningCaller, ctx: AuditContextDep, session: SessionDep,
    settings: SettingsDep, locale: LocaleDep,
) -> ScreeningJob:  # fmt: skip
    return jobs.cancel_job(
        session, ctx, job_id, settings.data_dir, settings.screening_retention_days, locale
    )


_FILE_PROBLEMS: dict[int | str, dict[str, Any]] = problem_responses(403, 404) | {
    409: {"description": "The job has not succeeded (yet): no files"},
    410: {"description": "The files were purged after the retention period"},
}
_FILE_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file",
        "content": {"application/vnd.apache.parquet": {}, "text/csv": {}},
    }
}


@router.get(
    "/{job_id}/results",
    summary="Download the ranked results (household × program rows)",
    response_class=FileResponse,
    responses=_FILE_PROBLEMS | _FILE_CONTENT,
)
def download_results(
    job_id: uuid.UUID, _: ScreeningCaller, ctx: AuditContextDep, session: SessionDep,
    settings: SettingsDep,
    format: Annotated[
        ResultFormat | None, Query(description="Default: the format the job was asked for")
    ] = None,
) -> FileResponse:  # fmt: skip
    return _file(session, ctx, job_id, "results", format, settings)


@router.get(
    "/{job_id}/aggregate",
    summary="Download the aggregate (area × program counts, small cells hidden)",
    response_class=FileResponse,
    responses=_FILE_PROBLEMS | _FILE_CONTENT,
)
def download_aggregate(
    job_id: uuid.UUID, _: ScreeningCaller, ctx: AuditContextDep, session: SessionDep,
    settings: SettingsDep,
) -> FileResponse:  # fmt: skip
    return _file(session, ctx, job_id, "aggregate", None, settings)


def _file(
    session: Session,
    ctx: AuditContext,
    job_id: uuid.UUID,
    which: str,
    fmt: str | None,
    settings: Settings,
) -> FileResponse:
    found = jobs.result_file(
        session, ctx, job_id, which=which, fmt=fmt, data_dir=settings.data_dir,
        retention_days=settings.screening_retention_days,
    )  # fmt: skip
    return FileResponse(found.path, media_type=found.media_type, filename=found.filename)


__all__ = ["UPLOAD_PATH", "router"]
