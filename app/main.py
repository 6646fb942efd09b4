"""Application factory: ``create_app(settings)`` wires settings, database, catalog and routers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.exc import SQLAlchemyError

from app import case_jobs
from app.crypto import data_cipher
from app.db.outage import DATABASE_DOWN, Outage
from app.db.session import make_engine, make_sessionmaker
from app.deps import rate_limit
from app.errors import DatabaseUnavailable, ErrorBoundary, install_error_handlers
from app.hardening import Hardening
from app.logs import configure_logging
from app.matching import CatalogSnapshot
from app.middleware import AuditRefusals, RequestContext, SecurityHeaders
from app.openapi import openapi_builder, operation_id
from app.ratelimit import RateLimiter, RateLimitHeaders, make_counter_store
from app.routers import (
    admin,
    audit,
    cases,
    catalog,
    health,
    plans,
    referrals,
    screenings,
    webhooks,
)
from app.routers.docs import install_docs
from app.routers.web import install_web
from app.schemas.common import common_problems
from app.services.audit import drain_spool, service_role_may_rewrite
from app.services.audit_spool import AuditSpool
from app.services.catalog import load_snapshot
from app.services.catalog_store import CatalogStore
from app.services.key_cache import KeyCache
from app.services.screening_worker import ScreeningWorker
from app.settings import Settings
from app.webhooks.worker import start_dispatcher_thread

log = logging.getLogger("hanaro.app")
_OWNER_ROLE_WARNING = (
    "the service's database role may UPDATE or DELETE the audit log: connect as hanaro_app "
    "(README, Roles); the audit triggers still refuse such changes"
)
_STARTED_WITHOUT_DATABASE = (
    "database unavailable at startup: no catalog yet (503) until it answers and the catalog loads"
)

DESCRIPTION = """
하나로(Hanaro)는 시민의 생애주기와 가구 상황을 받아 복지·일자리·보건·청소년·평생교육 사업의 자격을
한 번에 판정하고, 하나의 통합 안내(plan)를 돌려주는 API입니다.

Hanaro takes a citizen's life-cycle stage and household facts and returns one combined plan across
welfare, jobs, health, youth and lifelong-education programs: what they can get, what needs one more
fact, why not for the rest, which documents to bring once, and where to apply.

