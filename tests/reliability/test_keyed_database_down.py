"""Keyed partner requests while the database is down or slow (#12): a key verified within the
cache's TTL keeps working for everything that needs no database (plans, questions, eligibility,
catalog reads from the in-memory snapshot), its audit entries are kept in the local spool and
reach the audit log exactly once when the database is back; a key never seen is a quick 503
problem with Retry-After; a slow database costs a request well under ~2 s."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.db import models
from app.db.session import WRITE_OPTION, make_engine
from app.main import create_app
from app.migrate import downgrade, upgrade
from app.services.audit import drain_spool
from app.services.audit_spool import AuditSpool
from app.services.catalog_admin import load_shipped_catalog
from app.services.keys import create_key
from tests.conftest import make_settings
from tests.reliability.conftest import Live, app_role_url, is_postgresql
from tests.reliability.test_database_down import take_database_away

# Values that no key prefix, request id or address could hold by chance.
PROFILE = {
    "applicant": {"age": 77},
    "household": {"size": 3, "income_recognized_monthly": 9_876_543},
}
PLAN = {"profile": PROFILE, "as_of": "2026-03-02"}
KEYED_ACTIONS = ("plans.create", "questions.next", "programs.eligibility")


@dataclass(frozen=True)
class Keyed:
    live: Live
    spool: AuditSpool
    fresh_headers: dict[str, str]  # a valid key this app has never verified

    @property
    def client(self) -> TestClient:
        return self.live.client

    def audited(self) -> list[models.AuditEntry]:
        with Session(self.live.engine) as session:
            query = select(models.AuditEntry).where(models.AuditEntry.action.in_(KEYED_ACTIONS))
            return list(session.scalars(query.order_by(models.AuditEntry.id)))

    def keyed_calls(self) -> list[int]:
        """One of each keyed read that needs no database; the status codes."""
        headers = self.live.headers
        return [
            self.client.post("/v1/plans", json=PLAN, headers=headers).status_code,
            self.client.post(
                "/v1/questions/next", json={"profile": PROFILE}, headers=headers
            ).status_code,
            self.client.post(
                "/v1/programs/basic-pension/eligibility", json={"profile": PROFILE}, headers=headers
            ).status_code,
            self.client.get("/v1/programs", headers=headers).status_code,
            self.client.get("/v1/parameters", headers=headers).status_code,
        ]


@pytest.fixture
def keyed(scratch_database_url: str, tmp_path: Path) -> Iterator[Keyed]:
    url = scratch_database_url
    engine = make_engine(url)
    with Session(engine) as session:
        with session.begin():
            load_shipped_catalog(session, actor="tests")
        key = create_key(session, partner="Invented Kiosk Co", scopes=["plans", "catalog:read"])
        fresh = create_key(session, partner="Invented Portal Co", scopes=["plans"])
    settings = make_settings(
        app_role_url(url),
        data_dir=tmp_path / "data",
        audit_spool_drain_seconds=0,
        rate_limit_anonymous_per_minute=1_000_000,
        rate_limit_key_per_minute=1_000_000,
    )
    app = create_app(settings)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            app.state.database_outage.hold_seconds = 0.2  # retry the database soon in tests
            live = Live(client, engine, {"X-API-Key": key.clear})
            yield Keyed(live, app.state.audit_spool, {"X-API-Key": fresh.clear})
    finally:
        engine.dispose()


def bring_database_back(keyed: Keyed, saved: tuple[object, object]) -> None:
    state = keyed.client.app.state  # type: ignore[attr-defined]
    state.engine.dispose()
    state.engine, state.sessionmaker = saved
    time.sleep(state.database_outage.hold_seconds)


def saved_database(keyed: Keyed) -> tuple[object, object]:
    state = keyed.client.app.state  # type: ignore[attr-defined]
    return state.engine, state.sessionmaker


def test_keyed_reads_answer_while_the_database_is_down_and_their_audit_arrives_once(
    keyed: Keyed, tmp_path: Path
) -> None:
    assert keyed.keyed_calls() == [200] * 5  # verifies the key while the database is up
    assert [e.action for e in keyed.audited()] == list(KEYED_ACTIONS)
    saved = saved_database(keyed)
    take_database_away(keyed.live, tmp_path)

    started = time.monotonic()
    for _ in range(2):
        assert keyed.keyed_calls() == [200] * 5
    assert time.monotonic() - started < 5

    spooled = keyed.spool.entries()
    assert [e["action"] for e in spooled] == list(KEYED_ACTIONS) * 2
    assert all(e["actor"].startswith("key:") and e["entry_uid"] for e in spooled)
    raw = keyed.spool.path.read_text(encoding="utf-8")
    assert "9876543" not in raw and '"age"' not in raw and '"size"' not in raw

    bring_database_back(keyed, saved)
    assert keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers).status_code == 200

    assert not keyed.spool.pending()
    rows = keyed.audited()
    assert len(rows) == 3 + 6 + 1
    uids = [row.entry_uid for row in rows if row.entry_uid in {e["entry_uid"] for e in spooled}]
    assert sorted(uids) == sorted(e["entry_uid"] for e in spooled)  # each exactly once
    kept = {e["entry_uid"]: e for e in spooled}
    for row in rows:
        if row.entry_uid in kept:
            assert row.request_id == kept[row.entry_uid]["request_id"]
            assert row.actor == kept[row.entry_uid]["actor"]


def test_a_drain_interrupted_before_the_spool_is_emptied_inserts_nothing_twice(
    keyed: Keyed, tmp_path: Path
) -> None:
    assert keyed.keyed_calls() == [200] * 5
    saved = saved_database(keyed)
    take_database_away(keyed.live, tmp_path)
    assert keyed.keyed_calls() == [200] * 5
    content = keyed.spool.path.read_bytes()
    bring_database_back(keyed, saved)

    state = keyed.client.app.state  # type: ignore[attr-defined]
    assert drain_spool(state.sessionmaker, keyed.spool) == 3
    # a crash after the commit, before the file was emptied: the same lines are still there
    keyed.spool.path.write_bytes(content)
    assert drain_spool(state.sessionmaker, keyed.spool) == 0
    assert not keyed.spool.pending()
    assert len(keyed.audited()) == 6


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ko", "데이터베이스가 잠시 응답하지 않습니다"),
        ("en", "The database is temporarily unavailable"),
    ],
)
def test_a_key_never_verified_while_the_database_is_down_is_503_with_retry_after(
    keyed: Keyed, tmp_path: Path, language: str, title: str
) -> None:
    take_database_away(keyed.live, tmp_path)
    headers = keyed.fresh_headers | {"Accept-Language": language}

    started = time.monotonic()
    response = keyed.client.post("/v1/plans", json=PLAN, headers=headers)

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "2"
    assert response.headers["content-language"] == language
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:database-unavailable"
    assert body["title"] == title
    assert not keyed.spool.pending()  # nobody verified: nothing to account for


def _hold_write_lock(engine: Engine, held: threading.Event, release: threading.Event) -> None:
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
        conn.begin()  # SQLite: BEGIN IMMEDIATE, the one write lock (app.db.session)
        if is_postgresql(str(engine.url)):
            conn.execute(text("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE"))
        held.set()
        release.wait(timeout=30)
        conn.rollback()


def test_a_slow_database_costs_a_keyed_request_at_most_about_two_seconds(keyed: Keyed) -> None:
    assert keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers).status_code == 200
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(keyed.live.engine, held, release))
    holder.start()
    try:
        assert held.wait(timeout=10)
        started = time.monotonic()
        response = keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers)
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=30)

    assert response.status_code == 200
    assert elapsed < 2.0
    assert [e["action"] for e in keyed.spool.entries()] == ["plans.create"]

    time.sleep(0.3)  # past the outage hold: the next write goes to the database and drains
    assert keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers).status_code == 200
    assert not keyed.spool.pending()
    assert [e.action for e in keyed.audited()] == ["plans.create"] * 3


def test_a_drain_waiting_for_a_slow_database_holds_up_a_spooled_request_briefly(
    keyed: Keyed,
) -> None:
    """A drain holds the spool's lock while it writes; against a locked audit log it gives up
    after half a second, so a request whose entry goes to the spool is not held up by the
    database it is avoiding (it waited the drain's full 2 s, on SQLite 30 s, before)."""
    assert keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers).status_code == 200
    state = keyed.client.app.state  # type: ignore[attr-defined]
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(keyed.live.engine, held, release))
    holder.start()
    try:
        assert held.wait(timeout=10)
        assert (
            keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers).status_code == 200
        )
        state.database_outage.hold_seconds = 60  # from now on: straight to the spool
        drainer = threading.Thread(target=drain_spool, args=(state.sessionmaker, keyed.spool))
        drainer.start()
        time.sleep(0.1)  # the drain holds the spool, waiting for the database
        started = time.monotonic()
        response = keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers)
        elapsed = time.monotonic() - started
        drainer.join(timeout=40)
    finally:
        release.set()
        holder.join(timeout=40)

    assert response.status_code == 200
    assert elapsed < 1.0
    assert [e["action"] for e in keyed.spool.entries()] == ["plans.create"] * 2


