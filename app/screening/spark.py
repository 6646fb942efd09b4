"""Apache Spark (PySpark, local mode) as a screening backend (#14): ``--engine spark``.

The same compiled SQL as DuckDB and PostgreSQL (written once as DuckDB SQL, transpiled by
sqlglot to the ``spark`` dialect), on ``households``/``persons`` temporary views. Spark SQL's
NULL is the same three-valued UNKNOWN (Kleene AND/OR/NOT, CASE without a match is NULL), so
the verdicts are the per-household engine's (``tests/screening/test_equivalence.py`` runs on
Spark with ``make test-spark``).

pyspark is an optional extra (``pip install -e '.[spark]'``) and needs Java 17 or later; this
module imports it only when used. Input files are read and checked by DuckDB as for the other
engines (``app.screening.files``), handed to Spark as Parquet in a private temporary folder, and
the answers come back the same way, so the output files are the same for every engine.

Spark would inline every ``WITH`` item where it is used and plan a whole statement at once; for
the screening's wide staged tables that costs far more than the work, so ``SparkCursor`` runs
each ``WITH`` item (and each ``CREATE TEMP TABLE`` of the output) as its own step, kept as a
local checkpoint behind a temporary view of the same name (``localCheckpoint``: computed once,
the plans after it start from its rows rather than from its whole lineage).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

from app.screening.stage import sql_literal
from app.screening.tables import HOUSEHOLD_TYPES, PERSON_TYPES, Row
from app.settings import Settings

DIALECT = "spark"
_SPARK_TYPES = {
    "VARCHAR": "STRING",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "VARCHAR[]": "ARRAY<STRING>",
}
_TYPES = {"households": HOUSEHOLD_TYPES, "persons": PERSON_TYPES}


def available() -> bool:
    """Whether pyspark is installed (Java is only looked for when a session starts)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def session(threads: int = 2, memory: str = "2g", small: bool = False) -> Any:
    """A local Spark session (``local[threads]``): no UI, quiet logs, UTC, few shuffle parts.
    ``small`` (tests: a few households) interprets expressions instead of compiling the wide
    generated code, and plans with one shuffle partition and no adaptive re-planning: each
    costs more than it saves on a handful of rows. Spark keeps one session per process: a
    second call returns the running one."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{threads}]")
        .appName("hanaro-screening")
        .config("spark.driver.memory", memory)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1" if small else str(max(2, 2 * threads)))
        .config("spark.sql.adaptive.enabled", str(not small).lower())
        .config("spark.sql.codegen.wholeStage", str(not small).lower())
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN" if small else "FALLBACK")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def schema(table: str) -> str:
    """``table``'s columns as a Spark DDL schema (``household_id STRING, size INT, ...``)."""
    return ", ".join(f"{name} {_SPARK_TYPES[kind]}" for name, kind in _TYPES[table])


def _value(value: object, kind: str) -> object:
    if kind == "DOUBLE" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


class SparkCursor:
    """Runs DuckDB-written screening SQL on a Spark session, in steps, and is enough of a
    DB-API cursor for ``screen.verdicts`` and ``output.screen``.

    ``execute`` takes Spark SQL (``Screening.verdict_sql("spark")``, ``output.sql(q, "spark")``).
    Each ``WITH`` item is computed first as a temporary view of its name over a local
    checkpoint, once for as long as its SQL and the input stay the same (the output's queries
    repeat the staging), then the statement reads the views; ``CREATE TEMPORARY VIEW x AS q``
    (the output's temporary tables) likewise."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.description: list[tuple[str, ...]] = []
        self._rows: list[tuple[Any, ...]] = []
        self._cached: dict[str, tuple[str, Any]] = {}  # view -> its SQL and columns, its data

    def frame(self, query: str) -> Any:
        """The DataFrame of ``query``'s last statement, its ``WITH`` items cached first."""
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(query, read=DIALECT)
        target = tree.expression if isinstance(tree, exp.Create) else tree
        with_ = target.args.get("with_") or target.args.get("with")
        if with_ is not None:
            for item in with_.expressions:  # ``name(a, b) AS (...)``: the columns renamed
                columns = [c.name for c in item.args["alias"].columns]
                self._cache(item.alias, item.this.sql(dialect=DIALECT), columns)
            target.set("with_", None)
            target.set("with", None)
        if isinstance(tree, exp.Create):  # CREATE TEMPORARY VIEW name AS ...
            name = tree.this.name
            self._cache(name, target.sql(dialect=DIALECT), replace=True)
            return self.spark.table(name)
        return self.spark.sql(tree.sql(dialect=DIALECT))

    def load_rows(self, table: str, rows: Iterable[Row]) -> None:
        """``rows`` (``tables.profile_rows``) as the temporary view ``table`` (small inputs)."""
        types = _TYPES[table]
        values = [tuple(_value(row.get(n), kind) for n, kind in types) for row in rows]
        frame = self.spark.createDataFrame(values, schema=schema(table))
        self._input(table, frame)

    def load_parquet(self, table: str, path: Path) -> None:
        """A Parquet file or folder with ``table``'s columns as the temporary view ``table``."""
        self._input(table, self.spark.read.schema(schema(table)).parquet(str(path)))

    def _input(self, table: str, frame: Any) -> None:
        for name in reversed(list(self._cached)):  # computed from the previous input
            self._drop(name)
        frame.createOrReplaceTempView(table)

    def _drop(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        found = self._cached.pop(name, None)
        if found is not None:
            found[1].unpersist()

    def _cache(
        self, name: str, sql: str, columns: Sequence[str] = (), replace: bool = False
    ) -> None:
        key = f"{sql} -- {', '.join(columns)}"
        if not replace and name in self._cached and self._cached[name][0] == key:
            return
        self._drop(name)
        frame = self.spark.sql(sql)
        if columns:
            frame = frame.toDF(*columns)
        frame = frame.localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        self._cached[name] = (key, frame)

    def execute(self, query: str, parameters: Any = None) -> SparkCursor:
        if query.upper().startswith("DROP TABLE IF EXISTS "):  # a cached view, or nothing
            self._drop(query.split()[-1])
            self.description, self._rows = [], []
            return self
        frame = self.frame(query)
        self.description = [(name,) for name in frame.columns]
        self._rows = [tuple(row) for row in frame.collect()]
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


# -- the command ------------------------------------------------------------------------------
def write_output(
    con: Any,
    cursor: SparkCursor,
    query: str,
    path: Path,
    columns: Sequence[tuple[str, str]],
    order: str,
    folder: Path,
) -> None:
    """Run ``query`` (DuckDB SQL) on Spark into Parquet parts under ``folder``, then write
    ``path`` through DuckDB typed as ``columns`` and sorted by ``order`` (Spark's parts come
    back in no set order), as the other engines write it."""
    from app.screening.output import sql
    from app.screening.run import copy_options as _copy_options
    from app.screening.run import output_format as _format

    parts = folder / path.stem
    cursor.frame(sql(query, DIALECT)).write.mode("overwrite").parquet(str(parts))
    casts = ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in columns)
    source = f"read_parquet({sql_literal(str(parts / '*.parquet'))})"
    con.execute(
        f"COPY (SELECT {casts} FROM {source} ORDER BY {order}) TO {sql_literal(str(path))} "
        f"{_copy_options(_format(path))}"
    )


