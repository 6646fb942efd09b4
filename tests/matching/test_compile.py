from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from app.matching.errors import CompileError, NoParameterValue, UnknownFact
from app.matching.facts import Profile, Range, resolve_facts
from app.matching.truth import FALSE, TRUE, Truth
from tests.matching.build import AS_OF, fact, judge, program, scalar_parameter, snapshot


def problems_of(eligibility: object, **overrides: object) -> list[str]:
    with pytest.raises(CompileError) as caught:
        snapshot(program(eligibility, **overrides))
    return [str(p) for p in caught.value.problems]


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    rule = {
        "all": [
            fact("applicant.shoe_size", "ge", 1),
            fact("applicant.age", "contains", 1),
            fact("household.region", "eq", "99"),
            fact("household.income_recognized_monthly", "le", {"param": "no_such.param"}),
        ]
    }
    assert problems_of(rule) == [
        "toy-program: eligibility.all[0].fact: unknown fact applicant.shoe_size",
        "toy-program: eligibility.all[1].op: contains does not fit int fact applicant.age "
        "(use between, eq, ge, gt, in, le, lt, ne, not_in)",
        "toy-program: eligibility.all[2].value: '99' is not an option of household.region "
        "(11, 26, 27, 28, 29, 30, 31, 36, 41, 43, 44, 46, 47, 48, 50, 51, 52)",
        "toy-program: eligibility.all[3].value.param: unknown parameter no_such.param",
    ]


def test_person_facts_are_only_valid_inside_count() -> None:
    assert problems_of(fact("person.age", "ge", 65)) == [
        "toy-program: eligibility.fact: person.age: person.* is only valid inside count.member, "
        "per_member or a program with who"
    ]
    ok = {"count": {"member": fact("person.age", "ge", 65)}, "op": "ge", "value": 1}
    snapshot(program(ok))


def test_operator_values_are_checked() -> None:
    rule = {
        "all": [
            fact("applicant.veteran", "is_true", True),
            fact("applicant.age", "between", [30]),
            fact("applicant.age", "in", []),
            fact("applicant.age", "ge", "sixty"),
            fact("applicant.birth_date", "ge", "2023-13-01"),
            fact("household.region", "eq", 27),
        ]
    }
    found = problems_of(rule)
    assert found == [
        "toy-program: eligibility.all[0].value: is_true takes no value",
        "toy-program: eligibility.all[1].value: between takes [low, high]",
        "toy-program: eligibility.all[2].value: in/not_in take a non-empty list",
        "toy-program: eligibility.all[3].value: 'sixty' is not a int value for person.age",
        "toy-program: eligibility.all[4].value: '2023-13-01' is not an ISO date (YYYY-MM-DD)",
        "toy-program: eligibility.all[5].value: 27 is not an option of household.region "
        "(11, 26, 27, 28, 29, 30, 31, 36, 41, 43, 44, 46, 47, 48, 50, 51, 52)",
    ]


def test_parameter_keys_are_checked() -> None:
    rule = {
        "all": [
            fact("household.income_recognized_monthly", "le",
                 {"param": "toy.amount", "key": "household.size"}),
            fact("household.income_recognized_monthly", "le",
                 {"param": "median_income.base", "key": "household.region"}),
            fact("household.region", "eq", {"param": "toy.amount"}),
        ]
    }  # fmt: skip
    assert problems_of(rule) == [
        "toy-program: eligibility.all[0].value.key: parameter toy.amount is not a table; drop key",
        "toy-program: eligibility.all[1].value.key: row '1' of median_income.base does not fit "
        "fact household.region",
        "toy-program: eligibility.all[2].value: a parameter cannot be compared with enum fact",
    ]


def test_a_table_parameter_without_a_key_uses_its_declared_key() -> None:
    rule = fact("household.income_recognized_monthly", "le", {"param": "median_income.base"})
    snapshot(program(rule))


def test_amount_problems_are_reported_with_benefit_paths() -> None:
    benefit = {
        "kind": "cash_monthly",
        "description": {"ko": "현금", "en": "cash"},
        "amount": {"sum": [{"fact": "household.region"}, {"fact": "person.age"}]},
    }
    assert problems_of({"all": []}, benefit=benefit) == [
        "toy-program: benefit.amount.sum[0].fact: household.region is not a number and cannot "
        "be an amount",
        "toy-program: benefit.amount.sum[1].fact: person.age: person.* is only valid inside "
        "count.member, per_member or a program with who",
    ]


def test_a_malformed_node_gives_one_error_at_its_exact_path() -> None:
    with pytest.raises(ValidationError) as caught:
        program({"all": [fact("applicant.age", "ge", 1), {"facts": "applicant.age"}]})
    errors = caught.value.errors()
    assert len(errors) == 1
    assert errors[0]["type"] == "rule_kind"