Errors are RFC 9457 `application/problem+json` in the request's language (`Accept-Language`: ko, en,
vi or zh-Hans; Korean by default).
"""


_CORS_HEADERS = [
    "Authorization", "X-API-Key", "Content-Type", "Accept-Language", "X-Request-ID",
    "If-Match", "If-None-Match", "Idempotency-Key", "Hanaro-Staff",
]  # fmt: skip
_CORS_EXPOSED = [
    "ETag", "Idempotent-Replayed", "X-Request-ID", "Retry-After", "RateLimit-Limit",
    "RateLimit-Remaining", "RateLimit-Reset",
]  # fmt: skip


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    if settings.environment == "production":
        data_cipher(settings)  # MissingDataKey: nothing stored at rest may be unreadable
    app = FastAPI(
        title="Hanaro citizen service-matching API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=_lifespan(settings),
        docs_url=None,  # FastAPI's pages load from a CDN: install_docs serves our own
        redoc_url=None,
        dependencies=[Depends(rate_limit)],
        responses=common_problems(),
        generate_unique_id_function=operation_id,
    )
    app.openapi = openapi_builder(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.default_locale = settings.default_locale
    app.state.database_outage = Outage(hold_seconds=DatabaseUnavailable.retry_after_seconds)
    app.state.key_cache = KeyCache(settings.key_cache_seconds, settings.key_cache_size)
    app.state.audit_spool = AuditSpool(settings.data_dir)
    app.state.rate_limiter = RateLimiter(
        make_counter_store(settings, lambda: app.state.sessionmaker(), app.state.database_outage),
        anonymous_limit=settings.rate_limit_anonymous_per_minute,
        key_limit=settings.rate_limit_key_per_minute,
    )
    install_error_handlers(app)
    for router in (health.router, plans.router, catalog.router, admin.router, admin.history):
        app.include_router(router)
    app.include_router(audit.router)
    app.include_router(webhooks.router)
    app.include_router(screenings.router)
    app.include_router(cases.router)
    app.include_router(referrals.router)
    install_docs(app)
    install_web(app)  # the kiosk and the portal (pages, not in the OpenAPI document)
    _install_middleware(app, settings)
    return app


def _lifespan(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tune_garbage_collector()
        engine = make_engine(
            settings.database_url,
            busy_timeout_seconds=settings.database_busy_timeout_seconds,
            connect_timeout_seconds=settings.database_connect_timeout_seconds,
            statement_timeout_ms=settings.database_statement_timeout_ms,
            lock_timeout_ms=settings.database_lock_timeout_ms,
        )
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.catalog = CatalogStore(load_snapshot, settings.catalog_refresh_seconds)
        _load_catalog(app)
        _drain(app)  # what an earlier run kept while the database was away
        worker = _start_screening_worker(app, settings)
        tasks = []
        if settings.catalog_refresh_seconds > 0:
            tasks.append(asyncio.create_task(_poll_catalog(app, settings.catalog_refresh_seconds)))
        if settings.case_jobs_seconds > 0:
            tasks.append(asyncio.create_task(case_jobs.run_every(app, settings.case_jobs_seconds)))
        if settings.audit_spool_drain_seconds > 0:
            tasks.append(asyncio.create_task(_drain_spool(app, settings.audit_spool_drain_seconds)))
        dispatcher = start_dispatcher_thread(lambda: app.state.sessionmaker(), settings)
        try:
            yield
        finally:
            if dispatcher is not None:
                await asyncio.to_thread(dispatcher.stop)
            if worker is not None:
                await asyncio.to_thread(worker.stop)
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            app.state.rate_limiter.store.close()
            engine.dispose()

    return lifespan


def _start_screening_worker(app: FastAPI, settings: Settings) -> ScreeningWorker | None:
    """This process's runner of screening jobs (none when ``screening_poll_seconds`` is 0).
    It keeps the sessionmaker made here: its own connections, whatever a request uses."""
    app.state.screening_worker = None
    if settings.screening_poll_seconds <= 0:
        return None

    def snapshot() -> CatalogSnapshot | None:
        loaded = app.state.catalog.current
        return None if loaded is None else loaded.snapshot

    worker = ScreeningWorker(app.state.sessionmaker, settings, snapshot)
    worker.start()
    app.state.screening_worker = worker
    return worker


def tune_garbage_collector() -> None:
    """Process-wide: a plan allocates tens of thousands of short-lived objects on a large
    catalog; collecting the youngest generation every 700 allocations costs more than it frees.
    Every 20,000 keeps memory bounded (a few MB) and takes the collector off the hot path. (The
    long-lived snapshot is frozen out of the collector's way after each load:
    ``settle_garbage_collector``.)"""
    gc.set_threshold(20_000, 20, 20)


def _load_catalog(app: FastAPI) -> None:
    try:
        with app.state.sessionmaker() as session:
            app.state.catalog.refresh(session)
        with app.state.sessionmaker() as session:
            if service_role_may_rewrite(session):
                log.warning(_OWNER_ROLE_WARNING)
    except DATABASE_DOWN as error:
        # A worker (re)started while the database is away: failing its startup would make
        # uvicorn stop every worker, those serving from memory too. It starts without a
        # catalog instead (503 with Retry-After, readiness 503) and loads it once the
        # database answers (the catalog poll, or a readiness probe).
        app.state.database_outage.failed(error)
        log.warning(_STARTED_WITHOUT_DATABASE)


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    """Outermost last: security headers, request context (ids, body limits), the error
    boundary, CORS, hardening, audited refusals, rate-limit headers."""
    app.add_middleware(RateLimitHeaders)
    app.add_middleware(AuditRefusals)
    uploads = {screenings.UPLOAD_PATH: (
        settings.screening_max_upload_bytes, settings.screening_upload_timeout_seconds
    )}  # fmt: skip
    app.add_middleware(
        Hardening,
        max_json_depth=settings.max_json_depth,
        default_locale=settings.default_locale,
        streamed_paths=frozenset(uploads),
    )
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=_CORS_HEADERS,
            expose_headers=_CORS_EXPOSED,
        )
    app.add_middleware(ErrorBoundary, default_locale=settings.default_locale)
    app.add_middleware(
        RequestContext,
        max_body_bytes=settings.max_body_bytes,
        body_timeout_seconds=settings.body_timeout_seconds,
        uploads=uploads,
    )
    app.add_middleware(SecurityHeaders)


async def _poll_catalog(app: FastAPI, every_seconds: float) -> None:
    """Swap in a new snapshot when another worker (or the CLI) changed the catalog."""

    def refresh() -> None:
        with app.state.sessionmaker() as session:
            app.state.catalog.refresh(session)

    while True:
        await asyncio.sleep(every_seconds)
        try:
            await asyncio.to_thread(refresh)
        except SQLAlchemyError:
            log.warning("catalog refresh failed; keeping the current snapshot", exc_info=True)


def _drain(app: FastAPI) -> int:
    return drain_spool(
        lambda: app.state.sessionmaker(), app.state.audit_spool, app.state.database_outage
    )


async def _drain_spool(app: FastAPI, every_seconds: float) -> None:
    """Move audit entries kept while the database was away into the audit log once it is back
    (a successful audit write also drains; this covers a worker that gets no keyed traffic)."""
    while True:
        await asyncio.sleep(every_seconds)
        if app.state.audit_spool.pending():
            await asyncio.to_thread(_drain, app)
