"""Binding: fact references by scope, parameter references (scalar or keyed table, percent,
dates), and which facts an UNKNOWN verdict still needs. Every threshold below is worked out by
hand from the toy parameters defined here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.matching.binding import Binder, Env
from app.matching.compile import RuleCompiler
from app.matching.errors import CompileError
from app.matching.evaluate import Determination
from app.matching.facts import Profile, Range, resolve_facts
from app.matching.parameters import Parameter, ParameterSet
from app.matching.programs import ProgramSpec
from app.matching.rules import Comparison
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import AS_OF, fact, median_income, program, scalar_parameter

RENT = "household.rent_monthly"


def table(parameter_id: str, key: str, *values: tuple[str, Any], **extra: Any) -> Parameter:
    return Parameter.model_validate(
        {
            "id": parameter_id,
            "unit": "KRW_monthly",
            "description": {"ko": "시험용 표", "en": "Test table"},
            "key": key,
            "values": [{"effective_from": d, "value": v} for d, v in values],
            **extra,
        }
    )


BY_ORDER = table("toy.by_order", "person.birth_order", ("2025-01-01", {1: 100, 2: 200, 3: 300}))
CHILDREN_BY_ORDER = table(
    "toy.children_by_order", "person.birth_order", ("2025-01-01", {1: 1, 2: 2, 3: 3})
)
# a row 0 below the smallest birth order (1), and no row 2
GAPPY = table("toy.gappy", "person.birth_order", ("2025-01-01", {0: 5, 1: 100, 3: 300}))
STEPPED = table(
    "toy.stepped", "person.birth_order", ("2025-01-01", {1: 100, 2: 200}), extrapolate="last_step"
)
EMPTY = table("toy.empty", "person.birth_order", ("2025-01-01", {}))
BY_AREA = table(
    "toy.by_area",
    "household.urban_class",
    ("2025-01-01", {"metropolitan": 300, "small_city": 200, "rural": 100}),
)
STAGE_ROWS = {"pregnancy_birth": 300, "infant": 10, "child": 20, "adolescent": 30, "youth": 100,
              "middle_age": 40, "senior": 1000}  # fmt: skip
BY_STAGE = table("toy.by_stage", "person.stage", ("2025-01-01", STAGE_ROWS))
# flat 50 until 2025, a table by birth order from 2026
BECAME_TABLE = table(
    "toy.became_table", "person.birth_order", ("2025-01-01", 50), ("2026-01-01", {1: 500})
)
DATED = scalar_parameter(
    "toy.dated", [("2025-01-01", 100), ("2026-01-01", 200), ("2027-01-01", None)]
)
ODD = scalar_parameter("toy.odd", [("2025-01-01", 12_345)])
PARAMETERS = (
    median_income(),
    GAPPY,
    STEPPED,
    EMPTY,
    BY_ORDER,
    CHILDREN_BY_ORDER,
    BY_AREA,
    BY_STAGE,
    BECAME_TABLE,
    DATED,
    ODD,
)


def catalog(*programs: ProgramSpec, extra: tuple[Parameter, ...] = ()) -> CatalogSnapshot:
    return CatalogSnapshot.build(programs, [*PARAMETERS, *extra])


def decide(eligibility: Any, profile: Profile, as_of: date = AS_OF) -> Determination:
    return catalog(program(eligibility)).evaluate_one(profile, as_of, "toy-program")


def problems_of(eligibility: Any, extra: tuple[Parameter, ...] = ()) -> list[str]:
    with pytest.raises(CompileError) as caught:
        catalog(program(eligibility), extra=extra)
    return [str(p) for p in caught.value.problems]


def rent(value: Any, **household: Any) -> Profile:
    return Profile(household={"rent_monthly": value, **household})


HINT = "(use applicant.<name> or person.<name>)"


def count(member: Any, op: str, value: Any) -> dict[str, Any]:
    return {"count": {"member": member}, "op": op, "value": value}


# -- fact references -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("person.shoe_size", f"unknown fact person.shoe_size {HINT}"),
        ("persons.age", f"unknown fact persons.age {HINT}"),
        ("member.age", "unknown fact member.age"),
        ("applicant.size", "unknown fact applicant.size"),
        ("household.age", "unknown fact household.age"),
        ("pension_unit.size", "unknown fact pension_unit.size"),
    ],
)  # fmt: skip
def test_an_unknown_fact_is_named_with_a_hint_for_person_slips(ref: str, message: str) -> None:
    rule = count(fact(ref, "ge", 1), "ge", 1)
    assert problems_of(rule) == [f"toy-program: eligibility.count.member.fact: {message}"]


def test_a_pension_unit_fact_is_read_from_the_household() -> None:
    rule = fact("pension_unit.income_recognized_monthly", "le", 1_000)
    profile = Profile(pension_unit={"income_recognized_monthly": 1_000})
    assert decide(rule, profile).truth is TRUE
    unknown = decide(rule, Profile())
    assert unknown.truth is UNKNOWN
    assert unknown.missing == {"pension_unit.income_recognized_monthly"}


def test_inside_count_an_applicant_fact_is_still_the_applicants() -> None:
    # two children under 8, and the applicant (not each child) is a veteran: count is 2
    rule = count({"all": [fact("person.age", "lt", 8), fact("applicant.veteran", "is_true")]},
                 "eq", 2)  # fmt: skip
    children = [{"relation": "child", "age": 3}, {"relation": "child", "age": 5}]
    veteran = Profile(applicant={"age": 40, "veteran": True}, members=children)
    assert decide(rule, veteran).truth is TRUE
    unknown = decide(rule, Profile(applicant={"age": 40}, members=children))
    assert unknown.truth is UNKNOWN
    assert unknown.missing == {"applicant.veteran"}


def test_a_members_derived_stage_asks_for_that_members_pregnancy() -> None:
    # a 25-year-old member of unknown sex is a youth or pregnant: the question is her pregnancy
    rule = count(fact("person.stage", "eq", "youth"), "ge", 1)
    profile = Profile(applicant={"age": 40, "sex": "male"}, members=[{"age": 25}])
    result = decide(rule, profile)
    assert result.truth is UNKNOWN
    assert result.missing == {"members[0].pregnant"}


def test_an_unlisted_member_is_asked_about_directly() -> None:
    rule = count(fact("person.stage", "eq", "youth"), "ge", 1)
    profile = Profile(applicant={"age": 40, "sex": "male"}, household={"size": 2})
    result = decide(rule, profile)
    assert result.truth is UNKNOWN
    assert result.missing == {"members[0].stage"}


# -- table keys must fit the key fact ------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        (table("toy.bad", "person.birth_order", ("2025-01-01", {"1": 1, "one": 2, "two": 3})),
         "row 'one' of toy.bad does not fit fact person.birth_order"),
        (table("toy.bad", "household.urban_class", ("2025-01-01", {"rural": 1, "city": 2})),
         "row 'city' of toy.bad does not fit fact household.urban_class"),
        (table("toy.bad", "pension_unit.is_couple", ("2025-01-01", {"true": 1, "yes": 2})),
         "row 'yes' of toy.bad does not fit fact pension_unit.is_couple"),
        (table("toy.bad", "household.rent_monthly", ("2025-01-01", {"1": 1})),
         "row '1' of toy.bad does not fit fact household.rent_monthly"),
        # a flat value before the table is skipped; the table's rows are still checked
        (table("toy.bad", "person.birth_order", ("2024-01-01", 5), ("2025-01-01", {"x": 1})),
         "row 'x' of toy.bad does not fit fact person.birth_order"),
    ],
)  # fmt: skip
def test_a_table_row_that_cannot_match_its_key_fact_is_reported_once(
    parameter: Parameter, message: str
) -> None:
    assert parameter.key is not None
    key = parameter.key.replace("person.", "applicant.")
    rule = fact(RENT, "le", {"param": "toy.bad", "key": key})
    assert problems_of(rule, extra=(parameter,)) == [
        f"toy-program: eligibility.value.key: {message}"
    ]


def test_table_rows_that_fit_their_key_facts_compile() -> None:
    rules = [
        fact(RENT, "le", {"param": "toy.by_area"}),
        fact(RENT, "le", {"param": "toy.by_stage", "key": "applicant.stage"}),
    ]
    catalog(program({"all": rules}))
    catalog(program(count(fact("person.earned_income_monthly", "le", {"param": "toy.by_order"}),
                          "ge", 1)))  # fmt: skip


def test_a_table_keyed_by_a_person_fact_is_only_valid_inside_count() -> None:
    assert problems_of(fact(RENT, "le", {"param": "toy.by_order"})) == [
        "toy-program: eligibility.value.key: person.birth_order: person.* is only valid inside "
        "count.member, per_member or a program with who"
    ]


def test_an_explicit_key_overrides_the_declared_one() -> None:
    # by_order read with the applicant's birth order: 2nd child -> 200
    rule = fact(RENT, "le", {"param": "toy.by_order", "key": "applicant.birth_order"})
    assert (
        decide(rule, Profile(applicant={"birth_order": 2}, household={"rent_monthly": 200})).truth
        is TRUE
    )
    assert (
        decide(rule, Profile(applicant={"birth_order": 2}, household={"rent_monthly": 201})).truth
        is FALSE
    )


# -- scalar parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "value", "expected"),
    [
        # 12,345 x 50 % = 6,172.5 -> 6,173 (half up)
        (50, 6_173, TRUE), (50, 6_174, FALSE),
        # 12,345 x 10 % = 1,234.5 -> 1,235
        (10, 1_235, TRUE), (10, 1_236, FALSE),
        # no percent: the value itself
        (None, 12_345, TRUE), (None, 12_346, FALSE),
    ],
)  # fmt: skip
def test_a_percent_scales_a_scalar_parameter_rounding_half_up(
    percent: int | None, value: int, expected: Truth
) -> None:
    ref: dict[str, Any] = {"param": "toy.odd"}
    if percent is not None:
        ref["percent"] = percent
    result = decide(fact(RENT, "le", ref), rent(value))
    assert result.truth is expected
    assert result.trace[0].param == "toy.odd"
    assert result.trace[0].percent == percent


def test_a_scalar_parameter_takes_the_value_in_force_on_each_date() -> None:
    # one compiled catalog asked about several dates, in an order that revisits one:
    # 100 in 2025, 200 in 2026, ended in 2027, nothing before 2025
    snap = catalog(program(fact(RENT, "le", {"param": "toy.dated"})))
    asked = [(date(2025, 6, 1), 150, FALSE), (date(2026, 6, 1), 150, TRUE),
             (date(2025, 6, 1), 150, FALSE), (date(2026, 6, 1), 201, FALSE),
             (date(2024, 6, 1), 1, UNKNOWN), (date(2027, 6, 1), 1, UNKNOWN)]  # fmt: skip
    for as_of, value, expected in asked:
        result = snap.evaluate_one(rent(value), as_of, "toy-program")
        assert (as_of, result.truth) == (as_of, expected)
        # a threshold not in force cannot be asked for: nothing missing
        assert result.missing == frozenset()


# -- table parameters ----------------------------------------------------------------------------


def test_a_table_takes_the_row_of_each_households_key() -> None:
    # same compiled catalog, households in turn: rural 100, metropolitan 300
    snap = catalog(program(fact(RENT, "le", {"param": "toy.by_area"})))
    asked = [("rural", 150, FALSE), ("metropolitan", 150, TRUE), ("rural", 100, TRUE),
             ("small_city", 201, FALSE), ("small_city", 200, TRUE)]  # fmt: skip
    for area, value, expected in asked:
        result = snap.evaluate_one(rent(value, urban_class=area), AS_OF, "toy-program")
        assert (area, value, result.truth) == (area, value, expected)


@pytest.mark.parametrize(
    ("value", "expected", "missing"),
    [
        # an unknown area could be any row: 100, 200 or 300
        (100, TRUE, set()), (300, UNKNOWN, {"household.urban_class"}), (301, FALSE, set()),
        (None, UNKNOWN, {RENT, "household.urban_class"}),
    ],
)  # fmt: skip
def test_an_unknown_enum_key_spans_every_row(
    value: int | None, expected: Truth, missing: set[str]
) -> None:
    result = decide(fact(RENT, "le", {"param": "toy.by_area"}), rent(value))
    assert result.truth is expected
    assert result.missing == missing
    assert result.trace[0].threshold == Range(100, 300)


@pytest.mark.parametrize(
    ("value", "expected"),
    # a 25-year-old of unknown sex is a youth (100) or pregnant (300); the other stages'
    # rows (10 .. 1,000) are not candidates
    [(100, TRUE), (50, TRUE), (101, UNKNOWN), (300, UNKNOWN), (301, FALSE), (999, FALSE)],
)
def test_a_stage_that_is_one_of_two_selects_only_those_rows(value: int, expected: Truth) -> None:
    rule = fact(RENT, "le", {"param": "toy.by_stage", "key": "applicant.stage"})
    result = decide(rule, Profile(applicant={"age": 25}, household={"rent_monthly": value}))
    assert result.truth is expected
    assert result.trace[0].threshold == Range(100, 300)
    if expected is UNKNOWN:
        assert result.missing == {"applicant.pregnant"}


ORDER_KEY = {"param": "toy.by_order", "key": "applicant.birth_order"}


@pytest.mark.parametrize(
    ("order", "value", "expected", "threshold"),
    [
        # exact birth order: its own row
        (1, 100, TRUE, 100), (3, 300, TRUE, 300), (3, 301, FALSE, 300),
        # unknown: rows 1..3 (birth order starts at 1)
        (None, 99, TRUE, Range(100, 300)), (None, 250, UNKNOWN, Range(100, 300)),
        (None, 301, FALSE, Range(100, 300)),
        # 1st or 2nd: rows 1 and 2 only, so 250 is over both
        (Range(1, 2), 250, FALSE, Range(100, 200)), (Range(1, 2), 150, UNKNOWN, Range(100, 200)),
        # 2nd or later (up to 20): rows 2 and 3; no row past 3 and no extrapolation
        (Range(2, None), 199, TRUE, Range(200, 300)),
        (Range(2, None), 250, UNKNOWN, Range(200, 300)),
        # a 4th child has no row: undecided, and nothing to ask
        (4, 1, UNKNOWN, None),
    ],
)  # fmt: skip
def test_an_integer_key_selects_the_rows_it_could_be(
    order: Any, value: int, expected: Truth, threshold: Any
) -> None:
    applicant = {} if order is None else {"birth_order": order}
    profile = Profile(applicant=applicant, household={"rent_monthly": value})
    result = decide(fact(RENT, "le", ORDER_KEY), profile)
    assert result.truth is expected
    assert result.trace[0].threshold == threshold
    if expected is UNKNOWN and order != 4:
        assert result.missing == {"applicant.birth_order"}
    else:
        assert result.missing == frozenset()


@pytest.mark.parametrize(
    ("size", "value", "expected"),
    [
        # 2026 median, 7 persons 9,515,150, step 7-6 = 9,515,150 - 8,555,952 = 959,198;
        # 8 persons 10,474,348. Size 7 or more (to the registry's 30): rows 7..30
        (Range(7, None), 9_515_150, TRUE), (Range(7, None), 9_515_151, UNKNOWN),
        # 8 to 9 persons: 10,474,348 and 11,433,546
        (Range(8, 9), 10_474_348, TRUE), (Range(8, 9), 10_474_349, UNKNOWN),
        (Range(8, 9), 11_433_546, UNKNOWN), (Range(8, 9), 11_433_547, FALSE),
    ],
)  # fmt: skip
def test_a_size_band_past_the_last_row_extrapolates_each_size(
    size: Range, value: int, expected: Truth
) -> None:
    rule = fact("household.income_recognized_monthly", "le", {"param": "median_income.base"})
    profile = Profile(household={"size": size, "income_recognized_monthly": value})
    assert decide(rule, profile, date(2026, 3, 1)).truth is expected


def test_a_parameter_that_became_a_table_keeps_its_flat_value_before() -> None:
    rule = fact(RENT, "le", {"param": "toy.became_table", "key": "applicant.birth_order"})
    first = Profile(applicant={"birth_order": 1}, household={"rent_monthly": 60})
    assert decide(rule, first, date(2025, 6, 1)).truth is FALSE  # 60 > 50 (flat)
    assert decide(rule, first, date(2026, 6, 1)).truth is TRUE  # 60 <= 500 (row 1)
    unknown = Profile(household={"rent_monthly": 60})
    assert decide(rule, unknown, date(2025, 6, 1)).truth is FALSE  # the flat value for anyone
    assert decide(rule, unknown, date(2024, 6, 1)).truth is UNKNOWN  # not yet in force


def test_a_person_keyed_table_is_read_for_each_member_in_a_count() -> None:
    # the applicant earns 1,000 (over every row); first child 150 > 100 (row 1);
    # third child 150 <= 300 (row 3): exactly one member qualifies
    member = fact("person.earned_income_monthly", "le", {"param": "toy.by_order"})
    profile = Profile(
        applicant={"earned_income_monthly": 1_000},
        members=[{"relation": "child", "birth_order": 1, "earned_income_monthly": 150},
                 {"relation": "child", "birth_order": 3, "earned_income_monthly": 150}],
    )  # fmt: skip
    result = decide(count(member, "eq", 1), profile)
    assert result.truth is TRUE
    assert result.trace[0].value == 1


def test_programs_with_different_references_to_one_parameter_keep_their_own_lines() -> None:
    # one household (rural; the applicant a first child, in Korea for 3 years) judged by seven
    # programs at once, each asking whether the rent of 150 reaches its line
    refs = {
        "toy-flat": ({"param": "toy.odd"}, 12_345),
        "toy-half": ({"param": "toy.odd", "percent": 50}, 6_173),  # 6,172.5 half up
        "toy-area": ({"param": "toy.by_area"}, 100),  # rural
        "toy-area-double": ({"param": "toy.by_area", "percent": 200}, 200),
        "toy-area-keyed": ({"param": "toy.by_area", "key": "household.urban_class"}, 100),
        "toy-order": ({"param": "toy.by_order", "key": "applicant.birth_order"}, 100),  # row 1
        "toy-years": ({"param": "toy.by_order", "key": "applicant.years_since_entry"}, 300),
    }
    snap = catalog(*(program(fact(RENT, "ge", ref), id=pid) for pid, (ref, _) in refs.items()))
    profile = Profile(
        applicant={"birth_order": 1, "years_since_entry": 3},
        household={"rent_monthly": 150, "urban_class": "rural"},
    )
    found = {d.program_id: d for d in snap.evaluate(profile, AS_OF)}
    assert {pid: d.trace[0].threshold for pid, d in found.items()} == {
        pid: line for pid, (_, line) in refs.items()
    }
    assert {pid: d.truth for pid, d in found.items()} == {
        pid: (TRUE if line <= 150 else FALSE) for pid, (_, line) in refs.items()
    }


# -- member facts inside count.member ------------------------------------------------------------

FAMILY = Profile(
    applicant={"age": 40, "earned_income_monthly": 50},
    members=[{"relation": "child", "age": 3, "birth_order": 1, "earned_income_monthly": 150},
             {"relation": "child", "age": 5, "birth_order": 3, "earned_income_monthly": 150}],
)  # fmt: skip


def test_a_between_inside_count_may_start_at_a_members_row() -> None:
    # between row(birth order) and 1,000: the applicant (order unknown: 100..300) earns 50,
    # under every row; the first child 150 >= 100; the third child 150 < 300: one member
    member = fact("person.earned_income_monthly", "between", [{"param": "toy.by_order"}, 1_000])
    result = decide(count(member, "eq", 1), FAMILY)
    assert result.truth is TRUE
    assert result.trace[0].value == 1


@pytest.mark.parametrize(("op", "value", "expected"), [("ge", 1, TRUE), ("ge", 2, UNKNOWN)])
def test_a_count_inside_count_may_compare_with_a_members_row(
    op: str, value: int, expected: Truth
) -> None:
    # inner: 2 children under 8 (for every member), at least row(member's birth order):
    # the first child (row 1): 2 >= 1; the third (row 3): 2 < 3; the applicant (order unknown,
    # rows 1..3): undecided. So 1 or 2 members qualify.
    inner = count(fact("person.age", "lt", 8), "ge", {"param": "toy.children_by_order"})
    result = decide(count(inner, op, value), FAMILY)
    assert result.truth is expected
    assert result.trace[0].value == Range(1, 2)
    if expected is UNKNOWN:
        assert result.missing == {"applicant.birth_order"}


@pytest.mark.parametrize(
    ("value", "expected"),
    # an unknown birth order is 1 or more: rows 1 and 3 (100, 300); row 0 (5) cannot be
    # selected and the missing row 2 is skipped
    [(50, TRUE), (100, TRUE), (200, UNKNOWN), (300, UNKNOWN), (301, FALSE)],
)
def test_an_unknown_key_spans_only_the_rows_the_fact_can_take(value: int, expected: Truth) -> None:
    rule = fact(RENT, "le", {"param": "toy.gappy", "key": "applicant.birth_order"})
    result = decide(rule, rent(value))
    assert result.truth is expected
    assert result.trace[0].threshold == Range(100, 300)


def test_a_percent_scales_the_flat_value_of_a_parameter_that_became_a_table() -> None:
    # 50 at 200 % is 100 before 2026
    rule = fact(RENT, "le", {"param": "toy.became_table", "percent": 200,
                             "key": "applicant.birth_order"})  # fmt: skip
    assert decide(rule, rent(100), date(2025, 6, 1)).truth is TRUE
    assert decide(rule, rent(101), date(2025, 6, 1)).truth is FALSE


@pytest.mark.parametrize(
    ("value", "expected"),
    # rows 1, 2 (100, 200) go on by 100 a step: an unknown birth order (1..20) spans 100..2,000
    [(100, TRUE), (101, UNKNOWN), (2_000, UNKNOWN), (2_001, FALSE)],
)
def test_an_unknown_key_of_a_stepped_table_spans_up_to_the_facts_maximum(
    value: int, expected: Truth
) -> None:
    rule = fact(RENT, "le", {"param": "toy.stepped", "key": "applicant.birth_order"})
    result = decide(rule, rent(value))
    assert result.truth is expected
    assert result.trace[0].threshold == Range(100, 2_000)


def test_a_table_without_rows_leaves_the_verdict_undecided() -> None:
    rule = fact(RENT, "le", {"param": "toy.empty", "key": "applicant.birth_order"})
    assert decide(rule, rent(1)).truth is UNKNOWN


def test_a_rule_checked_on_its_own_records_its_trace() -> None:
    # as the admin rule check does: bind one rule, evaluate it with a trace list of its own
    binder = Binder("rule", ParameterSet(PARAMETERS))
    node = RuleCompiler(binder).compile(Comparison(fact="applicant.age", op="ge", value=65), "")
    assert node is not None and binder.problems == []
    env = Env(resolve_facts(Profile(applicant={"age": 64}), AS_OF), [])
    assert node(env, 0) == (FALSE, ())
    assert env.trace is not None
    assert [(c.fact, c.value, c.threshold, c.truth) for c in env.trace] == [
        ("applicant.age", 64, 65, FALSE)
    ]
