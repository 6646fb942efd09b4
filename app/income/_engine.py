"""The driver shared by the schemes: low/high points, tiers, steps, attribution of unknowns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Generic, Protocol, TypeVar

from app.income._core import (
    CarSums,
    Classify,
    Ledger,
    Num,
    car_sums,
    hi,
    hull,
    is_open,
    lo,
    sort_unknown,
)
from app.income.intervals import Amount
from app.income.model import Assets, Computation, PersonIncome, Scheme, Step

PERSON_FIELDS = ("earned", "business", "public_transfers", "other")
ASSET_FIELDS = ("home_value", "deposit", "other_property", "financial", "private_transfers")


@dataclass(frozen=True, slots=True)
class PersonPoint:
    earned: Num
    business: Num
    public_transfers: Num
    other: Num
    flat: int  # livelihood flat deduction (0 for the pension schemes)


@dataclass(frozen=True, slots=True)
class Point:
    persons: tuple[PersonPoint, ...]
    home_value: Num
    deposit: Num
    other_property: Num
    financial: Num
    private_transfers: Num
    debts: Num
    cars: CarSums


class Out(Protocol):
    @property
    def income(self) -> Num: ...
    @property
    def total(self) -> Num: ...
    @property
    def property(self) -> Num: ...  # last: the name shadows the decorator in this body


R = TypeVar("R", bound=Out)
T = TypeVar("T", bound=str)


# (smallest flat, largest flat, per open categorical field: the smallest flat when only it varies
# from the choice giving the largest)
FlatRange = tuple[int, int, dict[str, int]]


@dataclass
class Scheme_(Generic[R, T]):
    name: Scheme
    evaluate: Callable[[Point, T, Ledger], R]
    classifier: Callable[[Ledger], Classify]
    flats: Callable[[PersonIncome, Ledger], FlatRange]
    steps: Callable[[Callable[[str], Amount], Amount, Amount, Amount, Ledger], tuple[Step, ...]]


def _pick(a: Amount | None, high: bool) -> Num:
    return hi(a) if high else lo(a)


def build_point(
    persons: Sequence[PersonIncome],
    assets: Assets,
    book: Ledger,
    scheme: Scheme_[R, T],
    high: bool,
    flip: str | None = None,
) -> Point:
    """The low (``high`` False) or high point; ``flip`` names one input put at the other side."""
    people = []
    for i, person in enumerate(persons):
        fmin, fmax, by_field = scheme.flats(person, book)
        flat = fmin if high else fmax
        for name, value in by_field.items():
            if flip == f"persons[{i}].{name}":
                flat = value if not high else fmax
        fields = {
            name: _pick(getattr(person, name), high != (flip == f"persons[{i}].{name}"))
            for name in PERSON_FIELDS
        }
        people.append(PersonPoint(flat=flat, **fields))
    values = {
        name: _pick(getattr(assets, name), high != (flip == f"assets.{name}"))
        for name in ASSET_FIELDS
    }
    debts = lo(assets.debts) if high != (flip == "assets.debts") else hi(assets.debts)
    raised: frozenset[int] | bool = high
    if flip is not None and flip.startswith("assets.cars["):
        j = int(flip[len("assets.cars[") : -1])
        count = len(assets.cars or ())
        raised = frozenset(i for i in range(count) if (i == j) != high)
    cars = assets.cars
    if flip == "assets.cars":
        raised = not high
    classify = scheme.classifier(book)
    return Point(tuple(people), debts=debts, cars=car_sums(cars, classify, raised), **values)


def _open_inputs(
    persons: Sequence[PersonIncome], assets: Assets, book: Ledger, scheme: Scheme_[R, T]
) -> list[str]:
    names = []
    for i, person in enumerate(persons):
        names += [f"persons[{i}].{n}" for n in PERSON_FIELDS if is_open(getattr(person, n))]
        names += [f"persons[{i}].{n}" for n in scheme.flats(person, book)[2]]
    names += [f"assets.{n}" for n in (*ASSET_FIELDS, "debts") if is_open(getattr(assets, n))]
    if assets.cars is None:
        names.append("assets.cars")
    else:
        for j, car in enumerate(assets.cars):
            fields = (car.engine_cc, car.age_years, car.kind, car.use)
            if is_open(car.value) or any(f is None for f in fields):
                names.append(f"assets.cars[{j}]")
    return names


def compute(
    scheme: Scheme_[R, T],
    persons: Sequence[PersonIncome],
    assets: Assets,
    tiers: Sequence[T],
    tier_known: bool,
    as_of: date,
    book: Ledger,
) -> Computation:
    low_point = build_point(persons, assets, book, scheme, False)
    high_point = build_point(persons, assets, book, scheme, True)
    lows = {t: scheme.evaluate(low_point, t, book) for t in tiers}
    highs = {t: scheme.evaluate(high_point, t, book) for t in tiers}
    outs: list[R] = [*lows.values(), *highs.values()]

    def bound(name: str) -> Amount:
        low = min(getattr(o, name) or 0 for o in lows.values())
        return Amount(low, hull(getattr(o, name) for o in highs.values()).high)

    def span(name: str) -> Amount:
        return hull(getattr(o, name) for o in outs)

    income, prop, total = bound("income"), bound("property"), bound("total")
    steps = scheme.steps(span, income, prop, total, book)

    low_tier = min(tiers, key=lambda t: lows[t].total or 0)
    high_tier = max(tiers, key=lambda t: (highs[t].total is None, highs[t].total or 0))
    base_low = lows[low_tier].total or 0
    base_high = highs[high_tier].total
    quiet = replace(book, quiet=True)
    moves: list[tuple[str, Num]] = []
    for name in _open_inputs(persons, assets, quiet, scheme):
        # how far the input alone moves the total, from the low point up or the high point down
        up = scheme.evaluate(
            build_point(persons, assets, quiet, scheme, False, name), low_tier, quiet
        )
        down = scheme.evaluate(
            build_point(persons, assets, quiet, scheme, True, name), high_tier, quiet
        )
        if up.total is None or (base_high is None and down.total is not None):
            moves.append((name, None))
        else:
            moves.append((name, max(up.total - base_low, (base_high or 0) - (down.total or 0))))
    if not tier_known:
        up_tier = max(lows[t].total or 0 for t in tiers) - base_low
        down_tier = 0
        if base_high is not None:
            down_tier = base_high - min(highs[t].total or 0 for t in tiers)
        moves.append(("tier", max(up_tier, down_tier)))
    if not total.is_exact:
        book.note("input.estimate")
    return Computation(
        scheme=scheme.name,
        as_of=as_of,
        income_evaluated=income,
        property_converted=prop,
        total=total,
        steps=steps,
        unknown=sort_unknown(moves),
        verification=book.verification,
        notes=tuple(book.notes.values()),
    )