def test_problems_of_several_programs_are_collected_together() -> None:
    bad_one = program(fact("applicant.nope", "ge", 1), id="bad-one")
    bad_two = program(fact("household.nope", "ge", 1), id="bad-two")
    with pytest.raises(CompileError) as caught:
        snapshot(bad_one, bad_two)
    assert [p.location for p in caught.value.problems] == [
        "bad-one: eligibility.fact",
        "bad-two: eligibility.fact",
    ]


# -- more problems a catalog author reads, each at its exact path --------------------------------


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (fact("applicant.veteran", "ge", 1),
         "eligibility.op: ge does not fit bool fact applicant.veteran (use eq, is_false, is_true, "
         "ne)"),
        (fact("household.receives", "eq", "basic-pension"),
         "eligibility.op: eq does not fit set fact household.receives (use contains)"),
        (fact("applicant.veteran", "is_false", True), "eligibility.value: is_false takes no value"),
        (fact("applicant.age", "eq"), "eligibility.value: eq needs a value"),
        (fact("applicant.age", "in", 5), "eligibility.value: in/not_in take a non-empty list"),
        (fact("applicant.age", "not_in", []),
         "eligibility.value: in/not_in take a non-empty list"),
        (fact("applicant.age", "in", [1, "two"]),
         "eligibility.value[1]: 'two' is not a int value for person.age"),
        (fact("applicant.age", "in", [{"param": "toy.amount"}]),
         "eligibility.value[0]: a parameter is not allowed here"),
        (fact("applicant.age", "between", [19, 34, 40]),
         "eligibility.value: between takes [low, high]"),
        (fact("applicant.age", "between", 19), "eligibility.value: between takes [low, high]"),
        (fact("applicant.age", "between", [35, 34]),
         "eligibility.value: between needs low <= high"),
        (fact("applicant.age", "between", [19, "old"]),
         "eligibility.value[1]: 'old' is not a int value for person.age"),
        (fact("household.rent_monthly", "between", [{"param": "nope.nope"}, 5]),
         "eligibility.value[0].param: unknown parameter nope.nope"),
        (fact("applicant.age", "eq", True),
         "eligibility.value: True is not a int value for person.age"),
        (fact("applicant.veteran", "eq", 1),
         "eligibility.value: 1 is not a bool value for person.veteran"),
        (fact("household.rent_monthly", "le", "cheap"),
         "eligibility.value: 'cheap' is not a money value for household.rent_monthly"),
        (fact("household.urban_class", "eq", 1),
         "eligibility.value: 1 is not an option of household.urban_class (metropolitan, rural, "
         "small_city)"),
        (fact("household.crisis", "contains", "flood"),
         "eligibility.value: 'flood' is not an option of household.crisis (abuse_violence, "
         "business_closure, earner_death, earner_missing, eviction, fire_disaster, job_loss, "
         "other, serious_illness, utility_cutoff)"),
        (fact("applicant.birth_date", "ge", {"param": "toy.amount"}),
         "eligibility.value: a parameter cannot be compared with date fact"),
        (fact("applicant.veteran", "eq", {"param": "toy.amount"}),
         "eligibility.value: a parameter cannot be compared with bool fact"),
        ({"count": {"member": fact("person.age", "lt", 8)}, "op": "ge", "value": "two"},
         "eligibility.value: 'two' is not a int value for count"),
        ({"count": {"member": fact("person.age", "lt", 8)}, "op": "between", "value": [3, 1]},
         "eligibility.value: between needs low <= high"),
        ({"count": {"member": fact("person.age", "lt", "x")}, "op": "ge", "value": 1},
         "eligibility.count.member.value: 'x' is not a int value for person.age"),
        ({"not": fact("applicant.age", "ge", "x")},
         "eligibility.not.value: 'x' is not a int value for person.age"),
        ({"any": [fact("applicant.age", "ge", 1), fact("applicant.nope", "ge", 1)]},
         "eligibility.any[1].fact: unknown fact applicant.nope"),
    ],
)  # fmt: skip
def test_a_rule_problem_is_reported_at_its_path(rule: object, message: str) -> None:
    assert problems_of(rule) == [f"toy-program: {message}"]


def test_a_count_reports_problems_of_its_member_and_its_value_together() -> None:
    rule = {"count": {"member": fact("person.nope", "lt", 8)}, "op": "ge", "value": "x"}
    assert problems_of(rule) == [
        "toy-program: eligibility.count.member.fact: unknown fact person.nope "
        "(use applicant.<name> or person.<name>)",
        "toy-program: eligibility.value: 'x' is not a int value for count",
    ]


