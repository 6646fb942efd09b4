"""Remembering that the database just failed, so that work a request can do without it (the rate
limit count, the audit entry) skips the database for a moment instead of every request waiting on
it again, and so that a key no worker has verified is refused at once with a 503.

A failure opens the breaker for ``hold_seconds``; after that the next caller tries the database
again (and a success closes the breaker at once). The periodic audit spool drain tries it too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import exc

# What "the database did not answer" looks like: connection refused or lost, a connect timeout,
# a statement or lock timeout (psycopg QueryCanceled / LockNotAvailable), SQLite's "database is
# locked" or "unable to open database file", an exhausted connection pool, and a schema that
# lacks what this release uses (``SchemaMismatch``; SQLite's "no such column" is already one).
DATABASE_DOWN: tuple[type[Exception], ...] = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,
)
log = logging.getLogger("hanaro.db")

# PostgreSQL's undefined_table, undefined_column, undefined_function
SCHEMA_MISSING = frozenset({"42P01", "42703", "42883"})


class SchemaMismatch(exc.OperationalError):
    """The database's schema lacks a table, column or function this release uses: a migration
    is being rolled back or applied under the running service (or the release was deployed
    before ``hanaro migrate``). Like a database that does not answer, for a moment: a request
    that needs it gets a 503 with Retry-After and an audit entry waits in the spool, instead of
    a 500 and a lost entry. Raised in place of psycopg's error by ``app.db.session``."""


class Outage:
    def __init__(self, hold_seconds: float = 2.0, clock: Callable[[], float] = time.monotonic):
        self.hold_seconds = hold_seconds
        self._clock = clock
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def suspected(self) -> bool:
        """True within ``hold_seconds`` of the last failure."""
        failed_at = self._failed_at
        return failed_at is not None and self._clock() - failed_at < self.hold_seconds

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = self._failed_at is None
            self._failed_at = self._clock()
        if first:
            log.warning("database unavailable (%s): serving from memory", type(error).__name__)

    def recovered(self) -> None:
        if self._failed_at is None:
            return
        with self._lock:
            was_down, self._failed_at = self._failed_at is not None, None
        if was_down:
            log.warning("database available again")
