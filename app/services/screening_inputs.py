"""A screening job's input, checked before the job exists: the uploaded files (read and checked
whole by DuckDB, as ``hanaro screen`` does), or PostgreSQL tables (their schema allowed, their
columns those of the screening). And, when such a job runs, its tables exported to JSON Lines.

Problems become ``ScreeningInputRefused`` / ``ScreeningSourceRefused`` (422) naming fields,
tables, columns and row counts, never values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app.clock import today_in_seoul
from app.errors import (
    ErrorItem,
    ScreeningInputRefused,
    ScreeningSourceRefused,
    Text,
    text,
)
from app.screening.files import TABLES, InputProblems, find_inputs, read_inputs
from app.screening.problems import InputProblem
from app.screening.uploads import UploadRefused

FORMATS = ("parquet", "csv")
UNREADABLE = InputProblem("unreadable")
ENGINES = ("duckdb", "postgres")
# a column's SQL type -> the message saying a value is not of it (errors.screening_input.*)
_NOT_TYPE = {
    "BOOLEAN": "not_boolean",
    "DATE": "not_date",
    "DOUBLE": "not_number",
    "INTEGER": "not_integer",
    "VARCHAR": "not_text",
    "VARCHAR[]": "not_list",
}


@dataclass(frozen=True)
class JobOptions:
    as_of: date
    format: str = "parquet"
    min_cell: int = 5
    engine: str = "duckdb"


def upload_refused(refused: UploadRefused) -> ScreeningInputRefused:
    said = text(f"errors.screening_upload.{refused.reason}")
    pointer = f"/{refused.field}" if refused.field else ""
    return ScreeningInputRefused(said, errors=[{"pointer": pointer, "detail": said}])


def options_of(texts: Mapping[str, str], is_postgres: bool) -> JobOptions:
    """The upload's text fields as options; ``ScreeningInputRefused`` naming the bad ones."""
    bad: list[str] = []
    as_of = today_in_seoul()
    if texts.get("as_of"):
        try:
            as_of = date.fromisoformat(texts["as_of"])
        except ValueError:
            bad.append("as_of")
    fmt = texts.get("format") or "parquet"
    if fmt not in FORMATS:
        bad.append("format")
    engine = texts.get("engine") or "duckdb"
    if engine not in ENGINES or (engine == "postgres" and not is_postgres):
        bad.append("engine")
    min_cell = 5
    if texts.get("min_cell"):
        raw = texts["min_cell"]
        min_cell = int(raw) if raw.isdigit() else 0
        if not 1 <= min_cell <= 1000:
            bad.append("min_cell")
    if bad:
        said = text("errors.screening_upload.bad_option")
        errors: list[ErrorItem] = [{"pointer": f"/{name}", "detail": said} for name in bad]
        raise ScreeningInputRefused(said, errors=errors)
    return JobOptions(as_of=as_of, format=fmt, min_cell=min_cell, engine=engine)


def refused_input(problems: Sequence[InputProblem]) -> ScreeningInputRefused:
    """``InputProblems``' findings as a problem: one error each, in their order, pointing at
    its table (a file or the whole input: no pointer) and said in the request's language."""
    errors: list[ErrorItem] = []
    for problem in problems:
        pointer = f"/{problem.table}" if problem.table in TABLES else ""
        errors.append({"pointer": pointer, "detail": problem_text(problem)})
    said = text("errors.screening_input.detail", count=len(problems))
    return ScreeningInputRefused(said, errors=errors)


def problem_text(problem: InputProblem) -> Text:
    """What ``problem`` says, from ``errors.screening_input.<code>``: the table and column,
    the count and the registry's own bound or other column, never the operator's path."""
    code = _NOT_TYPE[problem.kind or ""] if problem.code == "not_type" else problem.code
    args = {
        "table": problem.table, "column": problem.column, "count": problem.count,
        "bound": problem.bound, "other": problem.other, "wanted": problem.wanted,
    }  # fmt: skip
    found = {name: value for name, value in args.items() if value is not None}
    return text(f"errors.screening_input.{code}", **found)


def check_files(households: Path, persons: Path) -> None:
    """Read and check the files as the screening will (``ScreeningInputRefused`` if refused)."""
    import duckdb

    con = duckdb.connect()
    try:
        read_inputs(con, *find_inputs((households, persons)))
    except InputProblems as refused:
        raise refused_input(refused.found) from None
    except duckdb.Error:  # its message may quote the file: only that it cannot be read
        raise refused_input([UNREADABLE]) from None
    finally:
        con.close()


def check_tables(
    session: Session, tables: Mapping[str, str], allowed_schemas: Sequence[str]
) -> None:
    """``tables`` (``households``/``persons`` → ``schema.table``, already of the strict
    pattern) exist in an allowed schema with screening columns only."""
    from app.screening.columns import schema_problems

    if session.get_bind().dialect.name != "postgresql":
        said = text("errors.screening_source.not_postgres")
        raise ScreeningSourceRefused(said, errors=[{"pointer": "", "detail": said}])
    problems: list[InputProblem] = []
    for table, name in tables.items():
        schema, _, relation = name.partition(".")
        pointer = f"/{table}_table"
        if schema not in allowed_schemas:
            allowed = ", ".join(allowed_schemas) or "-"
            said = text("errors.screening_source.schema", allowed=allowed)
            raise ScreeningSourceRefused(said, errors=[{"pointer": pointer, "detail": said}])
        with session.begin():
            columns = session.scalars(
                sql_text(
                    "SELECT column_name FROM information_schema.columns WHERE "
                    "table_schema = :schema AND table_name = :table ORDER BY ordinal_position"
                ),
                {"schema": schema, "table": relation},
            ).all()
        if not columns:
            said = text("errors.screening_source.missing")
            raise ScreeningSourceRefused(said, errors=[{"pointer": pointer, "detail": said}])
        problems += schema_problems(table, list(columns))
    if problems:
        raise refused_input(problems)


def export_tables(database_url: str, tables: Mapping[str, str], folder: Path) -> tuple[Path, Path]:
    """Copy the tables to ``folder/households.jsonl`` and ``persons.jsonl`` (one JSON object a
    row, streamed through a server-side cursor), which the screening then reads and checks as
    it does an upload. The names were checked against the strict pattern when the job was made."""
    import psycopg
    from psycopg import sql

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as pg:
        for table in TABLES:
            schema, _, relation = tables[table].partition(".")
            query = sql.SQL("SELECT row_to_json(t)::text FROM {}.{} AS t").format(
                sql.Identifier(schema), sql.Identifier(relation)
            )
            path = folder / f"{table}.jsonl"
            rows = 0
            with pg.cursor(name=f"export_{table}") as cursor, path.open("w") as out:
                cursor.itersize = 5000
                cursor.execute(query)
                row: Any
                for row in cursor:
                    out.write(row[0] + "\n")
                    rows += 1
            if not rows:
                raise InputProblems([InputProblem("no_rows", table)])
            paths.append(path)
    return paths[0], paths[1]
