from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching.benefits import AmountRange
from app.matching.errors import CompileError
from app.matching.facts import Profile, Range
from app.matching.parameters import Parameter
from app.matching.snapshot import CatalogSnapshot
from tests.matching.build import AS_OF, fact, judge, median_income, program

CHILD = fact("person.age", "lt", 8)


def amount_for(amount: Any, profile: Profile) -> AmountRange | None:
    benefit = {
        "kind": "cash_monthly",
        "description": {"ko": "현금", "en": "cash"},
        "amount": amount,
    }
    return judge({"all": []}, profile, benefit=benefit).benefit


def test_fixed_and_bare_amounts_are_exact() -> None:
    assert amount_for(349_700, Profile()) == AmountRange(349_700, 349_700)
    assert amount_for({"fixed": 100}, Profile()) == AmountRange(100, 100)


def test_parameter_amount_uses_the_value_in_force_and_percent() -> None:
    members = [{"relation": "spouse"}, {"relation": "child"}]
    amount = {"param": "median_income.base", "key": "household.size", "percent": 32}
    assert amount_for(amount, Profile(members=members)) == AmountRange(1_714_892, 1_714_892)


def test_fact_amount_passes_ranges_through_and_unknown_is_unbounded_above() -> None:
    amount = {"fact": "household.rent_monthly"}
    assert amount_for(amount, Profile(household={"rent_monthly": 300_000})) == AmountRange(
        300_000, 300_000
    )
    assert amount_for(
        amount, Profile(household={"rent_monthly": Range(200_000, 300_000)})
    ) == AmountRange(200_000, 300_000)
    assert amount_for(amount, Profile()) == AmountRange(0, None)


def test_per_member_sums_members_the_rule_holds_for() -> None:
    amount = {"per_member": {"member": CHILD, "amount": 100_000}}
    members = [
        {"relation": "child", "age": 3},
        {"relation": "child", "age": 6},
        {"relation": "child", "age": 10},
    ]
    assert amount_for(amount, Profile(applicant={"age": 40}, members=members)) == AmountRange(
        200_000, 200_000
    )


def test_per_member_unknown_members_widen_only_the_high_end() -> None:
    amount = {"per_member": {"member": CHILD, "amount": 100_000}}
    members = [{"relation": "child", "age": 3}, {"relation": "child"}]
    profile = Profile(applicant={"age": 40}, members=members, household={"size": 4})
    assert amount_for(amount, profile) == AmountRange(100_000, 300_000)


def test_table_bands_by_age_in_months() -> None:
    amount = {
        "table": {
            "fact": "person.age_months",
            "bands": [{"to": 11, "amount": 1_000_000}, {"from": 12, "to": 23, "amount": 500_000}],
        }
    }
    each = {"per_member": {"member": fact("person.age_months", "lt", 24), "amount": amount}}
    baby = {"relation": "child", "age_months": 5}
    toddler = {"relation": "child", "age_months": 15}
    profile = Profile(applicant={"age": 30}, members=[baby, toddler])
    assert amount_for(each, profile) == AmountRange(1_500_000, 1_500_000)
    one_year_old = Profile(applicant={"age": 30}, members=[{"relation": "child", "age": 1}])
    assert amount_for(each, one_year_old) == AmountRange(500_000, 500_000)


def test_table_outside_its_bands_is_zero_and_unknown_spans_all_bands() -> None:
    amount = {
        "table": {
            "fact": "household.size",
            "bands": [{"from": 2, "to": 3, "amount": 10}, {"from": 4, "amount": 20}],
        }
    }
    assert amount_for(amount, Profile()) == AmountRange(0, 0)
    assert amount_for(amount, Profile(household={"size": Range(1, 5)})) == AmountRange(0, 20)
    assert amount_for(amount, Profile(household={"size": Range(2, 5)})) == AmountRange(10, 20)


