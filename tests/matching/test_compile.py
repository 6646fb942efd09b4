from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.matching.errors import CompileError
from tests.matching.build import fact, program, snapshot


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
        "toy-program: eligibility.fact: person.age: person.* is only valid inside count.member "
        "or per_member"
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
        "count.member or per_member",
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
