"""Reliability tests run against a database of their own that really commits (a SQLite file, or a
scratch PostgreSQL database), through the app's TestClient, from several threads at once; and as
the service's own PostgreSQL role where the database enforces what the service may do."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import models
from app.db.session import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.services.catalog_admin import load_shipped_catalog
from app.services.keys import create_key
from tests.conftest import make_settings


@pytest.fixture
def scratch_database_url(scratch_url: str) -> str:
    """A fresh, migrated database on the backend under test (tests/conftest.py's ``scratch_url``),
    for tests that need committed data or other processes; dropped afterwards."""
    upgrade(scratch_url)
    return scratch_url


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


T = TypeVar("T")


@dataclass(frozen=True)
class Live:
    """A migrated database with the shipped catalog, an app serving it, and a national key."""

    client: TestClient
    engine: Engine
    headers: dict[str, str]

    def spec(self, program_id: str) -> dict[str, Any]:
        """An invented nationwide program, shaped like the shipped basic pension."""
        with Session(self.engine) as session:
            row = session.scalar(
                select(models.ProgramVersion).where(
                    models.ProgramVersion.program_id == "basic-pension"
                )
            )
            assert row is not None
            spec = copy.deepcopy(row.spec)
        spec.update(id=program_id, excludes=[], prerequisites=[])
        spec["eligibility"] = {"all": [{"fact": "applicant.age", "op": "ge", "value": 19}]}
        spec["benefit"] = {"kind": "service", "description": {"ko": "지원", "en": "Support"}}
        return spec


@pytest.fixture
def live(scratch_database_url: str) -> Iterator[Live]:
    scratch_url = scratch_database_url
    engine = make_engine(scratch_url)
    with Session(engine) as session:
        with session.begin():
            load_shipped_catalog(session, actor="tests")
        key = create_key(
            session,
            partner="Ministry of Invented Affairs",
            scopes=["catalog:read", "catalog:write"],
            is_national=True,
        )
    settings = make_settings(
        scratch_url,
        rate_limit_anonymous_per_minute=1_000_000,
        rate_limit_key_per_minute=1_000_000,
    )
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield Live(client, engine, {"Authorization": f"Bearer {key.clear}"})
    finally:
        engine.dispose()


def at_once(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run ``calls`` in as many threads, released together by a barrier; results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
