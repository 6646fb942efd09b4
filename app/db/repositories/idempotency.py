"""Stored Idempotency-Key answers: find, reserve (race-safe), complete, purge expired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import models


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, owner: str, key: str) -> models.IdempotencyRecord | None:
        return self.session.scalar(
            select(models.IdempotencyRecord)
            .where(models.IdempotencyRecord.owner == owner, models.IdempotencyRecord.key == key)
            .execution_options(populate_existing=True)
        )

    def reserve(
        self, *, owner: str, key: str, request_hash: str, now: datetime, expires_at: datetime
    ) -> models.IdempotencyRecord | None:
        """Insert the key (no answer yet); ``None`` when done, else the row another transaction
        committed first (PostgreSQL: our insert waited for it on the unique key, then lost)."""
        row = models.IdempotencyRecord(
            owner=owner,
            key=key,
            request_hash=request_hash,
            status=0,
            response={},
            created_at=now,
            expires_at=expires_at,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return self.find(owner, key)
        return None

    def complete(self, owner: str, key: str, status: int, response: dict[str, Any]) -> None:
        row = self.find(owner, key)
        if row is not None:
            row.status = status
            row.response = response
            self.session.flush()

    def purge(self, now: datetime) -> int:
        """Delete every expired key; the number deleted."""
        result = self.session.execute(
            delete(models.IdempotencyRecord).where(models.IdempotencyRecord.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0) or 0)
