from __future__ import annotations

from datetime import date

import pytest

from app.matching.facts import Profile, Range
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import AS_OF, fact, judge

SENIOR = fact("applicant.age", "ge", 65)
LOW_INCOME = fact(
    "household.income_recognized_monthly",
    "le",
    {"param": "median_income.base", "key": "household.size", "percent": 60},
)


@pytest.mark.parametrize(
    ("op", "value", "age", "expected"),
    [
        ("ge", 65, 65, TRUE), ("ge", 65, 64, FALSE), ("gt", 65, 65, FALSE), ("gt", 65, 66, TRUE),
        ("le", 65, 65, TRUE), ("le", 65, 66, FALSE), ("lt", 65, 64, TRUE), ("lt", 65, 65, FALSE),
        ("eq", 65, 65, TRUE), ("eq", 65, 66, FALSE), ("ne", 65, 66, TRUE), ("ne", 65, 65, FALSE),
        ("between", [19, 34], 19, TRUE), ("between", [19, 34], 34, TRUE),
        ("between", [19, 34], 35, FALSE), ("in", [1, 2, 3], 2, TRUE), ("in", [1, 2, 3], 4, FALSE),
        ("not_in", [1, 2, 3], 4, TRUE), ("not_in", [1, 2, 3], 3, FALSE),
    ],
)  # fmt: skip
def test_numeric_operators_on_exact_values(
    op: str, value: object, age: int, expected: Truth
) -> None:
    assert (
        judge(fact("applicant.age", op, value), Profile(applicant={"age": age})).truth is expected
    )


@pytest.mark.parametrize(
    ("op", "value", "age", "expected"),
    [
        ("ge", 65, Range(65, None), TRUE), ("ge", 65, Range(35, None), UNKNOWN),
        ("ge", 65, Range(35, 64), FALSE), ("lt", 65, Range(0, 64), TRUE),
        ("eq", 65, Range(60, 70), UNKNOWN), ("eq", 65, Range(66, 70), FALSE),
        ("between", [19, 34], Range(20, 30), TRUE), ("between", [19, 34], Range(30, 40), UNKNOWN),
        ("between", [19, 34], Range(40, 50), FALSE), ("in", [3, 4], Range(3, 4), TRUE),
        ("in", [3, 5], Range(3, 5), UNKNOWN), ("in", [1, 2], Range(3, 5), FALSE),
        ("not_in", [1, 2], Range(3, 5), TRUE),
    ],
)  # fmt: skip
def test_a_range_passes_only_if_every_value_passes(
    op: str, value: object, age: Range, expected: Truth
) -> None:
    assert (
        judge(fact("applicant.age", op, value), Profile(applicant={"age": age})).truth is expected
    )


def test_stage_senior_satisfies_age_at_least_65() -> None:
    assert judge(SENIOR, Profile(applicant={"stage": "senior"})).truth is TRUE


def test_middle_age_or_older_is_unknown_for_age_at_least_65() -> None:
    result = judge(SENIOR, Profile(applicant={"age": Range(35, None)}))
    assert result.truth is UNKNOWN
    assert result.missing == {"applicant.age"}


def test_missing_age_is_unknown_and_named_never_zero() -> None:
    result = judge(fact("applicant.age", "lt", 200), Profile())
    assert result.truth is UNKNOWN
    assert result.missing == {"applicant.age"}
    assert result.trace[0].value is None


@pytest.mark.parametrize(
    ("op", "value", "expected"), [("is_true", None, FALSE), ("is_false", None, TRUE),
                                  ("eq", False, TRUE), ("ne", False, FALSE)]
)  # fmt: skip
def test_bool_operators(op: str, value: object, expected: Truth) -> None:
    profile = Profile(applicant={"veteran": False})
    assert judge(fact("applicant.veteran", op, value), profile).truth is expected


def test_missing_bool_is_unknown_for_is_false_too() -> None:
    assert judge(fact("applicant.veteran", "is_false"), Profile()).truth is UNKNOWN


def test_enum_in_and_set_contains() -> None:
    region = fact("household.region", "in", ["27", "11"])
    assert judge(region, Profile(household={"region": "27"})).truth is TRUE
    assert judge(region, Profile(household={"region": "26"})).truth is FALSE
    receives = fact("household.receives", "contains", "basic-pension")
    assert judge(receives, Profile(household={"receives": ["basic-pension"]})).truth is TRUE
    assert judge(receives, Profile(household={"receives": []})).truth is FALSE
    assert judge(receives, Profile()).truth is UNKNOWN


def test_dates_compare_with_iso_strings() -> None:
    rule = fact("applicant.birth_date", "ge", "2023-01-01")
    assert judge(rule, Profile(applicant={"birth_date": date(2023, 1, 1)})).truth is TRUE
    assert judge(rule, Profile(applicant={"birth_date": date(2022, 12, 31)})).truth is FALSE


def test_stage_one_of_several_is_unknown_unless_all_agree() -> None:
    rule = fact("applicant.stage", "in", ["middle_age", "senior"])
    assert judge(rule, Profile(applicant={"age": Range(40, 80), "sex": "male"})).truth is TRUE
    youth = fact("applicant.stage", "eq", "youth")
    result = judge(youth, Profile(applicant={"age": 25}))
    assert result.truth is UNKNOWN and result.missing == {"applicant.pregnant"}