def test_min_max_sum_product_on_ranges() -> None:
    rent = {"fact": "household.rent_monthly"}
    profile = Profile(household={"rent_monthly": Range(200_000, 400_000)})
    assert amount_for({"min": [rent, 300_000]}, profile) == AmountRange(200_000, 300_000)
    assert amount_for({"max": [rent, 300_000]}, profile) == AmountRange(300_000, 400_000)
    assert amount_for({"sum": [rent, 1]}, profile) == AmountRange(200_001, 400_001)
    assert amount_for({"product": [rent, 0.5]}, profile) == AmountRange(100_000, 200_000)


def test_no_benefit_is_estimated_for_an_ineligible_program() -> None:
    benefit = {"kind": "cash_monthly", "description": {"ko": "현금", "en": "cash"}, "amount": 10}
    result = judge(fact("applicant.age", "ge", 65), Profile(applicant={"age": 30}), benefit=benefit)
    assert result.benefit is None


RENT = {"fact": "household.rent_monthly"}
ASSETS = {"fact": "household.assets"}


def test_a_negative_factor_subtracts_and_keeps_low_below_high() -> None:
    profile = Profile(household={"rent_monthly": Range(200_000, 300_000)})
    assert amount_for({"product": [-1, RENT]}, profile) == AmountRange(-300_000, -200_000)
    left = {"sum": [1_000_000, {"product": [-1, RENT]}]}
    assert amount_for(left, profile) == AmountRange(700_000, 800_000)
    share = {"sum": [1_000_000, {"product": [-0.3, RENT]}]}
    assert amount_for(share, profile) == AmountRange(910_000, 940_000)


def test_base_minus_unknown_income_is_between_zero_and_the_base() -> None:
    """생계급여 = max(0, 기준액 − 소득인정액): unknown income (at least 0, no upper bound)."""
    income = {"fact": "household.income_recognized_monthly"}
    livelihood = {"max": [0, {"sum": [820_556, {"product": [-1, income]}]}]}
    assert amount_for(livelihood, Profile()) == AmountRange(0, 820_556)
    assert amount_for({"sum": [820_556, {"product": [-1, income]}]}, Profile()) == AmountRange(
        None, 820_556
    )
    some = Profile(household={"income_recognized_monthly": Range(500_000, 1_000_000)})
    assert amount_for(livelihood, some) == AmountRange(0, 320_556)


def test_product_of_ranges_that_cross_zero_takes_the_extreme_corners() -> None:
    profile = Profile(household={"rent_monthly": Range(0, 5), "assets": Range(4, 5)})
    crossing = {"sum": [-2, RENT]}  # [-2, 3]
    assert amount_for({"product": [crossing, ASSETS]}, profile) == AmountRange(-10, 15)
    assert amount_for({"product": [crossing, crossing]}, profile) == AmountRange(-6, 9)
    assert amount_for({"product": [crossing, -1]}, profile) == AmountRange(-3, 2)


def test_zero_times_an_unbounded_value_is_zero() -> None:
    assert amount_for({"product": [0, RENT]}, Profile()) == AmountRange(0, 0)
    assert amount_for({"product": [-1, RENT]}, Profile()) == AmountRange(None, 0)
    assert amount_for({"product": [RENT, RENT]}, Profile()) == AmountRange(0, None)


MONEY_FACTS = (
    "rent_monthly",
    "rent_deposit",
    "assets",
    "financial_assets",
)
constants = st.one_of(st.integers(-1_000_000, 1_000_000), st.sampled_from([-1, -0.3, 0, 0.5, 1.5]))
facts = st.builds(lambda n: {"fact": f"household.{n}"}, st.sampled_from(MONEY_FACTS))
amount_trees = st.recursive(
    st.one_of(constants, facts),
    lambda inner: st.builds(
        lambda key, parts: {key: parts},
        st.sampled_from(["sum", "product", "min", "max"]),
        st.lists(inner, min_size=1, max_size=3),
    ),
    max_leaves=6,
)  # fmt: skip


def half_up(value: float) -> int:
    """Round to the won, halves away from zero (the test's own rounding, not the engine's)."""
    return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))


