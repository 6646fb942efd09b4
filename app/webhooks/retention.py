"""Outbox retention: settled events (delivered, given up or skipped) are deleted, with their
delivery log, once they settled before a cut-off (``webhook_retention_days`` ago by default);
an unsettled event, still to be sent or retried, is never deleted, however old.

Run by ``hanaro webhooks purge`` (from cron, as the audit, case and screening purges), not by
the workers' dispatchers: they poll every few seconds in every worker to deliver, and a purge
is a bulk delete that is due once a day. Age counts from when an event settled, not from when
it was made: an old event an agency replayed yesterday is kept as long as a new one. A purged
event is gone from the agency's delivery log and can no longer be replayed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from app.db.repositories.webhooks import SETTLED_AT, WebhookRepository
from app.db.session import write_transaction
from app.services.audit import AuditContext, record

BATCH = 1000  # events per transaction: SQLite's one write lock is held a moment, not minutes


def default_purge_date(now: datetime, retention_days: int) -> date:
    """The cut-off used when none is given: the date ``retention_days`` before ``now``."""
    return (now - timedelta(days=retention_days)).date()


def purge_settled(
    sessions: Callable[[], Session], ctx: AuditContext, before: date, *, batch: int = BATCH
) -> dict[str, int]:
    """Delete the events settled before ``before`` (00:00 UTC), ``batch`` at a time, each batch
    in its own short transaction, and audit the purge (``webhook.purge``: the cut-off and the
    counts) in the last one. Returns how many were deleted per settled status (``delivered``,
    ``given_up``, ``skipped``)."""
    cutoff = datetime.combine(before, time(), tzinfo=UTC)
    purged = dict.fromkeys(SETTLED_AT, 0)
    left = list(SETTLED_AT)  # the statuses still to purge
    while left:
        with sessions() as session, write_transaction(session):
            deleted = WebhookRepository(session).purge_settled(left[0], cutoff, batch)
            purged[left[0]] += deleted
            if deleted < batch:
                left.pop(0)
            if not left:
                detail = {"before": before.isoformat(), **purged}
                record(session, ctx, "webhook.purge", None, detail)
    return purged
