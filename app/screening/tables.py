"""The input tables: DDL, rows from engine profiles, and loading them into a connection."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import sqlglot

from app.matching.facts import Profile
from app.matching.values import Range
from app.screening.columns import (
    HOUSEHOLD_COLUMNS,
    PERSON_COLUMNS,
    UNSUPPORTED,
    Column,
    column_name,
)

Row = dict[str, Any]
_TYPES = {"bool": "BOOLEAN", "date": "DATE", "enum": "VARCHAR", "set": "VARCHAR[]"}


class ScreeningInputError(ValueError):
    """Input the screening does not accept (the message names the column, never a value)."""


class Cursor(Protocol):
    def execute(self, query: str, parameters: Any = ...) -> Any: ...
    def executemany(self, query: str, parameters: Any) -> Any: ...


def _column_types(columns: Sequence[Column]) -> list[tuple[str, str]]:
    found = []
    for col in columns:
        kind = "DOUBLE" if col.is_number else _TYPES.get(col.spec.type, "VARCHAR")
        found += [(name, kind) for name in col.input_names]
    return found


HOUSEHOLD_TYPES = [
    ("household_id", "VARCHAR"),
    ("size", "INTEGER"),
    *_column_types(HOUSEHOLD_COLUMNS),
]
PERSON_TYPES = [
    ("household_id", "VARCHAR"),
    ("person_index", "INTEGER"),
    *_column_types(PERSON_COLUMNS),
]


def ddl(table: str, dialect: str = "duckdb") -> str:
    types = HOUSEHOLD_TYPES if table == "households" else PERSON_TYPES
    sql = f"CREATE TABLE {table} ({', '.join(f'{n} {t}' for n, t in types)})"
    return sql if dialect == "duckdb" else sqlglot.transpile(sql, read="duckdb", write=dialect)[0]


def profile_rows(profile: Profile, household_id: str) -> tuple[Row, list[Row]]:
    """A household row and its person rows from an engine ``Profile``; ScreeningInputError for
    a fact this slice does not take (see ``columns.UNSUPPORTED``)."""
    household: Row = {"household_id": household_id}
    for prefix, facts in (
        ("household", profile.household),
        ("pension_unit", profile.pension_unit),
        ("parents", profile.parents),
    ):
        for name, value in facts.items():
            fact = f"{prefix}.{name}"
            if fact == "household.size":
                household["size"] = value
                continue
            _put(household, fact, value, HOUSEHOLD_COLUMNS)
    persons = []
    for index, facts in enumerate((profile.applicant, *profile.members)):
        row: Row = {"household_id": household_id, "person_index": index}
        for name, value in facts.items():
            _put(row, f"person.{name}", value, PERSON_COLUMNS)
        persons.append(row)
    return household, persons


def _put(row: Row, fact: str, value: object, columns: Sequence[Column]) -> None:
    col = next((c for c in columns if c.fact == fact), None)
    if col is None:
        reason = UNSUPPORTED.get(fact, "not a fact")
        raise ScreeningInputError(f"{column_name(fact)}: not screened ({reason})")
    if value is None:
        return
    if col.is_number:
        low: object
        high: object
        if isinstance(value, Range):
            low, high = value.min, value.max
        elif isinstance(value, Mapping):
            low, high = value.get("min"), value.get("max")
        else:
            low = high = value
        row[f"{col.name}_min"], row[f"{col.name}_max"] = low, high
    elif col.spec.type == "set":
        row[col.name] = sorted(value)  # type: ignore[call-overload]
    else:
        row[col.name] = value


def insert(cursor: Cursor, table: str, rows: Iterable[Row], placeholder: str = "?") -> None:
    types = HOUSEHOLD_TYPES if table == "households" else PERSON_TYPES
    names = [n for n, _ in types]
    values = [[r.get(n) for n in names] for r in rows]
    if not values:
        return
    marks = ", ".join(placeholder for _ in names)
    cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)