def test_an_unknown_key_against_a_slow_database_is_answered_quickly(keyed: Keyed) -> None:
    if not is_postgresql(str(keyed.live.engine.url)):
        pytest.skip("SQLite readers are not blocked by a writer (WAL)")
    with keyed.live.engine.connect() as holder:
        holder.execute(text("LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        response = keyed.client.post("/v1/plans", json=PLAN, headers=keyed.fresh_headers)
        elapsed = time.monotonic() - started
        holder.rollback()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert elapsed < 3


def test_the_spool_keeps_entries_across_a_restart_and_drains_at_startup(
    keyed: Keyed, tmp_path: Path
) -> None:
    assert keyed.keyed_calls() == [200] * 5
    saved = saved_database(keyed)
    take_database_away(keyed.live, tmp_path)
    assert keyed.keyed_calls() == [200] * 5
    bring_database_back(keyed, saved)  # but no keyed request follows: a new worker starts

    settings = keyed.client.app.state.settings  # type: ignore[attr-defined]
    with TestClient(create_app(settings)):
        pass
    assert not keyed.spool.pending()
    assert len(keyed.audited()) == 6
    with Session(keyed.live.engine) as session:
        uids = session.scalar(
            select(func.count(func.distinct(models.AuditEntry.entry_uid))).where(
                models.AuditEntry.action.in_(KEYED_ACTIONS)
            )
        )
    assert uids == 6


BEFORE_NEWEST = "0005"  # the newest migration, 0006, adds audit_log.entry_uid


def test_keyed_reads_answer_and_their_audit_waits_while_a_migration_is_rolled_back(
    keyed: Keyed, scratch_database_url: str
) -> None:
    """The newest migration rolled back under the running service, whose code names a column the
    schema lacks: as if the database were away (on PostgreSQL ``SchemaMismatch``, SQLite's "no
    such column" already is an OperationalError)."""
    assert keyed.keyed_calls() == [200] * 5
    downgrade(scratch_database_url, BEFORE_NEWEST)

    assert keyed.keyed_calls() == [200] * 5
    spooled = keyed.spool.entries()
    assert [e["action"] for e in spooled] == list(KEYED_ACTIONS)

    upgrade(scratch_database_url)
    state = keyed.client.app.state  # type: ignore[attr-defined]
    time.sleep(state.database_outage.hold_seconds)
    assert keyed.client.post("/v1/plans", json=PLAN, headers=keyed.live.headers).status_code == 200
    assert not keyed.spool.pending()
    rows = keyed.audited()
    # the first three, the plan that reached the database, then the spooled three it drained
    assert [e.action for e in rows] == [*KEYED_ACTIONS, "plans.create", *KEYED_ACTIONS]
    assert {e["entry_uid"] for e in spooled} <= {row.entry_uid for row in rows}
