"""Test fixtures: one migrated database per session (SQLite by default, or
``HANARO_TEST_DATABASE_URL``), the shipped catalog loaded once, each test inside a transaction
that is rolled back, and an httpx client speaking real HTTP to the ASGI app."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db.session import make_engine
from app.main import create_app
from app.migrate import downgrade, upgrade
from app.services.catalog_admin import load_shipped_catalog
from app.settings import Settings

# Under mutation testing (`make mutation`; mutmut sets MUTANT_UNDER_TEST) every mutant reruns the
# property tests: fewer, reproducible examples keep a full run within the hour. The score is then
# a lower bound: the full suite runs the default profile.
hypothesis_settings.register_profile(
    "mutation", max_examples=10, derandomize=True, deadline=None, database=None
)
if os.environ.get("MUTANT_UNDER_TEST"):
    hypothesis_settings.load_profile("mutation")


def pytest_report_header() -> str:
    return f"hanaro test database: {_describe(_database_url_from_env() or 'sqlite (temporary)')}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "database: talks to the test database without the database_url fixture"
    )


# CI runs the two passes side by side (``.ci/run`` sets HANARO_TEST_SPLIT): the tests that touch
# no database under these folders run on the PostgreSQL pass instead of the SQLite one, so the
# two passes take about as long; and the API contract tests (schemathesis) run on one pass each
# (``ONE_PASS``: the first test id prefix that matches decides). Without HANARO_TEST_SPLIT,
# `make test` on SQLite runs everything.
PG_PASS_FOLDERS = ("tests/golden/", "tests/text/", "tests/matching/")
ONE_PASS = (
    ("tests/test_schemathesis.py::test_every_coverage_case_of_a_rule_body", "PostgreSQL"),
    ("tests/test_schemathesis.py", "SQLite"),
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, tests that touch no database are skipped: they ran on the SQLite
    pass, and the same pure code gives the same answer. A test touches the database when it uses
    ``database_url`` (directly or through ``settings``, ``app``, ``client``, ``scratch_url`` …),
    is marked ``database``, or is the ``postgres`` case of a parametrized backend. With
    HANARO_TEST_SPLIT (CI) some are moved between the passes: see ``PG_PASS_FOLDERS``."""
    postgres = (_database_url_from_env() or "").startswith("postgresql")
    split = bool(os.environ.get("HANARO_TEST_SPLIT"))
    if not postgres and not split:
        return
    on_sqlite = pytest.mark.skip(reason="no database: runs once, on the SQLite pass")
    on_postgres = pytest.mark.skip(reason="no database: runs once, on the PostgreSQL pass (CI)")
    this_pass = "PostgreSQL" if postgres else "SQLite"
    for item in items:
        path = Path(str(item.fspath)).relative_to(_ROOT).as_posix()
        only = next((p for prefix, p in ONE_PASS if item.nodeid.startswith(prefix)), None)
        if split and only is not None:
            if only != this_pass:
                item.add_marker(pytest.mark.skip(reason=f"the API contract: on the {only} pass"))
            continue
        if _touches_database(item):
            continue
        moved = split and path.startswith(PG_PASS_FOLDERS)
        if postgres and not moved:
            item.add_marker(on_sqlite)
        elif not postgres and moved:
            item.add_marker(on_postgres)


def _touches_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return (
        "database_url" in fixtures
        or bool(item.get_closest_marker("database"))
        or ("postgres" in params)
    )


_ROOT = Path(__file__).resolve().parent.parent


def _database_url_from_env() -> str | None:
    return os.environ.get("HANARO_TEST_DATABASE_URL") or None


def _describe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


@pytest.fixture(autouse=True, scope="session")
def collector_settling_skipped() -> Iterator[None]:
    """Each test's app loads the catalog in its lifespan and then settles the garbage collector
    (``app.services.catalog_store.settle_garbage_collector``: unfreeze, one full collection,
    freeze). In a test process, whose heap holds every test module, that collection costs about
    0.12 s, most of a short test's time. It changes no behaviour (bench/ measures what it is
    for), so the apps tests build in this process skip it; the servers tests start as processes
    (tests/reliability, tests/browser) still run it."""
    import app.services.catalog_store as store

    settle = store.settle_garbage_collector
    store.settle_garbage_collector = lambda: None
    try:
        yield
    finally:
        store.settle_garbage_collector = settle


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _database_url_from_env()
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'hanaro-test.db'}"
    else:
        downgrade(url, "base")  # a clean slate even when the database is reused locally
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():
        load_shipped_catalog(session, actor="tests")
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside an outer transaction that is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
def db_session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """The settings tests run with (no catalog polling, no screening worker, quiet logs), with
    ``overrides``."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "test",
        "log_level": "WARNING",
        "catalog_refresh_seconds": 0,
        "webhook_poll_seconds": 0,  # tests drive the webhook dispatcher themselves
        "screening_poll_seconds": 0,
    }
    return Settings(**(values | overrides))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
async def client(
    app: FastAPI, engine: Engine, session_factory: sessionmaker[Session]
) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in(app, session_factory) as c:
        yield c


@asynccontextmanager
async def serve_in(
    app: FastAPI, session_factory: sessionmaker[Session]
) -> AsyncIterator[httpx.AsyncClient]:
    """``app`` started, its sessions inside the test's transaction, and a client speaking HTTP
    to it (``client``; a test that needs a second app with other settings calls it too)."""
    async with app.router.lifespan_context(app):
        app.state.sessionmaker = session_factory
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as c:
            yield c


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture
def scratch_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test backend for this test alone (a file, or a new PostgreSQL
    database dropped afterwards): for migrations and for tests that must really commit."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path}/scratch.db"
        return
    name = f"hanaro_scratch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
