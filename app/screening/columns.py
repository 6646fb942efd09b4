"""The screening input schema: two tables, ``households`` and ``persons``, whose columns are facts.

- ``households``: ``household_id`` (pseudonymous text), ``size`` (whole number; unknown: the
  listed persons), then the household facts: ``household.x`` is column ``x``,
  ``pension_unit.x`` is ``pension_unit_x``, ``parents.x`` is ``parents_x``.
- ``persons``: ``household_id``, ``person_index`` (0 is the applicant, ``i`` the ``i``-th listed
  member), then the person facts: ``person.x`` is column ``x``.
- A bool fact is a BOOLEAN column, a date a DATE column, an enum fact a text column, a set
  fact a list of text (DuckDB ``VARCHAR[]``, PostgreSQL ``text[]``); a number fact is a
  ``<column>_min`` / ``<column>_max`` pair (exact: both equal; a band: either end open).
  Unknown is NULL, never 0.

Only the columns named here are accepted (``schema_problems``): names, addresses, resident
registration numbers or any other column are rejected. Facts this slice cannot derive in SQL
exactly as the engine does are left out (``UNSUPPORTED``), and so are the programs reading them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.matching.estimates import CAR_FACTS, HOUSEHOLD_INPUTS, PERSON_INPUTS
from app.matching.facts import FACTS
from app.matching.values import NUMERIC_TYPES, FactSpec
from app.screening.problems import InputProblem

# facts the SQL stage does not reproduce yet, with the reason (reported with the programs)
UNSUPPORTED: dict[str, str] = {
    "person.stage": "the stage is derived from age and pregnancy (not yet in SQL)",
    "person.married": "spouse pairing is not yet in SQL",
    "person.couple_income_recognized_monthly": "spouse pairing is not yet in SQL",
    **{f"person.{name}": "an input of the 소득인정액 estimate (#11)" for name in PERSON_INPUTS},
    **{
        fact: "an input of the 소득인정액 estimate (#11)"
        for fact in (*HOUSEHOLD_INPUTS, *CAR_FACTS)
    },
}
# read through the receipts: which member holds a person-level program named for the household
RECEIPT_FACTS = ("person.receives", "person.public_pension", "person.nationality")


@dataclass(frozen=True, slots=True)
class Column:
    """One fact as input columns: ``name`` is the column (a number's pair is ``name_min/max``)."""

    fact: str
    name: str
    spec: FactSpec

    @property
    def is_number(self) -> bool:
        return self.spec.type in NUMERIC_TYPES

    @property
    def input_names(self) -> tuple[str, ...]:
        if self.is_number:
            return (f"{self.name}_min", f"{self.name}_max")
        return (self.name,)


def column_name(fact: str) -> str:
    """The column of a fact id (``pension_unit.is_couple`` is ``pension_unit_is_couple``)."""
    scope, _, name = fact.partition(".")
    return name if scope in ("household", "person") else f"{scope}_{name}"


def _columns(scope: str) -> tuple[Column, ...]:
    found = []
    for fact, spec in FACTS.items():
        in_scope = fact.startswith("person.") if scope == "person" else spec.scope == "household"
        if not in_scope or fact == "household.size":
            continue
        if fact in UNSUPPORTED:
            continue
        found.append(Column(fact, column_name(fact), spec))
    return tuple(found)


HOUSEHOLD_COLUMNS = _columns("household")
PERSON_COLUMNS = _columns("person")
HOUSEHOLD_KEYS = ("household_id", "size")
PERSON_KEYS = ("household_id", "person_index")


def allowed(table: str) -> frozenset[str]:
    """Every column name ``table`` (``households`` or ``persons``) may have."""
    if table == "households":
        keys, columns = HOUSEHOLD_KEYS, HOUSEHOLD_COLUMNS
    else:
        keys, columns = PERSON_KEYS, PERSON_COLUMNS
    return frozenset(keys).union(*(c.input_names for c in columns))


def schema_problems(table: str, names: Iterable[str]) -> list[InputProblem]:
    """What is wrong with the column names of ``table``: unknown columns (the allowlist rejects
    names, addresses, 주민등록번호 and anything else) and missing key columns."""
    names = list(names)
    known = allowed(table)
    problems = [InputProblem("unknown_column", table, name) for name in names if name not in known]
    keys = HOUSEHOLD_KEYS[:1] if table == "households" else PERSON_KEYS
    problems += [InputProblem("required", table, key) for key in keys if key not in names]
    return problems


def is_supported(fact: str) -> bool:
    """Whether a rule may read ``fact`` (``household.x``/``person.x``) in SQL."""
    return fact in FACTS and fact not in UNSUPPORTED
