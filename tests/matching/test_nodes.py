"""Run-time nodes: counts of members compared with numbers and parameters, and shared subtrees
evaluated with and without the per-household memo."""

from __future__ import annotations

from typing import Any

import pytest

from app.matching.evaluate import compile_programs, evaluate_programs
from app.matching.facts import Profile, Range, resolve_facts
from app.matching.parameters import Parameter, ParameterSet
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import (
    AS_OF,
    couple_threshold,
    fact,
    judge,
    median_income,
    program,
    scalar_parameter,
)

CHILD_UNDER_8 = {"member": fact("person.age", "lt", 8)}
PARAMETERS = ParameterSet(
    [
        median_income(),
        couple_threshold(),
        scalar_parameter("toy.amount", [("2025-01-01", 100_000)]),
        scalar_parameter("toy.children", [("2025-01-01", 2)]),
    ]
)


def count_rule(op: str, value: Any) -> dict[str, Any]:
    return {"count": CHILD_UNDER_8, "op": op, "value": value}


def family(*ages: Any) -> Profile:
    return Profile(applicant={"age": 40}, members=[{"relation": "child", "age": a} for a in ages])


def evaluate(rule: Any, profile: Profile) -> Any:
    specs = [program(rule)]
    compiled = list(compile_programs(specs, PARAMETERS).values())
    return evaluate_programs(compiled, resolve_facts(profile, AS_OF, PARAMETERS))[0]


@pytest.mark.parametrize(
    ("ages", "expected"),
    [
        ((3, 5), TRUE),  # two children under 8: at least the parameter's 2
        ((3, 9), FALSE),  # one
        ((3, None), UNKNOWN),  # one or two
        ((9, 10), FALSE),
    ],
)
def test_a_count_compared_with_a_parameter(ages: tuple[Any, ...], expected: Truth) -> None:
    members = [{"relation": "child", **({} if a is None else {"age": a})} for a in ages]
    profile = Profile(applicant={"age": 40}, members=members)
    result = evaluate(count_rule("ge", {"param": "toy.children"}), profile)
    assert result.truth is expected
    assert result.trace[0].threshold == 2
    assert result.trace[0].param == "toy.children"


def test_a_count_traces_as_a_count_of_people() -> None:
    result = judge(count_rule("ge", 2), family(3, 5))
    entry = result.trace[0]
    assert (entry.fact, entry.value, entry.op, entry.threshold, entry.truth) == (
        "count", 2, "ge", 2, TRUE,
    )  # fmt: skip


def test_a_decided_count_needs_nothing_even_with_unknown_members() -> None:
    # two known children under 8 already reach 2; the third child's unknown age cannot spoil it
    result = judge(count_rule("ge", 2), family(3, 5, None))
    assert result.truth is TRUE
    assert result.missing == frozenset()
    assert result.trace[0].value == Range(2, 3)
    undecided = judge(count_rule("ge", 3), family(3, 5, None))
    assert undecided.truth is UNKNOWN
    assert undecided.missing == {"members[2].age"}


def test_two_counts_over_different_members_in_one_program_are_counted_apart() -> None:
    # under 8: one child; 65 or older: two grandparents
    rule = {
        "all": [
            count_rule("eq", 1),
            {"count": {"member": fact("person.age", "ge", 65)}, "op": "eq", "value": 2},
        ]
    }
    members = [{"relation": "child", "age": 4}, {"age": 70}, {"age": 75}]
    profile = Profile(applicant={"age": 40}, members=members)
    assert evaluate(rule, profile).truth is TRUE
    assert [e.value for e in evaluate(rule, profile).trace] == [1, 2]


SENIOR = fact("applicant.age", "ge", 65)
SPECS = [
    program({"all": [SENIOR, fact("applicant.veteran", "is_true")]}, id="toy-a"),
    program({"all": [SENIOR, fact("applicant.veteran", "is_false")]}, id="toy-b"),
]


@pytest.mark.parametrize(
    ("applicant", "expected"),
    [
        ({"age": 70, "veteran": True}, (TRUE, FALSE)),
        ({"age": 70, "veteran": False}, (FALSE, TRUE)),
        ({"age": 60, "veteran": True}, (FALSE, FALSE)),
        ({"age": 70}, (UNKNOWN, UNKNOWN)),
    ],
)
def test_a_shared_condition_gives_the_same_verdicts_with_and_without_the_memo(
    applicant: dict[str, Any], expected: tuple[Truth, Truth]
) -> None:
    compiled = list(compile_programs(SPECS, PARAMETERS).values())
    ctx = resolve_facts(Profile(applicant=applicant), AS_OF, PARAMETERS)
    for share in (True, False):
        a, b = evaluate_programs(compiled, ctx, share=share)
        assert (a.truth, b.truth) == expected
        assert [e.fact for e in a.trace] == ["applicant.age", "applicant.veteran"]
        assert [e.fact for e in b.trace] == ["applicant.age", "applicant.veteran"]


