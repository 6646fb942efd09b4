"""HanaroError family and the one exception-to-HTTP map (RFC 9457 ``application/problem+json``).

Every error leaves the service as a problem document with a localized ``title`` and ``detail``,
``status``, ``type`` (a URN in the ``urn:hanaro:problem:`` namespace, or ``about:blank`` for bare
HTTP errors), ``instance`` (the request id) and, for validation, ``errors: [{pointer, detail}]``.
Nothing about the citizen (no submitted values) and no stack trace is ever put in a problem.

The words are messages of the text layer (``app/text/locales/<tag>/errors.po``, ids
``errors.<area>.<name>``): an error carries message ids (``Text``), said in the locale negotiated
for the request (any registered locale; ``Content-Language`` names it) only when it is sent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.outage import DATABASE_DOWN
from app.locale import Locale, negotiate_locale
from app.routing import methods_at
from app.text.locales import DEFAULT, is_supported
from app.text.messages import t
from app.validation_messages import localize_validation_error

PROBLEM_NAMESPACE = "urn:hanaro:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("hanaro.errors")


@dataclass(frozen=True)
class Text:
    """A message of the text layer (``app/text/locales/<tag>/errors.po``) and its arguments,
    said in the request's language only when the problem is sent."""

    id: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def in_(self, locale: Locale) -> str:
        return t(locale, self.id, **self.args)


def text(message_id: str, /, **args: Any) -> Text:
    """``text("errors.keys.not_found", prefix=prefix)``."""
    return Text(message_id, args)


Localized = Mapping[str, str]
Said = Text | Localized
"""What a problem says: a ``Text``; or, from callers not yet moved to the text layer, a
``{"ko": ..., "en": ...}`` map (read in the request's language, else Korean)."""
ErrorItem = Mapping[str, str | Said]
"""One located problem: ``{"pointer": "/spec/apply/0/url", "detail": text(...)}``."""


def say(said: Said | str | None, locale: Locale) -> str | None:
    """``said`` in ``locale``; a plain string is a value (a pointer, a location) and stays."""
    if said is None or isinstance(said, str):
        return said
    if isinstance(said, Text):
        return said.in_(locale)
    return said.get(locale) or said.get(DEFAULT) or next(iter(said.values()), None)


class HanaroError(Exception):
    """Base of every error the service raises on purpose. Subclasses set status, slug and the
    message id of their title (``errors.<name>.title``)."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title_id: ClassVar[str] = "errors.bad_request.title"

    def __init__(
        self,
        detail: Said | None = None,
        *,
        errors: Sequence[ErrorItem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(self.slug)
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})

    @classmethod
    def title_in(cls, locale: Locale) -> str:
        return t(locale, cls.title_id)

    def detail_in(self, locale: Locale) -> str | None:
        return say(self.detail, locale)

    def errors_in(self, locale: Locale) -> list[dict[str, str]]:
        """``errors`` with every message in ``locale``."""
        return [{k: say(v, locale) or "" for k, v in item.items()} for item in self.errors]


class InvalidRequest(HanaroError):
    status, slug = 422, "validation"
    title_id = "errors.validation.title"


class AuthenticationRequired(HanaroError):
    status, slug = 401, "authentication-required"
    title_id = "errors.authentication_required.title"


class ScopeRequired(HanaroError):
    status, slug = 403, "scope-required"
    title_id = "errors.scope_required.title"


class NationalPartnerRequired(ScopeRequired):
    slug = "national-partner-required"
    title_id = "errors.national_partner_required.title"


class UnsafeInput(InvalidRequest):
    """Input refused before validation: too deep, NaN/Infinity, oversized numbers, NUL..."""

    slug = "unsafe-input"
    title_id = "errors.unsafe_input.title"


class ResidentNumberRejected(InvalidRequest):
    """A 주민등록번호 (resident registration number) was sent: refused, never stored or logged."""

    slug = "resident-number"
    title_id = "errors.resident_number.title"


class NotFound(HanaroError):
    status, slug = 404, "not-found"
    title_id = "errors.not_found.title"


class ProgramNotFound(NotFound):
    slug = "program-not-found"
    title_id = "errors.program_not_found.title"


class ParameterNotFound(NotFound):
    slug = "parameter-not-found"
    title_id = "errors.parameter_not_found.title"


class CaseNotFound(NotFound):
    """No such case for this agency: another agency's case is not found either (never 403)."""

    slug = "case-not-found"
    title_id = "errors.case_not_found.title"