def exact_amount(amount: Any, values: dict[str, int]) -> float:
    """A plain-Python evaluator for exact inputs (same order of operations as the engine)."""
    if isinstance(amount, int | float):
        return amount
    if "fact" in amount:
        return values[amount["fact"].split(".")[1]]
    key, parts = next(iter(amount.items()))
    found = [exact_amount(p, values) for p in parts]
    if key == "sum":
        total: float = 0
        for v in found:
            total += v
        return total
    if key == "product":
        result: float = 1
        for v in found:
            result = 0 if result == 0 or v == 0 else result * v
        return result
    return min(found) if key == "min" else max(found)


@st.composite
def bands_and_values(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, int]]:
    """For each fact: what the citizen said (unknown, a band or exact) and a value inside it."""
    said: dict[str, Any] = {}
    values: dict[str, int] = {}
    for name in MONEY_FACTS:
        low = draw(st.integers(0, 3_000_000))
        high = low + draw(st.integers(0, 2_000_000))
        value = draw(st.integers(low, high))
        kind = draw(st.sampled_from(["unknown", "band", "open", "exact"]))
        if kind == "band":
            said[name] = Range(low, high)
        elif kind == "open":
            said[name] = Range(low, None)
        elif kind == "exact":
            said[name] = value
        values[name] = value
    return said, values


# 300 examples; fewer in mutation runs (tests/conftest.py)
@settings(max_examples=3 * settings.default.max_examples, deadline=None)
@given(amount_trees, bands_and_values())
def test_every_exact_outcome_lies_inside_the_estimated_range(
    amount: Any, case: tuple[dict[str, Any], dict[str, int]]
) -> None:
    said, values = case
    estimate = amount_for(amount, Profile(household=said))
    exact = amount_for(amount, Profile(household=values))
    assert estimate is not None and exact is not None
    assert exact.is_exact
    assert exact.low == half_up(exact_amount(amount, values))
    assert estimate.low is None or estimate.low <= exact.low
    assert estimate.high is None or exact.low <= estimate.high


def test_per_member_counts_unknown_members_as_none_or_all_of_them() -> None:
    """A member whose rule is UNKNOWN adds between nothing and the amount, whatever its sign."""
    members = [{"relation": "child", "age": 3}, {"relation": "child"}]
    profile = Profile(applicant={"age": 40}, members=members)
    refund = {"per_member": {"member": CHILD, "amount": {"product": [-1, 100]}}}
    assert amount_for(refund, profile) == AmountRange(-200, -100)
    grant = {"per_member": {"member": CHILD, "amount": 100}}
    assert amount_for(grant, profile) == AmountRange(100, 200)


# -- amount tables at their band edges, with gaps, and rounding to the won ---------------------

PARENT_BENEFIT_LIKE = {
    "table": {
        "fact": "person.age_months",
        "bands": [{"to": 11, "amount": 1_000_000}, {"from": 12, "to": 23, "amount": 500_000}],
    }
}


def one_child(age_months: Any) -> Profile:
    return Profile(applicant={"age": 30}, members=[{"relation": "child", "age_months": age_months}])


def per_child(table: Any) -> dict[str, Any]:
    return {"per_member": {"member": fact("person.relation", "eq", "child"), "amount": table}}


@pytest.mark.parametrize(
    ("age_months", "expected"),
    [
        (0, 1_000_000), (11, 1_000_000),  # first band: 0-11 months, both ends included
        (12, 500_000), (23, 500_000),  # second band: 12-23 months
        (24, 0),  # past the last band
    ],
)  # fmt: skip
def test_a_table_at_each_band_edge(age_months: int, expected: int) -> None:
    amount = per_child(PARENT_BENEFIT_LIKE)
    assert amount_for(amount, one_child(age_months)) == AmountRange(expected, expected)


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        (Range(10, 11), AmountRange(1_000_000, 1_000_000)),  # wholly in the first band
        (Range(11, 12), AmountRange(500_000, 1_000_000)),  # across the edge, no gap
        (Range(23, 24), AmountRange(0, 500_000)),  # may be past the last band
        (Range(24, 30), AmountRange(0, 0)),
        (Range(0, 23), AmountRange(500_000, 1_000_000)),
    ],
)
def test_a_table_with_a_band_of_ages(band: Range, expected: AmountRange) -> None:
    assert amount_for(per_child(PARENT_BENEFIT_LIKE), one_child(band)) == expected


