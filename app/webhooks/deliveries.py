"""What an agency sees of its webhooks: its events with their delivery log, and replay."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.db import models
from app.db.repositories.webhooks import WebhookRepository
from app.db.session import write_transaction
from app.errors import NotFound, text
from app.schemas.webhooks import DeliveryPage, DeliveryTry, EventDelivery
from app.services.audit import AuditContext, record
from app.webhooks.events import DeliveryStatus


def status_of(event: models.OutboxEvent) -> DeliveryStatus:
    if event.delivered_at is not None:
        return "delivered"
    if event.given_up_at is not None:
        return "given_up"
    if event.skipped_at is not None:
        return "skipped"
    return "pending"


def list_deliveries(
    session: Session,
    partner_id: int | None,
    *,
    status: DeliveryStatus | None,
    limit: int,
    cursor: int | None,
) -> DeliveryPage:
    """The partner's events, newest first, each with its tries (keyset pages by event id)."""
    if partner_id is None:  # anonymous callers never get here (the scope check); no events
        return DeliveryPage(items=[], next_cursor=None)
    with session.begin():
        repo = WebhookRepository(session)
        events = repo.events_of(partner_id, status=status, limit=limit + 1, cursor=cursor)
        page = events[:limit]
        tries: dict[int, list[DeliveryTry]] = defaultdict(list)
        for row in repo.tries_of([e.id for e in page]):
            tries[row.event_id].append(DeliveryTry.model_validate(row, from_attributes=True))
        items = [_delivery(event, tries[event.id]) for event in page]
    next_cursor = str(page[-1].id) if len(events) > limit else None
    return DeliveryPage(items=items, next_cursor=next_cursor)


def replay_event(session: Session, ctx: AuditContext, event_uid: str) -> EventDelivery:
    """Send the event again, as a new round of tries (same ``webhook-id``), whatever its status
    and the endpoint's event filter. Another agency's event is not found (404)."""
    partner_id = ctx.principal.partner_id
    now = datetime.now(UTC)
    with write_transaction(session):
        repo = WebhookRepository(session)
        # locked: a purge deleting it meanwhile makes it not found, never a failed update
        event = repo.event_of(partner_id, event_uid, lock=True) if partner_id is not None else None
        if event is None:
            raise NotFound(text("errors.webhooks.event_not_found", event_uid=event_uid))
        event.delivered_at = event.given_up_at = event.skipped_at = None
        event.claim_token, event.last_error = None, None
        event.attempts, event.replays, event.next_attempt_at = 0, event.replays + 1, now
        session.flush()
        record(session, ctx, "webhook.replay", f"event:{event_uid}", {"replay": event.replays})
        log = repo.tries_of([event.id])
        return _delivery(event, [DeliveryTry.model_validate(t, from_attributes=True) for t in log])


def _delivery(event: models.OutboxEvent, tries: list[DeliveryTry]) -> EventDelivery:
    status = status_of(event)
    return EventDelivery(
        event_uid=event.event_uid,
        event_type=event.event_type,
        status=status,
        created_at=event.created_at,
        attempts=event.attempts,
        replays=event.replays,
        next_attempt_at=event.next_attempt_at if status == "pending" else None,
        delivered_at=event.delivered_at,
        given_up_at=event.given_up_at,
        skipped_at=event.skipped_at,
        last_error=event.last_error,
        tries=tries,
    )
