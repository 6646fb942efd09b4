"""Pure-ASGI middleware: request id, access log, request body size cap and time limit; security
headers on every response; audit of refused admin and audit requests."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Iterable, Mapping

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import (
    BodyTimeout,
    PayloadTooLarge,
    problem_of,
    problem_response,
    request_id_of,
    scope_locale,
    text,
)
from app.ratelimit import client_address
from app.security import ANONYMOUS, Principal, key_prefix
from app.services.audit import AuditContext, record_refusal

log = logging.getLogger("hanaro.access")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContext:
    """Assigns a request id (or keeps a safe incoming ``X-Request-ID``), echoes it, logs access.

    The access line holds method, path, status, duration and request id: no query string, no body.

    The body is capped in size (413) and in time: it must arrive whole within
    ``body_timeout_seconds`` of the request's start, or reading it raises ``BodyTimeout`` (408),
    so a client that stalls or trickles a byte at a time cannot hold a worker. One deadline for
    the whole body, not one per read, or a trickle would never trip it.

    ``uploads`` gives a few routes (a ``multipart/form-data`` POST to one of its paths) their own
    ``(max_bytes, timeout_seconds)``: the screening upload, streamed to disk by its route.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        body_timeout_seconds: float,
        uploads: Mapping[str, tuple[int, float]] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout_seconds = body_timeout_seconds
        self.uploads: dict[str, tuple[int, float]] = dict(uploads or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        limit, timeout = self._limits(scope)
        try:
            if self._declared_too_large(scope, limit):
                await self._reject(scope, receive, send_with_id, request_id)
                return
            await self.app(scope, self._limited(receive, limit, timeout), send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )

    @staticmethod
    def _request_id(scope: Scope) -> str:
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                candidate: str = bytes(value).decode("latin-1")
                if _SAFE_REQUEST_ID.match(candidate):
                    return candidate
        return uuid.uuid4().hex

    def _limits(self, scope: Scope) -> tuple[int, float]:
        upload = self.uploads.get(scope.get("path", ""))
        if upload is not None and is_multipart_post(scope):
            return upload
        return self.max_body_bytes, self.body_timeout_seconds

    @staticmethod
    def _declared_too_large(scope: Scope, limit: int) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                return not value.isdigit() or int(value) > limit
        return False

    async def _reject(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        locale = scope_locale(scope)
        body = problem_of(PayloadTooLarge(_TOO_LARGE), locale, request_id)
        await problem_response(body, locale)(scope, receive, send)

    @staticmethod
    def _limited(receive: Receive, limit: int, timeout_seconds: float) -> Receive:
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        seen = 0
        complete = False

        async def counting_receive() -> Message:
            nonlocal seen, complete
            if complete:  # later reads wait for a disconnect: no deadline for those
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout() from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(status_code=413)
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        return counting_receive


_TOO_LARGE = text("errors.payload_too_large.detail")


def is_multipart_post(scope: Scope) -> bool:
    if scope.get("method") != "POST":
        return False
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return bytes(value).lower().startswith(b"multipart/form-data")
    return False


# HTML pages (/docs, /redoc): scripts and everything else only from this origin, no inline script
# and no eval. Inline styles stay allowed: Swagger UI sets style attributes and ReDoc injects
# <style> elements; CSS cannot run script. ReDoc's search runs in a blob: worker; icons are data:.
HTML_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Everything else is data, never a page: it may load nothing and be framed by no one.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def carries_citizen_facts(path: str) -> bool:
    """Plans, questions and one program's verdict echo a citizen's facts, screenings hold a
    population's: never cache them."""
    if path.startswith(("/v1/plans", "/v1/questions", "/v1/screenings")):
        return True
    return path.startswith("/v1/programs/") and path.endswith("/eligibility")


_ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))
_HTML_CSP = (b"content-security-policy", HTML_POLICY.encode())
_API_CSP = (b"content-security-policy", API_POLICY.encode())
_NO_STORE = (b"cache-control", b"no-store")
_REPLACED = frozenset(name for name, _ in (*_ALWAYS, _HTML_CSP))
_REPLACED_PRIVATE = _REPLACED | {_NO_STORE[0]}


