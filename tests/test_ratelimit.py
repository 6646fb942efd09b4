"""Rate limits: per key and per client address (anonymous stricter), RateLimit-* headers,
429 problem with Retry-After, /health and /ready never limited."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.main import create_app
from app.ratelimit import (
    DatabaseCounters,
    MemoryCounters,
    Quota,
    RateLimiter,
    RedisCounters,
    redis_client,
)
from app.security import ANONYMOUS, Principal
from app.services.keys import create_key
from tests.conftest import make_settings

URL = "/v1/programs/basic-pension/versions"


@pytest.fixture
async def strict_client(
    database_url: str, session_factory: sessionmaker[Session]
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        database_url, rate_limit_anonymous_per_minute=3, rate_limit_key_per_minute=5
    )
    app = create_app(settings)
    frozen = 1_000_000.0  # a fixed clock: no window boundary can fall inside a test
    app.state.rate_limiter = RateLimiter(
        app.state.rate_limiter.store, anonymous_limit=3, key_limit=5, clock=lambda: frozen
    )
    assert isinstance(app.state.rate_limiter.store, DatabaseCounters)  # the default store
    async with app.router.lifespan_context(app):
        app.state.sessionmaker = session_factory
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as c:
            yield c


async def test_anonymous_gets_429_with_retry_after_after_the_limit(
    strict_client: httpx.AsyncClient,
) -> None:
    remaining = [(await strict_client.get(URL)).headers["ratelimit-remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    response = await strict_client.get(URL, headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:hanaro:problem:rate-limited"
    assert response.headers["retry-after"] == "20"
    assert response.headers["ratelimit-limit"] == "3"
    assert response.headers["ratelimit-remaining"] == "0"
    assert 1 <= int(response.headers["ratelimit-reset"]) <= 60


async def test_a_key_has_its_own_larger_bucket(
    strict_client: httpx.AsyncClient, db_session: Session
) -> None:
    key = create_key(db_session, partner="Invented Kiosk Co", scopes=["catalog:read"]).clear
    for _ in range(3):
        await strict_client.get(URL)
    assert (await strict_client.get(URL)).status_code == 429
    keyed = {"X-API-Key": key}
    statuses = [(await strict_client.get(URL, headers=keyed)).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


async def test_health_and_ready_are_not_limited(strict_client: httpx.AsyncClient) -> None:
    for _ in range(6):
        response = await strict_client.get("/health")
        assert response.status_code == 200
        assert "ratelimit-limit" not in response.headers
    assert (await strict_client.get("/ready")).status_code == 200


async def test_failed_authentication_costs_the_address(strict_client: httpx.AsyncClient) -> None:
    forged = {"Authorization": "Bearer hnr_abcdefgh_guessing"}
    statuses = [(await strict_client.get(URL, headers=forged)).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_window_resets_and_buckets_are_separate() -> None:
    now = [120.0]
    limiter = RateLimiter(MemoryCounters(), anonymous_limit=2, key_limit=10, clock=lambda: now[0])
    keyed = Principal(scopes=frozenset({"plans"}), partner_id=1, key_prefix="abcdefgh")

    def charge(principal: Principal, address: str) -> Quota:
        quota = limiter.charge(principal, address)
        assert quota is not None
        return quota

    assert charge(ANONYMOUS, "203.0.113.1").remaining == 1
    assert charge(ANONYMOUS, "203.0.113.1").remaining == 0
    assert charge(ANONYMOUS, "203.0.113.1").is_exceeded
    assert charge(ANONYMOUS, "203.0.113.2").remaining == 1
    assert charge(keyed, "203.0.113.1").remaining == 9
    now[0] = 150.5
    assert charge(ANONYMOUS, "203.0.113.1").reset_seconds == 30
    now[0] = 180.0
    assert charge(ANONYMOUS, "203.0.113.1").remaining == 1


def test_database_counters_sweep_past_windows(session_factory: sessionmaker[Session]) -> None:
    from sqlalchemy import select

    from app.db import models

    counters = DatabaseCounters(session_factory)
    assert [counters.increment("addr:203.0.113.9", 0) for _ in range(3)] == [1, 2, 3]
    assert counters.increment("addr:203.0.113.9", 60) == 1  # the previous window is kept
    assert counters.increment("addr:203.0.113.9", 180) == 1  # older windows are swept
    with session_factory() as session, session.begin():
        rows = session.execute(
            select(models.RateLimitCounter.window_start, models.RateLimitCounter.hits).where(
                models.RateLimitCounter.bucket == "addr:203.0.113.9"
            )
        ).all()
    assert sorted(rows) == [(180, 1)]


def test_unreachable_redis_lets_requests_through() -> None:
    client = redis_client("redis://127.0.0.1:1/0")  # nothing listens on port 1
    limiter = RateLimiter(RedisCounters(client, "hanaro-test"), anonymous_limit=1, key_limit=1)
    assert limiter.charge(ANONYMOUS, "203.0.113.1") is None  # not limited, and logged