GAPPED = {
    "table": {
        "fact": "household.size",
        "bands": [{"from": 1, "to": 2, "amount": 100}, {"from": 5, "to": 6, "amount": 200}],
    }
}


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, AmountRange(100, 100)), (2, AmountRange(100, 100)), (3, AmountRange(0, 0)),
        (4, AmountRange(0, 0)), (5, AmountRange(200, 200)), (6, AmountRange(200, 200)),
        (7, AmountRange(0, 0)),
        (Range(1, 2), AmountRange(100, 100)),  # inside one band
        (Range(2, 3), AmountRange(0, 100)),  # 3 falls in the gap: nothing
        (Range(3, 4), AmountRange(0, 0)),  # wholly in the gap
        (Range(4, 5), AmountRange(0, 200)),
        (Range(1, 6), AmountRange(0, 200)),  # spans both bands and the gap between them
        (Range(5, 6), AmountRange(200, 200)),
    ],
)  # fmt: skip
def test_a_table_with_a_gap_between_bands_gives_nothing_in_the_gap(
    size: Any, expected: AmountRange
) -> None:
    assert amount_for(GAPPED, Profile(household={"size": size})) == expected


def test_adjacent_whole_number_bands_leave_no_gap_but_fractional_ones_do() -> None:
    adjacent = {
        "bands": [{"from": 0, "to": 10, "amount": 100}, {"from": 11, "to": 20, "amount": 200}]
    }
    by_size = {"table": {"fact": "household.size", **adjacent}}
    by_ratio = {"table": {"fact": "household.median_income_ratio", **adjacent}}
    # sizes are whole numbers: 10 then 11, nothing between them
    assert amount_for(by_size, Profile(household={"size": Range(5, 15)})) == AmountRange(100, 200)
    # a share of the median can be 10.5 %, which no band covers
    ratio = Profile(household={"median_income_ratio": Range(5, 15)})
    assert amount_for(by_ratio, ratio) == AmountRange(0, 200)
    assert amount_for(by_ratio, Profile(household={"median_income_ratio": 10.5})) == AmountRange(
        0, 0
    )


def test_a_table_band_open_at_the_top_covers_every_larger_value() -> None:
    open_top = {
        "table": {
            "fact": "household.size",
            "bands": [{"to": 2, "amount": 100}, {"from": 3, "amount": 200}],
        }
    }
    assert amount_for(open_top, Profile(household={"size": 40})) == AmountRange(200, 200)
    assert amount_for(open_top, Profile(household={"size": Range(2, 9)})) == AmountRange(100, 200)


@pytest.mark.parametrize(
    ("rent", "expected"),
    [
        (3, AmountRange(2, 2)),  # 3 × 0.5 = 1.5 → 2 (half up; half-even would give 2 too)
        (5, AmountRange(3, 3)),  # 5 × 0.5 = 2.5 → 3 (half-even would give 2)
        (1, AmountRange(1, 1)),  # 0.5 → 1 (half-even would give 0)
        (4, AmountRange(2, 2)),
        (Range(5, 9), AmountRange(3, 5)),  # 2.5 → 3 and 4.5 → 5
    ],
)  # fmt: skip
def test_half_won_amounts_round_up(rent: Any, expected: AmountRange) -> None:
    half = {"product": [0.5, {"fact": "household.rent_monthly"}]}
    assert amount_for(half, Profile(household={"rent_monthly": rent})) == expected


