"""Migrations upgrade, downgrade and upgrade again on a scratch database of the same backend,
and the models match the migrated schema (autogenerate finds no difference)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db.base import Base
from app.db.session import make_engine
from app.migrate import downgrade, upgrade

EXPECTED_TABLES = {
    "program",
    "program_version",
    "parameter",
    "parameter_version",
    "document",
    "partner",
    "api_key",
    "audit_log",
    "catalog_state",
    "idempotency_key",
}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_round_trip(scratch_url: str) -> None:
    upgrade(scratch_url)
    assert _tables(scratch_url) >= EXPECTED_TABLES
    downgrade(scratch_url, "base")
    assert _tables(scratch_url) == set()
    upgrade(scratch_url)
    assert _tables(scratch_url) >= EXPECTED_TABLES


def test_models_match_migrations(scratch_url: str) -> None:
    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_rolling_back_a_change_to_the_partner_table_keeps_its_keys(scratch_url: str) -> None:
    """Down to 0002 (before the partner gained its agency columns, 0009) and up again: SQLite
    copies the partner table to drop those columns, which with foreign keys on used to delete
    every API key (ON DELETE CASCADE)."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from app.services.keys import create_key

    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    try:
        with Session(engine) as session:
            create_key(session, partner="Invented Rollback City", scopes=["plans"])
        downgrade(scratch_url, "0002")
        upgrade(scratch_url)
        with engine.connect() as conn:
            keys = conn.execute(text("SELECT count(*) FROM api_key")).scalar()
            partners = conn.execute(text("SELECT name FROM partner")).scalars().all()
    finally:
        engine.dispose()
    assert (keys, partners) == (1, ["Invented Rollback City"])
