"""Rate limiting: fixed one-minute windows per API key, or per client address when anonymous.

The counters live in a store shared by every worker process, so N uvicorn workers (or N
replicas) allow the configured limit once, not N times:

- ``RedisCounters`` when ``HANARO_REDIS_URL`` is set: ``INCR`` + ``EXPIRE`` in one MULTI per
  request; keys expire after two windows. Fast, and shared across machines.
- ``DatabaseCounters`` otherwise (the default): one row per bucket and window in the service's
  own database, incremented with ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING``, which is atomic
  on SQLite and PostgreSQL. Why the database rather than a file or shared memory: it is already
  the one thing every worker shares (SQLite file on one machine, PostgreSQL across replicas), it
  needs no new service, and it survives restarts. The price is one small write per limited
  request; SQLite serializes writers (WAL, busy timeout), which is enough for a single-machine
  deployment. Configure Redis when that write shows up in latency.
- ``MemoryCounters`` is per process: for unit tests only, never chosen by ``create_app``.

If Redis cannot be reached the request is let through (logged): an outage of the limiter should
not become an outage of the service. If the database cannot be reached, each worker counts in its
own memory until it answers again (``DatabaseCounters``): keyed requests that need no database
(plans, questions, catalog reads) keep being served and limited, per worker.

Accounting runs as an application-wide dependency (after the key is authenticated, so a key's
bucket can only be spent by its holder); ``RateLimitHeaders`` copies the outcome into
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` on every limited response.
Failed authentications are charged to the client address at the anonymous limit, so guessing
keys is throttled too. ``/health`` and ``/ready`` are not limited. Behind a proxy, run uvicorn
with ``--proxy-headers`` so the client address is the real one.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.outage import DATABASE_DOWN, Outage
from app.db.repositories.rate_limits import RateLimitRepository
from app.db.session import write_transaction
from app.errors import RateLimited, text
from app.security import Principal
from app.settings import Settings

if TYPE_CHECKING:
    import redis

WINDOW_SECONDS = 60
COUNT_WAIT_MS = 500  # a count waits no longer for a lock or a statement (then: memory)
UNLIMITED_PATHS = frozenset({"/health", "/ready"})
STATE_KEY = "rate_limit"
_DETAIL = text("errors.rate_limited.detail")
log = logging.getLogger("hanaro.ratelimit")


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset_seconds: int

    @property
    def is_exceeded(self) -> bool:
        return self.remaining < 0

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(self.remaining, 0)),
            "RateLimit-Reset": str(self.reset_seconds),
        }


class CounterStore(Protocol):
    """Where hits are counted. ``increment`` returns the bucket's total in the window, or None
    when the store cannot be reached (the request is then not limited)."""

    def increment(self, bucket: str, window_start: int) -> int | None: ...

    def close(self) -> None: ...


class MemoryCounters:
    """Per-process counters: correct for one worker only. Unit tests use it."""

    def __init__(self) -> None:
        self._window = -1
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def increment(self, bucket: str, window_start: int) -> int:
        with self._lock:
            if window_start != self._window:
                self._window, self._counts = window_start, {}
            self._counts[bucket] = count = self._counts.get(bucket, 0) + 1
        return count

    def close(self) -> None:
        return None


class DatabaseCounters:
    """Counters in the service's database (table ``rate_limit_counter``), shared by all workers.

    ``sessions`` is called per hit, so tests can swap ``app.state.sessionmaker``. The first hit a
    worker sees in a new window also deletes the rows of windows before the previous one.

    While the database does not answer (``outage``), hits are counted in this worker's memory
    instead: requests that need no database keep working, each worker still enforcing the limit
    on its own (so N workers allow up to N times the limit during an outage, documented).
    """

    def __init__(self, sessions: Callable[[], Session], outage: Outage | None = None) -> None:
        self._sessions = sessions
        self._swept = -1
        self._outage = outage
        self._fallback = MemoryCounters()

    def increment(self, bucket: str, window_start: int) -> int:
        outage = self._outage
        if outage is not None and outage.suspected():
            return self._fallback.increment(bucket, window_start)
        try:
            with self._sessions() as session, write_transaction(session, wait_ms=COUNT_WAIT_MS):
                repo = RateLimitRepository(session)
                if window_start > self._swept:
                    self._swept = window_start
                    repo.forget_before(window_start - WINDOW_SECONDS)
                return repo.hit(bucket, window_start)
        except DATABASE_DOWN as error:
            if outage is None:
                raise
            outage.failed(error)
            return self._fallback.increment(bucket, window_start)

    def close(self) -> None:
        return None


class RedisCounters:
    """Counters in Redis under ``<prefix>:ratelimit:<window>:<bucket>``, expiring after two
    windows. ``prefix`` keeps deployments (and test runs) sharing one Redis apart."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def increment(self, bucket: str, window_start: int) -> int | None:
        import redis

        key = f"{self._prefix}:ratelimit:{window_start}:{bucket}"
        try:
            with self._client.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, 2 * WINDOW_SECONDS)
                count, _ = pipe.execute()
        except redis.RedisError:
            log.warning("rate limit store unreachable; request not limited", exc_info=True)
            return None
        return int(count)

    def close(self) -> None:
        self._client.close()