def test_a_negative_half_won_rounds_away_from_zero() -> None:
    # -5 × 0.5 = -2.5 → -3 (away from zero); 10 + (-2.5) = 7.5 → 8
    half = {"product": [-0.5, {"fact": "household.rent_monthly"}]}
    profile = Profile(household={"rent_monthly": 5})
    assert amount_for(half, profile) == AmountRange(-3, -3)
    assert amount_for({"sum": [10, half]}, profile) == AmountRange(8, 8)


def test_zero_times_an_amount_unbounded_below_is_zero() -> None:
    # rent unknown: -1 × rent is anything at or below 0; times 0 that is exactly 0 (not NaN)
    below = {"product": [-1, RENT]}
    assert amount_for({"product": [below, 0]}, Profile()) == AmountRange(0, 0)
    assert amount_for({"product": [RENT, 0]}, Profile()) == AmountRange(0, 0)
    assert amount_for({"sum": [5, {"product": [below, 0]}]}, Profile()) == AmountRange(5, 5)


def test_an_unbounded_product_of_unbounded_factors_stays_unbounded() -> None:
    below = {"product": [-1, RENT]}  # (-inf, 0]
    assert amount_for({"product": [below, below]}, Profile()) == AmountRange(0, None)
    assert amount_for({"product": [below, RENT]}, Profile()) == AmountRange(None, 0)
    assert amount_for({"product": [below, 2]}, Profile()) == AmountRange(None, 0)
    assert amount_for({"product": [below, -2]}, Profile()) == AmountRange(0, None)


def test_min_and_max_with_unbounded_parts() -> None:
    # rent unknown is [0, +inf): the smaller of it and 300,000 is [0, 300,000]
    assert amount_for({"min": [RENT, 300_000]}, Profile()) == AmountRange(0, 300_000)
    assert amount_for({"max": [RENT, 300_000]}, Profile()) == AmountRange(300_000, None)
    below = {"product": [-1, RENT]}  # (-inf, 0]
    assert amount_for({"min": [below, 5]}, Profile()) == AmountRange(None, 0)
    assert amount_for({"max": [below, -5]}, Profile()) == AmountRange(-5, 0)


# -- amounts that read each member's own facts ----------------------------------------------------

BY_ORDER = Parameter.model_validate(
    {
        "id": "toy.by_birth_order",
        "unit": "KRW_once",
        "description": {"ko": "출생 순위별 금액", "en": "Amount by birth order"},
        "key": "person.birth_order",
        "values": [{"effective_from": "2025-01-01", "value": {"1": 100, "2": 200, "3": 300}}],
    }
)
EVERY_CHILD = fact("person.relation", "eq", "child")
EARNINGS = {"fact": "person.earned_income_monthly"}


def amount_with_params(amount: Any, profile: Profile) -> AmountRange | None:
    benefit = {"kind": "cash_once", "description": {"ko": "현금", "en": "cash"}, "amount": amount}
    snap = CatalogSnapshot.build(
        [program({"all": []}, benefit=benefit)], [median_income(), BY_ORDER], []
    )
    return snap.evaluate_one(profile, AS_OF, "toy-program").benefit


def children(*facts: dict[str, Any]) -> Profile:
    return Profile(applicant={"age": 35}, members=[{"relation": "child", **f} for f in facts])


def test_a_parameter_keyed_by_each_members_own_fact() -> None:
    # first child 100, third child 300 → 400
    amount = {"per_member": {"member": EVERY_CHILD, "amount": {"param": "toy.by_birth_order"}}}
    found = amount_with_params(amount, children({"birth_order": 1}, {"birth_order": 3}))
    assert found == AmountRange(400, 400)


def test_each_members_own_fact_as_the_amount() -> None:
    # 300,000 + 450,000 earned by the two children
    amount = {"per_member": {"member": EVERY_CHILD, "amount": EARNINGS}}
    profile = children({"earned_income_monthly": 300_000}, {"earned_income_monthly": 450_000})
    assert amount_with_params(amount, profile) == AmountRange(750_000, 750_000)
    # inside a sum as well: (300,000 + 1) + (450,000 + 1)
    summed = {"per_member": {"member": EVERY_CHILD, "amount": {"sum": [EARNINGS, 1]}}}
    assert amount_with_params(summed, profile) == AmountRange(750_002, 750_002)


