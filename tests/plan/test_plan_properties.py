"""Properties of the combined plan over random households (hypothesis), on the real catalog."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.loader import load_catalog
from app.matching.plan import compose
from app.matching.questions import pick_questions
from app.matching.snapshot import CatalogSnapshot
from app.schemas.profile import REGION_CODES, ProfileIn
from app.services.plans import askable

SNAPSHOT = CatalogSnapshot.build(*load_catalog())
AS_OF = date(2026, 3, 2)
NEEDS = ["income", "care", "jobs", "health", "housing", "education", "childcare", "emergency"]
BOOLS = [
    "pregnant", "disability_registered", "employer_health_insurance", "public_pension",
    "veteran", "care_leaver", "long_term_care_grade", "lives_apart_from_parents",
]  # fmt: skip

money = st.one_of(
    st.integers(0, 8_000_000),
    st.tuples(st.integers(0, 4_000_000), st.integers(0, 4_000_000)).map(
        lambda t: {"min": min(t), "max": max(t)}
    ),
)


@st.composite
def person(draw: st.DrawFn, member: bool = False) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if draw(st.booleans()):
        facts["age"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        facts["nationality"] = draw(st.sampled_from(["KR", "foreign"]))
    for name in draw(st.lists(st.sampled_from(BOOLS), max_size=4, unique=True)):
        facts[name] = draw(st.booleans())
    if draw(st.booleans()):
        facts["employment_status"] = draw(
            st.sampled_from(["employed", "self_employed", "unemployed", "not_working"])
        )
    if member:
        facts["relation"] = draw(st.sampled_from(["spouse", "child", "parent", "sibling"]))
    return facts


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    household: dict[str, Any] = {}
    if draw(st.booleans()):
        household["region"] = draw(st.sampled_from(REGION_CODES))
    if draw(st.booleans()):
        household["income_recognized_monthly"] = draw(money)
    if draw(st.booleans()):
        household["assets"] = draw(money)
    if draw(st.booleans()):
        household["receives"] = draw(
            st.lists(
                st.sampled_from(["basic-pension", "basic-livelihood", "senior-jobs-market"]),
                unique=True,
            )
        )
    if draw(st.booleans()):
        household["crisis"] = draw(st.lists(st.sampled_from(["job_loss", "eviction"]), unique=True))
    return {
        "applicant": draw(person()),
        "members": draw(st.lists(person(member=True), max_size=3)),
        "household": household,
    }


def _plan(raw: dict[str, Any], needs: list[str]) -> Any:
    profile = ProfileIn.model_validate(raw).to_engine()
    return compose(SNAPSHOT, profile, AS_OF, needs)


SETTINGS = settings(
    max_examples=settings.default.max_examples * 3 // 5,  # 60; fewer in mutation runs
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(profiles(), st.lists(st.sampled_from(NEEDS), unique=True))
def test_every_program_lands_in_exactly_one_place(raw: dict[str, Any], needs: list[str]) -> None:
    core = _plan(raw, needs)
    ids = [d.id for d in core.decisions]
    assert len(ids) == len(set(ids))
    assert set(ids) == {p.id for p in SNAPSHOT.in_effect(AS_OF)}


@SETTINGS
@given(profiles(), st.lists(st.sampled_from(NEEDS), unique=True))
def test_conflicts_keep_an_eligible_winner_and_order_is_sound(
    raw: dict[str, Any], needs: list[str]
) -> None:
    core = _plan(raw, needs)
    eligible = [d.id for d in core.eligible]
    held = [d.id for d in core.receiving]  # what is already received wins its conflicts
    for loser in core.excluded:
        assert loser.excluded_by is not None
        assert loser.excluded_by.program_id in eligible + held
    for i, decision in enumerate(core.eligible):  # prerequisites come first
        for pre in decision.program.prerequisites:
            if pre in eligible:
                assert eligible.index(pre) < i
    if core.emergency_first and any(d.program.is_emergency for d in core.eligible):
        assert core.eligible[0].program.is_emergency
    for total in (core.totals.monthly, core.totals.once, core.totals.yearly):
        assert total.low is not None and total.low >= 0
        assert total.high is None or total.low <= total.high


@SETTINGS
@given(profiles(), st.sampled_from(BOOLS), st.booleans())
def test_one_more_fact_never_reverses_a_decided_verdict(
    raw: dict[str, Any], name: str, value: bool
) -> None:
    """The kiosk flow relies on this: answering can settle programs, never flip them."""
    before = {d.id: d.determination.truth for d in _plan(raw, []).decisions}
    if name in raw["applicant"]:
        return
    more = {**raw, "applicant": {**raw["applicant"], name: value}}
    after = {d.id: d.determination.truth for d in _plan(more, []).decisions}
    for program_id, truth in before.items():
        if truth.value != "unknown":
            assert after[program_id] == truth, program_id


@SETTINGS
@given(profiles(), st.data())
def test_questions_are_askable_and_respect_skip(raw: dict[str, Any], data: st.DataObject) -> None:
    core = _plan(raw, [])
    picks = pick_questions(core.needs_info, askable=askable, limit=50)
    paths = [p.path for p in picks if p.kind == "single"]
    paths += [path for p in picks for path, _ in p.items]
    assert all(askable(p) for p in paths)
    assert len(paths) == len(set(paths))
    if not paths:
        return
    skip = data.draw(st.lists(st.sampled_from(paths), unique=True))
    again = pick_questions(core.needs_info, askable=askable, skip=skip, limit=50)
    asked = {p.path for p in again if p.kind == "single"}
    asked |= {path for p in again for path, _ in p.items}
    assert not asked & set(skip)


@SETTINGS
@given(profiles(), st.lists(st.sampled_from(NEEDS), unique=True))
def test_no_member_is_counted_in_two_programs_that_exclude_each_other(
    raw: dict[str, Any], needs: list[str]
) -> None:
    """One 노인일자리 type, one 평생교육이용권 type per person: whoever holds one, by receipt or by
    the plan, is not also counted in the other."""
    core = _plan(raw, needs)
    members: dict[str, set[int]] = {}
    for decision in core.eligible:
        if not decision.determination.persons:
            continue
        members[decision.id] = {
            p.person
            for p in decision.determination.persons
            if p.truth.value == "true"
            and not p.receiving
            and p.person not in decision.excluded_members
        }
    held: dict[str, set[int]] = {
        d.id: {p.person for p in d.determination.persons if p.receiving} for d in core.receiving
    }
    for decision in core.eligible:
        for rule in decision.program.excludes:
            other = members.get(rule.program, set()) | held.get(rule.program, set())
            assert not members.get(decision.id, set()) & other, (decision.id, rule.program)


PLAIN_PERSON = ["earned_income_monthly", "business_income_monthly", "pension_income_monthly",
                "other_income_monthly"]  # fmt: skip
PLAIN_HOUSEHOLD = ["rent_deposit", "financial_assets", "debts", "other_property",
                   "private_transfers_monthly"]  # fmt: skip


@SETTINGS
@given(st.data())
def test_an_estimated_income_range_decides_only_what_every_value_in_it_decides(
    data: st.DataObject,
) -> None:
    """소득인정액 estimated from plain facts (#11): a verdict reached with ranged inputs is the
    verdict of every exact input inside the ranges (so a kiosk answer can settle, never flip)."""
    ranged: dict[str, Any] = {"applicant": {"age": data.draw(st.integers(19, 90))}, "household": {}}
    exact: dict[str, Any] = {"applicant": dict(ranged["applicant"]), "household": {}}
    for owner, names, top in (
        ("applicant", PLAIN_PERSON, 3_000_000),
        ("household", PLAIN_HOUSEHOLD, 300_000_000),
    ):
        for name in data.draw(st.lists(st.sampled_from(names), unique=True, min_size=1)):
            low = data.draw(st.integers(0, top))
            high = data.draw(st.integers(low, top))
            ranged[owner][name] = {"min": low, "max": high}
            exact[owner][name] = data.draw(st.integers(low, high))
    for raw in (ranged, exact):
        raw["household"].update({"size": 1, "region": "11", "housing": "renter_monthly"})
    wide = {d.id: d.determination.truth for d in _plan(ranged, []).decisions}
    narrow = {d.id: d.determination.truth for d in _plan(exact, []).decisions}
    for program_id, truth in wide.items():
        if truth.value != "unknown":
            assert narrow[program_id] == truth, program_id
