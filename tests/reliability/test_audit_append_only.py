"""The audit log is append-only in the database itself: UPDATE and DELETE are refused (on
PostgreSQL the service's role ``hanaro_app`` lacks the privileges, and a trigger refuses them
even to the owner); entries older than 2 years are purged by ``hanaro audit purge``, the one
controlled path, which refuses any younger cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.cli import main
from app.db import models
from app.db.repositories.audit import AuditRepository
from app.db.session import make_engine
from app.security import ANONYMOUS
from app.services.audit import (
    AuditContext,
    record,
    retention_cutoff,
    service_role_may_rewrite,
)
from tests.reliability.conftest import app_role_url, is_postgresql

CTX = AuditContext(ANONYMOUS, "203.0.113.5", "append-only-test", actor="tests")


def add_entry(session: Session, action: str, occurred_at: datetime | None = None) -> None:
    with session.begin():
        record(session, CTX, action, "thing:1")
        if occurred_at is not None:  # an entry written long ago
            old = models.AuditEntry(
                occurred_at=occurred_at, actor="tests", action=action + ".old", detail={}
            )
            AuditRepository(session).append(old)


def actions(session: Session) -> list[str]:
    with session.begin():
        query = select(models.AuditEntry.action).order_by(models.AuditEntry.id)
        return list(session.scalars(query))


def test_update_and_delete_are_refused_even_to_the_owner(db_session: Session) -> None:
    """The test session is the owner (PostgreSQL) or the file's user (SQLite): triggers refuse."""
    add_entry(db_session, "test.append-only")
    entry = models.AuditEntry
    changes = [
        update(entry).where(entry.action == "test.append-only").values(actor="someone-else"),
        delete(entry).where(entry.action == "test.append-only"),
    ]
    for change in changes:
        with pytest.raises(DBAPIError, match="append-only"), db_session.begin():
            db_session.execute(change)
    assert actions(db_session).count("test.append-only") == 1


def test_app_role_may_insert_and_read_but_not_update_or_delete(scratch_database_url: str) -> None:
    if not is_postgresql(scratch_database_url):
        pytest.skip("roles exist on PostgreSQL only; the SQLite triggers are tested above")
    engine = make_engine(app_role_url(scratch_database_url))
    try:
        with Session(engine) as session:
            assert session.scalar(text("SELECT current_user")) == "hanaro_app"
            session.rollback()
            assert not service_role_may_rewrite(session)  # no startup warning for this role
            add_entry(session, "test.app-role")
            for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
                with pytest.raises(DBAPIError, match="permission denied"), session.begin():
                    session.execute(text(statement))
            with pytest.raises(DBAPIError, match="permission denied"), session.begin():
                session.execute(text("TRUNCATE audit_log"))
            assert actions(session) == ["test.app-role"]
            # The controlled path refuses a young cut-off even when called directly.
            recent = datetime.now(UTC) - timedelta(days=365)
            with pytest.raises(DBAPIError, match="kept 2 years"), session.begin():
                session.scalar(select(func.hanaro_purge_audit_log(recent)))
    finally:
        engine.dispose()


def test_purge_cli_deletes_only_entries_older_than_two_years(
    scratch_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = app_role_url(scratch_database_url)  # the service's own role: no DELETE privilege
    now = datetime.now(UTC)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            add_entry(session, "test.purge", occurred_at=now - timedelta(days=3 * 365))
        monkeypatch.setenv("HANARO_DATABASE_URL", url)

        too_recent = (now - timedelta(days=365)).date().isoformat()
        assert main(["audit", "purge", "--before", too_recent]) == 2
        assert "kept 2 years" in capsys.readouterr().err
        with Session(engine) as session:
            assert actions(session) == ["test.purge", "test.purge.old"]

        assert main(["audit", "purge"]) == 0
        assert "purged 1 audit entries" in capsys.readouterr().out
        with Session(engine) as session:
            assert actions(session) == ["test.purge", "audit.purge"]
    finally:
        engine.dispose()


def test_retention_cutoff_is_two_calendar_years() -> None:
    assert retention_cutoff(datetime(2026, 12, 1, 5, tzinfo=UTC)) == datetime(
        2024, 12, 1, 5, tzinfo=UTC
    )
    assert retention_cutoff(datetime(2028, 2, 29, tzinfo=UTC)).date() == date(2026, 2, 28)
