from __future__ import annotations

from datetime import date

import pytest

from app.matching.benefits import AmountRange
from app.matching.errors import CompileError
from app.matching.evaluate import (
    check_program,
    compile_programs,
    evaluate_program,
    evaluate_programs,
)
from app.matching.facts import Profile, Range, resolve_facts
from app.matching.parameters import ParameterSet
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import (
    AS_OF,
    couple_threshold,
    fact,
    judge,
    median_income,
    program,
    scalar_parameter,
    snapshot,
)

PARAMETERS = ParameterSet(
    [median_income(), couple_threshold(), scalar_parameter("toy.amount", [("2025-01-01", 100_000)])]
)

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
    old = program(SENIOR, id="old-program", effective_to="2024-12-31")
    current = program(SENIOR, id="current-program")
    determinations = snapshot(old, current).evaluate(Profile(applicant={"age": 70}), AS_OF)
    assert [d.program_id for d in determinations] == ["current-program"]


# dates, benefits and compile problems ----------------------------------------------------------

TOY_AMOUNT = {"kind": "cash_monthly", "amount": {"param": "toy.amount"},
              "description": {"ko": "돈", "en": "cash"}}  # fmt: skip


@pytest.mark.parametrize(
    ("effective_from", "effective_to", "in_effect"),
    [
        ("2026-03-01", None, True),  # starts on as_of
        ("2026-03-02", None, False),  # starts the day after
        ("2020-01-01", "2026-03-01", True),  # ends on as_of
        ("2020-01-01", "2026-02-28", False),  # ended the day before
    ],
)
def test_a_program_asked_for_by_id_is_false_outside_its_dates(
    effective_from: str, effective_to: str | None, in_effect: bool
) -> None:
    spec = program(
        SENIOR, effective_from=effective_from, effective_to=effective_to, benefit=TOY_AMOUNT
    )
    result = snapshot(spec).evaluate_one(Profile(applicant={"age": 70}), AS_OF, "toy-program")
    if in_effect:
        assert result.truth is TRUE
        assert result.benefit == AmountRange(100_000, 100_000)
        return
    assert result.truth is FALSE
    assert result.trace == (
        ConditionResult(
            "effective", "as_of", AS_OF, "between", (spec.effective_from, spec.effective_to),
            None, FALSE,
        ),
    )  # fmt: skip
    assert result.missing == frozenset()
    assert result.benefit is None


def test_evaluate_program_ignores_dates_unless_asked() -> None:
    snap = snapshot(program(SENIOR, effective_to="2025-12-31"))
    ctx = resolve_facts(Profile(applicant={"age": 70}), AS_OF, snap.parameters)
    compiled = snap.programs["toy-program"]
    assert evaluate_program(compiled, ctx).truth is TRUE
    assert evaluate_program(compiled, ctx, check_dates=True).truth is FALSE


def test_evaluate_programs_judges_dates_only_when_asked() -> None:
    snap = snapshot(program(SENIOR, effective_to="2025-12-31"))
    ctx = resolve_facts(Profile(applicant={"age": 70}), AS_OF, snap.parameters)
    compiled = [snap.programs["toy-program"]]
    assert [d.truth for d in evaluate_programs(compiled, ctx)] == [TRUE]
    assert [d.truth for d in evaluate_programs(compiled, ctx, check_dates=True)] == [FALSE]


@pytest.mark.parametrize(
    ("age", "truth", "benefit"),
    [
        (70, TRUE, AmountRange(100_000, 100_000)),
        (None, UNKNOWN, AmountRange(100_000, 100_000)),  # undecided: the estimate is shown
        (40, FALSE, None),  # ineligible: no estimate
    ],
)
def test_a_benefit_is_estimated_unless_the_verdict_is_false(
    age: int | None, truth: Truth, benefit: AmountRange | None
) -> None:
    profile = Profile(applicant={} if age is None else {"age": age})
    for share in (True, False):
        snap = snapshot(program(SENIOR, benefit=TOY_AMOUNT))
        (result,) = snap.evaluate(profile, AS_OF, share=share)
        assert result.truth is truth
        assert result.benefit == benefit


