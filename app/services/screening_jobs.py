"""Screening jobs (#14) for partners: create, read, list, cancel, download, purge.

A job's files live in ``data_dir/screenings/<job id>/``: ``input/`` (the upload, or the exported
tables) until the job ends, then ``results.<fmt>`` and ``aggregate.<fmt>`` until the job expires
(``screening_retention_days`` after it finished) and is purged: its folder deleted, the row kept
as the record with status ``purged``. The worker (``app.services.screening_worker``) runs them.

Every action is audited (``screening.create``, ``.cancel``, ``.download``, ``.purge``) with the
job id, never a value of the input. Another partner's job is "not found", the same as none.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db import models
from app.db.repositories.screening_jobs import FINISHED, ScreeningJobRepository
from app.db.session import write_transaction
from app.errors import ScreeningNotFinished, ScreeningNotFound, ScreeningPurged, text
from app.locale import Locale
from app.schemas.screenings import (
    JobCounts,
    JobError,
    JobLinks,
    JobStage,
    ScreeningJob,
    ScreeningJobList,
)
from app.screening.problems import InputProblem
from app.security import Principal
from app.services.audit import AuditContext, record
from app.services.screening_inputs import JobOptions, problem_text

FOLDER = "screenings"
MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8"}


def job_folder(data_dir: Path, job_id: uuid.UUID) -> Path:
    return data_dir / FOLDER / str(job_id)


def input_folder(data_dir: Path, job_id: uuid.UUID) -> Path:
    return job_folder(data_dir, job_id) / "input"


def remove_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every one stored is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _target(job_id: uuid.UUID) -> str:
    return f"screening:{job_id}"


def _said(kept: object, locale: Locale) -> str:
    """A refused input's problem in ``locale`` (a job's record keeps them as data; records
    from before that kept English lines, which are shown as they are)."""
    if isinstance(kept, dict):
        return problem_text(InputProblem.from_record(kept)).in_(locale)
    return str(kept)


def to_schema(job: models.ScreeningJob, locale: Locale = "ko") -> ScreeningJob:
    """The job as the API shows it; a refused input's problems said in ``locale``."""
    base = f"/v1/screenings/{job.id}"
    stage = None
    if job.stage_count:
        stage = JobStage(index=job.stage_index, count=job.stage_count, text=job.stage or "")
    progress = 1.0 if job.status == "succeeded" else 0.0
    if job.status == "running" and job.stage_count:
        progress = round(max(job.stage_index - 1, 0) / job.stage_count, 3)
    error = None
    if job.error_code is not None:
        problems = [_said(kept, locale) for kept in job.problems or []]
        message = job.error_message or ""
        if job.error_code == "input_refused":
            message = text("errors.screening_input.detail", count=len(problems)).in_(locale)
        error = JobError(code=job.error_code, message=message, problems=problems)
    return ScreeningJob(
        id=job.id,
        status=job.status,
        source=job.source,
        engine=job.engine,
        as_of=job.as_of,
        format=job.options.get("format", "parquet"),
        min_cell=int(job.options.get("min_cell", 5)),
        stage=stage,
        progress=progress,
        cancel_requested=job.cancel_requested_at is not None and job.status == "running",
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        expires_at=job.expires_at,
        error=error,
        counts=JobCounts(**job.counts) if job.counts else None,
        catalog_version=job.catalog_version,
        links=JobLinks(
            self=base,
            cancel=f"{base}/cancel",
            results=f"{base}/results",
            aggregate=f"{base}/aggregate",
        ),
    )


def create_job(
    session: Session,
    ctx: AuditContext,
    *,
    job_id: uuid.UUID,
    source: str,
    options: JobOptions,
    tables: dict[str, str] | None = None,
) -> ScreeningJob:
    """Queue the job (its input already checked and, for an upload, in its input folder)."""
    assert ctx.principal.partner_id is not None  # keyed callers only (scope screenings)
    stored: dict[str, Any] = {"format": options.format, "min_cell": options.min_cell}
    if tables:
        stored["tables"] = tables
    job = models.ScreeningJob(
        id=job_id,
        partner_id=ctx.principal.partner_id,
        created_by=ctx.principal.actor,
        status="queued",
        source=source,
        engine=options.engine,
        as_of=options.as_of,
        options=stored,
        created_at=datetime.now(UTC),
    )
    detail = {"source": source, "engine": options.engine, "format": options.format}
    with write_transaction(session):
        ScreeningJobRepository(session).add(job)
        record(session, ctx, "screening.create", _target(job_id), detail)
    return to_schema(job)


def _owned(session: Session, principal: Principal, job_id: uuid.UUID) -> models.ScreeningJob:
    job = None
    if principal.partner_id is not None:
        job = ScreeningJobRepository(session).owned(job_id, principal.partner_id)
    if job is None:
        raise ScreeningNotFound(text("errors.screening_not_found.detail"))
    return job


def get_job(
    session: Session, principal: Principal, job_id: uuid.UUID, locale: Locale = "ko"
) -> ScreeningJob:
    with session.begin():
        return to_schema(_owned(session, principal, job_id), locale)


