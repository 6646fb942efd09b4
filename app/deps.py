"""Shared request dependencies as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from functools import partial
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.crypto import DataCipher, data_cipher
from app.db.outage import DATABASE_DOWN, Outage
from app.errors import (
    AuthenticationRequired,
    DatabaseUnavailable,
    ScopeRequired,
    ServiceUnavailable,
    request_id_of,
    request_locale,
    text,
)
from app.locale import Locale
from app.matching import (
    CatalogSnapshot,
)
from app.preconditions import Precondition
from app.ratelimit import UNLIMITED_PATHS, charge_failed_authentication, client_address, enforce
from app.security import ANONYMOUS, Principal, Scope
from app.services.audit import AuditContext, record_access
from app.services.catalog_store import CatalogStore
from app.services.catalog_versions import CatalogSource
from app.services.idempotency import IdempotencyKey
from app.services.key_cache import KeyCache
from app.services.keys import CHALLENGE, authenticate
from app.settings import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request; services open their own transaction on it."""
    with request.app.state.sessionmaker() as session:
        yield session


async def get_locale(request: Request) -> Locale:
    return request_locale(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
LocaleDep = Annotated[Locale, Depends(get_locale)]


# --- Callers: API keys, scopes, rate limits, audit -------------------------------------------

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="BearerKey",
    description="`Authorization: Bearer hnr_<prefix>_<secret>`",
)
_api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKeyHeader",
    description="The same key in `X-API-Key`; omit both for anonymous (stricter limit) use",
)
KEY_SCHEMES = (_bearer.scheme_name, _api_key_header.scheme_name)


async def presented_key(request: Request) -> str | None:
    """The key the caller presents: ``Authorization: Bearer`` first, else ``X-API-Key``; read by
    the scheme objects the OpenAPI document declares, called directly (see ``get_principal``)."""
    bearer = await _bearer(request)
    return bearer.credentials if bearer is not None else await _api_key_header(request)


async def get_principal(request: Request) -> Principal:
    """The caller: anonymous without a key, else the key's partner; 401 on a bad key.

    The principal is kept on ``request.state.principal`` for audit and rate limiting; the
    application-wide ``rate_limit`` has usually found it already. The key schemes are declared
    as dependencies once, on ``rate_limit`` (for the OpenAPI document), and read here by calling
    them: every dependency node costs FastAPI a walk on every request, and this one is under the
    scope check, the audit and the rate limit of every route.
    """
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    return await _principal(request, await presented_key(request))


async def _principal(request: Request, presented: str | None) -> Principal:
    principal = ANONYMOUS
    if presented:
        try:
            principal = await run_in_threadpool(_authenticate, request, presented)
        except AuthenticationRequired:
            await charge_failed_authentication(request)
            raise
    request.state.principal = principal
    return principal


def _authenticate(request: Request, presented: str) -> Principal:
    """A key verified within the cache's TTL needs no database (see ``app.services.key_cache``);
    any other is checked against it, and an unreachable or slow database is a 503 with
    Retry-After (``DatabaseUnavailable``), never a 500 or a hang."""
    cache: KeyCache = request.app.state.key_cache
    known = cache.get(presented)
    if known is not None:
        return known
    outage: Outage = request.app.state.database_outage
    try:
        with request.app.state.sessionmaker() as session:
            principal = authenticate(session, presented)
    except DATABASE_DOWN as error:
        outage.failed(error)
        raise DatabaseUnavailable() from error
    outage.recovered()
    cache.put(presented, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def rate_limit(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_api_key_header)],
) -> None:
    """Application-wide: charge the request to its key or address (see ``app.ratelimit``).

    Probes (``/health``, ``/ready``) are neither limited nor authenticated.
    """
    if request.scope["path"] in UNLIMITED_PATHS:
        return
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        presented = bearer.credentials if bearer is not None else header_key
        principal = await _principal(request, presented)
    await enforce(request, principal)


class ScopeCheck:
    """A dependency that lets through keys holding ``scope`` (and anonymous callers when
    ``anonymous``); 401 for anonymous callers otherwise, 403 for keys without the scope.

    A class rather than a closure so that ``app.openapi`` can tell keyed routes from open ones.
    """

    def __init__(self, scope: Scope, *, anonymous: bool) -> None:
        self.scope, self.anonymous = scope, anonymous

    async def __call__(self, request: Request) -> Principal:
        principal = await get_principal(request)  # not a dependency: see get_principal
        if principal.is_anonymous and not self.anonymous:
            raise AuthenticationRequired(_KEY_NEEDED, headers=CHALLENGE)
        if not principal.is_anonymous and not principal.may(self.scope):
            raise ScopeRequired(text("errors.scope_required.detail", scope=self.scope))
        return principal


def require_scope(scope: Scope, *, anonymous: bool = False) -> ScopeCheck:
    """See ``ScopeCheck``."""
    return ScopeCheck(scope, anonymous=anonymous)


