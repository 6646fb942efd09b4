"""Writing to the transactional outbox: call ``enqueue`` inside the transaction that makes the
change, so the event is committed exactly when the change is (and rolled back with it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import OutboxEvent


def enqueue(
    session: Session,
    *,
    partner_id: int,
    event_type: str,
    payload: dict[str, Any],
    now: datetime | None = None,
) -> OutboxEvent:
    """Add one event for ``partner_id``'s webhook to ``session`` (not flushed, not committed).

    ``payload`` must hold references and statuses only: never profile values or contact details.
    """
    at = now or datetime.now(UTC)
    event = OutboxEvent(
        event_uid=str(uuid.uuid4()),
        partner_id=partner_id,
        event_type=event_type,
        payload=payload,
        created_at=at,
        attempts=0,
        next_attempt_at=at,
    )
    session.add(event)
    return event
