"""The screening output: per household the programs it may qualify for and does not receive,
ranked, with their yearly value and what a home visit must confirm; and an aggregate by area.

Everything runs on the backend (DuckDB or PostgreSQL) over its ``households``/``persons`` tables,
in temporary tables (``prepare``), so a whole population never passes through Python.

Per household × program (``output_sql``), only verdicts TRUE (``likely``) and NULL
(``possible``), and only programs nobody in the household already receives (``household.receives``
with every member's ``receives``):

- ``value_low``/``value_high``: KRW per year, from the catalog's ``benefit.amount`` evaluated by the
  engine for a household of this size whose other facts are unknown: an exact amount stays exact
  (자활 500,000/month is 6,000,000), one that depends on other facts is its whole range for that
  size (생계급여 for 1: 0 to 12 × 820,556), so the household's true amount lies inside. Monthly ×
  12 (or × ``benefit.months`` when shorter), yearly × 1, once (and a voucher without a period)
  × 1. Both null: no amount in the catalog, or not cash (service, loan, training, check-up,
  savings); ``value_high`` null alone: no upper bound. For a per-person program
  (``per_person``) the value is for one member (when ``likely``, at least one member qualifies).
- ``confirm`` (``possible`` only): the facts the program's rules read (``who``, ``eligibility``,
  its regions, parameter keys) that are unknown or only a band for this household, ``; ``-joined:
  ``household.x``, ``applicant.x`` (person 0), ``person.x`` (some member; also when members are
  not listed and the rule counts members). A derived fact is named by what is asked for it
  (``median_income_ratio`` → ``income_recognized_monthly``). A superset of what settles the
  verdict: a fact inside an already decided ``any`` is listed too.
- Order (``household_rank``, then ``program_rank``): households with a crisis signal
  (``household.crisis`` not empty, as ``app.matching.plan.in_crisis``) first, then by the low end
  of their ``likely`` value, then by the high end of all, then ``household_id``. Within a
  household: emergency programs first in a crisis, then ``likely`` before ``possible``, then by
  value (low, high), then program id. Deterministic.

The aggregate (``aggregate_sql``): every area × compiled program, the area the 시군구
(``sigungu``) where given, else the 시도 (``region``); counts below ``min_cell`` are suppressed
(NULL; ``<k`` in CSV), and ``total`` is suppressed when either part is, so that it never gives
a suppressed part away.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlglot

from app.matching.benefits import to_range
from app.matching.binding import Env
from app.matching.facts import FACTS, Profile, resolve_facts
from app.matching.programs import ProgramSpec
from app.matching.rules import AllRule, AnyRule, Comparison, CountRule, NotRule, ParamRef, Rule
from app.matching.snapshot import CatalogSnapshot
from app.matching.values import NUMERIC_TYPES
from app.screening.columns import column_name, is_supported
from app.screening.screen import Screening
from app.screening.stage import MAX_SIZE, option_name, sql_literal

DEFAULT_MIN_CELL = 5
LIKELY, POSSIBLE = "likely", "possible"
OUTPUT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("household_rank", "BIGINT"),
    ("household_id", "VARCHAR"),
    ("area", "VARCHAR"),
    ("crisis", "VARCHAR"),
    ("program_rank", "BIGINT"),
    ("program_id", "VARCHAR"),
    ("verdict", "VARCHAR"),
    ("value_low", "BIGINT"),
    ("value_high", "BIGINT"),
    ("per_person", "BOOLEAN"),
    ("confirm", "VARCHAR"),
)
AGGREGATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("area", "VARCHAR"),
    ("area_level", "VARCHAR"),
    ("program_id", "VARCHAR"),
    ("households", "BIGINT"),
    ("likely", "BIGINT"),
    ("possible", "BIGINT"),
    ("total", "BIGINT"),
)
_PER_YEAR = {"monthly": 12, "yearly": 1, "once": 1}
_CASH_PERIOD = {"cash_monthly": "monthly", "cash_yearly": "yearly", "cash_once": "once",
                "voucher": "once"}  # fmt: skip


# -- yearly value ---------------------------------------------------------------------------
def yearly_factor(spec: ProgramSpec) -> int | None:
    """How many payments a year (None: not cash, no value given)."""
    period = spec.benefit.period or _CASH_PERIOD.get(spec.benefit.kind)
    if period is None or spec.benefit.kind not in _CASH_PERIOD:
        return None
    factor = _PER_YEAR[period]
    if period == "monthly" and spec.benefit.months is not None:
        factor = min(factor, spec.benefit.months)
    return factor


def program_values(
    snapshot: CatalogSnapshot, screening: Screening
) -> dict[tuple[str, int], tuple[int | None, int | None]]:
    """(program id, household size) -> yearly value (low, high) for every compiled program with
    a cash amount: the engine's amount for a household of that size, nothing else known."""
    found: dict[tuple[str, int], tuple[int | None, int | None]] = {}
    programs = [snapshot.programs[c.program_id] for c in screening.compiled]
    priced = [(p, yearly_factor(p.spec)) for p in programs if p.amount is not None]
    if not priced:
        return found
    for size in range(1, MAX_SIZE + 1):
        ctx = resolve_facts(Profile(household={"size": size}), screening.as_of, snapshot.parameters)
        for program, factor in priced:
            if factor is None or program.amount is None:
                continue
            amount = to_range(program.amount(Env(ctx, None, None), 0))
            low = max(amount.low or 0, 0) * factor
            high = None if amount.high is None else max(max(amount.high, 0) * factor, low)
            found[(program.id, size)] = (low, high)
    return found


