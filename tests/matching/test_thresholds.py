"""Thresholds from keyed parameter tables when the key is not known: the verdict holds only when
every row the key could select agrees. The toy table (tests/matching/build.py) has 2,000,000 for
a single person and 3,200,000 for a couple; an applicant listed alone with no household size
could have a spouse, so the couple key stays unknown."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.matching.facts import Profile, Range
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import fact, judge

INCOME = "pension_unit.income_recognized_monthly"
KEYED = {"param": "toy_pension.threshold"}


def income(value: Any, **household: Any) -> Profile:
    return Profile(pension_unit={"income_recognized_monthly": value}, household=household)


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        # le: 3,500,000 is over both lines; 1,500,000 under both; 2,500,000 between them
        ("le", 3_500_000, FALSE), ("le", 1_500_000, TRUE), ("le", 2_500_000, UNKNOWN),
        ("le", 3_200_000, UNKNOWN), ("le", 2_000_000, TRUE), ("le", 3_200_001, FALSE),
        # gt: the mirror image
        ("gt", 3_500_000, TRUE), ("gt", 1_500_000, FALSE), ("gt", 2_000_000, FALSE),
        ("gt", 2_000_001, UNKNOWN), ("gt", 3_200_001, TRUE),
        # a band: 3.3M-4M is over both lines, 2.1M-3.1M over the single line only
        ("le", Range(3_300_000, 4_000_000), FALSE), ("le", Range(2_100_000, 3_100_000), UNKNOWN),
        ("le", Range(1_000_000, 2_000_000), TRUE), ("le", Range(1_000_000, 2_000_001), UNKNOWN),
        ("lt", Range(3_200_000, 4_000_000), FALSE), ("lt", Range(0, 1_999_999), TRUE),
        ("ge", Range(3_200_000, 4_000_000), TRUE), ("ge", Range(1_999_999, 4_000_000), UNKNOWN),
    ],
)  # fmt: skip
def test_unknown_couple_status_decides_only_when_both_rows_agree(
    op: str, value: Any, expected: Truth
) -> None:
    result = judge(fact(INCOME, op, KEYED), income(value))
    assert result.truth is expected
    if expected is UNKNOWN:
        assert "pension_unit.is_couple" in result.missing
    else:
        assert result.missing == frozenset()


def test_an_all_false_keyed_comparison_is_ineligible_not_undecided() -> None:
    # over both lines: neither a single person's 2,000,000 nor a couple's 3,200,000 admits 3.5M
    result = judge(fact(INCOME, "le", KEYED), income(3_500_000))
    assert result.truth is FALSE
    assert result.trace[0].threshold == Range(2_000_000, 3_200_000)


def test_a_known_key_picks_its_own_row() -> None:
    single = income(2_500_000, size=1)  # alone in a one-person household: not a couple
    couple = Profile(
        members=[{"relation": "spouse"}], pension_unit={"income_recognized_monthly": 2_500_000}
    )
    assert judge(fact(INCOME, "le", KEYED), single).truth is FALSE
    assert judge(fact(INCOME, "le", KEYED), couple).truth is TRUE


def test_an_unknown_income_needs_the_income_and_the_key() -> None:
    result = judge(fact(INCOME, "le", KEYED), Profile())
    assert result.truth is UNKNOWN
    assert result.missing == {INCOME, "pension_unit.is_couple"}


def test_a_band_needs_the_income_as_well_as_the_key() -> None:
    result = judge(fact(INCOME, "le", KEYED), income(Range(2_100_000, 3_100_000)))
    assert result.missing == {INCOME, "pension_unit.is_couple"}


def test_an_exact_income_between_the_rows_needs_only_the_key() -> None:
    result = judge(fact(INCOME, "le", KEYED), income(2_500_000))
    assert result.missing == {"pension_unit.is_couple"}


@pytest.mark.parametrize(
    ("size", "income_value", "expected"),
    [
        # 2026 median income, 40 %: 1 person 2,564,238 × 0.4 = 1,025,695.2 → 1,025,695;
        # 2 persons 4,199,292 × 0.4 = 1,679,716.8 → 1,679,717
        (Range(1, 2), 1_025_695, TRUE), (Range(1, 2), 1_679_717, UNKNOWN),
        (Range(1, 2), 1_679_718, FALSE), (1, 1_025_696, FALSE), (2, 1_679_717, TRUE),
    ],
)  # fmt: skip
def test_a_household_size_band_selects_every_row_it_spans(
    size: Any, income_value: int, expected: Truth
) -> None:
    rule = fact(
        "household.income_recognized_monthly",
        "le",
        {"param": "median_income.base", "key": "household.size", "percent": 40},
    )
    profile = Profile(household={"size": size, "income_recognized_monthly": income_value})
    assert judge(rule, profile, as_of=date(2026, 3, 1)).truth is expected


# -- between with a parameter at one end ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # toy.amount is 100,000: between 100,000 and 200,000, both ends included
        (100_000, TRUE), (200_000, TRUE), (150_000, TRUE), (99_999, FALSE), (200_001, FALSE),
        (Range(90_000, 110_000), UNKNOWN), (Range(100_000, 200_000), TRUE),
        (Range(0, 99_999), FALSE),
    ],
)  # fmt: skip
def test_between_a_parameter_and_a_number(value: Any, expected: Truth) -> None:
    rule = fact("household.rent_monthly", "between", [{"param": "toy.amount"}, 200_000])
    profile = Profile(household={"rent_monthly": value})
    assert judge(rule, profile).truth is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # low end keyed by couple status (unknown): 2,000,000 or 3,200,000; high end 5,000,000
        (3_500_000, TRUE),  # above both possible low ends
        (1_900_000, FALSE),  # below both
        (2_500_000, UNKNOWN),  # above one, below the other
        (5_000_001, FALSE),
    ],
)  # fmt: skip
def test_between_a_keyed_parameter_and_a_number_with_the_key_unknown(
    value: int, expected: Truth
) -> None:
    rule = fact(INCOME, "between", [KEYED, 5_000_000])
    result = judge(rule, income(value))
    assert result.truth is expected
    assert result.missing == ({"pension_unit.is_couple"} if expected is UNKNOWN else set())
