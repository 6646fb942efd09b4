"""Interval soundness and monotonicity of the three schemes (hypothesis).

* a point inside every input range gives a total inside the range result (soundness);
* widening an input never narrows the result;
* the result is monotone in each input (up, except debts: down);
* exact inputs give an exact result, and ``[n, n]`` is ``exact(n)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.income import (
    Amount,
    Assets,
    Car,
    Computation,
    PersonIncome,
    basic_livelihood,
    basic_pension,
    disability_pension,
)
from app.income.model import CAR_KINDS, LIVELIHOOD_TIERS, PENSION_TIERS, USES
from app.matching.parameters import ParameterSet

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MONEY = st.integers(0, 400_000_000)
SMALL = st.integers(0, 4_000_000)
DATES = st.sampled_from([date(2024, 6, 1), date(2025, 6, 1), date(2026, 6, 1)])


def exact_person() -> st.SearchStrategy[PersonIncome]:
    return st.builds(
        PersonIncome,
        age=st.integers(0, 90),
        disabled=st.booleans(),
        university_student=st.booleans(),
        earned=SMALL.map(Amount.exact),
        business=SMALL.map(Amount.exact),
        public_transfers=SMALL.map(Amount.exact),
        other=SMALL.map(Amount.exact),
    )


def exact_car() -> st.SearchStrategy[Car]:
    return st.builds(
        Car,
        value=st.integers(0, 60_000_000).map(Amount.exact),
        engine_cc=st.sampled_from([998, 1599, 1600, 1999, 2000, 3000]),
        age_years=st.integers(0, 15),
        kind=st.sampled_from(CAR_KINDS),
        use=st.sampled_from(USES),
    )


def exact_assets() -> st.SearchStrategy[Assets]:
    return st.builds(
        Assets,
        home_value=MONEY.map(Amount.exact),
        deposit=MONEY.map(Amount.exact),
        other_property=MONEY.map(Amount.exact),
        financial=MONEY.map(Amount.exact),
        debts=MONEY.map(Amount.exact),
        cars=st.lists(exact_car(), max_size=2).map(tuple),
        private_transfers=SMALL.map(Amount.exact),
    )


@st.composite
def widen(draw: st.DrawFn, a: Amount | None) -> Amount | None:
    """A range holding ``a`` (sometimes unknown)."""
    assert a is not None and a.high is not None
    kind = draw(st.sampled_from(["same", "range", "open", "unknown"]))
    if kind == "same":
        return a
    if kind == "unknown":
        return None
    low = draw(st.integers(0, a.low))
    if kind == "open":
        return Amount(low, None)
    return Amount(low, a.high + draw(st.integers(0, 50_000_000)))


@st.composite
def widen_person(draw: st.DrawFn, p: PersonIncome) -> PersonIncome:
    changes: dict[str, Any] = {}
    for name in ("earned", "business", "public_transfers", "other"):
        changes[name] = draw(widen(getattr(p, name)))
    for name in ("age", "disabled", "university_student"):
        if draw(st.booleans()):
            changes[name] = None
    return replace(p, **changes)


@st.composite
def widen_car(draw: st.DrawFn, c: Car) -> Car:
    changes: dict[str, Any] = {"value": draw(widen(c.value))}
    for name in ("engine_cc", "age_years", "kind", "use"):
        if draw(st.booleans()):
            changes[name] = None
    return replace(c, **changes)


@st.composite
def widen_assets(draw: st.DrawFn, a: Assets) -> Assets:
    changes: dict[str, Any] = {}
    for name in ("home_value", "deposit", "other_property", "financial", "debts"):
        changes[name] = draw(widen(getattr(a, name)))
    changes["private_transfers"] = draw(widen(a.private_transfers))
    assert a.cars is not None
    if draw(st.integers(0, 5)) == 0:
        changes["cars"] = None
    else:
        changes["cars"] = tuple(draw(widen_car(c)) for c in a.cars)
    return replace(a, **changes)


Run = Callable[[list[PersonIncome], Assets, Any, date, ParameterSet], Computation]
SCHEMES: list[tuple[str, Run, tuple[str, ...]]] = [
    ("livelihood", basic_livelihood, LIVELIHOOD_TIERS),  # type: ignore[list-item]
    ("basic_pension", basic_pension, PENSION_TIERS),  # type: ignore[list-item]
    ("disability_pension", disability_pension, PENSION_TIERS),  # type: ignore[list-item]
]


@pytest.mark.parametrize(("name", "run", "tiers"), SCHEMES, ids=[s[0] for s in SCHEMES])
@SETTINGS
@given(data=st.data())
def test_a_point_inside_the_ranges_lands_inside_the_result(
    parameters: ParameterSet, name: str, run: Run, tiers: tuple[str, ...], data: st.DataObject
) -> None:
    persons = data.draw(st.lists(exact_person(), min_size=1, max_size=2))
    assets = data.draw(exact_assets())
    tier = data.draw(st.sampled_from(tiers))
    as_of = data.draw(DATES)
    point = run(persons, assets, tier, as_of, parameters)
    assert point.total.is_exact, "exact inputs give an exact total"
    assert point.income_evaluated.is_exact and point.property_converted.is_exact
    wide_persons = [data.draw(widen_person(p)) for p in persons]
    wide_assets = data.draw(widen_assets(assets))
    wide_tier = data.draw(st.sampled_from([tier, None]))
    wide = run(wide_persons, wide_assets, wide_tier, as_of, parameters)
    assert point.total.within(wide.total)
    assert point.income_evaluated.within(wide.income_evaluated)
    assert point.property_converted.within(wide.property_converted)
    # widening further (everything unknown) never narrows
    widest = run([PersonIncome() for _ in persons], Assets(), None, as_of, parameters)
    assert wide.total.within(widest.total)
    assert wide.income_evaluated.within(widest.income_evaluated)


INCREASING = ("earned", "business", "public_transfers", "other")
ASSET_INCREASING = ("home_value", "deposit", "other_property", "financial", "private_transfers")


@pytest.mark.parametrize(("name", "run", "tiers"), SCHEMES, ids=[s[0] for s in SCHEMES])
@SETTINGS
@given(data=st.data())
def test_the_total_is_monotone_in_each_input(
    parameters: ParameterSet, name: str, run: Run, tiers: tuple[str, ...], data: st.DataObject
) -> None:
    persons = data.draw(st.lists(exact_person(), min_size=1, max_size=2))
    assets = data.draw(exact_assets())
    tier = data.draw(st.sampled_from(tiers))
    as_of = data.draw(DATES)
    base = run(persons, assets, tier, as_of, parameters).total.low
    bump = Amount.exact(data.draw(st.integers(1, 80_000_000)))
    field = data.draw(st.sampled_from([*INCREASING, *ASSET_INCREASING, "debts", "car"]))
    if field in INCREASING:
        i = data.draw(st.integers(0, len(persons) - 1))
        more = list(persons)
        old = getattr(persons[i], field)
        more[i] = replace(persons[i], **{field: old + bump})
        assert run(more, assets, tier, as_of, parameters).total.low >= base
    elif field == "car":
        assert assets.cars is not None
        if not assets.cars:
            return
        j = data.draw(st.integers(0, len(assets.cars) - 1))
        cars = list(assets.cars)
        old_value = cars[j].value
        assert old_value is not None
        cars[j] = replace(cars[j], value=old_value + bump)
        bigger = replace(assets, cars=tuple(cars))
        assert run(persons, bigger, tier, as_of, parameters).total.low >= base
    else:
        old = getattr(assets, field)
        changed = replace(assets, **{field: old + bump})
        after = run(persons, changed, tier, as_of, parameters).total.low
        if field == "debts":
            assert after <= base
        else:
            assert after >= base


@pytest.mark.parametrize(("name", "run", "tiers"), SCHEMES, ids=[s[0] for s in SCHEMES])
@SETTINGS
@given(data=st.data())
def test_the_range_ends_are_attained_by_the_corner_points(
    parameters: ParameterSet, name: str, run: Run, tiers: tuple[str, ...], data: st.DataObject
) -> None:
    """Tightness: with numeric ranges only, low/high are the totals at the low/high corners."""
    persons = data.draw(st.lists(exact_person(), min_size=1, max_size=2))
    assets = replace(data.draw(exact_assets()), cars=())
    tier = data.draw(st.sampled_from(tiers))
    as_of = data.draw(DATES)
    spread = data.draw(st.integers(0, 30_000_000))
    ranged = [
        replace(p, earned=Amount(p.earned.low, p.earned.low + spread))  # type: ignore[union-attr]
        for p in persons
    ]
    fin = assets.financial
    debts = assets.debts
    assert fin is not None and debts is not None
    wide_assets = replace(
        assets,
        financial=Amount(fin.low, fin.low + spread),
        debts=Amount(debts.low, debts.low + spread),
    )
    wide = run(ranged, wide_assets, tier, as_of, parameters).total
    low_corner = replace(assets, debts=Amount.exact(debts.low + spread))
    high_corner = replace(wide_assets, financial=Amount.exact(fin.low + spread), debts=debts)
    highs = [replace(p, earned=Amount.exact(p.earned.low + spread)) for p in persons]  # type: ignore[union-attr]
    assert wide.low == run(persons, low_corner, tier, as_of, parameters).total.low
    assert wide.high == run(highs, high_corner, tier, as_of, parameters).total.high


def test_a_range_with_min_equal_max_is_the_exact_case(parameters: ParameterSet) -> None:
    as_of = date(2026, 6, 1)
    person = PersonIncome(age=40, disabled=False, university_student=False,
                          earned=Amount(1_200_000, 1_200_000), business=Amount.exact(0),
                          public_transfers=Amount.exact(0), other=Amount.exact(0))  # fmt: skip
    exact = replace(person, earned=Amount.exact(1_200_000))
    assets = Assets(Amount.exact(0), Amount(30_000_000, 30_000_000), Amount.exact(0),
                    Amount.exact(0), Amount.exact(0), (), Amount.exact(0))  # fmt: skip
    for run, tier in ((basic_livelihood, "seoul"), (basic_pension, "metro")):
        a = run([person], assets, tier, as_of, parameters)  # type: ignore[operator]
        b = run([exact], assets, tier, as_of, parameters)  # type: ignore[operator]
        assert a == b
        assert a.total.is_exact and a.unknown == ()
