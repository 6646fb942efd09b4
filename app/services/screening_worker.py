"""The background runner of screening jobs: one thread per worker process, one job at a time.

Loop: recover jobs whose worker died, purge expired results when due, claim the oldest queued
job and run it (``app.screening.run.run_screening``); sleep ``screening_poll_seconds`` when idle
(a job created in this process wakes it at once).

- **Claim**: ``UPDATE ... SET status='running' WHERE id=? AND status='queued'``; of several
  workers racing for one job exactly one changes the row. Every later write of the runner is
  conditional on (running, this worker, this attempt): a runner that lost its job writes nothing.
- **Heartbeat**: a second thread refreshes ``heartbeat_at`` every ``screening_heartbeat_seconds``
  and watches for a cancel request; it then cancels the run, which interrupts DuckDB's (or
  PostgreSQL's) statement at once, not only between stages.
- **Recovery**: a running job whose heartbeat is older than ``screening_stale_seconds`` lost its
  worker (killed, crashed, machine gone). It is queued again and resumes from its input, kept
  until the job ends, or, after ``screening_max_attempts`` runs (a job that kills its worker) or
  when its input is gone, failed with the reason. A job is never left running.
- **Shutdown**: the run in progress is interrupted and the job queued again for another worker.

The run's errors become the job's ``error`` (a code, the stage, the exception's type): never an
exception's message, which may quote a value of the input.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from app.db import models
from app.db.outage import DATABASE_DOWN
from app.db.repositories.screening_jobs import ScreeningJobRepository
from app.db.session import write_transaction
from app.matching import CatalogSnapshot
from app.screening.files import InputProblems
from app.screening.run import Cancellation, Cancelled, RunRequest, run_screening, stage_count
from app.security import ANONYMOUS
from app.services.audit import AuditContext
from app.services.screening_inputs import export_tables
from app.services.screening_jobs import (
    aware,
    input_folder,
    job_folder,
    purge_expired,
    remove_folder,
)
from app.settings import Settings

log = logging.getLogger("hanaro.screening")
WORKER_AUDIT = AuditContext(ANONYMOUS, None, None, actor="worker:screenings")
Sessions = Callable[[], Session]


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    source: str
    engine: str
    as_of: date
    options: dict[str, Any]
    attempts: int


class ScreeningWorker:
    def __init__(
        self,
        sessions: Sessions,
        settings: Settings,
        snapshot: Callable[[], CatalogSnapshot | None],
    ) -> None:
        self.sessions, self.settings, self.snapshot = sessions, settings, snapshot
        self.name = f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._current: Cancellation | None = None
        self._next_purge = 0.0

    # -- life ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="screening-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        current = self._current
        if current is not None:
            current.cancel()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            ran = False
            try:
                self.recover()
                self._purge_if_due()
                ran = self.run_next()
            except DATABASE_DOWN:
                log.warning("screening worker: database unavailable; trying again later")
            if not ran:
                self._wake.wait(self.settings.screening_poll_seconds)
                self._wake.clear()

    def _purge_if_due(self) -> None:
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + self.settings.screening_purge_seconds
        purged = purge_expired(
            self.sessions, WORKER_AUDIT, self.settings.data_dir, datetime.now(UTC)
        )
        if purged:
            log.info("screening results purged", extra={"jobs": purged})

    # -- recovery -----------------------------------------------------------------------------
    def recover(self) -> int:
        """Queue again (or fail) every running job whose heartbeat went stale."""
        now = datetime.now(UTC)
        cutoff = now - timedelta(seconds=self.settings.screening_stale_seconds)
        with self.sessions() as session:
            with session.begin():  # a plain read first: no write lock while all is well
                stale = [(j.id, j.worker, j.attempts) for j in _repo(session).stale(cutoff)]
            for job_id, worker, attempts in stale:
                with write_transaction(session):
                    self._recover_one(session, job_id, worker, attempts, now)
        return len(stale)

    def _recover_one(
        self, session: Session, job_id: uuid.UUID, worker: str | None, attempts: int, now: datetime
    ) -> None:
        repo = _repo(session)
        job = repo.get(job_id)
        if job is None:
            return
        when = {"status": "running", "worker": worker, "attempts": attempts}
        retention = timedelta(days=self.settings.screening_retention_days)
        ended = {"finished_at": now, "expires_at": now + retention, "worker": None}
        if job.cancel_requested_at is not None:
            values: dict[str, Any] = {"status": "cancelled", **ended}
        elif attempts >= self.settings.screening_max_attempts:
            message = f"its worker stopped during {attempts} run(s): the job is not run again"
            values = {"status": "failed", "error_code": "worker_lost", "error_message": message}
            values |= ended
        elif not self._has_input(job):
            message = "its input files are not on this machine any more"
            values = {"status": "failed", "error_code": "input_lost", "error_message": message}
            values |= ended
        else:
            values = {"status": "queued", "worker": None, "heartbeat_at": None, "stage": None,
                      "stage_index": 0, "stage_count": 0}  # fmt: skip
        if repo.change(job_id, when, values):
            log.warning(
                "screening job lost its worker",
                extra={"job": str(job_id), "now": values["status"], "attempts": attempts},
            )
            if values["status"] != "queued":
                remove_folder(job_folder(self.settings.data_dir, job_id))

    def _has_input(self, job: models.ScreeningJob) -> bool:
        if job.source == "tables":
            return True
        folder = input_folder(self.settings.data_dir, job.id)
        return all(any(folder.glob(f"{name}.*")) for name in ("households", "persons"))

    # -- claim and run ------------------------------------------------------------------------
    def run_next(self) -> bool:
        """Claim and run the oldest queued job; False when there was none (or no catalog)."""
        snapshot = self.snapshot()
        if snapshot is None or self._stopping.is_set():
            return False
        with self.sessions() as session:
            with session.begin():
                job_id = _repo(session).oldest_queued()
            if job_id is None:
                return False
            claimed = self._claim(session, job_id)
        if claimed is not None:
            self._run(claimed, snapshot)
        return True

    def _claim(self, session: Session, job_id: uuid.UUID) -> Claimed | None:
        now = datetime.now(UTC)
        Job = models.ScreeningJob
        with write_transaction(session):
            repo = _repo(session)
            values = {"status": "running", "worker": self.name, "heartbeat_at": now,
                      "started_at": func.coalesce(Job.started_at, now),
                      "attempts": Job.attempts + 1}  # fmt: skip
            if not repo.change(job_id, {"status": "queued"}, values):
                return None  # another worker was first
            job = repo.get(job_id)
            assert job is not None
            return Claimed(job.id, job.source, job.engine, job.as_of, job.options, job.attempts)

    def _run(self, job: Claimed, snapshot: CatalogSnapshot) -> None:
        stop = Cancellation()
        self._current = stop
        runner = _Run(self, job, stop)
        beat = threading.Thread(target=runner.beat, name="screening-heartbeat", daemon=True)
        beat.start()
        try:
            runner.run(snapshot)
        finally:
            runner.done.set()
            beat.join()
            self._current = None


def _repo(session: Session) -> ScreeningJobRepository:
    return ScreeningJobRepository(session)


class _Run:
    """One claimed job being run: its stages, heartbeat and outcome."""

    def __init__(self, worker: ScreeningWorker, job: Claimed, stop: Cancellation) -> None:
        self.worker, self.job, self.stop = worker, job, stop
        self.settings = worker.settings
        self.done = threading.Event()
        self.lost = False
        self.stage = (0, "")
        self.mine = {"status": "running", "worker": worker.name, "attempts": job.attempts}

    def run(self, snapshot: CatalogSnapshot) -> None:
        folder = job_folder(self.settings.data_dir, self.job.id)
        fmt = str(self.job.options.get("format", "parquet"))
        tables = self.job.source == "tables"
        request = RunRequest(
            inputs=(),
            out=folder / f"results.{fmt}",
            aggregate=folder / f"aggregate.{fmt}",
            engine="postgres" if self.job.engine == "postgres" else "duckdb",
            as_of=self.job.as_of,
            min_cell=int(self.job.options.get("min_cell", 5)),
            database_url=self.settings.database_url if self.job.engine == "postgres" else None,
        )
        total = stage_count(request) + tables
        try:
            inputs = input_folder(self.settings.data_dir, self.job.id)
            if tables:
                with self._stage(1, total, "reading the tables"):
                    export_tables(self.settings.database_url, self.job.options["tables"], inputs)
            request = _with_inputs(request, inputs)
            summary = run_screening(
                request, stage=self._offset(tables, total), cancellation=self.stop,
                snapshot=snapshot,
            )  # fmt: skip
            counts = {"households": summary.households, "persons": summary.persons,
                      "programs": summary.programs, "not_compiled": summary.not_compiled,
                      "rows": _count_rows(request.out)}  # fmt: skip
            rel = folder.relative_to(self.settings.data_dir)
            self._end("succeeded", counts=counts, catalog_version=summary.catalog_version,
                      results_path=str(rel / request.out.name),
                      aggregate_path=str(rel / f"aggregate.{fmt}"))  # fmt: skip
        except InputProblems as refused:
            message = "the input was refused: see problems"
            problems = [found.record() for found in refused.found]  # said when read
            self._end("failed", error_code="input_refused", error_message=message,
                      problems=problems)  # fmt: skip
        except Cancelled:
            self._cancelled()
        except Exception as error:  # the worker's boundary: the job fails, the worker goes on
            index, text = self.stage
            message = f"stopped in stage {index} ({text[:120]}): {type(error).__name__}"
            log.error("screening job failed", extra={"job": str(self.job.id), "stage": index,
                                                     "error": type(error).__name__})  # fmt: skip
            self._end("failed", error_code="failed", error_message=message)

    def _offset(self, tables: bool, total: int) -> Callable[..., Any]:
        def stage(index: int, _total: int, text: str) -> Any:
            return self._stage(index + tables, total, text)

        return stage

    @contextmanager
    def _stage(self, index: int, total: int, text: str) -> Iterator[None]:
        self.stage = (index, text)
        now = datetime.now(UTC)
        with self.worker.sessions() as session, write_transaction(session):
            repo = _repo(session)
            values = {"stage": text[:200], "stage_index": index, "stage_count": total,
                      "heartbeat_at": now}  # fmt: skip
            if not repo.change(self.job.id, self.mine, values):
                self.lost = True
            job = repo.get(self.job.id)
            if self.lost or (job is not None and job.cancel_requested_at is not None):
                self.stop.cancel()
        self.stop.check()
        yield

    def beat(self) -> None:
        every = self.settings.screening_heartbeat_seconds
        while not self.done.wait(every):
            try:
                with self.worker.sessions() as session, write_transaction(session):
                    repo = _repo(session)
                    now = datetime.now(UTC)
                    if not repo.change(self.job.id, self.mine, {"heartbeat_at": now}):
                        self.lost = True
                    job = repo.get(self.job.id)
                    asked = job is not None and job.cancel_requested_at is not None
            except DATABASE_DOWN:
                log.warning("screening heartbeat: database unavailable")
                continue
            if self.lost or asked:
                self.stop.cancel()

    def _cancelled(self) -> None:
        if self.lost:
            return  # recovered by another worker meanwhile: it is theirs now
        with self.worker.sessions() as session, session.begin():
            job = _repo(session).get(self.job.id)
            asked = job is not None and job.cancel_requested_at is not None
        if asked or not self.worker._stopping.is_set():
            self._end("cancelled")
            return
        values = {"status": "queued", "worker": None, "heartbeat_at": None, "stage": None,
                  "stage_index": 0, "stage_count": 0,
                  "attempts": models.ScreeningJob.attempts - 1}  # fmt: skip
        with self.worker.sessions() as session, write_transaction(session):
            _repo(session).change(self.job.id, self.mine, values)
        log.info("screening job queued again: worker stopping", extra={"job": str(self.job.id)})

    def _end(self, status: str, **values: Any) -> None:
        now = datetime.now(UTC)
        retention = timedelta(days=self.settings.screening_retention_days)
        values |= {"status": status, "finished_at": now, "expires_at": now + retention,
                   "heartbeat_at": now}  # fmt: skip
        with self.worker.sessions() as session, write_transaction(session):
            changed = _repo(session).change(self.job.id, self.mine, values)
        folder = job_folder(self.settings.data_dir, self.job.id)
        if not changed:
            return  # not ours any more
        if status == "succeeded":
            remove_folder(folder / "input")
        else:
            remove_folder(folder)


def _with_inputs(request: RunRequest, folder: Path) -> RunRequest:
    from dataclasses import replace

    return replace(request, inputs=(folder,))


def _count_rows(path: Path) -> int:
    import duckdb

    from app.screening.stage import sql_literal

    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    con = duckdb.connect()
    try:
        row = con.execute(f"SELECT COUNT(*) FROM {reader}({sql_literal(str(path))})").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


__all__ = ["ScreeningWorker", "aware"]