def test_a_table_band_whose_amount_reads_the_member() -> None:
    # children of 5 and 15 months; the first band pays by birth order, the second a flat 50
    table = {
        "table": {
            "fact": "person.age_months",
            "bands": [
                {"to": 11, "amount": {"param": "toy.by_birth_order"}},
                {"from": 12, "to": 23, "amount": 50},
            ],
        }
    }
    amount = {"per_member": {"member": EVERY_CHILD, "amount": table}}
    profile = children({"age_months": 5, "birth_order": 2}, {"age_months": 15, "birth_order": 1})
    assert amount_with_params(amount, profile) == AmountRange(250, 250)  # 200 + 50
    # an age band across both: the first child is 5-13 months → 200 or 50
    unsure = children({"age_months": {"min": 5, "max": 13}, "birth_order": 2})
    assert amount_with_params(amount, unsure) == AmountRange(50, 200)


def test_a_table_band_whose_amount_is_a_dated_parameter() -> None:
    table = {"table": {"fact": "household.size", "bands": [{"from": 1, "amount": TOY_AMOUNT}]}}
    assert amount_for(table, Profile(household={"size": 2})) == AmountRange(100_000, 100_000)
    assert amount_for(table, Profile(household={"size": Range(1, 3)})) == AmountRange(
        100_000, 100_000
    )


TOY_AMOUNT = {"param": "toy.amount"}  # 100,000 from 2025 (tests/matching/build.py)
RENT_TABLE_BOUNDED = {
    "table": {
        "fact": "household.rent_monthly",
        "bands": [{"to": 100, "amount": 10}, {"from": 101, "to": 200, "amount": 20}],
    }
}
RENT_TABLE_OPEN = {
    "table": {
        "fact": "household.rent_monthly",
        "bands": [{"to": 100, "amount": 10}, {"from": 101, "amount": 20}],
    }
}


@pytest.mark.parametrize(
    ("table", "rent", "expected"),
    [
        # won amounts are whole numbers: 100 then 101 leaves no gap, so 50-150 is 10 or 20
        (RENT_TABLE_BOUNDED, Range(50, 150), AmountRange(10, 20)),
        # rent unknown (0 upwards): past 200 nothing is paid
        (RENT_TABLE_BOUNDED, None, AmountRange(0, 20)),
        (RENT_TABLE_OPEN, None, AmountRange(10, 20)),
        # at least 150: the first band (up to 100) cannot apply
        (RENT_TABLE_OPEN, Range(150, None), AmountRange(20, 20)),
        (RENT_TABLE_BOUNDED, Range(150, None), AmountRange(0, 20)),
        (RENT_TABLE_BOUNDED, Range(201, None), AmountRange(0, 0)),
    ],
)
def test_a_money_table_over_a_band_of_rents(table: Any, rent: Any, expected: AmountRange) -> None:
    household = {} if rent is None else {"rent_monthly": rent}
    assert amount_for(table, Profile(household=household)) == expected


def test_bands_listed_out_of_order_are_read_in_order() -> None:
    table = {
        "table": {
            "fact": "household.size",
            "bands": [{"from": 11, "to": 20, "amount": 200}, {"from": 1, "to": 10, "amount": 100}],
        }
    }
    # sizes 5-15 are covered by the two bands together: 100 or 200, never nothing
    assert amount_for(table, Profile(household={"size": Range(5, 15)})) == AmountRange(100, 200)


def test_a_share_of_the_median_exactly_at_a_band_top_is_covered() -> None:
    table = {
        "table": {"fact": "household.median_income_ratio", "bands": [{"to": 10, "amount": 100}]}
    }
    # 5 % to 10 %: every share lies in the band, which includes 10 % itself
    ratio = Profile(household={"median_income_ratio": Range(5, 10)})
    assert amount_for(table, ratio) == AmountRange(100, 100)
    above = Profile(household={"median_income_ratio": Range(5, 10.5)})
    assert amount_for(table, above) == AmountRange(0, 100)


