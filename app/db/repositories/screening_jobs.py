"""Screening jobs: add, find (owned), list, claim the next queued one, find stale and expired
ones, and the conditional updates that let several workers share the table safely."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import models

Job = models.ScreeningJob
FINISHED = ("succeeded", "failed", "cancelled")


class ScreeningJobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: models.ScreeningJob) -> None:
        self.session.add(job)
        self.session.flush()

    def get(self, job_id: uuid.UUID) -> models.ScreeningJob | None:
        return self.session.scalar(
            select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
        )

    def owned(self, job_id: uuid.UUID, partner_id: int) -> models.ScreeningJob | None:
        return self.session.scalar(
            select(Job)
            .where(Job.id == job_id, Job.partner_id == partner_id)
            .execution_options(populate_existing=True)
        )

    def of_partner(
        self, partner_id: int, limit: int, status: str | None = None
    ) -> Sequence[models.ScreeningJob]:
        query = select(Job).where(Job.partner_id == partner_id)
        if status is not None:
            query = query.where(Job.status == status)
        return self.session.scalars(
            query.order_by(Job.created_at.desc(), Job.id).limit(limit)
        ).all()

    def oldest_queued(self, not_ids: Sequence[uuid.UUID] = ()) -> uuid.UUID | None:
        query = select(Job.id).where(Job.status == "queued")
        if not_ids:
            query = query.where(Job.id.not_in(list(not_ids)))
        return self.session.scalar(query.order_by(Job.created_at, Job.id).limit(1))

    def change(self, job_id: uuid.UUID, when: dict[str, Any], values: dict[str, Any]) -> bool:
        """``UPDATE ... SET values WHERE id AND when``: True when the row matched. Two workers
        racing for one row: the second waits for the first's commit (PostgreSQL re-reads the
        row; SQLite has one writer), sees ``when`` no longer holds and changes nothing."""
        conditions = [getattr(Job, name) == value for name, value in when.items()]
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, *conditions)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def stale(self, heartbeat_before: datetime) -> Sequence[models.ScreeningJob]:
        return self.session.scalars(
            select(Job).where(
                Job.status == "running",
                (Job.heartbeat_at < heartbeat_before) | Job.heartbeat_at.is_(None),
            )
        ).all()

    def expired(self, now: datetime) -> Sequence[models.ScreeningJob]:
        return self.session.scalars(
            select(Job).where(Job.status.in_(FINISHED), Job.expires_at <= now)
        ).all()
