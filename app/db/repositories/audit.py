"""The append-only audit log: insert and read, never update or delete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, entry: models.AuditEntry) -> models.AuditEntry:
        self.session.add(entry)
        self.session.flush()
        return entry

    def page(
        self,
        *,
        limit: int,
        before_id: int | None = None,
        action: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
    ) -> Sequence[models.AuditEntry]:
        """Newest first; ``before_id`` is the keyset cursor (the last id of the previous page)."""
        query = select(models.AuditEntry).order_by(models.AuditEntry.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(models.AuditEntry.id < before_id)
        if action is not None:
            query = query.where(models.AuditEntry.action == action)
        if actor is not None:
            query = query.where(models.AuditEntry.actor == actor)
        if since is not None:
            query = query.where(models.AuditEntry.occurred_at >= since)
        return self.session.scalars(query).all()