def test_all_any_not_combine_three_valued() -> None:
    profile = Profile(applicant={"age": 70})
    assert judge({"all": [SENIOR, LOW_INCOME]}, profile).truth is UNKNOWN
    assert judge({"any": [SENIOR, LOW_INCOME]}, profile).truth is TRUE
    assert judge({"not": SENIOR}, profile).truth is FALSE
    assert judge({"all": []}, profile).truth is TRUE
    assert judge({"any": []}, profile).truth is FALSE


def test_a_false_condition_decides_all_and_leaves_nothing_missing() -> None:
    result = judge({"all": [SENIOR, LOW_INCOME]}, Profile(applicant={"age": 40}))
    assert result.truth is FALSE
    assert result.missing == frozenset()
    assert [c.path for c in result.trace] == ["eligibility.all[0]", "eligibility.all[1]"]


def test_income_threshold_is_sixty_percent_of_the_median_for_the_size() -> None:
    line = 3_215_422  # round_half_up(5,359,036 * 0.6): 3-person household, 2026
    members = [{"relation": "spouse"}, {"relation": "child"}]
    at_line = Profile(members=members, household={"income_recognized_monthly": line})
    over = Profile(members=members, household={"income_recognized_monthly": line + 1})
    assert judge(LOW_INCOME, at_line).truth is TRUE
    result = judge(LOW_INCOME, over)
    assert result.truth is FALSE
    assert result.trace[0].threshold == line
    assert result.trace[0].param == "median_income.base"


def test_the_2025_threshold_applies_before_2026() -> None:
    profile = Profile(household={"income_recognized_monthly": 1_500_000})
    assert judge(LOW_INCOME, profile, as_of=date(2025, 12, 31)).truth is FALSE  # 1,435,208
    assert judge(LOW_INCOME, profile, as_of=date(2026, 1, 1)).truth is TRUE  # 1,538,543


def test_income_band_straddling_the_line_is_unknown() -> None:
    profile = Profile(household={"income_recognized_monthly": Range(1_000_000, 2_000_000)})
    result = judge(LOW_INCOME, profile)
    assert result.truth is UNKNOWN
    assert result.missing == {"household.income_recognized_monthly"}


def test_unknown_table_key_is_decided_when_every_row_agrees() -> None:
    rule = fact("pension_unit.income_recognized_monthly", "le", {"param": "toy_pension.threshold"})
    low = Profile(pension_unit={"income_recognized_monthly": 1_000_000})
    middle = Profile(pension_unit={"income_recognized_monthly": 2_500_000})
    assert judge(rule, low).truth is TRUE
    result = judge(rule, middle)
    assert result.truth is UNKNOWN
    assert result.missing == {"pension_unit.is_couple"}
    assert result.trace[0].threshold == Range(2_000_000, 3_200_000)
    couple = Profile(
        members=[{"relation": "spouse"}], pension_unit={"income_recognized_monthly": 2_500_000}
    )
    assert judge(rule, couple).truth is TRUE


def test_count_of_members_with_unknown_ages_is_a_range() -> None:
    rule = {"count": {"member": fact("person.age", "lt", 8)}, "op": "ge", "value": 2}
    members = [{"relation": "child", "age": 3}, {"relation": "child"}]
    result = judge(rule, Profile(applicant={"age": 40}, members=members))
    assert result.truth is UNKNOWN
    assert result.trace[0].value == Range(1, 2)
    assert result.missing == {"members[1].age"}
    known = [{"relation": "child", "age": 3}, {"relation": "child", "age": 5}]
    assert judge(rule, Profile(members=known)).truth is TRUE  # the applicant cannot spoil >= 2


def test_unlisted_household_members_are_unknown_persons_for_count() -> None:
    rule = {"count": {"member": fact("person.age", "lt", 8)}, "op": "ge", "value": 1}
    result = judge(rule, Profile(applicant={"age": 40}, household={"size": 2}))
    assert result.truth is UNKNOWN
    assert result.missing == {"members[0].age"}


def test_count_counts_the_applicant_as_a_member() -> None:
    rule = {"count": {"member": fact("person.age", "ge", 65)}, "op": "eq", "value": 1}
    assert judge(rule, Profile(applicant={"age": 70})).truth is TRUE


def test_regional_program_checks_the_region_first() -> None:
    profile = Profile(applicant={"age": 70}, household={"region": "11"})
    result = judge(SENIOR, profile, regions=["27"])
    assert result.truth is FALSE
    assert result.trace[0].path == "regions"
    assert judge(SENIOR, Profile(applicant={"age": 70}), regions=["27"]).missing == {
        "household.region"
    }


def test_a_program_outside_its_dates_is_false_when_asked_for_by_id() -> None:
    result = judge(SENIOR, Profile(applicant={"age": 70}), effective_to="2025-12-31")
    assert result.truth is FALSE
    assert result.trace[0].path == "effective"


def test_missing_lists_only_facts_that_could_change_the_verdict() -> None:
    rule = {"any": [SENIOR, LOW_INCOME, fact("applicant.veteran", "is_true")]}
    result = judge(rule, Profile(applicant={"age": 40}))
    assert result.truth is UNKNOWN
    assert result.missing == {"household.income_recognized_monthly", "applicant.veteran"}


def test_snapshot_evaluates_only_programs_in_effect() -> None:
    from tests.matching.build import program, snapshot

    old = program(SENIOR, id="old-program", effective_to="2024-12-31")
    current = program(SENIOR, id="current-program")
    determinations = snapshot(old, current).evaluate(Profile(applicant={"age": 70}), AS_OF)
    assert [d.program_id for d in determinations] == ["current-program"]