# -- facts to confirm -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True, order=True)
class FactRead:
    """A fact a program reads: ``scope`` is ``household``, ``applicant``, ``person`` (any
    listed member) or ``member`` (counted: any member, listed or not)."""

    scope: str
    fact: str  # the registry id (person.x for applicant/person/member)

    @property
    def label(self) -> str:
        spec = FACTS[self.fact]
        asked = spec.asked_as
        fact = asked if asked is not None and is_supported(asked) else self.fact
        if self.scope == "applicant":
            return "applicant." + fact.partition(".")[2]
        return fact


def facts_read(snapshot: CatalogSnapshot, spec: ProgramSpec) -> list[FactRead]:
    """Every fact the program's rules read (without ``household.size``, always known here)."""
    found: set[FactRead] = set()

    def param_key(ref: object, scope: str) -> None:
        if isinstance(ref, ParamRef):
            param = snapshot.parameters.get(ref.param)
            key = ref.key or (param.key if param is not None else None)
            if key is not None:
                add(key, scope)
        elif isinstance(ref, tuple | list):
            for item in ref:
                param_key(item, scope)

    def add(fact: str, scope: str) -> None:
        head, _, name = fact.partition(".")
        if head in ("applicant", "person", "spouse"):
            where = "applicant" if head == "applicant" else scope
            found.add(FactRead(where if where != "household" else "person", f"person.{name}"))
        elif fact != "household.size" and fact in FACTS:
            found.add(FactRead("household", fact))

    def walk(rule: Rule, scope: str) -> None:
        if isinstance(rule, AllRule | AnyRule):
            for child in rule.all if isinstance(rule, AllRule) else rule.any:
                walk(child, scope)
        elif isinstance(rule, NotRule):
            walk(rule.not_, scope)
        elif isinstance(rule, CountRule):
            walk(rule.count.member, "member")
            param_key(rule.value, scope)
        elif isinstance(rule, Comparison):
            add(rule.fact, scope)
            param_key(rule.value, scope)

    scope = "person" if spec.who is not None else "household"
    if spec.who is not None:
        walk(spec.who, scope)
    walk(spec.eligibility, scope)
    if not spec.is_national:
        add("household.region", "household")
    return sorted(found)