class ReferralNotFound(NotFound):
    slug = "referral-not-found"
    title_id = "errors.referral_not_found.title"


class TaskNotFound(NotFound):
    slug = "task-not-found"
    title_id = "errors.task_not_found.title"


class SavedPlanNotFound(NotFound):
    slug = "saved-plan-not-found"
    title_id = "errors.saved_plan_not_found.title"


class StaffUnknown(ScopeRequired):
    """The ``Hanaro-Staff`` header names no active staff member of the key's agency."""

    slug = "staff-unknown"
    title_id = "errors.staff_unknown.title"


class ConsentRequired(InvalidRequest):
    """What the request would store is not covered by the recorded consent (PIPA §15, §23)."""

    slug = "consent-required"
    title_id = "errors.consent_required.title"


class UnknownAgency(InvalidRequest):
    slug = "unknown-agency"
    title_id = "errors.unknown_agency.title"


class ReasonRequired(InvalidRequest):
    """A step a person would ask "why?" about (declined, closed) needs a reason."""

    slug = "reason-required"
    title_id = "errors.reason_required.title"


class TransitionNotAllowed(HanaroError):
    """The referral (or case) is not in a status this step may leave, or not by this party."""

    status, slug = 409, "transition-not-allowed"
    title_id = "errors.transition_not_allowed.title"


class CatalogConflict(HanaroError):
    status, slug = 409, "catalog-conflict"
    title_id = "errors.catalog_conflict.title"


class RetentionNotOver(HanaroError):
    """An audit purge cut-off younger than the retention period (2 years, PIPA 접속기록)."""

    status, slug = 409, "audit-retention"
    title_id = "errors.audit_retention.title"


class PreconditionFailed(HanaroError):
    """``If-Match`` names a version that is no longer current (or ``If-None-Match: *`` met one)."""

    status, slug = 412, "precondition-failed"
    title_id = "errors.precondition_failed.title"


class PreconditionRequired(HanaroError):
    status, slug = 428, "precondition-required"
    title_id = "errors.precondition_required.title"


class IdempotencyKeyReused(InvalidRequest):
    """The ``Idempotency-Key`` was already used for a request with a different body."""

    slug = "idempotency-key-reused"
    title_id = "errors.idempotency_key_reused.title"


class ScreeningNotFound(NotFound):
    """No such screening job, or another partner's (the same answer for both)."""

    slug = "screening-not-found"
    title_id = "errors.screening_not_found.title"


class ScreeningNotFinished(HanaroError):
    status, slug = 409, "screening-not-finished"
    title_id = "errors.screening_not_finished.title"


class ScreeningPurged(HanaroError):
    status, slug = 410, "screening-purged"
    title_id = "errors.screening_purged.title"


class ScreeningInputRefused(InvalidRequest):
    """The screening's input (files or tables) was refused; ``errors`` name tables, columns and
    row counts, never values. Nothing was kept."""

    slug = "screening-input"
    title_id = "errors.screening_input.title"


class ScreeningSourceRefused(InvalidRequest):
    """Database tables as a screening's input: not PostgreSQL, a schema not allowed, no table."""

    slug = "screening-source"
    title_id = "errors.screening_source.title"


class InvalidRule(HanaroError):
    status, slug = 422, "invalid-rule"
    title_id = "errors.invalid_rule.title"


class PayloadTooLarge(HanaroError):
    status, slug = 413, "payload-too-large"
    title_id = "errors.payload_too_large.title"


class BodyTimeout(HanaroError):
    """The request body did not arrive in time (stalled or trickling client); the connection is
    closed, since the rest of the body may still be on its way."""

    status, slug = 408, "request-timeout"
    title_id = "errors.request_timeout.title"

    def __init__(self) -> None:
        super().__init__(text("errors.request_timeout.detail"), headers={"Connection": "close"})


class RateLimited(HanaroError):
    status, slug = 429, "rate-limited"
    title_id = "errors.rate_limited.title"


class ServiceUnavailable(HanaroError):
    """Not now, soon: always with ``Retry-After``."""

    status, slug = 503, "unavailable"
    title_id = "errors.unavailable.title"
    retry_after_seconds: ClassVar[int] = 2

    def __init__(self, detail: Said | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(self.retry_after_seconds)})