def screen_command(args: argparse.Namespace, settings: Settings) -> int:
    """``hanaro screen ... --engine spark``: as the DuckDB engine, the queries run on Spark."""
    import duckdb

    from app.catalog.loader import load_catalog
    from app.cli_screen import Progress
    from app.matching import CatalogSnapshot
    from app.screening.files import InputProblems, find_inputs, read_inputs
    from app.screening.output import AGGREGATE_COLUMNS, OUTPUT_COLUMNS, build_queries, sql
    from app.screening.run import output_format as _format
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
    if not available():
        print(
            "hanaro screen: --engine spark needs pyspark: pip install 'hanaro[spark]' "
            "(and Java 17 or later)",
            file=sys.stderr,
        )
        return 2
    as_of = args.as_of or date.today()
    threads = int(os.environ.get("HANARO_SPARK_THREADS", "2"))
    memory = os.environ.get("HANARO_SPARK_MEMORY", "4g")
    progress = _Stages(Progress(), 8 + (args.aggregate is not None))
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
    from pyspark.sql import SparkSession

    ours = SparkSession.getActiveSession() is None  # else the caller's (tests): left running
    spark: Any = None
    try:
        with tempfile.TemporaryDirectory(prefix="hanaro-spark-") as name:
            folder = Path(name)
            with progress.stage(f"starting Spark (local[{threads}])"):
                spark = session(threads, memory)
                cursor = SparkCursor(spark)
            with progress.stage("handing the input to Spark"):
                for table in ("households", "persons"):
                    part = folder / f"{table}.parquet"
                    con.execute(f"COPY {table} TO {sql_literal(str(part))} (FORMAT PARQUET)")
                    cursor.load_parquet(table, part)
            names = ("verdicts", "facts to confirm", "households x programs")
            steps = [s for s in queries.prepare if not s.startswith("DROP")]
            for step_name, step in zip(names, steps, strict=True):
                text = step_name
                if step_name == "verdicts":
                    text = (
                        f"verdicts: {counts['households']:,} households x "
                        f"{len(screening.compiled)} programs"
                    )
                with progress.stage(text):
                    cursor.frame(sql(step, DIALECT))
            with progress.stage(f"writing {args.out}"):
                write_output(
                    con, cursor, queries.rows, args.out, OUTPUT_COLUMNS,
                    "household_rank, program_rank", folder,
                )  # fmt: skip
            if args.aggregate is not None:
                as_text = _format(args.aggregate) == "CSV"
                query = queries.aggregate(args.min_cell, as_text=as_text)
                columns = tuple((n, "VARCHAR" if as_text and t == "BIGINT" else t)
                                for n, t in AGGREGATE_COLUMNS)  # fmt: skip
                with progress.stage(
                    f"writing {args.aggregate} (cells under {args.min_cell} hidden)"
                ):
                    write_output(
                        con, cursor, query, args.aggregate, columns,
                        "area NULLS LAST, area_level, program_id", folder,
                    )  # fmt: skip
    finally:
        if spark is not None and ours:
            spark.stop()
        con.close()
    skipped = len(screening.not_compiled)
    print(
        f"screened {counts['households']:,} households ({counts['persons']:,} persons) on "
        f"{as_of.isoformat()} with Spark: {len(screening.compiled)} programs ({skipped} not "
        "compiled yet)",
        file=sys.stderr,
    )
    return 0


__all__ = [
    "DIALECT",
    "SparkCursor",
    "available",
    "schema",
    "screen_command",
    "session",
    "write_output",
]


class _Stages:
    """Numbers the CLI's stages (``Progress`` prints ``[i/n] text ... 0.4s``)."""

    def __init__(self, show: Any, total: int) -> None:
        self.show, self.total, self.done = show, total, 0

    def stage(self, text: str) -> AbstractContextManager[None]:
        self.done += 1
        found: AbstractContextManager[None] = self.show(self.done, self.total, text)
        return found
