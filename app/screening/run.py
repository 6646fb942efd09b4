"""One screening run, start to end: read and check the input, compile the catalog, run the
verdicts, write the ranked rows and (optionally) the aggregate. Shared by ``hanaro screen`` and
the screening jobs of the API (``app.screening.jobs``).

The caller sees each stage through ``stage(index, total, text)``, a context manager entered
around it (the CLI prints a line, a job records its progress), and may stop the run with a
``Cancellation``: it is checked between stages, and cancelling also interrupts the statement in
progress (DuckDB's ``interrupt()``, psycopg's ``cancel_safe()``) from the cancelling thread.
Texts name stages and counts, never values.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from app.matching import CatalogSnapshot

Engine = Literal["duckdb", "postgres"]
OUTPUT_FORMATS = {".parquet": "PARQUET", ".pq": "PARQUET", ".csv": "CSV"}
Stage = Callable[[int, int, str], AbstractContextManager[None]]


class Cancelled(Exception):
    """The run was cancelled (between stages, or its statement was interrupted)."""


class Cancellation:
    """Thread-safe stop flag of one run; ``cancel()`` may come from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._interrupts: list[Callable[[], None]] = []

    @property
    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            interrupt()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    @contextmanager
    def interrupting(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """While inside, ``cancel()`` also calls ``interrupt`` (stops a running statement)."""
        with self._lock:
            self._interrupts.append(interrupt)
        try:
            yield
        finally:
            with self._lock:
                self._interrupts.remove(interrupt)


@dataclass(frozen=True)
class RunRequest:
    """What to screen and where to write it: ``inputs`` a folder or the households and persons
    files (``app.screening.files.find_inputs``); ``out``/``aggregate`` end in .parquet or .csv."""

    inputs: tuple[Path, ...]
    out: Path
    aggregate: Path | None = None
    engine: Engine = "duckdb"
    as_of: date | None = None
    min_cell: int = 5
    database_url: str | None = None  # PostgreSQL, for engine "postgres"


@dataclass(frozen=True)
class RunSummary:
    as_of: date
    households: int
    persons: int
    programs: int
    not_compiled: int
    catalog_version: str


def output_format(path: Path) -> str:
    """``PARQUET`` or ``CSV`` by ``path``'s extension; ``ValueError`` otherwise."""
    found = OUTPUT_FORMATS.get(path.suffix.lower())
    if found is None:
        raise ValueError(f"{path}: the output must end in .parquet or .csv")
    return found


def stage_count(request: RunRequest) -> int:
    return 6 + (request.engine == "postgres") + (request.aggregate is not None)


@contextmanager
def _quiet(_index: int, _total: int, _text: str) -> Iterator[None]:
    yield


def run_screening(
    request: RunRequest,
    *,
    stage: Stage = _quiet,
    cancellation: Cancellation | None = None,
    snapshot: CatalogSnapshot | None = None,
) -> RunSummary:
    """Run the whole screening; the shipped catalog unless ``snapshot`` is given.

    Raises ``InputProblems`` (refused input: nothing written), ``ValueError`` (bad request),
    ``Cancelled``; a partial output may be left behind on ``Cancelled`` or any other error.
    """
    import duckdb

    output_format(request.out)
    if request.aggregate is not None:
        output_format(request.aggregate)
    if request.min_cell < 1:
        raise ValueError("--min-cell must be at least 1")
    if request.engine == "postgres" and not (request.database_url or "").startswith("postgresql"):
        raise ValueError("the postgres engine needs a PostgreSQL database URL")
    stop = cancellation or Cancellation()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        with stop.interrupting(con.interrupt):
            return _run(request, con, _Stages(stage, stage_count(request), stop), stop, snapshot)
    except duckdb.InterruptException:
        raise Cancelled() from None
    finally:
        con.close()


class _Stages:
    def __init__(self, stage: Stage, total: int, stop: Cancellation) -> None:
        self.stage, self.total, self.stop, self.done = stage, total, stop, 0

    def __call__(self, text: str) -> AbstractContextManager[None]:
        self.stop.check()
        self.done += 1
        return self.stage(self.done, self.total, text)


def _run(
    request: RunRequest,
    con: Any,
    stages: _Stages,
    stop: Cancellation,
    snapshot: CatalogSnapshot | None,
) -> RunSummary:
    from app.catalog.loader import load_catalog
    from app.screening.files import find_inputs, read_inputs
    from app.screening.output import build_queries
    from app.screening.screen import compile_screening

    as_of = request.as_of or date.today()
    with stages("reading and checking the input"):
        households, persons = find_inputs(request.inputs)
        counts = read_inputs(con, households, persons)
    with stages(f"compiling the catalog at {as_of.isoformat()}"):
        snapshot = snapshot or CatalogSnapshot.build(*load_catalog())
        screening = compile_screening(snapshot, as_of)
        queries = build_queries(snapshot, screening)
    pg: Any = None
    if request.engine == "postgres":
        import psycopg

        url = request.database_url or ""
        pg = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
    try:
        if pg is None:
            _write_all(request, con, None, queries, screening, counts, stages)
        else:
            with stop.interrupting(pg.cancel_safe):
                _write_all(request, con, pg, queries, screening, counts, stages)
    except Exception as error:
        if stop.is_cancelled and _is_interruption(error):
            raise Cancelled() from None
        raise
    finally:
        if pg is not None:
            pg.close()
    return RunSummary(
        as_of=as_of,
        households=counts["households"],
        persons=counts["persons"],
        programs=len(screening.compiled),
        not_compiled=len(screening.not_compiled),
        catalog_version=snapshot.catalog_version,
    )


def _is_interruption(error: Exception) -> bool:
    import duckdb

    if isinstance(error, duckdb.InterruptException):
        return True
    try:
        from psycopg.errors import QueryCanceled
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, QueryCanceled)


