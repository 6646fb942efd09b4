"""Backends for the screening tests: DuckDB in memory always; PostgreSQL when
HANARO_TEST_DATABASE_URL names one (temporary tables, dropped with the connection); Apache
Spark in local mode when HANARO_TEST_SPARK=1 and pyspark is installed (``make test-spark``:
a JVM and seconds per query, so not on every run).
For the job tests, ``jobs_url``: one database of the test backend for the module (jobs run in
worker threads and really commit, so not the rolled-back test connection), migrated, with the
shipped catalog."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import duckdb
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.catalog.loader import load_catalog
from app.db.session import make_engine
from app.matching.snapshot import CatalogSnapshot
from app.migrate import upgrade
from app.screening.screen import Screening, verdicts
from app.screening.tables import Row, ddl, insert
from app.services.catalog_admin import load_shipped_catalog


class Backend:
    def __init__(self, name: str, connection: Any) -> None:
        self.name, self.connection = name, connection
        self.cursor = connection if name in ("duckdb", "spark") else connection.cursor()

    def load(self, households: Sequence[Row], persons: Sequence[Row]) -> None:
        if self.name == "spark":
            self.cursor.load_rows("households", households)
            self.cursor.load_rows("persons", persons)
            return
        mark = "?" if self.name == "duckdb" else "%s"
        for table in ("households", "persons"):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")
            sql = ddl(table, self.name)
            if self.name == "postgres":
                sql = sql.replace("CREATE TABLE", "CREATE TEMPORARY TABLE", 1)
            self.cursor.execute(sql)
        insert(self.cursor, "households", households, mark)
        insert(self.cursor, "persons", persons, mark)

    def verdicts(self, screening: Screening) -> dict[str, dict[str, bool | None]]:
        return verdicts(self.cursor, screening, self.name)

    def scalar(self, sql: str) -> Any:
        self.cursor.execute(sql)
        return self.cursor.fetchone()[0]


def _pg_url() -> str | None:
    url = os.environ.get("HANARO_TEST_DATABASE_URL") or ""
    if not url.startswith("postgresql"):
        return None
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    if os.environ.get("HANARO_TEST_SPARK") != "1":
        pytest.skip("Spark runs with HANARO_TEST_SPARK=1 (make test-spark)")
    from app.screening import spark

    if not spark.available():
        pytest.skip("pyspark is not installed (pip install -e '.[spark]')")
    session = spark.session(threads=2, memory="2g", small=True)
    yield session
    session.stop()


@pytest.fixture(scope="module", params=["duckdb", "postgres", "spark"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "spark":
        from app.screening.spark import SparkCursor

        yield Backend("spark", SparkCursor(request.getfixturevalue("spark_session")))
        return
    if request.param == "duckdb":
        connection = duckdb.connect()
        yield Backend("duckdb", connection)
        connection.close()
        return
    url = _pg_url()
    if url is None:
        pytest.skip("HANARO_TEST_DATABASE_URL does not name PostgreSQL")
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        yield Backend("postgres", connection)


@pytest.fixture(scope="session")
def catalog_snapshot() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


@pytest.fixture(scope="module")
def jobs_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = make_url(database_url)
    admin: Engine | None = None
    if url.get_backend_name() == "sqlite":
        scratch = f"sqlite:///{tmp_path_factory.mktemp('jobs') / 'jobs.db'}"
    else:
        name = f"hanaro_jobs_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = url.set(database=name).render_as_string(hide_password=False)
    upgrade(scratch)
    engine = make_engine(scratch)
    with Session(engine) as session, session.begin():
        load_shipped_catalog(session, actor="tests")
    engine.dispose()
    try:
        yield scratch
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture(scope="module")
def jobs_engine(jobs_url: str) -> Iterator[Engine]:
    engine = make_engine(jobs_url)
    yield engine
    engine.dispose()


AS_OF = date(2026, 3, 2)
