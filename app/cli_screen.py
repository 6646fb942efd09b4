"""``hanaro screen INPUT --out OUTPUT``: outreach screening of a population (#14).

INPUT is a folder with ``households.<ext>`` and ``persons.<ext>`` or those two files, in
Parquet, CSV or JSON Lines (``app.screening.files``). The output (``app.screening.output``) is
written as Parquet or CSV by OUTPUT's extension, the aggregate likewise with ``--aggregate``.
Progress goes to stderr one stage a line. Exit 2: refused input (the problems name columns,
never values) or bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from app.settings import Settings

OUTPUT_FORMATS = {".parquet": "PARQUET", ".pq": "PARQUET", ".csv": "CSV"}


class Progress:
    """``[2/7] verdicts ... 0.4s`` on stderr, one line per stage."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    @contextmanager
    def stage(self, text: str) -> Iterator[None]:
        self.done += 1
        print(f"[{self.done}/{self.total}] {text} ...", end="", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            print(" failed", file=sys.stderr, flush=True)
            raise
        print(f" {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)


def _format(path: Path) -> str:
    found = OUTPUT_FORMATS.get(path.suffix.lower())
    if found is None:
        raise ValueError(f"{path}: the output must end in .parquet or .csv")
    return found


def _copy_options(fmt: str) -> str:
    return "(FORMAT PARQUET)" if fmt == "PARQUET" else "(FORMAT CSV, HEADER)"


def _write_duckdb(con: Any, query: str, path: Path) -> None:
    from app.screening.stage import sql_literal

    fmt = _format(path)
    con.execute(f"COPY ({query}) TO {sql_literal(str(path))} {_copy_options(fmt)}")


def _write_postgres(
    con: Any, pg: Any, query: str, path: Path, columns: tuple[tuple[str, str], ...]
) -> None:
    """Stream PostgreSQL's result as CSV, then write it typed through DuckDB (one format for
    both engines)."""
    from app.screening.output import sql
    from app.screening.stage import sql_literal

    fmt = _format(path)
    with tempfile.TemporaryDirectory(prefix="hanaro-screen-") as folder:
        part = Path(folder) / "part.csv"
        with pg.cursor() as cursor, part.open("wb") as out:
            statement = f"COPY ({sql(query, 'postgres')}) TO STDOUT (FORMAT CSV, HEADER)"
            with cursor.copy(statement) as copy:
                for chunk in copy:
                    out.write(chunk)
        types = "{" + ", ".join(f"'{n}': '{t}'" for n, t in columns) + "}"
        source = f"read_csv({sql_literal(str(part))}, header = true, columns = {types})"
        con.execute(
            f"COPY (SELECT * FROM {source}) TO {sql_literal(str(path))} {_copy_options(fmt)}"
        )


def _screen(args: argparse.Namespace, settings: Settings) -> int:
    if args.engine == "spark":  # Apache Spark, local mode (the optional extra [spark])
        from app.screening.spark import screen_command

        return screen_command(args, settings)
    import duckdb

    from app.catalog.loader import load_catalog
    from app.matching import CatalogSnapshot
    from app.screening.files import InputProblems, copy_to_postgres, find_inputs, read_inputs
    from app.screening.output import AGGREGATE_COLUMNS, OUTPUT_COLUMNS, build_queries, sql
    from app.screening.screen import compile_screening

    try:
        _format(args.out)
        if args.aggregate is not None:
            _format(args.aggregate)
        if args.min_cell < 1:
            raise ValueError("--min-cell must be at least 1")
    except ValueError as problem:
        print(f"hanaro screen: {problem}", file=sys.stderr)
        return 2
    url = args.database_url or settings.database_url
    if args.engine == "postgres" and not url.startswith("postgresql"):
        print(
            "hanaro screen: --engine postgres needs --database-url or HANARO_DATABASE_URL "
            "naming PostgreSQL",
            file=sys.stderr,
        )
        return 2
    as_of = args.as_of or date.today()
    postgres = args.engine == "postgres"
    progress = Progress(6 + postgres + (args.aggregate is not None))
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        with progress.stage("reading and checking the input"):
            households, persons = find_inputs(args.input)
            counts = read_inputs(con, households, persons)
    except InputProblems as refused:
        print("hanaro screen: input refused:", file=sys.stderr)
        for line in refused.problems:
            print(f"  {line}", file=sys.stderr)
        con.close()
        return 2
    with progress.stage(f"compiling the catalog at {as_of.isoformat()}"):
        snapshot = CatalogSnapshot.build(*load_catalog())
        screening = compile_screening(snapshot, as_of)
        queries = build_queries(snapshot, screening)
    pg: Any = None
    if postgres:
        import psycopg

        pg = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
    try:
        if pg is not None:
            with progress.stage("loading the input into PostgreSQL temporary tables"):
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
            with progress.stage(text):
                cursor.execute(sql(statement, dialect))
        with progress.stage(f"writing {args.out}"):
            if pg is None:
                _write_duckdb(con, queries.rows, args.out)
            else:
                _write_postgres(con, pg, queries.rows, args.out, OUTPUT_COLUMNS)
        if args.aggregate is not None:
            as_text = _format(args.aggregate) == "CSV"
            query = queries.aggregate(args.min_cell, as_text=as_text)
            columns = tuple((n, "VARCHAR" if as_text and t == "BIGINT" else t)
                            for n, t in AGGREGATE_COLUMNS)  # fmt: skip
            with progress.stage(f"writing {args.aggregate} (cells under {args.min_cell} hidden)"):
                if pg is None:
                    _write_duckdb(con, query, args.aggregate)
                else:
                    _write_postgres(con, pg, query, args.aggregate, columns)
    finally:
        if pg is not None:
            pg.close()
        con.close()
    skipped = len(screening.not_compiled)
    print(
        f"screened {counts['households']:,} households ({counts['persons']:,} persons) on "
        f"{as_of.isoformat()}: {len(screening.compiled)} programs ({skipped} not compiled yet)",
        file=sys.stderr,
    )
    return 0


def add_screen_command(sub: Any) -> None:
    screen = sub.add_parser(
        "screen",
        help="outreach screening: who may qualify for what they do not receive (#14)",
        description=(
            "Screen a population: per household the programs it likely (or possibly) "
            "qualifies for and does not receive, ranked, with value and the facts a visit "
            "must confirm; optionally an aggregate by area with small cells suppressed."
        ),
    )
    screen.add_argument(
        "input",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="a folder with households.<ext> and persons.<ext>, or those two files in that "
        "order (.parquet, .csv, .jsonl)",
    )
    screen.add_argument("--out", required=True, type=Path, help="output .parquet or .csv")
    screen.add_argument("--engine", choices=("duckdb", "postgres", "spark"), default="duckdb")
    screen.add_argument(
        "--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
    )
    screen.add_argument(
        "--aggregate", type=Path, default=None, help="area x program counts (.parquet or .csv)"
    )
    screen.add_argument(
        "--min-cell", type=int, default=5, help="hide aggregate counts under this (default 5)"
    )
    screen.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL for --engine postgres (default: HANARO_DATABASE_URL)",
    )
    screen.set_defaults(handler=_screen)