def test_a_count_of_members_for_whom_a_condition_does_not_hold() -> None:
    # members aged 8 or more: the applicant (40) and the 10-year-old
    rule = {"count": {"member": {"not": fact("person.age", "lt", 8)}}, "op": "eq", "value": 2}
    assert judge(rule, family(3, 10)).truth is TRUE
    assert judge(rule, family(3, 5)).truth is FALSE


REGION_27 = {"member": fact("household.region", "eq", "27")}  # true of every member alike


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (4, 4),  # two listed, two unlisted: all four live in region 27
        (Range(3, 5), Range(3, 5)),  # one to three unlisted members
        (2, 2),
    ],
)
def test_unlisted_members_count_when_the_condition_holds_for_anyone(
    size: Any, expected: Any
) -> None:
    household = {"region": "27", "size": size}
    profile = Profile(applicant={"age": 40}, members=[{"relation": "child"}], household=household)
    result = judge({"count": REGION_27, "op": "ge", "value": 1}, profile)
    assert result.trace[0].value == expected
    assert type(result.trace[0].value) is type(expected)


def test_an_unlisted_member_adds_what_it_would_need_to_what_listed_members_need() -> None:
    # the listed child's age is unknown, and so is the unlisted fourth member's
    profile = Profile(
        applicant={"age": 40},
        members=[{"relation": "spouse", "age": 41}, {"relation": "child"}],
        household={"size": 4},
    )
    result = judge(count_rule("ge", 1), profile)
    assert result.truth is UNKNOWN
    assert result.trace[0].value == Range(0, 2)
    assert result.missing == {"members[1].age", "members[2].age"}


# -- what a single comparison still needs -------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "profile"),
    [
        (fact("household.size", "ge", 2), Profile(household={"size": 3})),
        (fact("household.size", "ge", 4), Profile(household={"size": 3})),
        (fact("applicant.age", "ge", 65), Profile(applicant={"age": 70})),
        (fact("applicant.age", "ge", 65), Profile(applicant={"age": 60})),
        (fact("applicant.earned_income_monthly", "le", {"param": "toy.amount"}),
         Profile(applicant={"earned_income_monthly": 90_000})),
    ],
)  # fmt: skip
def test_a_decided_comparison_needs_nothing(rule: Any, profile: Profile) -> None:
    result = judge(rule, profile)
    assert result.truth is not UNKNOWN
    assert result.missing == frozenset()


def test_a_household_band_across_the_line_needs_the_household_fact() -> None:
    rule = fact("household.rent_monthly", "le", 300_000)
    result = judge(rule, Profile(household={"rent_monthly": Range(200_000, 400_000)}))
    assert (result.truth, result.missing) == (UNKNOWN, {"household.rent_monthly"})


def test_an_unknown_applicant_fact_against_a_parameter_needs_that_fact() -> None:
    # toy.amount is 100,000
    rule = fact("applicant.earned_income_monthly", "le", {"param": "toy.amount"})
    result = judge(rule, Profile(applicant={"age": 30}))
    assert (result.truth, result.missing) == (UNKNOWN, {"applicant.earned_income_monthly"})
    band = judge(rule, Profile(applicant={"earned_income_monthly": Range(50_000, 150_000)}))
    assert (band.truth, band.missing) == (UNKNOWN, {"applicant.earned_income_monthly"})


def test_a_member_whose_age_band_straddles_the_line_is_what_the_count_needs() -> None:
    # the child is 6 to 9: under 8 or not
    members = [{"relation": "child", "age": Range(6, 9)}]
    result = judge(count_rule("ge", 1), Profile(applicant={"age": 40}, members=members))
    assert (result.truth, result.missing) == (UNKNOWN, {"members[0].age"})


def test_a_member_compared_with_a_parameter_inside_a_count() -> None:
    # members under toy.children (2) years old: the baby (1) yes, the child with no age unknown
    rule = {
        "count": {"member": fact("person.age", "lt", {"param": "toy.children"})},
        "op": "ge",
        "value": 2,
    }
    members = [{"relation": "child", "age": 1}, {"relation": "child"}]
    result = evaluate(rule, Profile(applicant={"age": 40}, members=members))
    assert (result.truth, result.missing) == (UNKNOWN, {"members[1].age"})


