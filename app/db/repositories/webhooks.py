"""Webhook endpoints, the outbox's due events and claims, and the delivery log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from app.db import models

Event = models.OutboxEvent
Try = models.WebhookDelivery

# an event nobody has settled yet: neither delivered, nor given up, nor left out by the filter
UNSETTLED = and_(
    Event.delivered_at.is_(None), Event.given_up_at.is_(None), Event.skipped_at.is_(None)
)
STATUS_FILTERS: dict[str, ColumnElement[bool]] = {
    "pending": UNSETTLED,
    "delivered": Event.delivered_at.is_not(None),
    "given_up": Event.given_up_at.is_not(None),
    "skipped": Event.skipped_at.is_not(None),
}

# when an event settled, per settled status: at most one is set (a replay clears them all)
SETTLED_AT = {
    "delivered": Event.delivered_at,
    "given_up": Event.given_up_at,
    "skipped": Event.skipped_at,
}


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- endpoints ---------------------------------------------------------------------------

    def endpoint_of(self, partner_id: int) -> models.WebhookEndpoint | None:
        return self.session.scalar(
            select(models.WebhookEndpoint).where(models.WebhookEndpoint.partner_id == partner_id)
        )

    def add_endpoint(self, endpoint: models.WebhookEndpoint) -> None:
        self.session.add(endpoint)
        self.session.flush()

    # --- the dispatcher's claim --------------------------------------------------------------

    def due(
        self, now: datetime, limit: int, *, skip_locked: bool
    ) -> Sequence[tuple[models.OutboxEvent, models.WebhookEndpoint]]:
        """Unsettled events due by ``now`` of partners with an enabled endpoint, oldest due
        first. ``skip_locked`` (PostgreSQL): rows another dispatcher is claiming are passed
        over instead of waited for."""
        query = (
            select(Event, models.WebhookEndpoint)
            .join(models.WebhookEndpoint, models.WebhookEndpoint.partner_id == Event.partner_id)
            .where(UNSETTLED, Event.next_attempt_at <= now)
            .where(models.WebhookEndpoint.disabled_at.is_(None))
            .order_by(Event.next_attempt_at, Event.id)
            .limit(limit)
        )
        if skip_locked:
            query = query.with_for_update(skip_locked=True, of=Event)
        return [(event, endpoint) for event, endpoint in self.session.execute(query)]

    def any_due(self, now: datetime) -> bool:
        """A read, before taking the write lock: is anything due at all?"""
        query = (
            select(Event.id)
            .join(models.WebhookEndpoint, models.WebhookEndpoint.partner_id == Event.partner_id)
            .where(UNSETTLED, Event.next_attempt_at <= now)
            .where(models.WebhookEndpoint.disabled_at.is_(None))
            .limit(1)
        )
        return self.session.scalar(query) is not None

    def claim(self, event_id: int, now: datetime, token: str, lease_until: datetime) -> bool:
        """Take the event if it is still unsettled and due: a conditional UPDATE, so of two
        dispatchers that saw it due only one changes the row (the other's WHERE no longer
        holds: on SQLite writers take turns, on PostgreSQL the second re-reads the row after
        the first commits). The lease (``next_attempt_at``) is when another may take it."""
        result = self._update(
            update(Event)
            .where(Event.id == event_id, UNSETTLED, Event.next_attempt_at <= now)
            .values(claim_token=token, attempts=Event.attempts + 1, next_attempt_at=lease_until)
        )
        return result.rowcount == 1

    def skip(self, event_id: int, now: datetime) -> None:
        self._update(update(Event).where(Event.id == event_id, UNSETTLED).values(skipped_at=now))

    def interrupt_open_tries(self, event_id: int, now: datetime) -> None:
        """Tries left ``sending`` by a dispatcher that stopped mid-delivery."""
        self._update(
            update(Try)
            .where(Try.event_id == event_id, Try.outcome == "sending")
            .values(outcome="interrupted", finished_at=now)
        )

    def add_try(self, event_id: int, *, replay: int, attempt: int, now: datetime) -> int:
        row = Try(event_id=event_id, replay=replay, attempt=attempt, outcome="sending")
        row.started_at = now
        self.session.add(row)
        self.session.flush()
        return row.id

    # --- recording the answer ----------------------------------------------------------------

    def finish_try(self, try_id: int, now: datetime, **answer: Any) -> None:
        self._update(update(Try).where(Try.id == try_id).values(finished_at=now, **answer))

    def settle_claim(self, event_id: int, token: str, **values: Any) -> bool:
        """Change the event only while this claim holds it (a replay or a later claim after
        the lease ran out took it over otherwise)."""
        result = self._update(
            update(Event)
            .where(Event.id == event_id, Event.claim_token == token, UNSETTLED)
            .values(claim_token=None, **values)
        )
        return result.rowcount == 1

    # --- the agency's view -------------------------------------------------------------------

    def events_of(
        self, partner_id: int, *, status: str | None, limit: int, cursor: int | None
    ) -> Sequence[models.OutboxEvent]:
        query = select(Event).where(Event.partner_id == partner_id)
        if status is not None:
            query = query.where(STATUS_FILTERS[status])
        if cursor is not None:
            query = query.where(Event.id < cursor)
        return self.session.scalars(query.order_by(Event.id.desc()).limit(limit)).all()

    def tries_of(self, event_ids: Sequence[int]) -> Sequence[models.WebhookDelivery]:
        if not event_ids:
            return []
        return self.session.scalars(
            select(Try).where(Try.event_id.in_(event_ids)).order_by(Try.event_id, Try.id)
        ).all()

    def event_of(
        self, partner_id: int, event_uid: str, lock: bool = False
    ) -> models.OutboxEvent | None:
        """The agency's event; with ``lock``, its row locked for this transaction (PostgreSQL:
        a purge deleting it meanwhile is waited for, and then there is no event)."""
        query = select(Event).where(Event.event_uid == event_uid, Event.partner_id == partner_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    # --- retention ---------------------------------------------------------------------------

    def purge_settled(self, state: str, before: datetime, limit: int) -> int:
        """Delete at most ``limit`` events that settled as ``state`` (``SETTLED_AT``) before
        ``before``, their delivery log with them (ON DELETE CASCADE); how many. One column per
        statement, so each is a range scan of that column's index on both backends (SQLite
        plans an OR of three ranges as a full scan). An unsettled event has all three columns
        NULL, so no comparison holds for it: it is never deleted, however old.

        The DELETE repeats the condition on its own rows: on PostgreSQL a row that a replay
        changed while the DELETE waited for its lock is checked again as committed (pending
        now, so kept), whereas the batch's ids were read before."""
        settled_before = SETTLED_AT[state] < before
        batch = select(Event.id).where(settled_before).limit(limit).scalar_subquery()
        purge = delete(Event).where(Event.id.in_(batch), settled_before)
        return int(self._update(purge).rowcount or 0)

    def _update(self, statement: Any) -> CursorResult[Any]:
        result = self.session.execute(statement, execution_options={"synchronize_session": False})
        return cast(CursorResult[Any], result)
