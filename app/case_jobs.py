"""The scheduled case jobs: purge cases past retention (파기), then re-screen open cases whose
catalog changed or whose dated event came. Run by each worker every ``case_jobs_seconds`` (both
are idempotent: a purged case is not purged twice, a re-screened case is not due again) and by
``hanaro cases purge|rescreen``."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.clock import today_in_seoul
from app.crypto import DataCipher
from app.matching import CatalogSnapshot
from app.services.case_plans import rescreen_due
from app.services.case_purge import purge_expired

log = logging.getLogger("hanaro.cases")


@dataclass(frozen=True)
class JobReport:
    purged: int
    replanned: int
    tasks_created: int


def run_once(
    session: Session, cipher: DataCipher, snapshot: CatalogSnapshot | None, today: date
) -> JobReport:
    purged = purge_expired(session, today)
    if snapshot is None:  # no catalog loaded yet: re-screen next time
        return JobReport(len(purged), 0, 0)
    report = rescreen_due(session, cipher, snapshot, today)
    return JobReport(len(purged), len(report.replanned), report.tasks_created)


async def run_every(app: FastAPI, every_seconds: float) -> None:
    from app.crypto import data_cipher

    def once() -> JobReport:
        loaded = app.state.catalog.current
        snapshot = loaded.snapshot if loaded is not None else None
        cipher = data_cipher(app.state.settings)
        with app.state.sessionmaker() as session:
            return run_once(session, cipher, snapshot, today_in_seoul())

    while True:
        await asyncio.sleep(every_seconds)
        try:
            report = await asyncio.to_thread(once)
        except SQLAlchemyError:
            log.warning("case jobs failed; trying again next period", exc_info=True)
            continue
        log.info(
            "case jobs: %d purged, %d re-screened, %d tasks",
            report.purged,
            report.replanned,
            report.tasks_created,
        )