def _unknown(fact: str, alias: str, prefix: str = "") -> str:
    """SQL: the staged fact is unknown or only a band (not one exact value)."""
    spec = FACTS[fact]
    name = prefix + column_name(fact)
    if spec.type in NUMERIC_TYPES:
        lo, hi = f"{alias}.{name}_lo", f"{alias}.{name}_hi"
        return f"({lo} IS NULL OR {hi} IS NULL OR {lo} <> {hi})"
    if spec.type == "set":
        return f"({alias}.{prefix}{option_name(column_name(fact), spec.options[0])} IS NULL)"
    return f"({alias}.{name} IS NULL)"


# -- the queries ----------------------------------------------------------------------------
@dataclass(frozen=True)
class OutputQueries:
    """The statements of one screening's output (DuckDB SQL; ``sql`` transpiles)."""

    screening: Screening
    prepare: tuple[str, ...]  # CREATE TEMP TABLE screen_verdicts, screen_facts, screen_rows
    rows: str  # the ranked per-household rows
    program_ids: tuple[str, ...]

    def aggregate(self, min_cell: int = DEFAULT_MIN_CELL, as_text: bool = False) -> str:
        return aggregate_sql(self.program_ids, min_cell, as_text)


def build_queries(snapshot: CatalogSnapshot, screening: Screening) -> OutputQueries:
    compiled = screening.compiled
    flags: dict[FactRead, str] = {}
    reads: dict[str, list[FactRead]] = {}
    for item in compiled:
        reads[item.program_id] = facts_read(snapshot, snapshot.programs[item.program_id].spec)
        for read in reads[item.program_id]:
            flags.setdefault(read, f"u{len(flags)}")
    person_flags = [
        f"BOOL_OR({_unknown(r.fact, 'p')}) AS {flag}"
        for r, flag in flags.items()
        if r.scope in ("person", "member")
    ]
    facts = ["h.household_id", "h.size", "h.extra"]
    facts.append("COALESCE(h.sigungu, h.region) AS area")
    facts.append(
        "CASE WHEN h.sigungu IS NOT NULL THEN 'sigungu' WHEN h.region IS NOT NULL THEN 'sido' "
        "END AS area_level"
    )
    signals = ", ".join(
        f"CASE WHEN h.{option_name('crisis', o)} THEN {sql_literal(o)} END"
        for o in FACTS["household.crisis"].options
    )
    facts.append(f"NULLIF(CONCAT_WS('; ', {signals}), '') AS crisis")
    receivable = set(FACTS["household.receives"].options)
    for item in compiled:
        received = (
            f"COALESCE(h.{option_name('receives', item.program_id)}, FALSE)"
            if item.program_id in receivable
            else "FALSE"
        )
        facts.append(f"{received} AS r_{item.column}")
    for read, flag in flags.items():
        if read.scope == "household":
            facts.append(f"{_unknown(read.fact, 'h')} AS {flag}")
        elif read.scope == "applicant":
            facts.append(f"{_unknown(read.fact, 'h', 'a_')} AS {flag}")
        elif read.scope == "person":
            facts.append(f"COALESCE(u.{flag}, TRUE) AS {flag}")
        else:
            facts.append(f"(COALESCE(u.{flag}, TRUE) OR h.extra > 0) AS {flag}")
    person_cte = (
        f", pu AS (SELECT p.household_id, {', '.join(person_flags)} FROM ps AS p "
        "GROUP BY p.household_id)"
        if person_flags
        else ", pu AS (SELECT p.household_id FROM ps AS p GROUP BY p.household_id)"
    )
    facts_sql = (
        f"CREATE TEMP TABLE screen_facts AS WITH {screening.staging}{person_cte} "
        f"SELECT {', '.join(facts)} FROM hs AS h LEFT JOIN pu AS u "
        "ON u.household_id = h.household_id"
    )

    values = program_values(snapshot, screening)
    value_rows = ", ".join(
        f"({sql_literal(pid)}, {size}, {_int(low)}, {_int(high)})"
        for (pid, size), (low, high) in sorted(values.items())
    )
    values_cte = (
        f"sv(program_id, size, value_low, value_high) AS (VALUES {value_rows})"
        if value_rows
        else "sv(program_id, size, value_low, value_high) AS (SELECT CAST(NULL AS VARCHAR), "
        "CAST(NULL AS INTEGER), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) WHERE FALSE)"
    )
    parts = []
    for item in compiled:
        spec = snapshot.programs[item.program_id].spec
        labels: dict[str, list[str]] = {}
        for read in reads[item.program_id]:
            labels.setdefault(read.label, []).append(flags[read])
        confirm = ", ".join(
            f"CASE WHEN {' OR '.join(f'f.{x}' for x in names)} THEN {sql_literal(label)} END"
            for label, names in sorted(labels.items())
        )
        confirm_sql = f"NULLIF(CONCAT_WS('; ', {confirm}), '')" if confirm else "NULL"
        v = f"v.{item.column}"
        parts.append(
            f"SELECT f.household_id, f.size, f.area, f.area_level, f.crisis, "
            f"{sql_literal(item.program_id)} AS program_id, "
            f"CASE WHEN {v} THEN '{LIKELY}' ELSE '{POSSIBLE}' END AS verdict, "
            f"{sql_literal(item.per_person)} AS per_person, "
            f"{sql_literal(spec.is_emergency)} AS emergency, "
            f"CASE WHEN {v} IS NULL THEN {confirm_sql} END AS confirm "
            "FROM screen_verdicts AS v JOIN screen_facts AS f ON f.household_id = v.household_id "
            f"WHERE {v} IS NOT FALSE AND NOT f.r_{item.column}"
        )
    union = " UNION ALL ".join(parts) if parts else (
        "SELECT f.household_id, f.size, f.area, f.area_level, f.crisis, "
        "CAST(NULL AS VARCHAR) AS program_id, CAST(NULL AS VARCHAR) AS verdict, "
        "FALSE AS per_person, FALSE AS emergency, CAST(NULL AS VARCHAR) AS confirm "
        "FROM screen_facts AS f WHERE FALSE"
    )  # fmt: skip
    rows_sql = (
        f"CREATE TEMP TABLE screen_rows AS WITH {values_cte}, found AS ({union}) "
        "SELECT found.*, sv.value_low, sv.value_high FROM found LEFT JOIN sv "
        "ON sv.program_id = found.program_id AND sv.size = found.size"
    )
    ranked = (
        "SELECT r.*, "
        f"SUM(CASE WHEN r.verdict = '{LIKELY}' THEN COALESCE(r.value_low, 0) ELSE 0 END) "
        "OVER (PARTITION BY r.household_id) AS likely_low, "
        "SUM(COALESCE(r.value_high, r.value_low, 0)) OVER (PARTITION BY r.household_id) "
        "AS any_high FROM screen_rows AS r"
    )
    rows = (
        f"WITH ranked AS ({ranked}) SELECT "
        "DENSE_RANK() OVER (ORDER BY CASE WHEN crisis IS NULL THEN 1 ELSE 0 END, "
        "likely_low DESC, any_high DESC, household_id) AS household_rank, "
        "household_id, area, crisis, "
        "ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY "
        "CASE WHEN crisis IS NOT NULL AND emergency THEN 0 ELSE 1 END, "
        f"CASE WHEN verdict = '{LIKELY}' THEN 0 ELSE 1 END, COALESCE(value_low, 0) DESC, "
        "COALESCE(value_high, value_low, 0) DESC, program_id) AS program_rank, "
        "program_id, verdict, value_low, value_high, per_person, confirm "
        "FROM ranked ORDER BY household_rank, program_rank"
    )
    prepare = (
        "DROP TABLE IF EXISTS screen_rows",
        "DROP TABLE IF EXISTS screen_facts",
        "DROP TABLE IF EXISTS screen_verdicts",
        f"CREATE TEMP TABLE screen_verdicts AS {screening.verdict_sql('duckdb')}",
        facts_sql,
        rows_sql,
    )
    return OutputQueries(screening, prepare, rows, tuple(c.program_id for c in compiled))


