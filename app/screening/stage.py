"""The derived facts in SQL, as the engine derives them (``app.matching.facts.resolve_facts``).

Staged tables (DuckDB dialect; ``screen`` transpiles for other backends):
- ``ps`` (one row per listed person): a number fact as ``<col>_lo``/``<col>_hi`` (an open end
  takes the registry's bound; unknown: both NULL), a set fact as one BOOLEAN per option
  (``<col>__<option>``), ``relation`` ``self`` for person 0, age and age in months from each
  other, the facts a household-level receipt settles (``receipt_settles``).
- ``hs`` (one row per household): the household facts the same way, ``size`` (given, else the
  listed persons), ``extra`` (members beyond the listed ones), the 시도 from the 시군구,
  ``receives`` as the union of the household's and every person's, ``pension_unit.is_couple``,
  ``median_income_ratio`` (and the parents'), ``no_home``; the applicant's facts as ``a_<col>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.catalog.regions import all_sigungu
from app.matching.errors import NoParameterValue
from app.matching.evaluate import CompiledProgram
from app.matching.facts import MEDIAN_INCOME
from app.matching.parameters import ParameterSet
from app.screening.columns import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, Column, column_name

MAX_SIZE = 30  # household.size maximum in the registry


def option_name(column: str, option: str) -> str:
    return f"{column}__{option.replace('-', '_')}"


def sql_literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _number(column: Column, source: str, target: str) -> list[str]:
    """``_lo``/``_hi`` from the ``_min``/``_max`` input pair (open ends take the spec bounds)."""
    low, high = f"{source}.{column.name}_min", f"{source}.{column.name}_max"
    unknown = f"{low} IS NULL AND {high} IS NULL"
    bounds = []
    for end, given, bound in (("lo", low, column.spec.minimum), ("hi", high, column.spec.maximum)):
        fallback = "NULL" if bound is None else sql_literal(bound)
        bounds.append(
            f"CASE WHEN {unknown} THEN NULL ELSE CAST(COALESCE({given}, {fallback}) AS DOUBLE) "
            f"END AS {target}_{end}"
        )
    return bounds


def _options(column: Column, receipts: frozenset[str] | None) -> tuple[str, ...]:
    """A set's options, the receipts only those ``receipts`` names (what compiled rules read)."""
    if column.name != "receives" or receipts is None:
        return column.spec.options
    return tuple(o for o in column.spec.options if o in receipts)


def _set_options(column: Column, source: str, receipts: frozenset[str] | None) -> list[str]:
    value = f"{source}.{column.name}"
    return [
        f"CASE WHEN {value} IS NULL THEN NULL ELSE list_contains({value}, {sql_literal(o)}) END "
        f"AS {option_name(column.name, o)}"
        for o in _options(column, receipts)
    ]


def _plain(column: Column, source: str, receipts: frozenset[str] | None = None) -> list[str]:
    if column.is_number:
        return _number(column, source, column.name)
    if column.spec.type == "set":
        return _set_options(column, source, receipts)
    return [f"{source}.{column.name} AS {column.name}"]


def staged_names(column: Column, receipts: frozenset[str] | None = None) -> list[str]:
    if column.is_number:
        return [f"{column.name}_lo", f"{column.name}_hi"]
    if column.spec.type == "set":
        return [option_name(column.name, o) for o in _options(column, receipts)]
    return [column.name]


def _settled(
    programs: Mapping[str, CompiledProgram], scope: str
) -> dict[str, list[tuple[str, object]]]:
    """Fact column -> (receipt column, value) in the order ``receipts._settle`` applies them:
    household-level programs (``h.receives__x``), then person-level ones (the person's own
    ``p.receives__x``; for a household fact, anyone's: ``h.receives__x``)."""
    found: dict[str, list[tuple[str, object]]] = {}
    for personal in (False, True):
        for pid, program in sorted(programs.items()):
            if (program.who is not None) != personal:
                continue
            for settled in program.spec.receipt_settles:
                fact_scope = settled.fact.partition(".")[0]
                if (fact_scope == "person") != (scope == "person"):
                    continue
                table = "p" if personal and scope == "person" else "h"
                column = f"{table}.{option_name('receives', pid)}"
                found.setdefault(column_name(settled.fact), []).append((column, settled.value))
    return found


