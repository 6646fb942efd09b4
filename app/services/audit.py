"""The audit log: who did what to which target, when, from where (request id included).

Writers call ``record`` inside the transaction of the change they audit, so an entry exists
exactly when the change does. Entries name actions and targets (program ids, route paths); they
never carry profile values or request bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db import models
from app.db.repositories.audit import AuditRepository
from app.db.session import write_transaction
from app.schemas.audit import AuditEntryOut, AuditPage
from app.security import Principal


@dataclass(frozen=True)
class AuditContext:
    """The request facts an audit entry needs, taken once at the HTTP edge."""

    principal: Principal
    client_address: str | None
    request_id: str | None
    actor: str | None = None  # overrides the principal's name (``cli:keys``)


def record(
    session: Session,
    ctx: AuditContext,
    action: str,
    target: str | None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry; the caller owns the transaction."""
    AuditRepository(session).append(
        models.AuditEntry(
            occurred_at=datetime.now(UTC),
            actor=ctx.actor or ctx.principal.actor,
            partner_id=ctx.principal.partner_id,
            client_address=ctx.client_address,
            action=action,
            target=target,
            request_id=ctx.request_id,
            detail=dict(detail or {}),
        )
    )


def record_access(
    sessions: Callable[[], Session], ctx: AuditContext, action: str, target: str | None
) -> None:
    """Record a keyed read of personal data in its own short transaction."""
    with sessions() as session, write_transaction(session):
        record(session, ctx, action, target, {"partner": ctx.principal.partner_name})


def list_entries(
    session: Session,
    *,
    limit: int,
    cursor: int | None,
    action: str | None,
    actor: str | None,
    since: datetime | None,
) -> AuditPage:
    with session.begin():
        rows = AuditRepository(session).page(
            limit=limit + 1, before_id=cursor, action=action, actor=actor, since=since
        )
        items = [AuditEntryOut.model_validate(row, from_attributes=True) for row in rows[:limit]]
    next_cursor = str(items[-1].id) if len(rows) > limit else None
    return AuditPage(items=items, next_cursor=next_cursor)