def _write_all(
    request: RunRequest,
    con: Any,
    pg: Any,
    queries: Any,
    screening: Any,
    counts: dict[str, int],
    stages: _Stages,
) -> None:
    from app.screening.files import copy_to_postgres
    from app.screening.output import AGGREGATE_COLUMNS, OUTPUT_COLUMNS, sql

    if pg is not None:
        with stages("loading the input into PostgreSQL temporary tables"):
            copy_to_postgres(con, pg)
    cursor = pg.cursor() if pg is not None else con
    dialect = "postgres" if pg is not None else "duckdb"
    names = ("verdicts", "facts to confirm", "households x programs")
    steps = [s for s in queries.prepare if not s.startswith("DROP")]
    for statement in (s for s in queries.prepare if s.startswith("DROP")):
        cursor.execute(sql(statement, dialect))
    for name, statement in zip(names, steps, strict=True):
        text = name
        if name == "verdicts":
            text = (
                f"verdicts: {counts['households']:,} households x "
                f"{len(screening.compiled)} programs"
            )
        with stages(text):
            cursor.execute(sql(statement, dialect))
    with stages(f"writing {request.out}"):
        if pg is None:
            _write_duckdb(con, queries.rows, request.out)
        else:
            _write_postgres(con, pg, queries.rows, request.out, OUTPUT_COLUMNS)
    if request.aggregate is not None:
        as_text = output_format(request.aggregate) == "CSV"
        query = queries.aggregate(request.min_cell, as_text=as_text)
        columns = tuple((n, "VARCHAR" if as_text and t == "BIGINT" else t)
                        for n, t in AGGREGATE_COLUMNS)  # fmt: skip
        text = f"writing {request.aggregate} (cells under {request.min_cell} hidden)"
        with stages(text):
            if pg is None:
                _write_duckdb(con, query, request.aggregate)
            else:
                _write_postgres(con, pg, query, request.aggregate, columns)


def copy_options(fmt: str) -> str:
    return "(FORMAT PARQUET)" if fmt == "PARQUET" else "(FORMAT CSV, HEADER)"


def _write_duckdb(con: Any, query: str, path: Path) -> None:
    from app.screening.stage import sql_literal

    con.execute(f"COPY ({query}) TO {sql_literal(str(path))} {copy_options(output_format(path))}")


def _write_postgres(
    con: Any, pg: Any, query: str, path: Path, columns: tuple[tuple[str, str], ...]
) -> None:
    """Stream PostgreSQL's result as CSV, then write it typed through DuckDB (one format for
    both engines)."""
    from app.screening.output import sql
    from app.screening.stage import sql_literal

    fmt = output_format(path)
    with tempfile.TemporaryDirectory(prefix="hanaro-screen-") as folder:
        part = Path(folder) / "part.csv"
        with pg.cursor() as cursor, part.open("wb") as out:
            statement = f"COPY ({sql(query, 'postgres')}) TO STDOUT (FORMAT CSV, HEADER)"
            with cursor.copy(statement) as copy:
                for chunk in copy:
                    out.write(chunk)
        source = typed_csv(part, columns)
        con.execute(
            f"COPY (SELECT * FROM {source}) TO {sql_literal(str(path))} {copy_options(fmt)}"
        )


def typed_csv(path: Path, columns: tuple[tuple[str, str], ...]) -> str:
    """A DuckDB ``read_csv`` of ``path`` with ``columns``' types."""
    from app.screening.stage import sql_literal

    types = "{" + ", ".join(f"'{n}': '{t}'" for n, t in columns) + "}"
    return f"read_csv({sql_literal(str(path))}, header = true, columns = {types})"


__all__ = [
    "Cancellation",
    "Cancelled",
    "RunRequest",
    "RunSummary",
    "output_format",
    "run_screening",
    "stage_count",
]
