"""Screening input files: Parquet, CSV or JSON Lines read by DuckDB, checked, loaded as typed
``households``/``persons`` tables (and copied into PostgreSQL temporary tables for that backend).

Every problem names the table, the column and how many rows, never a value: the input is
personal data. Checked: the column allowlist (``columns.schema_problems``), each value's type,
enum and set options, number bounds (``_min`` ≤ ``_max``, the registry's limits), unique keys,
every household with its applicant (``person_index`` 0) and every person with a household.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.screening.columns import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, schema_problems
from app.screening.problems import InputProblem
from app.screening.stage import sql_literal
from app.screening.tables import HOUSEHOLD_TYPES, PERSON_TYPES, ScreeningInputError, ddl

TABLES = ("households", "persons")
READERS = {
    ".parquet": "read_parquet({path})",
    ".pq": "read_parquet({path})",
    ".csv": "read_csv({path}, header = true, delim = ',', quote = '\"', all_varchar = true)",
    ".jsonl": "read_json_auto({path}, format = 'newline_delimited')",
    ".ndjson": "read_json_auto({path}, format = 'newline_delimited')",
    ".json": "read_json_auto({path})",
}
TYPES = {"households": dict(HOUSEHOLD_TYPES), "persons": dict(PERSON_TYPES)}
COLUMNS = {"households": HOUSEHOLD_COLUMNS, "persons": PERSON_COLUMNS}


class InputProblems(ScreeningInputError):
    """The input is refused; ``found`` names tables, columns and row counts, never values;
    ``problems`` says them in the operator's English, one line each (``hanaro screen``, a
    failed job's record)."""

    def __init__(self, found: Sequence[InputProblem]) -> None:
        self.found = list(found)
        self.problems = [problem.english() for problem in self.found]
        super().__init__("; ".join(self.problems))


def find_inputs(paths: Sequence[Path]) -> tuple[Path, Path]:
    """``households`` and ``persons`` files: a folder holding ``households.<ext>`` and
    ``persons.<ext>``, or the two files in that order."""
    if len(paths) == 1 and paths[0].is_dir():
        found = []
        for table in TABLES:
            hits = sorted(p for p in paths[0].iterdir() if p.stem == table and p.suffix in READERS)
            if len(hits) != 1:
                wanted = ", ".join(f"{table}{ext}" for ext in READERS)
                folder = str(paths[0])
                raise InputProblems([InputProblem("folder_needs", wanted=wanted, path=folder)])
            found.append(hits[0])
        return found[0], found[1]
    if len(paths) != 2:
        raise InputProblems([InputProblem("two_inputs")])
    for path in paths:
        if not path.is_file():
            raise InputProblems([InputProblem("no_file", path=str(path))])
        if path.suffix.lower() not in READERS:
            raise InputProblems([InputProblem("not_a_format", path=str(path))])
    return paths[0], paths[1]


def _scalar(con: Any, query: str) -> Any:
    row = con.execute(query).fetchone()
    return None if row is None else row[0]


def _value_problems(con: Any, table: str, raw: str, names: list[str]) -> list[InputProblem]:
    types = TYPES[table]
    columns = {name: col for col in COLUMNS[table] for name in col.input_names}
    checks: list[tuple[InputProblem, str]] = []  # (the problem but its count, SQL over a raw row)

    def check(code: str, name: str, condition: str, **args: Any) -> None:
        checks.append((InputProblem(code, table, name, **args), condition))

    for name in names:
        kind = types[name]
        value = f'"{name}"'
        cast = f"TRY_CAST({value} AS {kind})"
        check("not_type", name, f"{value} IS NOT NULL AND {cast} IS NULL", kind=kind)
        if kind == "INTEGER":
            check("not_whole", name, f"TRY_CAST({value} AS DOUBLE) <> TRY_CAST({value} AS INTEGER)")
        col = columns.get(name)
        if col is None:
            continue
        spec = col.spec
        options = "[" + ", ".join(sql_literal(o) for o in spec.options) + "]"
        if spec.type == "enum":
            check("not_option", name, f"NOT list_contains({options}, {cast})")
        elif spec.type == "set":
            check("item_not_option", name, f"NOT list_has_all({options}, {cast})")
        elif col.is_number:
            if spec.minimum is not None:
                check("below", name, f"{cast} < {spec.minimum}", bound=spec.minimum)
            if spec.maximum is not None:
                check("above", name, f"{cast} > {spec.maximum}", bound=spec.maximum)
            if name.endswith("_min") and f"{col.name}_max" in names:
                other = f"{col.name}_max"
                check("above_other", name, f'{cast} > TRY_CAST("{other}" AS DOUBLE)', other=other)
    if not checks:
        return []
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {cond})" for _, cond in checks)
    found = con.execute(f"SELECT {counts} FROM {raw}").fetchone()
    return [
        replace(problem, count=int(count))
        for (problem, _), count in zip(checks, found, strict=True)
        if count
    ]