class DatabaseUnavailable(ServiceUnavailable):
    """The database could not be reached, or a statement hit its statement or lock timeout
    (any of ``app.db.outage.DATABASE_DOWN``: SQLAlchemy's ``OperationalError``, which wraps
    psycopg's ``QueryCanceled`` and ``LockNotAvailable`` and SQLite's "database is locked", a
    lost connection, or a pool with no connection free in time)."""

    slug = "database-unavailable"
    title_id = "errors.database_unavailable.title"

    def __init__(self) -> None:
        super().__init__(text("errors.database_unavailable.detail"))


_HTTP_TITLES: dict[int, str] = {
    400: "errors.http.bad_request",
    404: "errors.http.not_found",
    405: "errors.http.method_not_allowed",
    406: "errors.http.not_acceptable",
    413: "errors.http.content_too_large",
    415: "errors.http.unsupported_media_type",
}


def locale_of(accept_language: str | None, default: Locale = DEFAULT) -> Locale:
    """The locale negotiated from ``Accept-Language``, falling back to ``default`` when that is a
    registered locale (else Korean)."""
    return negotiate_locale(accept_language, default if is_supported(default) else DEFAULT)


def scope_locale(scope: Scope, default: Locale | None = None) -> Locale:
    """``locale_of`` for a raw ASGI scope (the middleware, before any route ran); ``default``
    is the application's ``default_locale`` unless given."""
    if default is None:
        state = getattr(scope.get("app"), "state", None)
        default = getattr(state, "default_locale", DEFAULT)
    for name, value in scope.get("headers") or ():
        if name == b"accept-language":
            return locale_of(bytes(value).decode("latin-1"), default)
    return locale_of(None, default)


def request_locale(request: Request) -> Locale:
    """The locale chosen for this request (set by deps) or negotiated from Accept-Language."""
    chosen = getattr(request.state, "locale", None)
    if isinstance(chosen, str) and is_supported(chosen):
        return chosen
    default = getattr(request.app.state, "default_locale", DEFAULT)
    return locale_of(request.headers.get("accept-language"), default)


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


async def _hanaro_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HanaroError)
    locale = request_locale(request)
    body = problem_of(exc, locale, request_id_of(request.scope))
    return problem_response(body, locale, exc.headers)


def problem_of(error: HanaroError, locale: Locale, request_id: str | None) -> dict[str, Any]:
    """The problem document of ``error``, said in ``locale``."""
    return problem_body(
        status=error.status,
        type_=PROBLEM_NAMESPACE + error.slug,
        title=error.title_in(locale),
        detail=error.detail_in(locale),
        instance=request_id,
        errors=error.errors_in(locale),
    )


async def _database_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DATABASE_DOWN)
    log.warning(
        "database unavailable: %s",
        type(getattr(exc, "orig", None) or exc).__name__,
        extra={"request_id": request_id_of(request.scope)},
    )
    return await _hanaro_error(request, DatabaseUnavailable())


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    locale = request_locale(request)
    errors = [localize_validation_error(err, locale) for err in exc.errors()]
    body = problem_body(
        status=422,
        type_=PROBLEM_NAMESPACE + InvalidRequest.slug,
        title=InvalidRequest.title_in(locale),
        detail=t(locale, "errors.validation.detail", count=len(errors)),
        instance=request_id_of(request.scope),
        errors=errors,
    )
    return problem_response(body, locale)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    locale = request_locale(request)
    title = _HTTP_TITLES.get(exc.status_code, "errors.http.other")
    body = problem_body(
        status=exc.status_code,
        type_="about:blank",
        title=t(locale, title),
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
    for kind in DATABASE_DOWN:  # unreachable, timed out, or no pooled connection free in time
        app.add_exception_handler(kind, _database_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


class ErrorBoundary:
    """Last line of defence: an unexpected exception becomes a 500 problem with only the request id.

    The stack is logged (with the request id); the client sees no trace, SQL or values.
    """

    def __init__(self, app: ASGIApp, default_locale: Locale = DEFAULT) -> None:
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
            locale = scope_locale(scope, self.default_locale)
            body = problem_body(
                status=500,
                type_=PROBLEM_NAMESPACE + "internal",
                title=t(locale, "errors.internal.title"),
                detail=t(locale, "errors.internal.detail"),
                instance=request_id,
            )
            await problem_response(body, locale)(scope, receive, send)