def test_a_regional_programs_rule_problems_keep_their_paths() -> None:
    assert problems_of(fact("applicant.nope", "ge", 1), regions=["11"]) == [
        "toy-program: eligibility.fact: unknown fact applicant.nope"
    ]


def test_the_compile_error_message_lists_one_problem_a_line() -> None:
    rule = {"all": [fact("applicant.nope", "ge", 1), fact("applicant.age", "eq")]}
    with pytest.raises(CompileError) as caught:
        snapshot(program(rule))
    assert str(caught.value) == (
        "toy-program: eligibility.all[0].fact: unknown fact applicant.nope\n"
        "toy-program: eligibility.all[1].value: eq needs a value"
    )


# -- what compiles is judged right ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    # YAML reads an unquoted date as a date: it is the same threshold as the quoted one
    [(date(2023, 1, 1), TRUE), (date(2022, 12, 31), FALSE)],
)
def test_a_date_literal_compares_like_its_iso_string(birth_date: date, expected: Truth) -> None:
    profile = Profile(applicant={"birth_date": birth_date})
    assert judge(fact("applicant.birth_date", "ge", date(2023, 1, 1)), profile).truth is expected


@pytest.mark.parametrize(("age", "expected"), [(64, FALSE), (65, TRUE), (66, FALSE)])
def test_between_with_equal_ends_is_that_one_value(age: int, expected: Truth) -> None:
    rule = fact("applicant.age", "between", [65, 65])
    assert judge(rule, Profile(applicant={"age": age})).truth is expected


@pytest.mark.parametrize(
    ("rent", "expected"),
    # both ends toy.amount (100,000) and toy.amount at 150 % (150,000)
    [(99_999, FALSE), (100_000, TRUE), (150_000, TRUE), (150_001, FALSE)],
)
def test_between_two_parameters(rent: int, expected: Truth) -> None:
    rule = fact("household.rent_monthly", "between",
                [{"param": "toy.amount"}, {"param": "toy.amount", "percent": 150}])  # fmt: skip
    result = judge(rule, Profile(household={"rent_monthly": rent}))
    assert result.truth is expected
    assert result.trace[0].threshold == (100_000, 150_000)
    assert result.trace[0].param == "toy.amount"


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    # two children under 8 (3 and 5), the applicant is 40
    [("eq", 2, TRUE), ("ne", 2, FALSE), ("lt", 2, FALSE), ("le", 2, TRUE), ("gt", 1, TRUE),
     ("gt", 2, FALSE), ("between", [2, 3], TRUE), ("between", [3, 4], FALSE),
     ("in", [1, 2], TRUE), ("not_in", [1, 2], FALSE)],
)  # fmt: skip
def test_count_operators(op: str, value: object, expected: Truth) -> None:
    rule = {"count": {"member": fact("person.age", "lt", 8)}, "op": op, "value": value}
    children = [{"relation": "child", "age": 3}, {"relation": "child", "age": 5}]
    result = judge(rule, Profile(applicant={"age": 40}, members=children))
    assert result.truth is expected
    entry = result.trace[0]
    assert (entry.path, entry.fact, entry.value, entry.op) == ("eligibility", "count", 2, op)


@pytest.mark.parametrize(("children", "expected"), [(1, FALSE), (2, TRUE)])
def test_count_against_a_scaled_parameter(children: int, expected: Truth) -> None:
    # toy.amount is 100,000; at 0.002 % that is 2 (100,000 x 0.002 / 100)
    rule = {"count": {"member": fact("person.age", "lt", 8)}, "op": "ge",
            "value": {"param": "toy.amount", "percent": 0.002}}  # fmt: skip
    members = [{"relation": "child", "age": 3}] * children
    result = judge(rule, Profile(applicant={"age": 40}, members=members))
    assert result.truth is expected
    entry = result.trace[0]
    assert (entry.threshold, entry.param, entry.percent) == (2, "toy.amount", 0.002)


def test_a_condition_shared_by_programs_is_evaluated_once_per_household() -> None:
    # the same condition at the same path in two programs: the second replays the first one's
    # trace entries instead of evaluating them again
    nested = {"all": [fact("applicant.age", "ge", 65), fact("applicant.veteran", "is_true")]}
    first, second = snapshot(program(nested, id="toy-a"), program(nested, id="toy-b")).evaluate(
        Profile(applicant={"age": 70}), AS_OF
    )
    assert second.trace == first.trace
    assert all(a is b for a, b in zip(second.trace, first.trace, strict=True))


@pytest.mark.parametrize("key", ["all", "any"])
def test_a_condition_shared_inside_different_rules_is_evaluated_once(key: str) -> None:
    # the first condition is the same in both programs, the second differs
    senior = {"not": fact("applicant.age", "lt", 65)}
    a = program({key: [senior, fact("applicant.veteran", "is_true")]}, id="toy-a")
    b = program({key: [senior, fact("applicant.pregnant", "is_true")]}, id="toy-b")
    first, second = snapshot(a, b).evaluate(Profile(applicant={"age": 70}), AS_OF)
    assert first.trace[0] is second.trace[0]
    assert first.trace[1] is not second.trace[1]