def _int(value: int | None) -> str:
    return "CAST(NULL AS BIGINT)" if value is None else f"CAST({value} AS BIGINT)"


def aggregate_sql(program_ids: tuple[str, ...], min_cell: int, as_text: bool = False) -> str:
    """Area × program over ``screen_facts``/``screen_rows``: counts below ``min_cell`` NULL (with
    ``as_text``: every count as text, a suppressed one ``<k``)."""
    programs = ", ".join(f"({sql_literal(p)})" for p in program_ids) or "(NULL)"
    k = int(min_cell)

    def shown(count: str, hidden: str | None = None) -> str:
        cond = f"{count} < {k}" + (f" OR {hidden}" if hidden else "")
        if as_text:
            return f"CASE WHEN {cond} THEN '<{k}' ELSE CAST({count} AS VARCHAR) END"
        return f"CASE WHEN {cond} THEN NULL ELSE {count} END"

    return (
        "WITH areas AS (SELECT area, area_level, COUNT(*) AS households FROM screen_facts "
        "GROUP BY area, area_level), "
        f"programs(program_id) AS (VALUES {programs}), "
        "counts AS (SELECT area, area_level, program_id, "
        f"SUM(CASE WHEN verdict = '{LIKELY}' THEN 1 ELSE 0 END) AS likely, "
        f"SUM(CASE WHEN verdict = '{POSSIBLE}' THEN 1 ELSE 0 END) AS possible "
        "FROM screen_rows GROUP BY area, area_level, program_id), "
        "grid AS (SELECT a.area, a.area_level, p.program_id, a.households, "
        "COALESCE(c.likely, 0) AS likely, COALESCE(c.possible, 0) AS possible "
        "FROM areas AS a CROSS JOIN programs AS p LEFT JOIN counts AS c "
        "ON c.program_id = p.program_id AND c.area IS NOT DISTINCT FROM a.area "
        "AND c.area_level IS NOT DISTINCT FROM a.area_level) "
        f"SELECT area, area_level, program_id, {shown('households')} AS households, "
        f"{shown('likely')} AS likely, {shown('possible')} AS possible, "
        f"{shown('likely + possible', f'likely < {k} OR possible < {k}')} AS total "
        "FROM grid ORDER BY area NULLS LAST, area_level, program_id"
    )


