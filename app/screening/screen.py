"""The screening query and its backends.

``compile_screening(snapshot, as_of)`` compiles every program in effect on ``as_of`` that this
slice can (``Screening.compiled``) and lists the others with the reason (``not_compiled``).
``Screening.verdict_sql(dialect)`` is one query: per household, one three-valued column per
compiled program (TRUE eligible, FALSE not, NULL undecided), in DuckDB or PostgreSQL SQL
(written once as DuckDB SQL and transpiled with sqlglot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import sqlglot
from sqlglot import exp

from app.matching.evaluate import region_rule
from app.matching.facts import FACTS
from app.matching.programs import ProgramSpec
from app.matching.rules import AllRule, AnyRule, CountRule, NotRule, Rule, comparisons
from app.matching.snapshot import CatalogSnapshot
from app.screening.columns import RECEIPT_FACTS
from app.screening.compiler import Counts, NotCompiled, ProgramCompiler, Scope, and_, case
from app.screening.stage import staging_sql

DIALECTS = ("duckdb", "postgres", "spark")


@dataclass(frozen=True)
class CompiledSQL:
    program_id: str
    column: str  # the verdict column (v0, v1, ...)
    expression: exp.Expression  # over h/c (household) or p/h/c (per person, ``who``)
    per_person: bool


@dataclass(frozen=True)
class Screening:
    as_of: date
    compiled: tuple[CompiledSQL, ...]
    not_compiled: dict[str, str]  # program id -> reason
    counts: Counts
    staging: str
    _sql: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def verdict_sql(self, dialect: str = "duckdb") -> str:
        """Per household ``household_id`` and one column per compiled program (``column``)."""
        found = self._sql.get(dialect)
        if found is None:
            found = self._duckdb_sql()
            if dialect != "duckdb":
                found = sqlglot.transpile(found, read="duckdb", write=dialect)[0]
            self._sql[dialect] = found
        return found

    def _duckdb_sql(self) -> str:
        def s(e: exp.Expression) -> str:
            return e.sql(dialect="duckdb")

        def code(e: exp.Expression) -> str:  # TRUE 2, NULL 1, FALSE 0 (one evaluation)
            return f"COALESCE(CAST({s(e)} AS INTEGER) * 2, 1)"

        join_h = "JOIN hs AS h ON h.household_id = p.household_id"
        member_cols, count_cols = ["p.household_id", "h.extra"], ["household_id"]
        for k in self.counts.items:  # unlisted members: persons whose facts are unknown
            member_cols += [f"{code(k.member)} AS {k.name}", f"{code(k.phantom)} AS {k.name}_x"]
            for end, least in (("lo", 2), ("hi", 1)):
                count_cols.append(
                    f"SUM(CASE WHEN {k.name} >= {least} THEN 1 ELSE 0 END) + "
                    f"MAX(CASE WHEN {k.name}_x >= {least} THEN extra ELSE 0 END) AS {k.name}_{end}"
                )
        person_cols, who_cols = ["p.household_id"], ["household_id"]
        final = ["h.household_id"]
        for item in self.compiled:
            if not item.per_person:
                final.append(f"{s(item.expression)} AS {item.column}")
                continue
            # OR over persons of (H AND P) is H AND (OR over persons of P) in Kleene logic:
            # the household-only conditions are decided once per household
            household: list[exp.Expression] = []
            person: list[exp.Expression] = []
            for part in _conjuncts(item.expression):
                reads_person = any(c.table == "p" for c in part.find_all(exp.Column))
                (person if reads_person else household).append(part)
            person_cols.append(f"{code(and_(*person))} AS {item.column}")
            who_cols.append(f"MAX({item.column}) AS {item.column}")
            anyone = f"CASE w.{item.column} WHEN 2 THEN TRUE WHEN 0 THEN FALSE END"
            anyone_sql = cast(exp.Expression, exp.condition(anyone))
            final.append(f"{s(and_(*household, anyone_sql))} AS {item.column}")
        return (
            f"WITH {self.staging},\n"
            f"cnt AS (SELECT {', '.join(count_cols)} FROM (SELECT {', '.join(member_cols)} "
            f"FROM ps AS p {join_h}) AS m GROUP BY household_id),\n"
            f"who AS (SELECT {', '.join(who_cols)} FROM (SELECT {', '.join(person_cols)} "
            f"FROM ps AS p {join_h} LEFT JOIN cnt AS c ON c.household_id = p.household_id) AS x "
            "GROUP BY household_id)\n"
            f"SELECT {', '.join(final)} FROM hs AS h "
            "LEFT JOIN cnt AS c ON c.household_id = h.household_id "
            "LEFT JOIN who AS w ON w.household_id = h.household_id"
        )


def _conjuncts(e: exp.Expression) -> list[exp.Expression]:
    """The operands of a (nested, parenthesized) AND."""
    inner = e.this if isinstance(e, exp.Paren) else e
    if isinstance(inner, exp.And):
        return _conjuncts(inner.this) + _conjuncts(inner.expression)
    return [e]


def compile_screening(
    snapshot: CatalogSnapshot,
    as_of: date,
    households: str = "households",
    persons: str = "persons",
) -> Screening:
    recipients, unsupported = _recipients(snapshot)
    counts = Counts()
    compiler = ProgramCompiler(snapshot.parameters, as_of, counts, unsupported)
    compiled: list[CompiledSQL] = []
    not_compiled: dict[str, str] = {}
    for program in snapshot.in_effect(as_of):
        spec = program.spec
        if spec.id in snapshot.chains:
            not_compiled[spec.id] = "decided again with what the plan grants (chains)"
            continue
        saved = (list(counts.items), dict(counts.by_rule))
        scope = Scope("subject" if spec.who is not None else "household")
        try:
            parts = [compiler.rule(spec.eligibility, scope)]
            if spec.who is not None:
                parts.insert(0, compiler.rule(spec.who, scope))
            if not spec.is_national:
                parts.insert(0, compiler.rule(region_rule(spec), scope))
        except NotCompiled as problem:
            counts.items, counts.by_rule = saved
            not_compiled[spec.id] = str(problem)
            continue
        column = f"v{len(compiled)}"
        compiled.append(CompiledSQL(spec.id, column, and_(*parts), spec.who is not None))
    # only the receipts a compiled rule asks about, one that settles a fact, or one of the
    # compiled programs themselves (the output leaves out what a household already receives)
    receipts = {s.id for p in snapshot.programs.values() if (s := p.spec).receipt_settles}
    receipts |= {item.program_id for item in compiled}
    for program in snapshot.in_effect(as_of):
        if program.id not in not_compiled:
            receipts |= receipt_values(program.spec)
    staging = staging_sql(
        households, persons, snapshot.programs, snapshot.parameters, as_of, recipients,
        frozenset(receipts),
    )  # fmt: skip
    return Screening(as_of, tuple(compiled), not_compiled, counts, staging)


def _recipients(snapshot: CatalogSnapshot) -> tuple[dict[str, str], dict[str, str]]:
    """The ``who`` of every person-level program a household may say it receives, as SQL over
    a person ``p`` (``stage``: who of the household holds it), and the facts left out of SQL
    when one cannot be compiled exactly (it must read only person facts no receipt settles)."""
    settled = {s.fact for p in snapshot.programs.values() for s in p.spec.receipt_settles}
    compiler = ProgramCompiler(snapshot.parameters, date.min, Counts())
    found: dict[str, str] = {}
    for pid in FACTS["household.receives"].options:
        program = snapshot.programs.get(pid)
        if program is None or program.spec.who is None:
            continue
        read = rule_facts(program.spec.who)
        problem = next((f for f in sorted(read) if not f.startswith("person.") or f in settled),
                       None)  # fmt: skip
        try:
            if problem is not None:
                raise NotCompiled(f"who of {pid} reads {problem}")
            found[pid] = compiler.rule(program.spec.who, Scope("subject")).sql(dialect="duckdb")
        except NotCompiled as why:
            reason = f"which member receives {pid} is not decided in SQL ({why})"
            return {}, dict.fromkeys(RECEIPT_FACTS, reason)
    return found, {}


def receipt_values(spec: ProgramSpec) -> set[str]:
    """The programs ``spec``'s rules ask whether the household or a person receives."""
    rules = [spec.eligibility] if spec.who is None else [spec.eligibility, spec.who]
    return {
        rule.value
        for root in rules
        for rule in comparisons(root)
        if rule.fact.endswith(".receives") and isinstance(rule.value, str)
    }


def rule_facts(rule: Rule) -> set[str]:
    """Every fact a rule reads (count members included)."""
    if isinstance(rule, AllRule | AnyRule):
        children = rule.all if isinstance(rule, AllRule) else rule.any
        return set().union(*(rule_facts(c) for c in children))
    if isinstance(rule, NotRule):
        return rule_facts(rule.not_)
    if isinstance(rule, CountRule):
        return {"household.size"} | rule_facts(rule.count.member)
    return {rule.fact}


__all__ = ["DIALECTS", "CompiledSQL", "Screening", "case", "compile_screening"]


def verdicts(
    cursor: Any, screening: Screening, dialect: str = "duckdb"
) -> dict[str, dict[str, bool | None]]:
    """Run the verdict query on ``cursor`` (DB-API: DuckDB connection or psycopg cursor) over
    its ``households``/``persons`` tables: household id -> program id -> TRUE/FALSE/None."""
    result = cursor.execute(screening.verdict_sql(dialect))
    rows = (result if result is not None else cursor).fetchall()
    ids = [item.program_id for item in screening.compiled]
    return {row[0]: dict(zip(ids, row[1:], strict=True)) for row in rows}