def read_inputs(con: Any, households: Path, persons: Path) -> dict[str, int]:
    """Create typed ``households`` and ``persons`` tables on DuckDB ``con`` from the files;
    ``InputProblems`` if anything is wrong. Returns the row count of each table."""
    problems: list[InputProblem] = []
    names: dict[str, list[str]] = {}
    for table, path in zip(TABLES, (households, persons), strict=True):
        reader = READERS[path.suffix.lower()].format(path=sql_literal(str(path)))
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw_{table} AS SELECT * FROM {reader}")
        names[table] = [row[0] for row in con.execute(f"DESCRIBE raw_{table}").fetchall()]
        problems += schema_problems(table, names[table])
    if problems:
        raise InputProblems(problems)
    for table in TABLES:
        problems += _value_problems(con, table, f"raw_{table}", names[table])
    if problems:
        raise InputProblems(problems)
    counts = {}
    for table in TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute(ddl(table).replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
        cols = names[table]
        casts = ", ".join(f'CAST("{n}" AS {TYPES[table][n]})' for n in cols)
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {casts} FROM raw_{table}")
        counts[table] = int(_scalar(con, f"SELECT COUNT(*) FROM {table}"))
    problems += _key_problems(con)
    if problems:
        raise InputProblems(problems)
    return counts


def _key_problems(con: Any) -> list[InputProblem]:
    checks = [
        ("households", "household_id", "empty",
         "SELECT COUNT(*) FROM households WHERE household_id IS NULL"),
        ("households", "household_id", "repeated_id",
         "SELECT COUNT(*) FROM (SELECT household_id FROM households GROUP BY household_id "
         "HAVING COUNT(*) > 1)"),
        ("persons", "household_id", "no_household",
         "SELECT COUNT(*) FROM persons AS p WHERE NOT EXISTS (SELECT 1 FROM households AS h "
         "WHERE h.household_id = p.household_id)"),
        ("persons", "person_index", "empty_or_negative",
         "SELECT COUNT(*) FROM persons WHERE person_index IS NULL OR person_index < 0"),
        ("persons", "person_index", "repeated_pair",
         "SELECT COUNT(*) FROM (SELECT household_id, person_index FROM persons "
         "GROUP BY household_id, person_index HAVING COUNT(*) > 1)"),
        ("persons", "person_index", "no_applicant",
         "SELECT COUNT(*) FROM households AS h WHERE NOT EXISTS (SELECT 1 FROM persons AS p "
         "WHERE p.household_id = h.household_id AND p.person_index = 0)"),
        ("households", "size", "size_too_small",
         "SELECT COUNT(*) FROM households AS h WHERE h.size < (SELECT COUNT(*) FROM persons "
         "AS p WHERE p.household_id = h.household_id)"),
    ]  # fmt: skip
    found = []
    for table, column, code, query in checks:
        count = int(_scalar(con, query) or 0)
        if count:
            found.append(InputProblem(code, table, column, count=count))
    return found


def copy_to_postgres(con: Any, pg: Any, batch: int = 10_000) -> None:
    """Copy DuckDB's typed ``households``/``persons`` into PostgreSQL temporary tables of the
    same names on psycopg connection ``pg``."""
    with pg.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
            cursor.execute(
                ddl(table, "postgres").replace("CREATE TABLE", "CREATE TEMPORARY TABLE", 1)
            )
            names = [n for n, _ in (HOUSEHOLD_TYPES if table == "households" else PERSON_TYPES)]
            result = con.execute(f"SELECT {', '.join(names)} FROM {table}")
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                while rows := result.fetchmany(batch):
                    for row in rows:
                        copy.write_row(row)


__all__ = ["READERS", "InputProblems", "copy_to_postgres", "find_inputs", "read_inputs"]
