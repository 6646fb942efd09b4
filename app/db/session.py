"""Engine and session factories, and the write transaction. Nothing here runs at import time."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db.outage import SCHEMA_MISSING, SchemaMismatch

# Execution option set on the connection of a transaction that will write (see write_transaction).
WRITE_OPTION = "hanaro_write"
# Execution option: this transaction's own bound on lock waits, in ms (see write_transaction).
WAIT_OPTION = "hanaro_wait_ms"
# Connection.info key: the lock-wait account of the write transaction in progress (PostgreSQL)
WAITS_KEY = "hanaro_lock_waits"
TIGHTEN_STEP_MS = 50  # tighten lock_timeout once this much of the budget is spent, not sooner
BUSY_TIMEOUT_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 5
log = logging.getLogger("hanaro.db")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(
    url: str,
    *,
    echo: bool = False,
    busy_timeout_seconds: float = BUSY_TIMEOUT_SECONDS,
    connect_timeout_seconds: int = CONNECT_TIMEOUT_SECONDS,
    statement_timeout_ms: int | None = None,
    lock_timeout_ms: int | None = None,
) -> Engine:
    """Create an engine with sane defaults for both backends.

    SQLite gets WAL, foreign keys, one busy timeout (how long a writer waits for the write lock)
    and the pysqlite transaction recipe, so that SAVEPOINTs (used by tests) behave as on
    PostgreSQL and write transactions begin with ``BEGIN IMMEDIATE``. PostgreSQL gets a connect
    timeout (unless the URL sets one), so an unreachable server fails a request (503) instead of
    hanging it. ``statement_timeout_ms`` and ``lock_timeout_ms`` (PostgreSQL, per connection) bound
    how long one statement may run or wait for a lock; None, the default, sets no limit: the CLI
    and migrations (which may hold locks longer) use that, the app passes its Settings. A write
    transaction's lock timeout is its budget for all its statements (``_bound_write_waits``).
    """
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "echo": echo}
    if is_sqlite(url):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_seconds}
    else:
        kwargs["connect_args"] = _postgresql_connect_args(
            url, connect_timeout_seconds, statement_timeout_ms, lock_timeout_ms
        )
    engine = create_engine(url, **kwargs)
    if is_sqlite(url):
        _configure_sqlite(engine, round(busy_timeout_seconds * 1000))
    else:
        event.listen(engine, "handle_error", _schema_mismatch)
        _bound_write_waits(engine, lock_timeout_ms)
    return engine


class _Waits:
    """How long the statements of one write transaction have spent in the database so far."""

    def __init__(self, budget_ms: int) -> None:
        self.budget_ms = budget_ms
        self.in_force_ms = budget_ms  # the lock_timeout the transaction runs with now
        self.spent = 0.0
        self.started = 0.0


def _bound_write_waits(engine: Engine, lock_timeout_ms: int | None) -> None:
    """PostgreSQL: a write transaction waits for locks at most its budget (``wait_ms``, else the
    engine's lock timeout) in all its statements together, not that long per statement: once its
    statements have spent part of it in the database, the next one's ``lock_timeout`` is what is
    left. Otherwise a writer queued behind another writer that is itself blocked waits once per
    lock (over 4 s seen with a table locked under traffic). Python time between statements is
    not counted: only time spent in the database."""

    @event.listens_for(engine, "begin")  # every statement runs in a transaction begun here
    def _open(conn: Connection) -> None:
        options = conn.get_execution_options()
        budget = options.get(WAIT_OPTION, lock_timeout_ms)
        if options.get(WRITE_OPTION) and budget is not None:
            conn.info[WAITS_KEY] = _Waits(int(budget))
        else:
            conn.info.pop(WAITS_KEY, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Connection, cursor: Any, *_: Any) -> None:
        waits: _Waits | None = conn.info.get(WAITS_KEY)
        if waits is None:
            return
        left_ms = max(1, waits.budget_ms - round(waits.spent * 1000))
        if left_ms <= waits.in_force_ms - TIGHTEN_STEP_MS:
            cursor.execute(f"SET LOCAL lock_timeout = {left_ms}")
            waits.in_force_ms = left_ms
        waits.started = time.monotonic()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Connection, *_: Any) -> None:
        waits: _Waits | None = conn.info.get(WAITS_KEY)
        if waits is not None:
            waits.spent += time.monotonic() - waits.started


def _schema_mismatch(context: ExceptionContext) -> BaseException | None:
    """A missing table, column or function raises ``SchemaMismatch`` (see there), not psycopg's
    ProgrammingError; its parameters are kept out of messages and logs."""
    error = context.original_exception
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate not in SCHEMA_MISSING:
        return None
    log.error("the database schema lacks what this release uses (%s): migrating?", sqlstate)
    return SchemaMismatch(context.statement, context.parameters, error, hide_parameters=True)


def _postgresql_connect_args(
    url: str,
    connect_timeout_seconds: int,
    statement_timeout_ms: int | None,
    lock_timeout_ms: int | None,
) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if "connect_timeout" not in make_url(url).query:
        args["connect_timeout"] = connect_timeout_seconds
    options = [
        f"-c {name}={value}"
        for name, value in (
            ("statement_timeout", statement_timeout_ms),
            ("lock_timeout", lock_timeout_ms),
        )
        if value is not None
    ]
    if options:
        args["options"] = " ".join(options)
    return args


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred BEGIN that reads first cannot wait for the write lock later: SQLite answers
        # its first write with "database is locked" at once (the busy timeout does not apply to
        # a read snapshot that would go stale). A writer therefore takes the lock up front, where
        # the busy timeout does apply, and writers queue instead of failing.
        options = conn.get_execution_options()
        if options.get(WRITE_OPTION):
            # the busy timeout is the connection's: set this transaction's, or the engine's again
            wait_ms = int(options.get(WAIT_OPTION, busy_timeout_ms))
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@contextmanager
def write_transaction(session: Session, *, wait_ms: int | None = None) -> Iterator[Session]:
    """``session.begin()`` for a transaction that will write: ``BEGIN IMMEDIATE`` on SQLite
    (writers wait their turn, up to the busy timeout), a plain transaction on PostgreSQL.
    Commits on success, rolls back on any exception; the caller is a service.

    ``wait_ms`` bounds this transaction's waits more tightly than the engine does: SQLite waits
    at most that long for the write lock, PostgreSQL for any lock or statement (``SET LOCAL``).
    For work a request can do without (an audit entry that can go to the spool, a rate count)."""
    options: dict[str, Any] = {WRITE_OPTION: True}
    if wait_ms is not None:
        options[WAIT_OPTION] = int(wait_ms)
    with session.begin():
        connection = session.connection(execution_options=options)
        if wait_ms is not None and connection.dialect.name == "postgresql":
            connection.execute(text(f"SET LOCAL lock_timeout = {int(wait_ms)}"))
            connection.execute(text(f"SET LOCAL statement_timeout = {int(wait_ms)}"))
        yield session
