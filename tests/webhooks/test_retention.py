"""Outbox retention: ``hanaro webhooks purge`` deletes events delivered, given up or skipped
before the cut-off, with their delivery log, and audits it; younger ones stay, and an event still
to be sent or retried stays whatever its age."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app.cli import main
from app.db.models import AuditEntry, OutboxEvent, WebhookDelivery
from app.db.session import make_engine, make_sessionmaker
from app.migrate import upgrade
from app.security import ANONYMOUS
from app.services.audit import AuditContext
from app.settings import Settings
from app.webhooks.retention import purge_settled
from tests.webhooks.conftest import Agency, add_event, make_agency

CTX = AuditContext(ANONYMOUS, None, None, actor="tests:webhooks")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def settle(session: Session, uid: str, **columns: Any) -> None:
    """Put an event in a state as the dispatcher leaves it (the timestamps are the test's)."""
    with session.begin():
        session.execute(update(OutboxEvent).where(OutboxEvent.event_uid == uid).values(**columns))


def add_try(session: Session, uid: str, started: datetime) -> None:
    with session.begin():
        event_id = session.scalar(select(OutboxEvent.id).where(OutboxEvent.event_uid == uid))
        assert event_id is not None
        session.add(
            WebhookDelivery(
                event_id=event_id, replay=0, attempt=1, outcome="delivered", status_code=204,
                started_at=started, finished_at=started,
            )
        )  # fmt: skip


def uids(session: Session) -> set[str]:
    with session.begin():
        return set(session.scalars(select(OutboxEvent.event_uid)))


def tries(session: Session) -> int:
    with session.begin():
        return int(session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0)


async def test_settled_events_before_the_cutoff_go_and_the_rest_stay(
    client: httpx.AsyncClient, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    agency = make_agency(db_session, "Invented Retention Agency")
    other = make_agency(db_session, "Invented Other Agency")

    def made(on: str, agency_: Any = agency) -> str:
        return add_event(db_session, agency_, now=at(on))

    gone = {
        "delivered a second before": made("2026-11-05T00:00:00"),
        "another agency's, delivered": made("2026-10-01T00:00:00", other),
        "delivered in the spring": made("2026-04-01T00:00:00"),
        "given up": made("2026-09-20T00:00:00"),
        "skipped": made("2026-08-01T00:00:00"),
    }
    settle(db_session, gone["delivered a second before"], delivered_at=at("2026-11-05T23:59:59"))
    settle(db_session, gone["another agency's, delivered"], delivered_at=at("2026-10-01T00:00:05"))
    settle(db_session, gone["delivered in the spring"], delivered_at=at("2026-04-01T00:00:09"))
    settle(db_session, gone["given up"], given_up_at=at("2026-10-02T00:00:00"), attempts=10)
    settle(db_session, gone["skipped"], skipped_at=at("2026-08-01T00:00:01"))
    kept = {
        "delivered at the cutoff": made("2026-11-05T23:00:00"),
        "delivered last week": made("2026-11-29T00:00:00"),
        "made long ago, replayed and delivered lately": made("2026-03-01T00:00:00"),
        "pending for two years": made("2024-12-01T00:00:00"),
        "retrying since last year": made("2025-06-01T00:00:00"),
        "claimed since last year": made("2025-07-01T00:00:00"),
    }
    settle(db_session, kept["delivered at the cutoff"], delivered_at=at("2026-11-06T00:00:00"))
    settle(db_session, kept["delivered last week"], delivered_at=at("2026-11-29T00:00:01"))
    settle(
        db_session,
        kept["made long ago, replayed and delivered lately"],
        delivered_at=at("2026-11-20T00:00:00"),
        replays=1,
    )
    settle(
        db_session,
        kept["retrying since last year"],
        attempts=3,
        last_error="HTTP 500",
        next_attempt_at=at("2025-06-01T01:00:00"),
    )
    settle(db_session, kept["claimed since last year"], attempts=1, claim_token="c" * 32)
    add_try(db_session, gone["delivered a second before"], at("2026-11-05T23:59:58"))
    add_try(db_session, kept["delivered last week"], at("2026-11-29T00:00:00"))
    before_purge = uids(db_session)

    # batches of two: the three old delivered events take two, the last one ends short
    purged = purge_settled(session_factory, CTX, date(2026, 11, 6), batch=2)

    assert purged == {"delivered": 3, "given_up": 1, "skipped": 1}
    assert uids(db_session) == before_purge - set(gone.values())
    assert set(kept.values()) <= uids(db_session)
    assert tries(db_session) == 1  # the purged event's delivery log went with it
    listed = await client.get("/v1/webhooks/deliveries", headers=agency.headers)
    assert [item["event_uid"] for item in listed.json()["items"]] == list(kept.values())[::-1]
    with db_session.begin():
        [entry] = db_session.scalars(
            select(AuditEntry).where(AuditEntry.action == "webhook.purge")
        ).all()
        assert (entry.actor, entry.target) == ("tests:webhooks", None)
        assert entry.detail == {"before": "2026-11-06", "delivered": 3, "given_up": 1, "skipped": 1}

    again = purge_settled(session_factory, CTX, date(2026, 11, 6), batch=2)
    assert again == {"delivered": 0, "given_up": 0, "skipped": 0}


def test_the_purge_command_keeps_retention_days_and_never_pending_events(
    scratch_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    now = datetime.now(UTC)
    try:
        with Session(engine) as session:
            agency = make_agency(session, "Invented Purging Agency")
            days_ago = {n: now - timedelta(days=n) for n in (15, 21, 25, 100, 400)}
            delivered_25 = add_event(session, agency, now=days_ago[25])
            given_up_21 = add_event(session, agency, now=days_ago[25])
            skipped_100 = add_event(session, agency, now=days_ago[100])
            delivered_15 = add_event(session, agency, now=days_ago[15])
            pending_400 = add_event(session, agency, now=days_ago[400])
            settle(session, delivered_25, delivered_at=days_ago[25])
            settle(session, given_up_21, given_up_at=days_ago[21])
            settle(session, skipped_100, skipped_at=days_ago[100])
            settle(session, delivered_15, delivered_at=days_ago[15])
        monkeypatch.setenv("HANARO_DATABASE_URL", scratch_url)
        monkeypatch.setenv("HANARO_WEBHOOK_RETENTION_DAYS", "20")

        assert main(["webhooks", "purge"]) == 0
        cutoff = (now - timedelta(days=20)).date().isoformat()
        assert capsys.readouterr().out == (
            f"purged 3 webhook event(s) settled before {cutoff}: "
            "1 delivered, 1 given up, 1 skipped\n"
        )
        with Session(engine) as session:
            assert uids(session) == {delivered_15, pending_400}

        assert main(["webhooks", "purge", "--before", "2999-01-01"]) == 0
        assert capsys.readouterr().out == (
            "purged 1 webhook event(s) settled before 2999-01-01: "
            "1 delivered, 0 given up, 0 skipped\n"
        )
        with Session(engine) as session:
            assert uids(session) == {pending_400}
            with session.begin():
                audited = session.scalars(
                    select(AuditEntry.actor).where(AuditEntry.action == "webhook.purge")
                ).all()
            assert audited == ["cli:webhooks", "cli:webhooks"]
    finally:
        engine.dispose()


def test_retention_is_thirty_days_unless_set_and_at_least_one() -> None:
    assert Settings().webhook_retention_days == 30
    with pytest.raises(ValidationError, match="webhook_retention_days"):
        Settings(webhook_retention_days=0)


def test_an_event_replayed_while_the_purge_waits_for_it_is_kept(scratch_url: str) -> None:
    """A replay (the event pending again) that commits while the purge waits for the row's lock:
    the purge must look at the row as committed, not as its batch query saw it before."""
    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    try:
        _, uid = _one_delivered_event(engine, "Invented Replaying Agency")
        replay = engine.connect()
        replaying = replay.begin()
        replay.execute(
            update(OutboxEvent)
            .where(OutboxEvent.event_uid == uid)
            .values(delivered_at=None, attempts=0, replays=1, next_attempt_at=at("2026-12-06"))
        )
        outcome: dict[str, dict[str, int]] = {}
        purging = threading.Thread(
            target=lambda: outcome.update(
                purged=purge_settled(make_sessionmaker(engine), CTX, date(2999, 1, 1))
            )
        )
        purging.start()
        _wait_until_blocked(engine, purging)
        replaying.commit()
        replay.close()
        purging.join(timeout=30)
        assert outcome["purged"] == {"delivered": 0, "given_up": 0, "skipped": 0}
        with Session(engine) as session:
            assert uids(session) == {uid}
    finally:
        engine.dispose()


def _one_delivered_event(engine: Engine, agency_name: str) -> tuple[Agency, str]:
    """An agency with one event, delivered early in 2026 (long past any retention); its uid."""
    with Session(engine) as session:
        agency = make_agency(session, agency_name)
        uid = add_event(session, agency, now=at("2026-01-01T00:00:00"))
        settle(session, uid, delivered_at=at("2026-01-01T00:00:01"))
    return agency, uid


def _wait_until_blocked(engine: Engine, waiting: threading.Thread) -> None:
    """Until ``waiting`` (the purge, or a replay) waits for the other side's row lock
    (PostgreSQL), or a moment (SQLite: it waits for the write lock before it reads anything)."""
    if engine.dialect.name != "postgresql":
        time.sleep(0.5)
        return
    deadline = time.monotonic() + 10
    with engine.connect() as watcher:
        while time.monotonic() < deadline and waiting.is_alive():
            blocked = watcher.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            watcher.rollback()
            if blocked:
                return
            time.sleep(0.05)
    raise AssertionError("it never waited for the other side's row lock")


def test_a_replay_waiting_while_the_purge_deletes_the_event_is_not_found(
    scratch_url: str,
) -> None:
    """The other way round: the purge deletes the event while a replay waits for it. The
    replay answers "not found" (404), as if it had come after the purge, never a 500."""
    from app.errors import NotFound
    from app.security import Principal
    from app.webhooks.deliveries import replay_event

    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    try:
        agency, uid = _one_delivered_event(engine, "Invented Purged Agency")
        principal = Principal(frozenset({"referrals:receive"}), agency.partner_id, "x", "k")
        ctx = AuditContext(principal, None, None)
        purge = engine.connect()
        purging = purge.begin()
        purge.execute(text("DELETE FROM outbox_event WHERE event_uid = :uid"), {"uid": uid})
        outcome: dict[str, BaseException | None] = {}

        def replay() -> None:
            with make_sessionmaker(engine)() as session:
                try:
                    replay_event(session, ctx, uid)
                    outcome["error"] = None
                except BaseException as error:  # what the route would turn into an answer
                    outcome["error"] = error

        replaying = threading.Thread(target=replay)
        replaying.start()
        _wait_until_blocked(engine, replaying)
        purging.commit()
        purge.close()
        replaying.join(timeout=30)
        assert isinstance(outcome["error"], NotFound), outcome
    finally:
        engine.dispose()
