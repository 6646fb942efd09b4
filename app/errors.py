"""HanaroError family and the one exception-to-HTTP map (RFC 9457 ``application/problem+json``).

Every error leaves the service as a problem document with a localized ``title`` and ``detail``,
``status``, ``type`` (a URN in the ``urn:hanaro:problem:`` namespace, or ``about:blank`` for bare
HTTP errors), ``instance`` (the request id) and, for validation, ``errors: [{pointer, detail}]``.
Nothing about the citizen (no submitted values) and no stack trace is ever put in a problem.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.locale import Locale, negotiate_locale
from app.routing import methods_at
from app.validation_messages import localize_validation_error

PROBLEM_NAMESPACE = "urn:hanaro:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("hanaro.errors")

Localized = Mapping[str, str]
ErrorItem = Mapping[str, str | Localized]
"""One located problem: ``{"pointer": "/spec/apply/0/url", "detail": "..."}``; a value may be
``{"ko": ..., "en": ...}``, given in the request's language."""


class HanaroError(Exception):
    """Base of every error the service raises on purpose. Subclasses set status, slug and title."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[Localized] = {"ko": "잘못된 요청입니다", "en": "Bad request"}

    def __init__(
        self,
        detail: Localized | None = None,
        *,
        errors: Sequence[ErrorItem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(self.slug)
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})

    def errors_in(self, locale: Locale) -> list[dict[str, str]]:
        """``errors`` with every localized value in ``locale``."""
        return [
            {k: v if isinstance(v, str) else _pick(v, locale) or "" for k, v in item.items()}
            for item in self.errors
        ]


class InvalidRequest(HanaroError):
    status, slug = 422, "validation"
    title = {"ko": "요청 내용을 확인해 주세요", "en": "The request is not valid"}


class AuthenticationRequired(HanaroError):
    status, slug = 401, "authentication-required"
    title = {"ko": "유효한 API 키가 필요합니다", "en": "A valid API key is required"}


class ScopeRequired(HanaroError):
    status, slug = 403, "scope-required"
    title = {"ko": "이 작업을 할 권한이 없습니다", "en": "This key may not do this"}


class NationalPartnerRequired(ScopeRequired):
    slug = "national-partner-required"
    title = {
        "ko": "전국 단위 기관의 키만 할 수 있는 작업입니다",
        "en": "Only a national partner's key may do this",
    }


class UnsafeInput(InvalidRequest):
    """Input refused before validation: too deep, NaN/Infinity, oversized numbers, NUL..."""

    slug = "unsafe-input"
    title = {"ko": "받을 수 없는 입력이 있습니다", "en": "The request contains unsafe input"}


class ResidentNumberRejected(InvalidRequest):
    """A 주민등록번호 (resident registration number) was sent: refused, never stored or logged."""

    slug = "resident-number"
    title = {
        "ko": "주민등록번호는 받지 않습니다",
        "en": "Resident registration numbers are not accepted",
    }


class NotFound(HanaroError):
    status, slug = 404, "not-found"
    title = {"ko": "찾을 수 없습니다", "en": "Not found"}


class ProgramNotFound(NotFound):
    slug = "program-not-found"
    title = {"ko": "해당 사업을 찾을 수 없습니다", "en": "Program not found"}


class ParameterNotFound(NotFound):
    slug = "parameter-not-found"
    title = {"ko": "해당 기준값을 찾을 수 없습니다", "en": "Parameter not found"}


class CatalogConflict(HanaroError):
    status, slug = 409, "catalog-conflict"
    title = {"ko": "사업 목록과 충돌합니다", "en": "Conflicts with the catalog"}


class RetentionNotOver(HanaroError):
    """An audit purge cut-off younger than the retention period (2 years, PIPA 접속기록)."""

    status, slug = 409, "audit-retention"
    title = {"ko": "보존 기간이 지나지 않았습니다", "en": "The retention period is not over"}


class PreconditionFailed(HanaroError):
    """``If-Match`` names a version that is no longer current (or ``If-None-Match: *`` met one)."""

    status, slug = 412, "precondition-failed"
    title = {"ko": "그사이 내용이 바뀌었습니다", "en": "The resource changed since it was read"}


class PreconditionRequired(HanaroError):
    status, slug = 428, "precondition-required"
    title = {"ko": "If-Match 헤더가 필요합니다", "en": "This edit needs an If-Match header"}


class IdempotencyKeyReused(InvalidRequest):
    """The ``Idempotency-Key`` was already used for a request with a different body."""

    slug = "idempotency-key-reused"
    title = {
        "ko": "다른 요청에 쓰인 Idempotency-Key입니다",
        "en": "The Idempotency-Key belongs to another request",
    }


class InvalidRule(HanaroError):
    status, slug = 422, "invalid-rule"
    title = {"ko": "자격 규칙이 올바르지 않습니다", "en": "The eligibility rule is not valid"}


class PayloadTooLarge(HanaroError):
    status, slug = 413, "payload-too-large"
    title = {"ko": "요청이 너무 큽니다", "en": "The request body is too large"}


class BodyTimeout(HanaroError):
    """The request body did not arrive in time (stalled or trickling client); the connection is
    closed, since the rest of the body may still be on its way."""

    status, slug = 408, "request-timeout"
    title = {
        "ko": "요청 본문이 제시간에 도착하지 않았습니다",
        "en": "The request body took too long",
    }

    def __init__(self) -> None:
        super().__init__(
            {
                "ko": "요청 본문을 정해진 시간 안에 모두 보내지 않았습니다. 다시 보내 주세요.",
                "en": "The request body was not sent in full in time. Send it again.",
            },
            headers={"Connection": "close"},
        )


class RateLimited(HanaroError):
    status, slug = 429, "rate-limited"
    title = {"ko": "요청이 너무 많습니다", "en": "Too many requests"}


class ServiceUnavailable(HanaroError):
    """Not now, soon: always with ``Retry-After``."""

    status, slug = 503, "unavailable"
    title = {"ko": "잠시 후 다시 시도해 주세요", "en": "The service is not ready"}
    retry_after_seconds: ClassVar[int] = 2

    def __init__(self, detail: Localized | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(self.retry_after_seconds)})


class DatabaseUnavailable(ServiceUnavailable):
    """The database could not be reached, or a statement hit its statement or lock timeout
    (SQLAlchemy ``OperationalError``, which wraps psycopg's ``QueryCanceled`` and
    ``LockNotAvailable`` and SQLite's "database is locked")."""

    slug = "database-unavailable"
    title = {
        "ko": "데이터베이스가 잠시 응답하지 않습니다",
        "en": "The database is temporarily unavailable",
    }

    def __init__(self) -> None:
        super().__init__(
            {
                "ko": "잠시 후 같은 요청을 다시 보내 주세요.",
                "en": "Send the same request again in a moment.",
            }
        )


_HTTP_TITLES: dict[int, Localized] = {
    400: {"ko": "잘못된 요청입니다", "en": "Bad Request"},
    404: {"ko": "찾을 수 없습니다", "en": "Not Found"},
    405: {"ko": "허용되지 않은 메서드입니다", "en": "Method Not Allowed"},
    406: {"ko": "제공할 수 없는 형식입니다", "en": "Not Acceptable"},
    413: {"ko": "요청이 너무 큽니다", "en": "Content Too Large"},
    415: {"ko": "지원하지 않는 형식입니다", "en": "Unsupported Media Type"},
}
_INTERNAL_TITLE: Localized = {"ko": "서버 오류가 발생했습니다", "en": "Internal server error"}
_INTERNAL_DETAIL: Localized = {
    "ko": "요청을 처리하지 못했습니다. 요청 번호를 알려 주시면 확인하겠습니다.",
    "en": "We could not process the request. Quote the request id when you contact us.",
}


def request_locale(request: Request) -> Locale:
    """The locale chosen for this request (set by deps) or negotiated from Accept-Language."""
    chosen = getattr(request.state, "locale", None)
    if chosen in ("ko", "en"):
        return chosen  # type: ignore[no-any-return]
    default: Locale = "en" if getattr(request.app.state, "default_locale", "ko") == "en" else "ko"
    return negotiate_locale(request.headers.get("accept-language"), default)


def request_id_of(scope: Scope) -> str | None:
    state = scope.get("state") or {}
    value = state.get("request_id")
    return value if isinstance(value, str) else None


def problem_body(
    *,
    status: int,
    type_: str,
    title: str,
    detail: str | None,
    instance: str | None,
    errors: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = f"urn:hanaro:request:{instance}"
    if errors:
        body["errors"] = list(errors)
    return body


def problem_response(
    body: Mapping[str, Any], locale: Locale, headers: Mapping[str, str] | None = None
) -> Response:
    all_headers = {"Content-Language": locale, **(headers or {})}
    return Response(
        content=json.dumps(body, ensure_ascii=False),
        status_code=int(body["status"]),
        media_type=PROBLEM_MEDIA_TYPE,
        headers=all_headers,
    )


def _pick(text: Localized | None, locale: Locale) -> str | None:
    if text is None:
        return None
    return text.get(locale) or text.get("en") or next(iter(text.values()), None)


async def _hanaro_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HanaroError)
    locale = request_locale(request)
    body = problem_body(
        status=exc.status,
        type_=PROBLEM_NAMESPACE + exc.slug,
        title=_pick(exc.title, locale) or exc.slug,
        detail=_pick(exc.detail, locale),
        instance=request_id_of(request.scope),
        errors=exc.errors_in(locale),
    )
    return problem_response(body, locale, exc.headers)


async def _database_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OperationalError)
    log.warning(
        "database unavailable: %s",
        type(exc.orig).__name__,
        extra={"request_id": request_id_of(request.scope)},
    )
    return await _hanaro_error(request, DatabaseUnavailable())


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    locale = request_locale(request)
    errors = [localize_validation_error(err, locale) for err in exc.errors()]
    detail = {
        "ko": f"입력값 {len(errors)}곳을 확인해 주세요.",
        "en": f"{len(errors)} field(s) need attention.",
    }
    body = problem_body(
        status=422,
        type_=PROBLEM_NAMESPACE + InvalidRequest.slug,
        title=_pick(InvalidRequest.title, locale) or "validation",
        detail=detail[locale],
        instance=request_id_of(request.scope),
        errors=errors,
    )
    return problem_response(body, locale)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    locale = request_locale(request)
    title = _HTTP_TITLES.get(exc.status_code, {"ko": "요청 오류", "en": "Request error"})
    body = problem_body(
        status=exc.status_code,
        type_="about:blank",
        title=_pick(title, locale) or "error",
        detail=None,
        instance=request_id_of(request.scope),
    )
    headers = exc.headers
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allow(request)}
    return problem_response(body, locale, headers)


def _allow(request: Request) -> str:
    """Every method of the path: Starlette names only those of the first route that matched the
    path, though several routes may share it (``PUT`` and ``DELETE`` of one program)."""
    return ", ".join(sorted(methods_at(request.app.routes, request.scope["path"])))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HanaroError, _hanaro_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


class ErrorBoundary:
    """Last line of defence: an unexpected exception becomes a 500 problem with only the request id.

    The stack is logged (with the request id); the client sees no trace, SQL or values.
    """

    def __init__(self, app: ASGIApp, default_locale: Locale = "ko") -> None:
        self.app = app
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            request_id = request_id_of(scope)
            log.exception("unhandled error", extra={"request_id": request_id})
            if started:
                raise
            headers = dict(scope.get("headers") or [])
            accept = headers.get(b"accept-language", b"").decode("latin-1")
            locale = negotiate_locale(accept, self.default_locale)
            body = problem_body(
                status=500,
                type_=PROBLEM_NAMESPACE + "internal",
                title=_INTERNAL_TITLE[locale],
                detail=_INTERNAL_DETAIL[locale],
                instance=request_id,
            )
            await problem_response(body, locale)(scope, receive, send)