# -- amounts that do not compile: every problem named at its place ---------------------------------


def amount_problems(amount: Any) -> list[str]:
    benefit = {
        "kind": "cash_monthly",
        "description": {"ko": "현금", "en": "cash"},
        "amount": amount,
    }
    with pytest.raises(CompileError) as caught:
        CatalogSnapshot.build([program({"all": []}, benefit=benefit)], [median_income()], [])
    return [str(p) for p in caught.value.problems]


def test_amount_problems_name_the_place_inside_the_amount() -> None:
    amount = {
        "sum": [
            {"param": "no_such.param"},
            {"fact": "household.no_such"},
            {"product": [2, {"fact": "household.region"}]},
            {"per_member": {"member": EVERY_CHILD, "amount": {"fact": "person.shoe_size"}}},
            {
                "table": {
                    "fact": "household.size",
                    "bands": [
                        {"from": 3, "to": 2, "amount": 1},
                        {"from": 4, "to": 4, "amount": {"param": "gone.param"}},
                    ],
                }
            },
        ]
    }
    assert amount_problems(amount) == [
        "toy-program: benefit.amount.sum[0].param: unknown parameter no_such.param",
        "toy-program: benefit.amount.sum[1].fact: unknown fact household.no_such",
        "toy-program: benefit.amount.sum[2].product[1].fact: household.region is not a number "
        "and cannot be an amount",
        "toy-program: benefit.amount.sum[3].per_member.amount.fact: unknown fact person.shoe_size "
        "(use applicant.<name> or person.<name>)",
        "toy-program: benefit.amount.sum[4].table.bands[0]: from is above to",
        "toy-program: benefit.amount.sum[4].table.bands[1].amount.param: unknown parameter "
        "gone.param",
    ]


def test_a_person_fact_outside_per_member_is_a_problem_in_an_amount() -> None:
    assert amount_problems({"fact": "person.earned_income_monthly"}) == [
        "toy-program: benefit.amount.fact: person.earned_income_monthly: person.* is only valid "
        "inside count.member, per_member or a program with who"
    ]
    table = {"table": {"fact": "person.age", "bands": [{"amount": 1}]}}
    assert amount_problems(table) == [
        "toy-program: benefit.amount.table.fact: person.age: person.* is only valid inside "
        "count.member, per_member or a program with who"
    ]


def test_a_single_value_band_is_allowed() -> None:
    table = {"table": {"fact": "household.size", "bands": [{"from": 3, "to": 3, "amount": 7}]}}
    assert amount_for(table, Profile(household={"size": 3})) == AmountRange(7, 7)
    assert amount_for(table, Profile(household={"size": 4})) == AmountRange(0, 0)


def test_the_larger_of_two_amounts_unbounded_below() -> None:
    below = {"product": [-1, RENT]}  # (-inf, 0]
    assert amount_for({"max": [below, below]}, Profile()) == AmountRange(None, 0)
    assert amount_for({"min": [RENT, RENT]}, Profile()) == AmountRange(0, None)


def test_a_per_member_rule_that_also_reads_household_facts() -> None:
    # 100 per child, only while the household lives in region 27 (Daegu)
    member = {"all": [EVERY_CHILD, fact("household.region", "eq", "27")]}
    amount = {"per_member": {"member": member, "amount": 100}}
    two_children = [{"relation": "child"}, {"relation": "child"}]
    in_daegu = Profile(applicant={"age": 35}, members=two_children, household={"region": "27"})
    assert amount_for(amount, in_daegu) == AmountRange(200, 200)
    elsewhere = Profile(applicant={"age": 35}, members=two_children, household={"region": "11"})
    assert amount_for(amount, elsewhere) == AmountRange(0, 0)
