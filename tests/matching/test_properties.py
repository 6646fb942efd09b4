# ruff: noqa: E501  (strategy tables read better unwrapped)
"""Properties of three-valued evaluation over random rules and random (partial) households."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.matching.facts import Profile, Range
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import AS_OF, MEDIAN_2026, program, snapshot

REGIONS = ["11", "26", "27", "41"]
RECEIVES = ["basic-pension", "medical-aid", "near-poverty"]
FACT_NAMES = ("age", "veteran", "region", "income", "receives")

ages = st.integers(0, 100)
comparisons = st.one_of(
    st.builds(lambda op, v: {"fact": "applicant.age", "op": op, "value": v},
              st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]), ages),
    st.builds(lambda a, b: {"fact": "applicant.age", "op": "between", "value": [min(a, b), max(a, b)]},
              ages, ages),
    st.builds(lambda op: {"fact": "applicant.veteran", "op": op}, st.sampled_from(["is_true", "is_false"])),
    st.builds(lambda op, v: {"fact": "household.region", "op": op, "value": v},
              st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3)),
    st.builds(lambda p: {"fact": "household.income_recognized_monthly", "op": "le",
                         "value": {"param": "median_income.base", "key": "household.size", "percent": p}},
              st.sampled_from([30, 50, 60, 100])),
    st.builds(lambda v: {"fact": "household.receives", "op": "contains", "value": v}, st.sampled_from(RECEIVES)),
)  # fmt: skip
rules = st.recursive(
    comparisons,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=6,
)
households = st.fixed_dictionaries(
    {
        "age": ages,
        "veteran": st.booleans(),
        "region": st.sampled_from(REGIONS),
        "income": st.integers(0, 5_000_000),
        "receives": st.frozensets(st.sampled_from(RECEIVES)),
    }
)


def exact_profile(h: dict[str, Any]) -> Profile:
    return partial_profile(h, set(FACT_NAMES), blur=False)


def partial_profile(h: dict[str, Any], known: set[str], blur: bool) -> Profile:
    """``h`` with only ``known`` facts; with ``blur`` numbers become bands around the truth."""
    age: Any = Range(max(0, h["age"] - 5), h["age"] + 5) if blur else h["age"]
    income: Any = (
        Range(max(0, h["income"] - 500_000), h["income"] + 500_000) if blur else h["income"]
    )
    applicant = {k: v for k, v in (("age", age), ("veteran", h["veteran"])) if k in known}
    household = {
        k: v
        for k, v in (("region", h["region"]), ("income_recognized_monthly", income),
                     ("receives", h["receives"]))
        if k.split("_")[0] in known
    }  # fmt: skip
    return Profile(applicant=applicant, household=household)


def reference(rule: dict[str, Any], h: dict[str, Any]) -> bool:
    """A plain-Python evaluator for exact households: the meaning of the rule language."""
    if "all" in rule:
        return all(reference(r, h) for r in rule["all"])
    if "any" in rule:
        return any(reference(r, h) for r in rule["any"])
    if "not" in rule:
        return not reference(rule["not"], h)
    op, value = rule["op"], rule.get("value")
    name = rule["fact"].split(".")[1]
    actual = {"age": h["age"], "veteran": h["veteran"], "region": h["region"],
              "income_recognized_monthly": h["income"], "receives": h["receives"]}[name]  # fmt: skip
    if isinstance(value, dict):  # the percent of the 1-person median, halves rounded up
        exact = Fraction(MEDIAN_2026["1"]) * Fraction(str(value["percent"])) / 100
        value = math.floor(exact + Fraction(1, 2))
    return {
        "eq": lambda: actual == value, "ne": lambda: actual != value,
        "lt": lambda: actual < value, "le": lambda: actual <= value,
        "gt": lambda: actual > value, "ge": lambda: actual >= value,
        "between": lambda: value[0] <= actual <= value[1],
        "in": lambda: actual in value, "not_in": lambda: actual not in value,
        "contains": lambda: value in actual,
        "is_true": lambda: actual is True, "is_false": lambda: actual is False,
    }[op]()  # fmt: skip


def verdict(rule: dict[str, Any], *profiles: Profile) -> list[Truth]:
    snap = snapshot(program(rule))
    return [snap.evaluate_one(p, AS_OF, "toy-program").truth for p in profiles]


SETTINGS = settings(
    max_examples=settings.default.max_examples * 3 // 2,  # 150; fewer in mutation runs
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(rules, households)
def test_exact_households_agree_with_the_reference_evaluator(
    rule: dict[str, Any], h: dict[str, Any]
) -> None:
    (truth,) = verdict(rule, exact_profile(h))
    assert truth is (TRUE if reference(rule, h) else FALSE)


@SETTINGS
@given(rules, households, st.sets(st.sampled_from(FACT_NAMES)), st.booleans())
def test_learning_more_never_undoes_a_decided_result(
    rule: dict[str, Any], h: dict[str, Any], known: set[str], blur: bool
) -> None:
    partial, complete = verdict(rule, partial_profile(h, known, blur), exact_profile(h))
    if partial is not UNKNOWN:
        assert partial is complete


@SETTINGS
@given(rules, households, st.sets(st.sampled_from(FACT_NAMES)))
def test_all_is_false_whenever_one_child_is_false(
    rule: dict[str, Any], h: dict[str, Any], known: set[str]
) -> None:
    false_child = {"fact": "applicant.age", "op": "lt", "value": 0}
    profile = partial_profile(h, known | {"age"}, blur=False)
    assert verdict({"all": [rule, false_child]}, profile) == [FALSE]


@SETTINGS
@given(rules, rules, households, st.sets(st.sampled_from(FACT_NAMES)), st.booleans())
def test_de_morgan_holds_with_unknowns(
    a: dict[str, Any], b: dict[str, Any], h: dict[str, Any], known: set[str], blur: bool
) -> None:
    profile = partial_profile(h, known, blur)
    left = verdict({"not": {"all": [a, b]}}, profile)
    right = verdict({"any": [{"not": a}, {"not": b}]}, profile)
    assert left == right


@SETTINGS
@given(rules, households, st.sets(st.sampled_from(FACT_NAMES)))
def test_missing_facts_never_evaluate_as_zero_or_false(
    rule: dict[str, Any], h: dict[str, Any], known: set[str]
) -> None:
    snap = snapshot(program(rule))
    result = snap.evaluate_one(partial_profile(h, known, blur=False), AS_OF, "toy-program")
    for condition in result.trace:
        if condition.value is None:
            assert condition.truth is UNKNOWN
    if result.truth is UNKNOWN:
        assert result.missing
