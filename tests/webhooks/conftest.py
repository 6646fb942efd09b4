"""Webhook fixtures: settings with a data key and short retries, a loopback receiver, a fake
clock the dispatcher reads (so backoff needs no sleeping), and agencies with keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import app.main
from app.crypto import data_cipher
from app.db import models
from app.services.catalog import load_snapshot
from app.services.keys import create_key
from app.settings import Settings
from app.webhooks.dispatcher import Dispatcher
from app.webhooks.outbox import enqueue
from tests.conftest import make_settings
from tests.webhooks.receiver import Receiver, running_receiver

DATA_KEY = Fernet.generate_key().decode()
JITTER_DRAW = 0.5  # the dispatcher's jitter draw in these tests: every delay is 0.75 x its ceiling
HOOK_SETTINGS: dict[str, Any] = {
    "data_keys": [DATA_KEY],
    "webhook_max_attempts": 4,
    "webhook_retry_base_seconds": 10.0,
    "webhook_retry_max_seconds": 25.0,
    "webhook_timeout_seconds": 2.0,
    "webhook_lease_seconds": 60.0,
}


_SNAPSHOTS: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def compile_the_catalog_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's app would compile the (unchanging) test catalog in its lifespan, most of a
    test's time here; webhooks never read it, so the first compiled snapshot serves them all."""

    def cached(session: Session) -> Any:
        if "snapshot" not in _SNAPSHOTS:
            _SNAPSHOTS["snapshot"] = load_snapshot(session)
        return _SNAPSHOTS["snapshot"]

    monkeypatch.setattr(app.main, "load_snapshot", cached)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, **HOOK_SETTINGS)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


class FakeClock:
    """Starts ten minutes ahead of real time, so whatever the app stamps with the real clock
    during a test (an event's creation, a replay) is already due for the dispatcher."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def dispatcher(
    session_factory: sessionmaker[Session], settings: Settings, clock: FakeClock
) -> Iterator[Dispatcher]:
    made = Dispatcher(
        session_factory, data_cipher(settings), settings, clock=clock, draw=lambda: JITTER_DRAW
    )
    yield made
    made.close()


@dataclass(frozen=True)
class Agency:
    partner_id: int
    headers: dict[str, str]


def make_agency(session: Session, name: str, scopes: str = "referrals:receive") -> Agency:
    key = create_key(session, partner=name, scopes=scopes.split(","))
    with session.begin():
        partner_id = session.scalar(select(models.Partner.id).where(models.Partner.name == name))
    assert partner_id is not None
    return Agency(partner_id, {"X-API-Key": key.clear})


def add_event(
    session: Session,
    agency: Agency,
    event_type: str = "referral.sent",
    payload: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> str:
    """An outbox event as the referral code writes it; its uid."""
    with session.begin():
        event = enqueue(
            session,
            partner_id=agency.partner_id,
            event_type=event_type,
            payload=payload or {"referral_id": "ref-test-0001", "status": "sent"},
            now=now,
        )
        session.flush()
        return event.event_uid


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every one stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def stored_event(session: Session, event_uid: str) -> models.OutboxEvent:
    with session.begin():
        event = session.scalar(
            select(models.OutboxEvent)
            .where(models.OutboxEvent.event_uid == event_uid)
            .execution_options(populate_existing=True)
        )
        assert event is not None
        session.expunge(event)
        return event
