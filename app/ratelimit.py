"""Rate limiting: fixed one-minute windows per API key, or per client address when anonymous.

The counters live in memory, per worker process: with N workers a caller gets up to N times the
configured limit, and a restart forgets the counts. That is acceptable for protecting the service
from one runaway kiosk or script; a shared limit across workers would need Redis or the database.

Accounting runs as an application-wide dependency (after the key is authenticated, so a key's
bucket can only be spent by its holder); ``RateLimitHeaders`` copies the outcome into
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` on every limited response.
Failed authentications are charged to the client address at the anonymous limit, so guessing
keys is throttled too. ``/health`` and ``/ready`` are not limited. Behind a proxy, run uvicorn
with ``--proxy-headers`` so the client address is the real one.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import RateLimited
from app.security import Principal

WINDOW_SECONDS = 60
UNLIMITED_PATHS = frozenset({"/health", "/ready"})
STATE_KEY = "rate_limit"
_DETAIL = {
    "ko": "요청 한도를 넘었습니다. Retry-After 초 뒤에 다시 시도해 주세요.",
    "en": "Request limit exceeded. Try again after Retry-After seconds.",
}


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


class RateLimiter:
    """Counts hits per bucket in the current window. Thread-safe; one per app (``app.state``)."""

    def __init__(
        self, *, anonymous_limit: int, key_limit: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.anonymous_limit = anonymous_limit
        self.key_limit = key_limit
        self._clock = clock
        self._window = -1
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str, limit: int) -> Quota:
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(bucket, 0) + 1
            self._counts[bucket] = count
        reset = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        return Quota(limit=limit, remaining=limit - count, reset_seconds=reset)

    def charge(self, principal: Principal, client_address: str) -> Quota:
        if principal.key_prefix is not None:
            return self.hit(f"key:{principal.key_prefix}", self.key_limit)
        return self.hit(f"addr:{client_address}", self.anonymous_limit)


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def enforce(request: Request, principal: Principal) -> None:
    """Charge this request to its bucket; raise ``RateLimited`` (429) when over the limit.
    The caller skips ``UNLIMITED_PATHS``."""
    limiter: RateLimiter = request.app.state.rate_limiter
    quota = limiter.charge(principal, client_address(request.scope))
    _settle(request, quota)


def charge_failed_authentication(request: Request) -> None:
    """A rejected key costs its sender's address one anonymous request."""
    limiter: RateLimiter = request.app.state.rate_limiter
    quota = limiter.hit(f"addr:{client_address(request.scope)}", limiter.anonymous_limit)
    _settle(request, quota)


def _settle(request: Request, quota: Quota) -> None:
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