def list_jobs(
    session: Session,
    principal: Principal,
    *,
    limit: int,
    status: str | None,
    locale: Locale = "ko",
) -> ScreeningJobList:
    with session.begin():
        rows = ScreeningJobRepository(session).of_partner(principal.partner_id or -1, limit, status)
        return ScreeningJobList(items=[to_schema(row, locale) for row in rows])


def cancel_job(
    session: Session,
    ctx: AuditContext,
    job_id: uuid.UUID,
    data_dir: Path,
    retention_days: int,
    locale: Locale = "ko",
) -> ScreeningJob:
    """Queued: cancelled now (its input deleted). Running: asked to stop (its worker sees it
    within a heartbeat, interrupts the statement, and marks it cancelled). Ended: unchanged.
    Idempotent; every call is audited with the status it found."""
    now = datetime.now(UTC)
    with write_transaction(session):
        repo = ScreeningJobRepository(session)
        job = _owned(session, ctx.principal, job_id)
        found = job.status
        if found == "queued":
            repo.change(job_id, {"status": "queued"}, cancelled_values(now, retention_days))
        elif found == "running" and job.cancel_requested_at is None:
            repo.change(job_id, {"status": "running"}, {"cancel_requested_at": now})
        record(session, ctx, "screening.cancel", _target(job_id), {"status": found})
        job = repo.get(job_id) or job
    if job.status == "cancelled":
        remove_folder(job_folder(data_dir, job_id))
    return to_schema(job, locale)


def cancelled_values(now: datetime, retention_days: int) -> dict[str, Any]:
    return {
        "status": "cancelled",
        "finished_at": now,
        "expires_at": now + timedelta(days=retention_days),
        "error_code": None,
        "worker": None,
    }


@dataclass(frozen=True)
class ResultFile:
    path: Path
    media_type: str
    filename: str


def result_file(
    session: Session,
    ctx: AuditContext,
    job_id: uuid.UUID,
    *,
    which: str,
    fmt: str | None,
    data_dir: Path,
    retention_days: int,
) -> ResultFile:
    """The ``results`` (in ``fmt``, converted once if the job wrote the other format) or the
    ``aggregate`` file (in the job's format) of a succeeded job; audited as a download."""
    with write_transaction(session):
        job = _owned(session, ctx.principal, job_id)
        if job.status == "purged":
            raise ScreeningPurged(text("errors.screening_purged.detail", days=retention_days))
        if job.status != "succeeded":
            raise ScreeningNotFinished(
                text("errors.screening_not_finished.detail", status=job.status)
            )
        written = str(job.options.get("format", "parquet"))
        stored = job.results_path if which == "results" else job.aggregate_path
        chosen = fmt if which == "results" and fmt else written
        detail = {"file": which, "format": chosen}
        record(session, ctx, "screening.download", _target(job_id), detail)
    assert stored is not None
    path = data_dir / stored
    if chosen != written:
        path = _converted(path, chosen)
    return ResultFile(path, MEDIA_TYPES[chosen], f"screening-{job_id}-{which}.{chosen}")


def _converted(path: Path, fmt: str) -> Path:
    """``results`` in the other format, made once next to it (atomically: temp file, rename).
    The rows are the same either way: CSV is read back with the output's column types."""
    import duckdb

    from app.screening.output import OUTPUT_COLUMNS
    from app.screening.run import copy_options, typed_csv
    from app.screening.stage import sql_literal

    target = path.with_suffix(f".{fmt}")
    if target.exists():
        return target
    source = typed_csv(path, OUTPUT_COLUMNS) if path.suffix == ".csv" else (
        f"read_parquet({sql_literal(str(path))})"
    )  # fmt: skip
    partial = target.with_name(f".{uuid.uuid4().hex}{target.suffix}")
    options = copy_options("CSV" if fmt == "csv" else "PARQUET")
    con = duckdb.connect()
    try:
        con.execute(f"COPY (SELECT * FROM {source}) TO {sql_literal(str(partial))} {options}")
    finally:
        con.close()
    os.replace(partial, target)
    return target


def purge_expired(
    sessions: Callable[[], Session], ctx: AuditContext, data_dir: Path, now: datetime
) -> int:
    """Delete the files of every ended job past ``expires_at``; the row stays, ``purged``."""
    with sessions() as session, write_transaction(session):
        repo = ScreeningJobRepository(session)
        jobs = [(job.id, job.status) for job in repo.expired(now)]
        purged = 0
        for job_id, status in jobs:
            done = repo.change(
                job_id,
                {"status": status},
                {"status": "purged", "purged_at": now, "results_path": None,
                 "aggregate_path": None},
            )  # fmt: skip
            if done:
                remove_folder(job_folder(data_dir, job_id))
                record(session, ctx, "screening.purge", _target(job_id), {"status": status})
                purged += 1
    return purged


__all__ = [
    "FINISHED",
    "cancel_job",
    "create_job",
    "get_job",
    "input_folder",
    "job_folder",
    "list_jobs",
    "purge_expired",
    "result_file",
    "to_schema",
]
