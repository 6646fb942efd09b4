"""The database unreachable: readiness says so with a 503 naming the failing check, quickly."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.db.session import make_engine, make_sessionmaker, write_transaction
from app.main import create_app
from app.migrate import downgrade, upgrade
from app.services.catalog_admin import load_shipped_catalog
from tests.conftest import make_settings
from tests.reliability.conftest import Live, app_role_url, is_postgresql


def dead_url(url: str, tmp_path: Path) -> str:
    """A URL of the same backend where no database answers: a PostgreSQL port nobody listens on
    (refused at once; a silent host is bounded by the engine's connect timeout), or an
    unopenable SQLite path."""
    if make_url(url).get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path}/no-such-directory/hanaro.db"
    return "postgresql+psycopg://postgres@127.0.0.1:1/hanaro"


def take_database_away(live: Live, tmp_path: Path) -> None:
    """Point the running app at a database that does not answer, as if it went down."""
    app = live.client.app
    app.state.engine.dispose()  # type: ignore[attr-defined]
    engine = make_engine(dead_url(str(live.engine.url), tmp_path))
    app.state.engine = engine  # type: ignore[attr-defined]
    app.state.sessionmaker = make_sessionmaker(engine)  # type: ignore[attr-defined]


def test_ready_answers_503_naming_the_database_when_it_is_unreachable(
    live: Live, tmp_path: Path
) -> None:
    assert live.client.get("/ready").status_code == 200
    take_database_away(live, tmp_path)

    started = time.monotonic()
    response = live.client.get("/ready")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["database"] is False
    assert body["status"] == "not_ready"


def test_a_write_blocked_by_a_lock_answers_503_with_retry_after_then_works_again(
    live: Live,
) -> None:
    if not is_postgresql(str(live.engine.url)):
        pytest.skip("lock_timeout is PostgreSQL's; SQLite writers queue on the busy timeout")
    body = {"spec": live.spec("invented-lock-wait"), "change_reason": "잠금 대기 시험"}
    with live.engine.connect() as holder:
        holder.execute(text("LOCK TABLE program IN ACCESS EXCLUSIVE MODE"))

        started = time.monotonic()
        blocked = live.client.post("/v1/admin/programs", json=body, headers=live.headers)

        assert time.monotonic() - started < 3
        assert blocked.status_code == 503
        assert blocked.headers["content-type"].startswith("application/problem+json")
        assert blocked.headers["retry-after"] == "2"
        assert blocked.json()["type"] == "urn:hanaro:problem:database-unavailable"
        holder.rollback()

    created = live.client.post("/v1/admin/programs", json=body, headers=live.headers)
    assert created.status_code == 201


def test_an_admin_write_while_a_migration_is_rolled_back_is_503_with_retry_after(
    live: Live, scratch_database_url: str
) -> None:
    """The newest migration (0006, audit_log.entry_uid) rolled back under the running service:
    the write's audit entry cannot be written, so the write is refused as retryable."""
    client = live.client
    body = {"spec": live.spec("invented-mid-migration"), "change_reason": "이전 스키마 시험"}
    downgrade(scratch_database_url, "0005")

    refused = client.post("/v1/admin/programs", json=body, headers=live.headers)

    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["type"] == "urn:hanaro:problem:database-unavailable"
    upgrade(scratch_database_url)
    created = client.post("/v1/admin/programs", json=body, headers=live.headers)
    assert created.status_code == 201, created.text


def _hold_lock_on(engine: Engine, table: str, seconds: float, held: threading.Event) -> None:
    with engine.connect() as conn:
        conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        held.set()
        time.sleep(seconds)
        conn.rollback()


def test_a_write_transaction_waits_for_locks_at_most_its_budget_in_all(
    scratch_database_url: str,
) -> None:
    """Two locks in a row: the second wait gets what the first left of the 2 s, not 2 s more
    (a writer queued behind a blocked writer waited over 4 s before)."""
    if not is_postgresql(scratch_database_url):
        pytest.skip("lock_timeout is PostgreSQL's")
    holder = make_engine(scratch_database_url)
    engine = make_engine(scratch_database_url, lock_timeout_ms=2000)
    first, second = threading.Event(), threading.Event()
    threads = [
        threading.Thread(target=_hold_lock_on, args=(holder, "catalog_state", 1.5, first)),
        threading.Thread(target=_hold_lock_on, args=(holder, "partner", 6.0, second)),
    ]
    for thread in threads:
        thread.start()
    try:
        assert first.wait(10) and second.wait(10)
        started = time.monotonic()
        with (
            pytest.raises(OperationalError) as caught,
            Session(engine) as session,
            write_transaction(session),
        ):
            session.execute(text("SELECT count(*) FROM catalog_state"))  # waits ~1.5 s
            session.execute(text("SELECT count(*) FROM partner"))  # then ~0.5 s, not 2 s
        elapsed = time.monotonic() - started
    finally:
        for thread in threads:
            thread.join(timeout=10)
        engine.dispose()
        holder.dispose()
    assert type(caught.value.orig).__name__ == "LockNotAvailable"
    assert 1.5 <= elapsed < 2.7


def test_a_write_transaction_whose_connection_is_lost_fails_as_the_database_being_down(
    scratch_database_url: str,
) -> None:
    """The connection dies inside a write transaction (the server ended it): the error is the
    OperationalError that becomes a 503, not a failure of the rollback that follows (a 500)."""
    if not is_postgresql(scratch_database_url):
        pytest.skip("ends a PostgreSQL backend")
    engine = make_engine(scratch_database_url, lock_timeout_ms=2000)
    killer = make_engine(scratch_database_url)
    try:
        with (
            pytest.raises(OperationalError),
            Session(engine) as session,
            write_transaction(session),
        ):
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with killer.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            session.execute(text("SELECT 1"))
    finally:
        engine.dispose()
        killer.dispose()


def test_a_worker_started_while_the_database_is_down_answers_503_then_loads_the_catalog(
    scratch_database_url: str, tmp_path: Path
) -> None:
    """A worker (re)started during an outage starts anyway (a failed startup makes uvicorn stop
    every worker, those serving from memory too): without a catalog it answers 503 with
    Retry-After and is not ready; once the database answers it loads the catalog and serves."""
    engine = make_engine(scratch_database_url)
    with Session(engine) as session, session.begin():
        load_shipped_catalog(session, actor="tests")
    engine.dispose()
    plan = {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"}
    settings = make_settings(dead_url(scratch_database_url, tmp_path), data_dir=tmp_path / "data")
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        ready = client.get("/ready")
        refused = client.post("/v1/plans", json=plan)

        assert ready.status_code == 503
        assert ready.json()["database"] is False and ready.json()["catalog_loaded"] is False
        assert refused.status_code == 503
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.headers["retry-after"] == "2"
        assert refused.json()["type"] == "urn:hanaro:problem:unavailable"

        app.state.engine.dispose()  # the database answers again
        app.state.engine = make_engine(app_role_url(scratch_database_url))
        app.state.sessionmaker = make_sessionmaker(app.state.engine)
        assert client.get("/ready").status_code == 200  # a probe loads the catalog
        assert client.post("/v1/plans", json=plan).status_code == 200
