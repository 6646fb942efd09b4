"""The append-only audit log: insert and read; delete only through the retention purge.

The database enforces it (migration 0005): no UPDATE or DELETE privilege for the service's role on
PostgreSQL, and triggers rejecting UPDATE and any DELETE of entries younger than two years.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
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

    def purge_before(self, before: datetime) -> int:
        """Delete entries that occurred before ``before`` (older than the retention period; the
        database refuses anything younger). On PostgreSQL through ``hanaro_purge_audit_log``, the
        one path its trigger lets through; on SQLite its trigger checks the age itself."""
        if self.session.get_bind().dialect.name == "postgresql":
            purged = self.session.scalar(select(func.hanaro_purge_audit_log(before)))
            return int(purged or 0)
        result = self.session.execute(
            delete(models.AuditEntry).where(models.AuditEntry.occurred_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def may_be_rewritten(self) -> bool:
        """Whether this connection's role holds UPDATE or DELETE on the audit log (PostgreSQL;
        the triggers still refuse, but the service should run as ``hanaro_app``)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return False
        update = func.has_table_privilege("audit_log", "UPDATE")
        delete_ = func.has_table_privilege("audit_log", "DELETE")
        return bool(self.session.scalar(select(update | delete_)))
