"""Delivering the outbox at least once: claim a due event, POST it signed, record the answer.

- **Claim** (one event per short transaction): the oldest due, unsettled event of a partner with
  an enabled endpoint is taken by a conditional UPDATE that sets a claim token and a lease
  (``next_attempt_at`` = now + ``webhook_lease_seconds``) and counts the try; PostgreSQL reads
  the candidates ``FOR UPDATE SKIP LOCKED`` so dispatchers in several workers pass each other
  by, SQLite's single writer makes them take turns. The try is written to the delivery log as
  ``sending``. An event whose type the endpoint filters out is marked ``skipped`` instead.
- **Send**, outside any transaction: httpx POST with a short timeout, no redirects, the answer's
  body never read; in production not to a host that resolves to a private, loopback or reserved
  address (``addresses``: failed as ``BlockedAddress``, without connecting). A 2xx is delivered;
  anything else (another status, a network error) failed.
- **Record**: the try's outcome; the event is delivered, or due again after a backoff (base ×
  2^(try-1), at most ``webhook_retry_max_seconds``, times a jitter in [0.5, 1)), or given up
  after ``webhook_max_attempts`` tries. Only the claim's holder may settle the event.

A dispatcher that dies between claim and record loses nothing: when the lease runs out the event
is due again, its open try becomes ``interrupted`` and it is sent again with the same
``webhook-id`` (receivers drop duplicates by it). Events of a partner without an enabled endpoint
are not claimed: they wait, and go out once the agency registers one.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.crypto import DataCipher, InvalidToken
from app.db.repositories.webhooks import WebhookRepository
from app.db.session import write_transaction
from app.settings import Settings
from app.webhooks.addresses import destination_allowed
from app.webhooks.signing import body_of, signed_headers

log = logging.getLogger("hanaro.webhooks")
CANDIDATES = 10  # due events looked at per claim (filtered ones are skipped on the way)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _never() -> bool:
    return False


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            settings.webhook_max_attempts,
            settings.webhook_retry_base_seconds,
            settings.webhook_retry_max_seconds,
        )

    def delay(self, attempt: int, draw: float) -> timedelta:
        """The wait after failed try ``attempt`` (1-based); ``draw`` in [0, 1) is the jitter."""
        ceiling = min(self.max_seconds, self.base_seconds * 2.0 ** min(attempt - 1, 60))
        return timedelta(seconds=ceiling * (0.5 + draw / 2))


@dataclass(frozen=True)
class Claim:
    """A claimed event: everything needed to send it, without going back to the database."""

    event_id: int
    event_uid: str
    event_type: str
    created_at: datetime
    payload: dict[str, Any]
    attempt: int
    token: str
    try_id: int
    url: str
    secret_encrypted: str


@dataclass(frozen=True)
class Answer:
    """What came back: a status code, or the class of the error that stopped the request."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def is_delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def summary(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code is not None else str(self.error)


class Dispatcher:
    """Delivers due outbox events; one per worker thread or CLI process (not thread-safe)."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        cipher: DataCipher,
        settings: Settings,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], datetime] = utc_now,
        draw: Callable[[], float] = random.random,
    ) -> None:
        self.sessions, self.cipher, self.clock, self.draw = sessions, cipher, clock, draw
        self.policy = RetryPolicy.from_settings(settings)
        self.lease = timedelta(seconds=settings.webhook_lease_seconds)
        self.settings = settings
        self.client = client or httpx.Client(
            timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False
        )

    def close(self) -> None:
        self.client.close()

    def deliver_due(self, limit: int = 1000, *, should_stop: Callable[[], bool] = _never) -> int:
        """Deliver (or try) due events one after another until none is due, ``limit`` tries
        were made or ``should_stop()``; the number of tries."""
        tries = 0
        while tries < limit and not should_stop() and self.deliver_next():
            tries += 1
        return tries

    def deliver_next(self) -> bool:
        """Claim, send and record one due event; False when none was due."""
        claim = self.claim_next()
        if claim is None:
            return False
        self.record(claim, self.send(claim))
        return True

    def claim_next(self) -> Claim | None:
        now, token = self.clock(), uuid.uuid4().hex
        with self.sessions() as session, session.begin():
            if not WebhookRepository(session).any_due(now):
                return None  # the common case: no write lock taken (SQLite has one for all)
        with self.sessions() as session, write_transaction(session):
            repo = WebhookRepository(session)
            skip_locked = session.get_bind().dialect.name == "postgresql"
            skipped = True
            while skipped:  # each round settles what it skips, so it ends
                skipped = False
                for event, endpoint in repo.due(now, CANDIDATES, skip_locked=skip_locked):
                    types = endpoint.event_types
                    if types is not None and event.event_type not in types and not event.replays:
                        repo.skip(event.id, now)
                        skipped = True
                        continue
                    if not repo.claim(event.id, now, token, now + self.lease):
                        continue
                    repo.interrupt_open_tries(event.id, now)
                    attempt = event.attempts + 1
                    try_id = repo.add_try(event.id, replay=event.replays, attempt=attempt, now=now)
                    return Claim(
                        event.id, event.event_uid, event.event_type, event.created_at,
                        event.payload, attempt, token, try_id, endpoint.url,
                        endpoint.secret_encrypted,
                    )  # fmt: skip
        return None

    def send(self, claim: Claim) -> Answer:
        started = time.monotonic()
        if not destination_allowed(claim.url, self.settings):  # resolves to a private address
            return Answer(None, "BlockedAddress", round((time.monotonic() - started) * 1000))
        try:
            secret = self.cipher.decrypt(claim.secret_encrypted)
        except InvalidToken:  # the data key that sealed it was removed from HANARO_DATA_KEYS
            return Answer(None, "SecretUnreadable", 0)
        body = body_of(claim.event_type, claim.created_at, claim.payload)
        headers = signed_headers(secret, claim.event_uid, self.clock(), body)
        status, error = None, None
        try:
            with self.client.stream("POST", claim.url, content=body, headers=headers) as answer:
                status = answer.status_code  # the body is never read
        except httpx.HTTPError as failure:
            error = type(failure).__name__
        return Answer(status, error, round((time.monotonic() - started) * 1000))

    def record(self, claim: Claim, answer: Answer) -> None:
        now = self.clock()
        outcome = "delivered" if answer.is_delivered else "failed"
        with self.sessions() as session, write_transaction(session):
            repo = WebhookRepository(session)
            repo.finish_try(
                claim.try_id,
                now,
                outcome=outcome,
                status_code=answer.status_code,
                error=answer.error,
                duration_ms=answer.duration_ms,
            )
            if answer.is_delivered:
                repo.settle_claim(claim.event_id, claim.token, delivered_at=now, last_error=None)
            elif claim.attempt >= self.policy.max_attempts:
                repo.settle_claim(
                    claim.event_id, claim.token, given_up_at=now, last_error=answer.summary
                )
            else:
                due = now + self.policy.delay(claim.attempt, self.draw())
                repo.settle_claim(
                    claim.event_id, claim.token, next_attempt_at=due, last_error=answer.summary
                )
        log.info(
            "webhook %s try %d: %s in %d ms",
            claim.event_uid, claim.attempt, answer.summary, answer.duration_ms,
        )  # fmt: skip
