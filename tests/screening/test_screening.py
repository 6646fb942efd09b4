"""The screening's own promises: Kleene NULL on every backend, the schema allowlist, and the
exact list of programs this slice does not compile (so progress shows)."""

from __future__ import annotations

from datetime import date

import pytest

from app.matching.facts import Profile
from app.matching.snapshot import CatalogSnapshot
from app.screening.columns import schema_problems
from app.screening.compiler import and_, not_, or_
from app.screening.problems import InputProblem
from app.screening.screen import compile_screening
from app.screening.tables import ScreeningInputError, profile_rows
from tests.screening.conftest import AS_OF, Backend

NOT_COMPILED = {
    # spouse pairing (person.married, couple income, spouse.*)
    "basic-pension", "disability-pension",
    # decided again with what the plan grants (chains)
    "culture-nuri-card", "diaper-formula-support", "disability-allowance",
    "disabled-child-allowance", "energy-voucher", "lifelong-voucher-general",
    "mother-newborn-care", "self-sufficiency-work", "senior-customized-care",
    "senior-jobs-public-interest", "teen-sanitary-voucher", "youth-job-leap-subsidy",
    "youth-tomorrow-savings",
    # inputs of the 소득인정액 estimate (#11)
    "daegu-youth-social-entry-allowance", "daejeon-youth-rent-support", "emergency-welfare",
    "gyeongnam-youth-rent-support", "youth-monthly-rent",
}  # fmt: skip


def test_the_programs_not_compiled_are_exactly_these(catalog_snapshot: CatalogSnapshot) -> None:
    screening = compile_screening(catalog_snapshot, AS_OF)
    assert set(screening.not_compiled) == NOT_COMPILED
    compiled = {c.program_id for c in screening.compiled}
    in_effect = {p.id for p in catalog_snapshot.in_effect(AS_OF)}
    assert compiled | NOT_COMPILED == in_effect and not compiled & NOT_COMPILED
    assert len(compiled) == 43
    assert screening.not_compiled["youth-monthly-rent"].startswith("household.rent_deposit")


TRUTH_TABLE = [  # (a, b, a AND b, a OR b, NOT a) with NULL as unknown (Kleene)
    (True, True, True, True, False),
    (True, None, None, True, False),
    (True, False, False, True, False),
    (None, None, None, None, None),
    (None, False, False, None, None),
    (False, False, False, False, True),
    (False, None, False, None, True),
]


@pytest.mark.parametrize(("a", "b", "both", "either", "negated"), TRUTH_TABLE)
def test_null_is_kleene_unknown_on_the_backend(
    backend: Backend, a: bool | None, b: bool | None, both: object, either: object, negated: object
) -> None:
    from sqlglot import exp

    from app.screening.compiler import lit

    x = exp.Cast(this=lit(a), to=exp.DataType.build("boolean"))
    y = exp.Cast(this=lit(b), to=exp.DataType.build("boolean"))
    for expression, want in ((and_(x, y), both), (or_(x, y), either), (not_(x), negated)):
        assert backend.scalar(f"SELECT {expression.sql(dialect=backend.name)}") is want


def test_a_number_band_is_unknown_where_it_straddles_the_line(backend: Backend) -> None:
    """An income band of 1,000,000-3,000,000 against a 2,000,000 line: undecided; wholly under
    it: eligible; wholly over: not (and an unknown income stays unknown)."""
    from app.screening.compiler import Num, compare_number, lit

    def verdict(low: object, high: object) -> object:
        band = Num(lit(low), lit(high), True)
        return backend.scalar(f"SELECT {compare_number('le', band, 2_000_000).sql(backend.name)}")

    assert verdict(1_000_000, 3_000_000) is None
    assert verdict(1_000_000, 2_000_000) is True
    assert verdict(2_000_001, None) is False
    assert verdict(None, None) is None


def test_the_schema_rejects_names_addresses_and_resident_numbers() -> None:
    def lines(table: str, names: list[str]) -> list[str]:
        return [problem.english() for problem in schema_problems(table, names)]

    assert lines("persons", ["household_id", "person_index", "name", "rrn", "age_min"]) == [
        "persons.name: not a screening column",
        "persons.rrn: not a screening column",
    ]
    assert lines(
        "households", ["household_id", "address", "region", "income_recognized_monthly_min"]
    ) == ["households.address: not a screening column"]
    assert lines("households", ["region"]) == ["households.household_id: required"]
    assert schema_problems("households", ["region"]) == [
        InputProblem("required", "households", "household_id")
    ]


@pytest.mark.parametrize("tag", ["ko", "en", "vi", "zh-Hans"])
def test_every_input_problem_has_its_own_message_in_every_locale(tag: str) -> None:
    """Each problem code (each column type for ``not_type``) is said from the locale's own
    catalog, every placeholder filled; none falls back to Korean or to English."""
    from app.screening.problems import ENGLISH
    from app.services.screening_inputs import problem_text
    from app.text.messages import has

    kinds = ["BOOLEAN", "DATE", "DOUBLE", "INTEGER", "VARCHAR", "VARCHAR[]"]
    problems = [
        InputProblem(code, "persons", "age_min", count=3, bound=120, other="age_max",
                     kind=kind, wanted="persons.csv", path="/secret/folder")
        for code in ENGLISH
        for kind in (kinds if code == "not_type" else ["DOUBLE"])
    ]  # fmt: skip
    assert len(problems) == 27
    for problem in problems:
        said = problem_text(problem)
        assert has(tag, said.id), said.id
        line = said.in_(tag)
        assert "{" not in line and "/secret" not in line, line


def test_a_fact_the_screening_does_not_take_is_refused_by_name() -> None:
    with pytest.raises(ScreeningInputError, match="earned_income_monthly"):
        profile_rows(Profile(applicant={"earned_income_monthly": 1}), "x")


def test_an_unknown_income_screens_a_senior_as_undecided_not_eligible(
    backend: Backend, catalog_snapshot: CatalogSnapshot
) -> None:
    """Worked by hand: 생계급여 needs 소득인정액 ≤ 32% of 기준 중위소득; unknown income is
    undecided (NULL), never eligible; an income of 0 for one person is eligible."""
    screening = compile_screening(catalog_snapshot, date(2026, 3, 2))
    poor = {"income_recognized_monthly": 0, "size": 1, "obligor_high_means": False, "assets": 0}
    rows = [
        profile_rows(Profile(applicant={"age": 70}, household=h), hid)
        for hid, h in (("u", {}), ("z", poor))
    ]
    backend.load([r[0] for r in rows], [p for r in rows for p in r[1]])
    found = backend.verdicts(screening)
    assert found["u"]["basic-livelihood"] is None
    assert found["z"]["basic-livelihood"] is True