def _with_settled(name: str, settles: list[tuple[str, object]]) -> str:
    whens = " ".join(f"WHEN {receipt} THEN {sql_literal(value)}" for receipt, value in settles)
    return f"COALESCE({name}, CASE {whens} END)"


def age_sql(birth: str, as_of: date) -> str:
    """만 나이 at ``as_of`` (``facts.age_on``): full years, one less before the birthday."""
    ahead = (
        f"EXTRACT(MONTH FROM {birth}) > {as_of.month} OR (EXTRACT(MONTH FROM {birth}) = "
        f"{as_of.month} AND EXTRACT(DAY FROM {birth}) > {as_of.day})"
    )
    years = f"{as_of.year} - EXTRACT(YEAR FROM {birth})"
    return f"CAST({years} - CASE WHEN {ahead} THEN 1 ELSE 0 END AS DOUBLE)"


def months_sql(since: str, as_of: date) -> str:
    """Full months from ``since`` to ``as_of`` (``facts.months_on``); NULL when unknown."""
    return (
        f"CAST(({as_of.year} - EXTRACT(YEAR FROM {since})) * 12 + {as_of.month} - "
        f"EXTRACT(MONTH FROM {since}) - CASE WHEN {as_of.day} < EXTRACT(DAY FROM {since}) "
        "THEN 1 ELSE 0 END AS DOUBLE)"
    )


def _median_case(parameters: ParameterSet, as_of: date, size: str) -> str:
    whens = []
    for n in range(1, MAX_SIZE + 1):
        try:
            median = parameters.value(MEDIAN_INCOME, as_of, n)
        except NoParameterValue:
            continue
        whens.append(f"WHEN {n} THEN {sql_literal(median)}")
    return f"CASE {size} {' '.join(whens)} END" if whens else "NULL"


def _ratio(prefix: str, income: str, size_exact: str, size: str, median: str) -> list[str]:
    given = f"{prefix}median_income_ratio"
    alias = given.split(".", 1)[1]
    known = f"({given}_lo IS NOT NULL OR {given}_hi IS NOT NULL)"
    can = f"({income}_lo IS NOT NULL AND {size_exact})"
    return [
        f"CASE WHEN {known} THEN {given}_{end} WHEN {can} THEN "
        f"CAST({income}_{end} AS DOUBLE) * 100 / ({median}) END AS {alias}_{end}"
        for end in ("lo", "hi")
    ]