def sql(query: str, dialect: str) -> str:
    return query if dialect == "duckdb" else sqlglot.transpile(query, read="duckdb",
                                                                write=dialect)[0]  # fmt: skip


def prepare(cursor: Any, queries: OutputQueries, dialect: str = "duckdb") -> None:
    """Create ``screen_verdicts``, ``screen_facts`` and ``screen_rows`` on ``cursor``."""
    for statement in queries.prepare:
        cursor.execute(sql(statement, dialect))


def fetch(cursor: Any, query: str, dialect: str = "duckdb") -> Iterator[dict[str, Any]]:
    result = cursor.execute(sql(query, dialect))
    source = result if result is not None else cursor
    names = [d[0] for d in source.description]
    for row in source.fetchall():
        yield dict(zip(names, row, strict=True))


def screen(
    cursor: Any,
    snapshot: CatalogSnapshot,
    screening: Screening,
    dialect: str = "duckdb",
    min_cell: int = DEFAULT_MIN_CELL,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ranked rows and the aggregate as dicts (for small populations and tests; the CLI
    writes the same queries to files without passing through Python on DuckDB)."""
    queries = build_queries(snapshot, screening)
    prepare(cursor, queries, dialect)
    rows = list(fetch(cursor, queries.rows, dialect))
    return rows, list(fetch(cursor, queries.aggregate(min_cell), dialect))


__all__ = [
    "AGGREGATE_COLUMNS",
    "DEFAULT_MIN_CELL",
    "OUTPUT_COLUMNS",
    "FactRead",
    "OutputQueries",
    "aggregate_sql",
    "build_queries",
    "facts_read",
    "program_values",
    "screen",
    "yearly_factor",
]