CatalogWriter = Annotated[Principal, Depends(require_scope("catalog:write"))]
CaseReader = Annotated[Principal, Depends(require_scope("cases:read"))]
CaseWriter = Annotated[Principal, Depends(require_scope("cases:write"))]
ReferralReceiver = Annotated[Principal, Depends(require_scope("referrals:receive"))]
AuditReader = Annotated[Principal, Depends(require_scope("audit:read"))]
CatalogReader = Annotated[Principal, Depends(require_scope("catalog:read", anonymous=True))]
ScreeningCaller = Annotated[Principal, Depends(require_scope("screenings"))]
PlanCaller = Annotated[Principal, Depends(require_scope("plans", anonymous=True))]
_KEY_NEEDED = text("errors.authentication_required.detail")


async def get_audit_context(request: Request, principal: PrincipalDep) -> AuditContext:
    return AuditContext(principal, client_address(request.scope), request_id_of(request.scope))


AuditContextDep = Annotated[AuditContext, Depends(get_audit_context)]


def audit_access(action: str) -> Callable[..., Awaitable[None]]:
    """A dependency that audits a keyed request touching personal data (plans, questions,
    eligibility): actor, time, address, action, route and request id; never the profile.

    Use as ``dependencies=[Depends(audit_access("plans.create"))]``; anonymous calls are not
    recorded (there is no one to hold to account, and nothing identifies the citizen).
    """

    async def record(request: Request) -> None:
        principal = await get_principal(request)  # not a dependency: see get_principal
        if principal.is_anonymous:
            return
        ctx = await get_audit_context(request, principal)
        route = request.scope.get("route")
        target = getattr(route, "path", request.url.path)
        state = request.app.state
        await run_in_threadpool(
            partial(
                record_access,
                state.sessionmaker,
                ctx,
                action,
                f"route:{target}",
                spool=state.audit_spool,
                outage=state.database_outage,
            )
        )

    return record


async def get_precondition(request: Request) -> Precondition:
    """The write's ``If-Match`` / ``If-None-Match`` (declared per route in ``openapi_extra``,
    since a missing one is a 428 problem, not a 422); services check it under the row lock."""
    headers = request.headers
    return Precondition.from_headers(headers.get("if-match"), headers.get("if-none-match"))


PreconditionDep = Annotated[Precondition, Depends(get_precondition)]


async def get_idempotency_key(
    settings: SettingsDep,
    principal: PrincipalDep,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description=(
                "Any unique string (a UUID) to make a create safe to retry: the same key with "
                "the same body replays the first answer (`Idempotent-Replayed: true`) and creates "
                "nothing; with another body, 422. Kept 24 hours by default"
            ),
            examples=["5f1c9a3e-8d2b-4f6a-9c7e-1b2d3e4f5a6b"],
        ),
    ] = None,
) -> IdempotencyKey | None:
    if key is None:
        return None
    ttl = timedelta(hours=settings.idempotency_key_ttl_hours)
    return IdempotencyKey(owner=principal.actor, key=key, ttl=ttl)


IdempotencyKeyDep = Annotated[IdempotencyKey | None, Depends(get_idempotency_key)]


def say_replayed(response: Response, replayed: bool) -> None:
    """A retry's answer is the first request's: say so (``Idempotent-Replayed: true``)."""
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"


async def get_catalog_store(request: Request) -> CatalogStore[CatalogSnapshot]:
    store: CatalogStore[CatalogSnapshot] = request.app.state.catalog
    return store


CatalogStoreDep = Annotated[CatalogStore[CatalogSnapshot], Depends(get_catalog_store)]


async def current_snapshot(request: Request) -> CatalogSnapshot:
    """The worker's compiled catalog; 503 (with Retry-After) until it is first loaded."""
    store: CatalogStore[CatalogSnapshot] = request.app.state.catalog
    loaded = store.current
    if loaded is None:
        raise ServiceUnavailable(text("errors.unavailable.catalog_not_loaded"))
    return loaded.snapshot


SnapshotDep = Annotated[CatalogSnapshot, Depends(current_snapshot)]


def get_catalog_source(
    request: Request, session: SessionDep, store: CatalogStoreDep
) -> CatalogSource:
    return CatalogSource(session, store, request.app.state.database_outage)


CatalogSourceDep = Annotated[CatalogSource, Depends(get_catalog_source)]


StaffDep = Annotated[
    str,
    Header(
        alias="Hanaro-Staff",
        pattern=r"^[A-Za-z0-9._-]{1,40}$",
        description="The code of the staff member acting, registered for the key's agency "
        "(`hanaro staff add`): required on case and referral writes, kept in the audit log",
        examples=["sw-017"],
    ),
]


async def get_cipher(settings: SettingsDep) -> DataCipher:
    return data_cipher(settings)


CipherDep = Annotated[DataCipher, Depends(get_cipher)]
