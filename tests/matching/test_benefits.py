from __future__ import annotations

from typing import Any

from app.matching.benefits import AmountRange
from app.matching.facts import Profile, Range
from tests.matching.build import fact, judge

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