BY_ORDER = {
    "id": "toy.by_birth_order",
    "unit": "KRW_monthly",
    "description": {"ko": "출생 순위별 기준", "en": "Line by birth order"},
    "key": "person.birth_order",
    "values": [{"effective_from": "2025-01-01", "value": {"1": 100, "2": 200, "3": 300}}],
}
WITH_BY_ORDER = ParameterSet([*PARAMETERS.values(), Parameter.model_validate(BY_ORDER)])


def test_a_member_threshold_keyed_by_the_members_own_fact() -> None:
    # each child's own line by birth order: first 100, third 300
    parameters = WITH_BY_ORDER
    member = fact("person.earned_income_monthly", "le", {"param": "toy.by_birth_order"})
    rule = {"count": {"member": member}, "op": "eq", "value": 1}
    children = [
        {"relation": "child", "birth_order": 1, "earned_income_monthly": 50},  # 50 <= 100
        {"relation": "child", "birth_order": 3, "earned_income_monthly": 400},  # 400 > 300
    ]
    compiled = list(compile_programs([program(rule)], parameters).values())
    profile = Profile(applicant={"age": 40, "earned_income_monthly": 10_000}, members=children)
    result = evaluate_programs(compiled, resolve_facts(profile, AS_OF, parameters))[0]
    assert result.truth is TRUE
    assert result.trace[0].value == 1


def test_counts_compiled_without_sharing_keep_apart_when_evaluated_with_a_memo() -> None:
    # two programs, two different member rules: one child under 8, two people aged 30 or more
    specs = [
        program(count_rule("eq", 1), id="toy-a"),
        program(
            {"count": {"member": fact("person.age", "ge", 30)}, "op": "eq", "value": 2},
            id="toy-b",
        ),
    ]
    alone = list(compile_programs(specs, PARAMETERS, share=False).values())
    profile = Profile(applicant={"age": 40}, members=[{"age": 35}, {"age": 4}])
    ctx = resolve_facts(profile, AS_OF, PARAMETERS)
    a, b = evaluate_programs(alone, ctx, share=True)
    assert (a.trace[0].value, b.trace[0].value) == (1, 2)
    assert (a.truth, b.truth) == (TRUE, TRUE)


@pytest.mark.parametrize(
    ("rent", "expected"),
    [(0, TRUE), (100_000, TRUE), (100_001, FALSE), (Range(50_000, 150_000), UNKNOWN)],
)
def test_between_a_number_and_a_parameter_at_the_top(rent: Any, expected: Truth) -> None:
    # toy.amount is 100,000: between 0 and 100,000
    rule = fact("household.rent_monthly", "between", [0, {"param": "toy.amount"}])
    assert judge(rule, Profile(household={"rent_monthly": rent})).truth is expected


def test_between_two_parameters() -> None:
    # toy.children (2) to toy.amount (100,000)
    rule = fact(
        "household.rent_monthly", "between", [{"param": "toy.children"}, {"param": "toy.amount"}]
    )
    assert evaluate(rule, Profile(household={"rent_monthly": 2})).truth is TRUE
    assert evaluate(rule, Profile(household={"rent_monthly": 1})).truth is FALSE
    assert evaluate(rule, Profile(household={"rent_monthly": 100_001})).truth is FALSE


def test_between_ends_keyed_by_each_members_own_fact() -> None:
    # earnings between the line of one's birth order (first 100, third 300) and 1,000
    parameters = WITH_BY_ORDER
    low_end = {"param": "toy.by_birth_order"}
    member = fact("person.earned_income_monthly", "between", [low_end, 1_000])
    high_end = fact("person.earned_income_monthly", "between", [0, low_end])
    children = [
        {"relation": "child", "birth_order": 1, "earned_income_monthly": 150},  # 100..1000 yes
        {"relation": "child", "birth_order": 3, "earned_income_monthly": 150},  # 300..1000 no
    ]
    profile = Profile(applicant={"age": 40, "earned_income_monthly": 5_000}, members=children)
    for rule_member, expected in ((member, 1), (high_end, 1)):  # 0..100 no, 0..300 yes
        rule = {"count": {"member": rule_member}, "op": "eq", "value": expected}
        compiled = list(compile_programs([program(rule)], parameters).values())
        result = evaluate_programs(compiled, resolve_facts(profile, AS_OF, parameters))[0]
        assert result.trace[0].value == expected
