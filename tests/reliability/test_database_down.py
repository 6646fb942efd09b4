"""The database unreachable: readiness says so with a 503 naming the failing check, quickly."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db.session import make_engine, make_sessionmaker
from tests.reliability.conftest import Live


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
