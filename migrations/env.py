"""Alembic environment: URL from the Alembic config (set by `hanaro migrate`) or Settings."""

from __future__ import annotations

from alembic import context

from app.db import models  # noqa: F401  (registers tables on the metadata)
from app.db.base import Base
from app.db.session import make_engine
from app.settings import Settings

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    return url or Settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            if conn.dialect.name != "sqlite":
                _run(conn)
                return
            # SQLite changes a column by copying the table into a new one and dropping the old:
            # with foreign keys on, that DROP deletes every row referring to it ON DELETE
            # CASCADE (a partner's keys, its cases). Off while migrating (the pragma only takes
            # effect outside a transaction), then every reference is checked before going on.
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                _run(conn)
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")
    finally:
        engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
