"""Rule parsing: a bad node gives one error at the exact path a catalog author can find."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.matching.programs import Benefit, ProgramSpec
from app.matching.rules import (
    AllRule,
    Comparison,
    FixedAmount,
    NotRule,
    ParamRef,
    SumAmount,
    error_path,
)
from tests.matching.build import fact, program


def paths(eligibility: Any, **overrides: Any) -> list[str]:
    """The readable path of every validation error of a toy program with this rule."""
    data: dict[str, Any] = program({"all": []}).model_dump(mode="json", by_alias=True)
    data["eligibility"] = eligibility
    data.update(overrides)
    with pytest.raises(ValidationError) as caught:
        ProgramSpec.model_validate(data)
    return [error_path(tuple(e["loc"]), data) for e in caught.value.errors()]


def test_a_wrong_operator_is_named_at_its_node() -> None:
    rule = {"all": [fact("applicant.age", "ge", 65), fact("applicant.age", "gee", 65)]}
    assert paths(rule) == ["eligibility.all[1].op"]


def test_nested_nodes_give_the_whole_path() -> None:
    rule = {"any": [{"not": {"all": [{"fact": "applicant.age", "op": "ge"}, {"nope": 1}]}}]}
    assert paths(rule) == ["eligibility.any[0].not.all[1]"]


def test_a_count_member_error_is_inside_count_member() -> None:
    rule = {"count": {"member": fact("person.age", "less", 8)}, "op": "ge", "value": 1}
    assert paths(rule) == ["eligibility.count.member.op"]


def test_an_amount_error_is_inside_the_benefit_amount() -> None:
    benefit = {
        "kind": "cash_monthly",
        "description": {"ko": "현금", "en": "cash"},
        "amount": {"sum": [100, {"product": [2, {"fixd": 3}]}]},
    }
    assert paths({"all": []}, benefit=benefit) == ["benefit.amount.sum[1].product[1]"]


@pytest.mark.parametrize(
    ("loc", "data", "expected"),
    [
        (("a", 2, "b"), {"a": [0, 1, {"b": 5}]}, "a[2].b"),
        (("a", 5), {"a": [0]}, "a[5]"),  # an index past the list's end is still shown
        # a field the data lacks is named; string segments after it are pydantic's type names
        (("missing", "int"), {"a": 1}, "missing"),
        (("a", "missing"), {"a": {"b": 1}}, "a.missing"),
        ((), {"a": 1}, ""),
        (("a", 1), {"a": [0]}, "a[1]"),  # one past the end
        # a rule validated on its own: its tag comes first, then its fields
        (("all", "all", 1, "fact", "op"), {"all": [0, {"fact": "x", "op": "gee"}]}, "all[1].op"),
        # a last segment that looks like a tag is the field itself
        (("a", "all"), {"a": {"all": 1}}, "a.all"),
        (("a", "list", 0), {"a": [5]}, "a[0]"),
        (("not", "not", "fact", "fact"), {"not": {"fact": 1, "op": "ge"}}, "not.fact"),
    ],
)
def test_error_path_on_plain_data(loc: tuple[Any, ...], data: Any, expected: str) -> None:
    assert error_path(loc, data) == expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # a value dict without `param`: the missing key, and the stray one where it was written
        (fact("applicant.age", "ge", {"parm": "x"}),
         ["eligibility.value.param", "eligibility.value.parm"]),
        (fact("applicant.age", "ge", {"param": "x", "percent": 0}), ["eligibility.value.percent"]),
        (fact("applicant.age", "in", [1, {"param": "x", "percent": -1}]),
         ["eligibility.value[1].percent"]),
        (fact("applicant.age", "in", [1, [2]]), ["eligibility.value[1]"]),
        ({"not": {"fact": 1, "op": "ge"}}, ["eligibility.not.fact"]),
        ({"all": [{"fact": "applicant.age", "op": "ge", "value": 1, "extra": 2}]},
         ["eligibility.all[0].extra"]),
        ({"all": "x"}, ["eligibility.all"]),
        ({"count": {"member": fact("person.age", "ge", 1)}, "op": "contains", "value": 1},
         ["eligibility.op"]),
        ({"count": {"member": fact("person.age", "ge", 1)}, "op": "ge", "value": {"param": 1}},
         ["eligibility.value.param"]),
    ],
)  # fmt: skip
def test_rule_errors_point_at_the_field_written_wrong(rule: Any, expected: list[str]) -> None:
    assert paths(rule) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ({"per_member": {"member": fact("person.age", "ge", 1), "amount": True}},
         "benefit.amount.per_member.amount"),
        ({"sum": [1, {"per_member": {"member": {"nope": 1}, "amount": 1}}]},
         "benefit.amount.sum[1].per_member.member"),
        ({"sum": [1, {"param": "a", "percent": -1}]}, "benefit.amount.sum[1].percent"),
        ({"sum": [1, {"fact": 1}]}, "benefit.amount.sum[1].fact"),
        (True, "benefit.amount"),
    ],
)  # fmt: skip
def test_amount_errors_point_at_the_field_written_wrong(amount: Any, expected: str) -> None:
    benefit = {
        "kind": "cash_monthly",
        "description": {"ko": "현금", "en": "cash"},
        "amount": amount,
    }
    assert paths({"all": []}, benefit=benefit) == [expected]


def test_amounts_built_in_code_validate_like_their_yaml_form() -> None:
    amount = SumAmount(sum=(FixedAmount(fixed=100), ParamRef(param="toy.amount"), 2))
    benefit = Benefit(kind="cash_once", description={"ko": "현금", "en": "cash"}, amount=amount)
    assert benefit == Benefit.model_validate(
        {"kind": "cash_once", "description": {"ko": "현금", "en": "cash"},
         "amount": {"sum": [{"fixed": 100}, {"param": "toy.amount"}, 2]}}
    )  # fmt: skip


def test_rules_built_in_code_validate_like_their_yaml_form() -> None:
    senior = Comparison(fact="applicant.age", op="ge", value=65)
    rule = NotRule(not_=AllRule(all=(senior,)))
    built = program(rule)
    written = program({"not": {"all": [fact("applicant.age", "ge", 65)]}})
    assert built.eligibility == written.eligibility