def test_a_member_rule_counted_by_several_programs_is_counted_once_per_household() -> None:
    member = fact("person.age", "lt", 8)
    programs = [
        program({"count": {"member": member}, "op": "ge", "value": 1}, id="toy-one"),
        program({"count": {"member": member}, "op": "ge", "value": 3}, id="toy-three"),
        program({"count": {"member": fact("person.age", "lt", 6)}, "op": "ge", "value": 1},
                id="toy-under-six"),
    ]  # fmt: skip
    # children of 3 and unknown age: 1 or 2 under 8; 1 or 2 under 6
    profile = Profile(applicant={"age": 40}, members=[{"age": 3}, {}])
    one, three, under_six = snapshot(*programs).evaluate(profile, AS_OF)
    assert [d.truth for d in (one, three, under_six)] == [TRUE, FALSE, TRUE]
    assert one.trace[0].value == three.trace[0].value == Range(1, 2)
    assert one.trace[0].value is three.trace[0].value  # counted once
    assert under_six.trace[0].value is not one.trace[0].value  # another rule: its own count


# -- the other engine errors ---------------------------------------------------------------------


def test_an_unknown_profile_fact_names_the_fact() -> None:
    with pytest.raises(UnknownFact) as caught:
        resolve_facts(Profile(applicant={"shoe_size": 42}), AS_OF)
    assert caught.value.fact_id == "person.shoe_size"
    assert caught.value.args == ("person.shoe_size",)
    assert str(caught.value) == "unknown fact: person.shoe_size"


def test_a_parameter_without_a_value_names_the_parameter_and_the_date() -> None:
    parameter = scalar_parameter("toy.amount", [("2025-01-01", 100_000)])
    with pytest.raises(NoParameterValue) as caught:
        parameter.at(date(2024, 12, 31))
    assert caught.value.parameter_id == "toy.amount"
    assert str(caught.value) == "toy.amount: no value in force on 2024-12-31"


# -- program dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("effective_from", "effective_to", "as_of", "expected"),
    [
        ("2026-03-01", None, date(2026, 3, 1), True),  # starts that day
        ("2026-03-02", None, date(2026, 3, 1), False),  # starts the next day
        ("2020-01-01", "2026-03-01", date(2026, 3, 1), True),  # ends that day, included
        ("2020-01-01", "2026-02-28", date(2026, 3, 1), False),  # ended the day before
    ],
)
def test_a_program_is_in_effect_from_its_first_to_its_last_day(
    effective_from: str, effective_to: str | None, as_of: date, expected: bool
) -> None:
    dated = program({"all": []}, effective_from=effective_from, effective_to=effective_to)
    found = snapshot(dated).evaluate(Profile(), as_of)
    assert [d.program_id for d in found] == (["toy-program"] if expected else [])
    asked = snapshot(dated).evaluate_one(Profile(), as_of, "toy-program")
    assert asked.truth is (TRUE if expected else FALSE)


def test_a_parameter_referenced_by_several_programs_is_resolved_once_per_household() -> None:
    # 60 % of the 2026 median for one person: 2,564,238 x 0.6 = 1,538,542.8 -> 1,538,543; the
    # two conditions sit at different paths, so only the parameter's value is shared
    line = {"param": "median_income.base", "percent": 60}
    alone = program(fact("household.income_recognized_monthly", "le", line), id="toy-a")
    nested = program(
        {"all": [fact("applicant.veteran", "is_true"),
                 fact("household.income_recognized_monthly", "le", line)]},
        id="toy-b",
    )  # fmt: skip
    profile = Profile(household={"income_recognized_monthly": 1_538_543})
    a, b = snapshot(alone, nested).evaluate(profile, AS_OF)
    assert a.trace[0].threshold == b.trace[1].threshold == 1_538_543
    assert a.trace[0].threshold is b.trace[1].threshold


@pytest.mark.parametrize(("ages", "expected"), [((40, 17), TRUE), ((40, 18), FALSE)])
def test_a_not_inside_count_reads_each_members_facts(
    ages: tuple[int, int], expected: Truth
) -> None:
    # members who are not adults (not age >= 18): a 17-year-old is one, an 18-year-old is not
    rule = {"count": {"member": {"not": fact("person.age", "ge", 18)}}, "op": "ge", "value": 1}
    applicant, member = ages
    profile = Profile(applicant={"age": applicant}, members=[{"age": member}])
    assert judge(rule, profile).truth is expected
