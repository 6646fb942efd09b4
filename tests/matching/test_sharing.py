"""Shared evaluation (identical subtrees and parameter values computed once per household) gives
exactly what evaluating every program from scratch gives: truth, trace, missing facts, benefit."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.matching.evaluate import Determination, compile_programs, evaluate_programs
from app.matching.facts import Profile, Range, resolve_facts
from app.matching.parameters import ParameterSet
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import FALSE, TRUE
from tests.matching.build import (
    AS_OF,
    couple_threshold,
    fact,
    median_income,
    program,
    scalar_parameter,
)
from tests.matching.test_properties import FACT_NAMES, households, partial_profile, rules

PARAMETERS = ParameterSet(
    [median_income(), couple_threshold(), scalar_parameter("toy.amount", [("2025-01-01", 1_000)])]
)
REGIONS = ["KR", "11", "26", "27", "41"]
counts = st.builds(
    lambda age, op, n: {"count": {"member": fact("person.age", "lt", age)}, "op": op, "value": n},
    st.integers(1, 20),
    st.sampled_from(["ge", "eq", "lt"]),
    st.integers(0, 3),
)
pieces = st.one_of(rules, counts)
amounts = st.sampled_from(
    [
        None,
        {"param": "toy.amount"},
        {"param": "median_income.base", "key": "household.size", "percent": 30},
        {"per_member": {"member": fact("person.age", "lt", 8), "amount": 100}},
    ]
)


@st.composite
def catalogs(draw: st.DrawFn) -> list[Any]:
    """Programs assembled from a small pool of rules, so many of them share subtrees."""
    pool = draw(st.lists(pieces, min_size=1, max_size=4))
    specs = []
    for i in range(draw(st.integers(1, 8))):
        picks = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
        eligibility = picks[0] if len(picks) == 1 else {"all": picks}
        regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique=True))
        amount = draw(amounts)
        benefit: dict[str, Any] = {
            "kind": "cash_monthly",
            "description": {"ko": "돈", "en": "cash"},
        }
        if amount is not None:
            benefit["amount"] = amount
        specs.append(program(eligibility, id=f"toy-{i}", regions=regions, benefit=benefit))
    return specs


def member_ages() -> st.SearchStrategy[list[Any]]:
    age = st.one_of(
        st.none(), st.integers(0, 40), st.builds(lambda a: Range(a, a + 10), st.integers(0, 30))
    )
    return st.lists(age, max_size=3)


def with_members(profile: Profile, ages: list[Any], extra: int | None) -> Profile:
    members = [{"relation": "child"} | ({} if a is None else {"age": a}) for a in ages]
    household = dict(profile.household)
    if extra is not None:
        household["size"] = Range(1 + len(members), 1 + len(members) + extra)
    return Profile(applicant=profile.applicant, members=members, household=household)


def as_records(found: list[Determination]) -> list[str]:
    """Type-exact comparison (``65`` and ``65.0`` must not pass for each other)."""
    return [repr(d) for d in found]


@settings(
    max_examples=2 * settings.default.max_examples,  # 200; fewer in mutation runs
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    catalogs(),
    households,
    st.sets(st.sampled_from(FACT_NAMES)),
    st.booleans(),
    member_ages(),
    st.one_of(st.none(), st.integers(0, 2)),
)
def test_shared_evaluation_equals_evaluating_each_program_alone(
    specs: list[Any],
    h: dict[str, Any],
    known: set[str],
    blur: bool,
    ages: list[Any],
    extra: int | None,
) -> None:
    profile = with_members(partial_profile(h, known, blur), ages, extra)
    ctx = resolve_facts(profile, AS_OF, PARAMETERS)
    shared = list(compile_programs(specs, PARAMETERS).values())
    alone = list(compile_programs(specs, PARAMETERS, share=False).values())
    fast = evaluate_programs(shared, ctx)
    plain = evaluate_programs(alone, ctx, share=False)
    assert fast == plain
    assert as_records(fast) == as_records(plain)
    assert as_records(evaluate_programs(shared, ctx, share=False)) == as_records(plain)


def test_identical_conditions_share_one_node_and_one_trace_entry() -> None:
    senior = fact("applicant.age", "ge", 65)
    specs = [
        program({"all": [senior, fact("applicant.veteran", "is_true")]}, id="toy-a"),
        program({"all": [senior, fact("applicant.veteran", "is_false")]}, id="toy-b"),
    ]
    compiled = compile_programs(specs, PARAMETERS)
    snap = CatalogSnapshot(compiled, PARAMETERS, {}, "test")
    a, b = snap.evaluate(Profile(applicant={"age": 70}), AS_OF)
    assert a.trace[0] is b.trace[0]  # computed once, replayed for the second program
    assert a.trace[1] != b.trace[1]


def test_int_and_float_thresholds_are_not_shared() -> None:
    specs = [
        program(fact("applicant.age", "ge", 65), id="toy-a"),
        program(fact("applicant.age", "ge", 65.0), id="toy-b"),
    ]
    compiled = compile_programs(specs, PARAMETERS)
    snap = CatalogSnapshot(compiled, PARAMETERS, {}, "test")
    a, b = snap.evaluate(Profile(applicant={"age": 70}), AS_OF)
    assert type(a.trace[0].threshold) is int
    assert type(b.trace[0].threshold) is float


def test_the_same_regions_are_checked_once_for_every_regional_program() -> None:
    specs = [
        program(fact("applicant.age", "ge", 65), id="toy-a", regions=["11", "26"]),
        program(fact("applicant.age", "lt", 65), id="toy-b", regions=["11", "26"]),
        program(fact("applicant.age", "ge", 0), id="toy-c", regions=["27"]),
    ]
    compiled = compile_programs(specs, PARAMETERS)
    snap = CatalogSnapshot(compiled, PARAMETERS, {}, "test")
    a, b, c = snap.evaluate(Profile(applicant={"age": 70}, household={"region": "11"}), AS_OF)
    assert [x.trace[0].path for x in (a, b, c)] == ["regions"] * 3
    assert a.trace[0] is b.trace[0]  # computed once, replayed for the second program
    assert c.trace[0] is not a.trace[0]
    assert (a.truth, b.truth, c.truth) == (TRUE, FALSE, FALSE)
    alone = compile_programs(specs, PARAMETERS, share=False)
    a, b, _ = CatalogSnapshot(alone, PARAMETERS, {}, "test").evaluate(
        Profile(applicant={"age": 70}, household={"region": "11"}), AS_OF, share=False
    )
    assert a.trace[0] == b.trace[0]


person_pieces = st.one_of(
    st.builds(
        lambda op, age: fact("person.age", op, age),
        st.sampled_from(["ge", "lt", "le"]),
        st.integers(0, 40),
    ),
    st.builds(lambda flag: fact("person.veteran", "eq", flag), st.booleans()),
    rules,
)


@st.composite
def person_catalogs(draw: st.DrawFn) -> list[Any]:
    """Programs for a person (``who``) drawn from a small pool, so that several share their
    ``who`` and their conditions: each member's shared results must stay that member's."""
    whos = draw(st.lists(person_pieces, min_size=1, max_size=2))
    pool = draw(st.lists(person_pieces, min_size=1, max_size=4))
    specs = []
    for i in range(draw(st.integers(1, 6))):
        picks = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
        eligibility = picks[0] if len(picks) == 1 else {"all": picks}
        specs.append(program(eligibility, id=f"person-{i}", who=draw(st.sampled_from(whos))))
    return specs


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person_catalogs(), households, st.sets(st.sampled_from(FACT_NAMES)), member_ages())
def test_programs_for_a_person_share_per_member_and_give_what_each_alone_gives(
    specs: list[Any], h: dict[str, Any], known: set[str], ages: list[Any]
) -> None:
    profile = with_members(partial_profile(h, known, False), ages, None)
    ctx = resolve_facts(profile, AS_OF, PARAMETERS)
    shared = list(compile_programs(specs, PARAMETERS).values())
    alone = list(compile_programs(specs, PARAMETERS, share=False).values())
    assert as_records(evaluate_programs(shared, ctx)) == as_records(
        evaluate_programs(alone, ctx, share=False)
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person_catalogs(), households, st.sets(st.sampled_from(FACT_NAMES)), member_ages())
def test_deciding_one_member_gives_that_members_verdict_of_the_whole_evaluation(
    specs: list[Any], h: dict[str, Any], known: set[str], ages: list[Any]
) -> None:
    profile = with_members(partial_profile(h, known, False), ages, None)
    snapshot = CatalogSnapshot.build(specs, PARAMETERS.values())
    whole = {d.program_id: d for d in snapshot.evaluate(profile, AS_OF)}
    for person in range(1 + len(ages)):
        for det in snapshot.evaluate_member(profile, AS_OF, person):
            [mine] = [p for p in det.persons if p.person == person] or [None]
            expected = [p for p in whole[det.program_id].persons if p.person == person]
            assert [mine] == (expected or [None])