def make_counter_store(
    settings: Settings, sessions: Callable[[], Session], outage: Outage | None = None
) -> CounterStore:
    """Redis when ``redis_url`` is set, else the database. Nothing connects here."""
    if settings.redis_url is None:
        return DatabaseCounters(sessions, outage)
    return RedisCounters(redis_client(settings.redis_url), settings.redis_key_prefix)


def redis_client(url: str) -> redis.Redis:
    """A client that gives up fast (one retry, one-second timeouts): while Redis is away each
    request should wait a moment, not several, before it is let through unlimited."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url, socket_timeout=1.0, socket_connect_timeout=1.0, retry=Retry(NoBackoff(), 1)
    )


class RateLimiter:
    """Charges hits to buckets in the current window of a shared ``CounterStore``. One per app
    (``app.state``); ``charge`` blocks on the store, so call it from a worker thread."""

    def __init__(
        self,
        store: CounterStore,
        *,
        anonymous_limit: int,
        key_limit: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.anonymous_limit = anonymous_limit
        self.key_limit = key_limit
        self._clock = clock

    def hit(self, bucket: str, limit: int) -> Quota | None:
        now = self._clock()
        window_start = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
        count = self.store.increment(bucket, window_start)
        if count is None:
            return None
        reset = max(1, math.ceil(window_start + WINDOW_SECONDS - now))
        return Quota(limit=limit, remaining=limit - count, reset_seconds=reset)

    def charge(self, principal: Principal, client_address: str) -> Quota | None:
        if principal.key_prefix is not None:
            return self.hit(f"key:{principal.key_prefix}", self.key_limit)
        return self.hit(f"addr:{client_address}", self.anonymous_limit)


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def enforce(request: Request, principal: Principal) -> None:
    """Charge this request to its bucket; raise ``RateLimited`` (429) when over the limit.
    The caller skips ``UNLIMITED_PATHS``."""
    limiter: RateLimiter = request.app.state.rate_limiter
    quota = await run_in_threadpool(limiter.charge, principal, client_address(request.scope))
    _settle(request, quota)


async def charge_failed_authentication(request: Request) -> None:
    """A rejected key costs its sender's address one anonymous request."""
    limiter: RateLimiter = request.app.state.rate_limiter
    bucket = f"addr:{client_address(request.scope)}"
    quota = await run_in_threadpool(limiter.hit, bucket, limiter.anonymous_limit)
    _settle(request, quota)


def _settle(request: Request, quota: Quota | None) -> None:
    if quota is None:
        return
    request.state.rate_limit = quota
    if quota.is_exceeded:
        raise RateLimited(_DETAIL, headers={"Retry-After": str(quota.reset_seconds)})


class RateLimitHeaders:
    """Pure ASGI: add the ``RateLimit-*`` headers when the request was charged to a bucket."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_quota(message: Message) -> None:
            if message["type"] == "http.response.start":
                quota = (scope.get("state") or {}).get(STATE_KEY)
                if isinstance(quota, Quota):
                    headers = list(message.get("headers", []))
                    headers += [
                        (k.lower().encode(), v.encode()) for k, v in quota.headers().items()
                    ]
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_quota)
