"""The audit log: who did what to which target, when, from where (request id included).

Writers call ``record`` inside the transaction of the change they audit, so an entry exists
exactly when the change does. Entries name actions and targets (program ids, route paths); they
never carry profile values or request bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from app.db import models
from app.db.outage import DATABASE_DOWN, Outage
from app.db.repositories.audit import AuditRepository
from app.db.session import write_transaction
from app.errors import RetentionNotOver, text
from app.schemas.audit import AuditEntryOut, AuditPage
from app.security import Principal
from app.services.audit_spool import AuditSpool, new_uid

RETENTION_YEARS = 2
"""접속기록 보관: at least two years (개인정보의 안전성 확보조치 기준 제8조, for processors of
sensitive data such as disability and health facts). The database triggers say 2 years too."""


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
    AuditRepository(session).append(entry_for(ctx, action, target, detail))


def entry_for(
    ctx: AuditContext,
    action: str,
    target: str | None,
    detail: Mapping[str, Any] | None = None,
    entry_uid: str | None = None,
) -> models.AuditEntry:
    return models.AuditEntry(
        occurred_at=datetime.now(UTC),
        actor=ctx.actor or ctx.principal.actor,
        partner_id=ctx.principal.partner_id,
        client_address=ctx.client_address,
        action=action,
        target=target,
        request_id=ctx.request_id,
        detail=dict(detail or {}),
        entry_uid=entry_uid,
    )


ACCESS_WRITE_WAIT_MS = 1000
"""How long recording a keyed access may wait (for SQLite's write lock; on PostgreSQL for a lock or
a statement) before the entry goes to the local spool instead: well inside the ~2 s a request may
spend on the database."""


def record_access(
    sessions: Callable[[], Session],
    ctx: AuditContext,
    action: str,
    target: str | None,
    *,
    spool: AuditSpool | None = None,
    outage: Outage | None = None,
) -> None:
    """Record a keyed read of personal data in its own short transaction.

    With a ``spool``, an entry the database cannot take (down, or slower than
    ``ACCESS_WRITE_WAIT_MS``) is kept in the spool instead, and the request goes on; while
    ``outage`` says the database just failed, the entry goes to the spool without trying. The
    entry has its unique id before the first try, so an entry whose commit was in doubt and
    that was spooled as well is inserted once. After a successful write, a pending spool is
    drained.
    """
    detail = {"partner": ctx.principal.partner_name}
    if spool is None:
        with sessions() as session, write_transaction(session):
            record(session, ctx, action, target, detail)
        return
    uid = new_uid()
    if outage is not None and outage.suspected():
        spool.append(entry_for(ctx, action, target, detail, uid))
        return
    try:
        with sessions() as session, write_transaction(session, wait_ms=ACCESS_WRITE_WAIT_MS):
            AuditRepository(session).append(entry_for(ctx, action, target, detail, uid))
    except DATABASE_DOWN as error:
        if outage is not None:
            outage.failed(error)
        spool.append(entry_for(ctx, action, target, detail, uid))
        return
    if outage is not None:
        outage.recovered()
    if spool.pending():
        drain_spool(sessions, spool, outage)


def drain_spool(
    sessions: Callable[[], Session], spool: AuditSpool, outage: Outage | None = None
) -> int:
    """Move the spooled entries into the audit log; 0 (the spool kept) when the database cannot
    take them yet."""
    try:
        with sessions() as session:
            drained = spool.drain(session)
    except DATABASE_DOWN as error:
        if outage is not None:
            outage.failed(error)
        return 0
    if outage is not None:
        outage.recovered()
    return drained


def record_refusal(
    sessions: Callable[[], Session],
    ctx: AuditContext,
    action: str,
    target: str,
    detail: Mapping[str, Any],
) -> None:
    """Record a refused admin or audit request (denied or rejected) in its own transaction: the
    request's own transaction, if any, was rolled back with the refusal."""
    with sessions() as session, session.begin():
        record(session, ctx, action, target, detail)


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


def service_role_may_rewrite(session: Session) -> bool:
    """True when the service's database role may UPDATE or DELETE audit entries (PostgreSQL run
    as the owner instead of ``hanaro_app``): worth a warning at startup."""
    with session.begin():
        return AuditRepository(session).may_be_rewritten()


def retention_cutoff(now: datetime) -> datetime:
    """The newest moment an entry may have occurred and still be purged at ``now``."""
    try:
        return now.replace(year=now.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - RETENTION_YEARS, day=28)


def default_purge_date(now: datetime) -> date:
    """The purge cut-off used when none is given: the date of the retention cut-off."""
    return retention_cutoff(now).date()


def purge(session: Session, ctx: AuditContext, before: date, now: datetime) -> int:
    """Delete the entries that occurred before ``before`` (00:00 UTC) and audit the purge itself.
    Raises ``RetentionNotOver`` when that would touch an entry younger than the retention period.
    """
    cutoff = datetime.combine(before, time(), tzinfo=UTC)
    if cutoff > retention_cutoff(now):
        raise RetentionNotOver(
            text("errors.audit_retention.detail", years=RETENTION_YEARS, before=before.isoformat())
        )
    with session.begin():
        purged = AuditRepository(session).purge_before(cutoff)
        record(session, ctx, "audit.purge", None, {"before": before.isoformat(), "purged": purged})
    return purged