class SecurityHeaders:
    """On every response, problems included: ``X-Content-Type-Options: nosniff``,
    ``Referrer-Policy: no-referrer`` and a Content-Security-Policy (``HTML_POLICY`` for HTML,
    ``API_POLICY`` otherwise); ``Cache-Control: no-store`` where ``carries_citizen_facts``.
    Any value the application set for one of these is replaced. Outermost, so the 408/413/500
    problems of the inner middleware get them too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = carries_citizen_facts(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _secured(message.get("headers", ()), private)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secured(headers: Iterable[tuple[bytes, bytes]], private: bool) -> list[tuple[bytes, bytes]]:
    """The response headers with ours in place of any the application set (names are lowercase
    in ASGI); its ``Cache-Control`` stays unless ``private``."""
    replaced = _REPLACED_PRIVATE if private else _REPLACED
    kept = [(name, value) for name, value in headers if name not in replaced]
    is_html = any(
        name == b"content-type" and value.startswith(b"text/html") for name, value in kept
    )
    kept += _ALWAYS
    kept.append(_HTML_CSP if is_html else _API_CSP)
    if private:
        kept.append(_NO_STORE)
    return kept


_AUDITED_AREAS = {"/v1/admin": "admin", "/v1/audit": "audit"}
_DENIED = frozenset({401, 403, 404})
_REJECTED = frozenset({409, 422})
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DRY_RUNS = frozenset({"/v1/admin/rules/validate"})


class AuditRefusals:
    """Audits refused requests to the admin and audit endpoints, after the response.

    - 401, 403, 404 on ``/v1/admin/*`` or ``/v1/audit*``: ``admin.denied`` / ``audit.denied``;
    - 409, 422 on an admin write (not the dry run): ``admin.rejected`` -- nothing was created,
      and the entry says so (a successful write is audited by its service as ``program.create``..).

    Only requests that reached an endpoint (a route matched) are recorded: those were charged to
    a rate-limit bucket, so nobody can fill the log for free by probing unknown paths. Entries
    hold method, status, path, the caller (or the prefix of a rejected key, which is public: never
    the secret), address and request id; never the body or profile values.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        area = _area(scope) if scope["type"] == "http" else None
        if area is None:
            await self.app(scope, receive, send)
            return
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        route = scope.get("route")
        if route is None:
            return
        action = _refusal(area, status, scope.get("method", ""), getattr(route, "path", ""))
        if action is not None:
            await self._record(scope, action, status)

    @staticmethod
    async def _record(scope: Scope, action: str, status: int) -> None:
        state = scope.get("state") or {}
        principal = state.get("principal")
        if not isinstance(principal, Principal):
            principal = ANONYMOUS
        ctx = AuditContext(principal, client_address(scope), request_id_of(scope))
        detail: dict[str, object] = {"method": scope.get("method"), "status": status}
        claimed = _presented_prefix(scope)
        if principal.is_anonymous and claimed is not None:
            detail["claimed_key"] = claimed
        target = f"path:{scope.get('path', '')}"[:160]
        sessions = scope["app"].state.sessionmaker
        await run_in_threadpool(record_refusal, sessions, ctx, action, target, detail)


def _area(scope: Scope) -> str | None:
    path: str = scope.get("path", "")
    for prefix, area in _AUDITED_AREAS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return area
    return None


def _refusal(area: str, status: int, method: str, route_path: str) -> str | None:
    if status in _DENIED:
        return f"{area}.denied"
    if area == "admin" and status in _REJECTED and method in _WRITES:
        return None if route_path in _DRY_RUNS else "admin.rejected"
    return None


def _presented_prefix(scope: Scope) -> str | None:
    """The identifying prefix of a presented key (``Authorization: Bearer`` or ``X-API-Key``)."""
    for name, value in scope.get("headers", []):
        text = bytes(value).decode("latin-1")
        if name == b"authorization" and text[:7].lower() == "bearer ":
            return key_prefix(text[7:].strip())
        if name == b"x-api-key":
            return key_prefix(text.strip())
    return None
