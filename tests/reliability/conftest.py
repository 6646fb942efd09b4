"""Fixtures for the reliability tests: a scratch database of the test backend, migrated."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.migrate import upgrade


@pytest.fixture
def scratch_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database on the backend under test (SQLite file or PostgreSQL
    database), for tests that need committed data or other processes; dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        scratch = f"sqlite:///{tmp_path}/scratch.db"
        upgrade(scratch)
        yield scratch
        return
    name = f"hanaro_scratch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        scratch = url.set(database=name).render_as_string(hide_password=False)
        upgrade(scratch)
        yield scratch
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


APP_ROLE = "hanaro_app"


def app_role_url(url: str) -> str:
    """The URL the service uses: on PostgreSQL the ``hanaro_app`` role made by the migrations
    (no password: the test server trusts local connections, as CI's does); SQLite has no roles."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return url
    return parsed.set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"