def test_programs_with_the_same_amount_each_get_their_own_estimate() -> None:
    per_child = {
        "kind": "cash_monthly",
        "amount": {"per_member": {"member": fact("person.age", "lt", 8), "amount": 1_000}},
        "description": {"ko": "돈", "en": "cash"},
    }
    specs = [
        program(fact("applicant.age", "ge", 65), id="toy-a", benefit=per_child),
        program(fact("applicant.age", "lt", 65), id="toy-b", benefit=per_child),
        program(fact("applicant.age", "ge", 0), id="toy-c", benefit=per_child),
    ]
    children = [{"relation": "child", "age": 3}, {"relation": "child", "age": 5}]
    profile = Profile(applicant={"age": 40}, members=children)
    for share in (True, False):
        a, b, c = snapshot(*specs).evaluate(profile, AS_OF, share=share)
        assert (a.truth, a.benefit) == (FALSE, None)
        assert (b.truth, b.benefit) == (TRUE, AmountRange(2_000, 2_000))  # two children x 1,000
        assert (c.truth, c.benefit) == (TRUE, AmountRange(2_000, 2_000))


def test_a_decided_program_misses_nothing() -> None:
    result = judge(SENIOR, Profile(applicant={"age": 70}))
    assert result.missing == frozenset()
    assert isinstance(result.missing, frozenset)
    assert isinstance(result.trace, tuple)


def test_every_program_with_problems_is_reported_at_once() -> None:
    specs = [
        program(fact("applicant.no_such_fact", "eq", 1), id="toy-a"),
        program(SENIOR, id="toy-b"),
        program(SENIOR, id="toy-b"),
        program(fact("household.nothing", "eq", 1), id="toy-c"),
    ]
    with pytest.raises(CompileError) as caught:
        compile_programs(specs, PARAMETERS)
    locations = [p.location for p in caught.value.problems]
    assert locations == ["toy-a: eligibility.fact", "toy-b", "toy-c: eligibility.fact"]
    assert caught.value.problems[1].message == "duplicate program id"


def test_check_program_returns_its_problems_instead_of_raising() -> None:
    regional = program(fact("applicant.no_such_fact", "eq", 1), regions=["11"])
    compiled, problems = check_program(regional, PARAMETERS)
    assert compiled is None
    assert [p.location for p in problems] == ["toy-program: eligibility.fact"]
    bad_amount = program(SENIOR, benefit=TOY_AMOUNT | {"amount": {"param": "no.such"}})
    compiled, problems = check_program(bad_amount, PARAMETERS)
    assert compiled is None
    assert [p.location for p in problems] == ["toy-program: benefit.amount.param"]
    fine, problems = check_program(program(SENIOR, regions=["11"]), PARAMETERS)
    assert fine is not None and problems == []


def test_a_catalog_compiles_the_same_with_and_without_sharing() -> None:
    specs = [
        program({"all": [SENIOR, LOW_INCOME]}, id="toy-a", regions=["11"]),
        program({"all": [SENIOR, LOW_INCOME]}, id="toy-b", regions=["11"], benefit=TOY_AMOUNT),
    ]
    profile = Profile(applicant={"age": 70}, household={"region": "11"})
    ctx = resolve_facts(profile, AS_OF, PARAMETERS)
    for share in (True, False):
        compiled = compile_programs(specs, PARAMETERS, share=share)
        assert list(compiled) == ["toy-a", "toy-b"]
        a, b = evaluate_programs(list(compiled.values()), ctx, share=share)
        assert (a.truth, a.missing) == (UNKNOWN, frozenset({"household.income_recognized_monthly"}))
        assert [c.path for c in b.trace] == ["regions", "eligibility.all[0]", "eligibility.all[1]"]
        assert b.benefit == AmountRange(100_000, 100_000)
