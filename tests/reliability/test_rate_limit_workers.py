"""The rate limit holds across worker processes: ``hanaro serve --workers 2`` on a free local
port allows the anonymous limit once, not once per worker, with the default store (the
database) and with Redis. On PostgreSQL the server connects as ``hanaro_app``, the service's
role, so its privileges are proved sufficient too."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import app_role_url
from tests.reliability.serving import burst, serving, wait_for_a_fresh_window

LIMIT = 6
REQUESTS = 40  # enough that both workers get well over LIMIT each
PATH = "/v1/programs/no-such-program/versions"  # limited, and cheap on an empty catalog
REDIS_URL = os.environ.get("HANARO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "HANARO_DATABASE_URL": app_role_url(database_url),  # as the service runs (hanaro_app)
        "HANARO_RATE_LIMIT_ANONYMOUS_PER_MINUTE": str(LIMIT),
        "HANARO_CATALOG_REFRESH_SECONDS": "0",
        "HANARO_ENVIRONMENT": "test",
        **extra,
    }


def assert_limit_holds(statuses: list[int]) -> None:
    allowed = [s for s in statuses if s != 429]
    assert set(allowed) <= {404}, statuses
    assert len(allowed) == LIMIT, f"{len(allowed)} of {REQUESTS} let through: {statuses}"


def test_default_store_limits_across_two_workers(scratch_database_url: str, tmp_path: Path) -> None:
    with serving(server_env(scratch_database_url), tmp_path / "server.log") as base_url:
        wait_for_a_fresh_window()
        assert_limit_holds(burst(base_url, PATH, REQUESTS))


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis; skipped when none answers, except in CI (``CI=true``), where it must."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Redis answers at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis reachable at {REDIS_URL} (set HANARO_TEST_REDIS_URL): {exc}")
    finally:
        client.close()
    yield REDIS_URL


def test_redis_store_limits_across_two_workers(
    scratch_database_url: str, redis_url: str, tmp_path: Path
) -> None:
    import redis

    prefix = f"hanaro-test-{uuid.uuid4().hex[:12]}"  # this run's keys only
    env = server_env(
        scratch_database_url, HANARO_REDIS_URL=redis_url, HANARO_REDIS_KEY_PREFIX=prefix
    )
    try:
        with serving(env, tmp_path / "server.log") as base_url:
            wait_for_a_fresh_window()
            assert_limit_holds(burst(base_url, PATH, REQUESTS))
        client = redis.Redis.from_url(redis_url)
        assert list(client.scan_iter(f"{prefix}:ratelimit:*")), "Redis was not used"
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()