def staging_sql(
    households: str,
    persons: str,
    programs: Mapping[str, CompiledProgram],
    parameters: ParameterSet,
    as_of: date,
    recipients: Mapping[str, str],
    receipts: frozenset[str] | None = None,
) -> str:
    """The ``WITH`` items defining ``p0``, ``hr``, ``ps`` and ``hs`` (no leading ``WITH``)."""
    person_cols = [c for c in PERSON_COLUMNS if c.name not in ("relation", "age", "age_months")]
    p0 = ["r.household_id", "r.person_index"]
    p0.append("CASE WHEN r.person_index = 0 THEN 'self' ELSE r.relation END AS relation")
    for col in person_cols:
        p0 += _plain(col, "r", receipts)
    p0.append("r.receives IS NOT NULL AS receives_given")
    ages = {c.name: c for c in PERSON_COLUMNS if c.name in ("age", "age_months")}
    given = _number(ages["age"], "r", "age0") + _number(ages["age_months"], "r", "months0")
    born_age, born_months = age_sql("r.birth_date", as_of), months_sql("r.birth_date", as_of)
    for item, target in zip(given, ("age0_lo", "age0_hi", "months0_lo", "months0_hi"), strict=True):
        base = target[:-3]  # a birth date gives both (where the number itself is not given)
        born = born_age if base == "age0" else born_months
        p0.append(
            f"CASE WHEN r.{'age' if base == 'age0' else 'age_months'}_min IS NULL AND "
            f"r.{'age' if base == 'age0' else 'age_months'}_max IS NULL THEN {born} "
            f"ELSE {item.rsplit(' AS ', 1)[0]} END AS {target}"
        )
    ctes = [f"p0 AS (SELECT {', '.join(p0)} FROM {persons} AS r)"]
    pa = ["p.*"]
    months_exact = "(p.months0_lo IS NOT NULL AND p.months0_lo = p.months0_hi)"
    age_known = "(p.age0_lo IS NOT NULL OR p.age0_hi IS NOT NULL)"
    months_known = "(p.months0_lo IS NOT NULL OR p.months0_hi IS NOT NULL)"
    for end in ("lo", "hi"):
        pa.append(
            f"CASE WHEN {age_known} THEN p.age0_{end} WHEN {months_exact} THEN "
            f"FLOOR(p.months0_lo / 12) END AS age_{end}"
        )
    pa.append(
        f"CASE WHEN {months_known} THEN p.months0_lo WHEN {age_known} THEN "
        "12 * COALESCE(p.age0_lo, 0) END AS age_months_lo"
    )
    pa.append(
        f"CASE WHEN {months_known} THEN p.months0_hi WHEN {age_known} THEN "
        "12 * p.age0_hi + 11 END AS age_months_hi"
    )
    ctes.append(f"pa AS (SELECT {', '.join(pa)} FROM p0 AS p)")

    receives = next(c for c in HOUSEHOLD_COLUMNS if c.name == "receives")
    pids = _options(receives, receipts)
    options = [option_name("receives", o) for o in pids]
    personal = {pid for pid, program in programs.items() if program.who is not None}
    union = ", ".join(
        f"BOOL_OR(p.{o}) AS p_{o}" for o in options
    )  # a person's own receipts count for the household (ignores unknown lists)
    # who receives a person-level program named only for the household: the first member its
    # ``who`` holds for, else the first it may hold for, else the applicant (``receipts``)
    firsts = [
        f"COALESCE(MIN(CASE WHEN {sql} THEN p.person_index END), MIN(CASE WHEN ({sql}) IS NULL "
        f"THEN p.person_index END), 0) AS r_{option_name('receives', pid)}"
        for pid, sql in sorted(recipients.items())
        if pid in pids
    ]
    ctes.append(
        "pr AS (SELECT p.household_id, COUNT(*) AS listed, "
        "BOOL_OR(p.receives_given) AS p_known, "
        "BOOL_OR(p.person_index > 0 AND p.relation = 'spouse') AS has_spouse, "
        f"{', '.join([union, *firsts])} FROM pa AS p GROUP BY p.household_id)"
    )
    hr = ["r.household_id", "r.size AS size_given", "pr.listed", "pr.has_spouse"]
    hr += [f"pr.p_{option_name('receives', pid)} AS claimed_{option_name('receives', pid)}"
           for pid in recipients if pid in pids]  # fmt: skip
    hr += [f"pr.r_{option_name('receives', pid)}" for pid in recipients if pid in pids]
    hr.append("COALESCE(r.size, pr.listed) AS size")
    hr.append("CASE WHEN r.size IS NULL THEN 0 ELSE r.size - pr.listed END AS extra")
    for col in HOUSEHOLD_COLUMNS:
        if col.name == "receives":
            continue
        if col.name == "residence_months":  # else from residence_since (never below 0)
            months = months_sql("r.residence_since", as_of)
            since = f"CASE WHEN {months} < 0 THEN 0 ELSE {months} END"  # NULL stays NULL
            unknown = "r.residence_months_min IS NULL AND r.residence_months_max IS NULL"
            hr += [
                f"CASE WHEN {unknown} THEN {since} ELSE {item.rsplit(' AS ', 1)[0]} END "
                f"AS residence_months_{end}"
                for item, end in zip(_plain(col, "r"), ("lo", "hi"), strict=True)
            ]
            continue
        hr += _plain(col, "r")
    known = "(r.receives IS NOT NULL OR COALESCE(pr.p_known, FALSE))"
    hr.append(f"{known} AS receives_known")
    for option, pid in zip(options, pids, strict=True):
        mine = (
            f"CASE WHEN r.receives IS NULL THEN FALSE ELSE list_contains(r.receives, '{pid}') END"
        )
        hr.append(
            f"CASE WHEN {known} THEN ({mine}) OR COALESCE(pr.p_{option}, FALSE) END AS {option}"
        )
    ctes.append(
        f"hr AS (SELECT {', '.join(hr)} FROM {households} AS r "
        "JOIN pr ON pr.household_id = r.household_id)"
    )

    ps = ["p.household_id", "p.person_index", "p.relation"]
    ps += [f"p.{n}" for n in ("age_lo", "age_hi", "age_months_lo", "age_months_hi")]
    got: dict[str, str] = {}  # a person's receipts (``receipts.settle_receipts``)
    for option, pid in zip(options, pids, strict=True):
        mine = f"COALESCE(p.{option}, FALSE)"
        if pid in personal:  # the member's own, or the unclaimed household one if theirs
            theirs = "FALSE"
            if pid in recipients:
                theirs = (f"COALESCE(h.{option}, FALSE) AND NOT COALESCE(h.claimed_{option}, "
                          f"FALSE) AND h.r_{option} = p.person_index")  # fmt: skip
            got[f"p.{option}"] = f"(h.receives_known AND ({mine} OR ({theirs})))"
        else:
            got[f"p.{option}"] = f"(h.receives_known AND ({mine} OR COALESCE(h.{option}, FALSE)))"
        ps.append(f"CASE WHEN h.receives_known THEN {got[f'p.{option}']} END AS {option}")
    person_settles = _settled(programs, "person")
    for col in person_cols:
        names = staged_names(col, receipts)
        if col.name == "receives":
            continue
        if col.name in person_settles and len(names) == 1:
            settles = [(got.get(c, c), v) for c, v in person_settles[col.name]]
            ps.append(f"{_with_settled('p.' + col.name, settles)} AS {col.name}")
        else:
            ps += [f"p.{n}" for n in names]
    ctes.append(
        f"ps AS (SELECT {', '.join(ps)} FROM pa AS p "
        "JOIN hr AS h ON h.household_id = p.household_id)"
    )

    household_settles = _settled(programs, "household")
    hs = ["h.household_id", "h.size", "h.extra"]
    hs += [f"CAST(h.size AS DOUBLE) AS size_{end}" for end in ("lo", "hi")]
    derived = {"region", "no_home", "pension_unit_is_couple", "median_income_ratio",
               "parents_median_income_ratio"}  # fmt: skip
    for col in HOUSEHOLD_COLUMNS:
        if col.name in derived:
            continue
        names = staged_names(col, receipts)
        if col.name in household_settles and len(names) == 1:
            settled = _with_settled(f"h.{col.name}", household_settles[col.name])
            hs.append(f"{settled} AS {col.name}")
        else:
            hs += [f"h.{n}" for n in names]
    sido = {
        code: row.sido
        for row in all_sigungu()
        for code in (row.code, row.code_2026)
        if code is not None
    }  # a lookup join, not a CASE of every 시군구 per household
    regions = ", ".join(f"('{code}', '{found}')" for code, found in sorted(sido.items()))
    hs.append("COALESCE(h.region, sg.sido) AS region")
    hs.append("COALESCE(h.no_home, CASE WHEN h.housing = 'owner' THEN FALSE END) AS no_home")
    hs.append(
        "COALESCE(h.pension_unit_is_couple, CASE WHEN COALESCE(h.has_spouse, FALSE) THEN TRUE "
        "WHEN (h.size_given IS NOT NULL OR h.listed > 1) AND h.extra = 0 THEN FALSE END) "
        "AS pension_unit_is_couple"
    )
    hs += _ratio(
        "h.", "h.income_recognized_monthly", "TRUE", "h.size",
        _median_case(parameters, as_of, "h.size"),
    )  # fmt: skip
    hs += _ratio(
        "h.parents_", "h.parents_income_recognized_monthly",
        "h.parents_size_lo = h.parents_size_hi", "h.parents_size_lo",
        _median_case(parameters, as_of, "CAST(h.parents_size_lo AS INTEGER)"),
    )  # fmt: skip
    applicant = ["relation"] + [n for c in PERSON_COLUMNS if c.name != "relation"
                                for n in staged_names(c, receipts)]  # fmt: skip
    hs += [f"a.{n} AS a_{n}" for n in applicant]
    ctes.append(
        f"hs AS (SELECT {', '.join(hs)} FROM hr AS h JOIN ps AS a "
        "ON a.household_id = h.household_id AND a.person_index = 0 "
        f"LEFT JOIN (VALUES {regions}) AS sg(code, sido) ON sg.code = h.sigungu)"
    )
    return ",\n".join(ctes)
