"""Shared machinery: unbounded whole-won numbers, the ledger of constants used, cars, steps.

A *point* is one concrete choice of every input (``Num``: an int, or ``None`` for +∞). Every scheme
is monotone in each input (increasing, except debts: decreasing; see docs/income-recognition.md),
so the tightest interval of the result is [f(low point), f(high point)]; categorical inputs (tier,
age group, car fields) are enumerated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import product

from app.income.intervals import Amount, scale_won
from app.income.model import (
    CAR_KINDS,
    USES,
    Car,
    CarKind,
    Note,
    Ref,
    Scheme,
    Step,
    Use,
    Verification,
)
from app.matching.errors import NoParameterValue
from app.matching.parameters import ParameterSet, Scalar

Num = int | None  # None = +∞
PREFIX = "income_recognition."
_RANK: dict[Verification, int] = {"verified": 0, "partial": 1, "unverified": 2}


def add(*values: Num) -> Num:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def floor_sub(a: Num, b: Num) -> Num:
    """``max(a − b, 0)``; ∞ − finite = ∞, anything − ∞ = 0.

    ∞ − ∞ never occurs at the low or high point (increasing inputs are finite at the low point,
    debts at the high point); in an attribution run (one input raised from the low point) it is 0:
    the other inputs stay at their low side.
    """
    if b is None:
        return 0
    if a is None:
        return None
    return max(a - b, 0)


def cap(a: Num, limit: int) -> int:
    return limit if a is None else min(a, limit)


def scale(a: Num, rate: Scalar | Decimal, divisor: int = 1) -> Num:
    return None if a is None else scale_won(a, rate, divisor)


def lt(a: Num, limit: int) -> bool:
    return a is not None and a < limit


def hull(values: Iterable[Num]) -> Amount:
    items = list(values)
    finite = [v for v in items if v is not None]
    low = min(finite) if finite else 0
    high = None if any(v is None for v in items) else max(finite)
    return Amount(low, high)


def lo(a: Amount | None) -> int:
    return 0 if a is None else a.low


def hi(a: Amount | None) -> Num:
    return None if a is None else a.high


def is_open(a: Amount | None) -> bool:
    """Unknown or ranged."""
    return a is None or not a.is_exact


@dataclass
class Ledger:
    """The constants and method rules a computation used, and the notes they carry (by key: the
    text layer words them)."""

    parameters: ParameterSet
    as_of: date
    marks: dict[str, Verification] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    quiet: bool = False  # attribution runs do not record

    def value(self, name: str, key: str | None = None) -> Scalar:
        parameter_id = PREFIX + name
        value = self.parameters.value(parameter_id, self.as_of, key)
        self.use(name)
        return value

    def maybe(self, name: str) -> Scalar | None:
        """The value in force, or ``None`` when the rule is not (or no longer) in force."""
        try:
            value = self.parameters.value(PREFIX + name, self.as_of)
        except NoParameterValue:
            return None
        self.use(name)
        return value

    def ref(self, role: str, name: str) -> Ref:
        """A constant as a step names it, without counting it as used (the step only shows it)."""
        return Ref(role, name, self.parameters.value(PREFIX + name, self.as_of))

    def use(self, name: str) -> None:
        if self.quiet:
            return
        mark = self.parameters[PREFIX + name].verification
        self.marks[name] = mark
        if mark != "verified":
            self.notes.setdefault(name, Note(name, parameter=True))

    def method(self, key: str, mark: Verification) -> None:
        """A method rule (not a number) with its own mark and note ``key``."""
        if self.quiet:
            return
        self.marks[key] = mark
        self.notes.setdefault(key, Note(key))

    def note(self, key: str) -> None:
        if not self.quiet:
            self.notes.setdefault(key, Note(key))

    @property
    def verification(self) -> Verification:
        worst: Verification = "verified"
        for mark in self.marks.values():
            if _RANK[mark] > _RANK[worst]:
                worst = mark
        return worst


# --- cars -----------------------------------------------------------------------------------

GENERAL, FULL = "general", "full"


@dataclass(frozen=True, slots=True)
class CarFacts:
    """One concrete car: every field known (value None = ∞)."""

    value: Num
    engine_cc: int
    age_years: int
    kind: CarKind
    use: Use


# (exclusion kind or None, class when not excluded)
Classify = Callable[[CarFacts], tuple[str | None, str]]
_CC = (1, 1599, 1600, 1999, 2000, 3000)
_AGE = (0, 9, 10)


def _candidates(car: Car, value: Num) -> list[CarFacts]:
    ccs = (car.engine_cc,) if car.engine_cc is not None else _CC
    ages = (car.age_years,) if car.age_years is not None else _AGE
    kinds: Sequence[CarKind] = (car.kind,) if car.kind is not None else CAR_KINDS
    uses: Sequence[Use] = (car.use,) if car.use is not None else USES
    return [CarFacts(value, c, a, k, u) for c, a, k, u in product(ccs, ages, kinds, uses)]


@dataclass(frozen=True, slots=True)
class CarSums:
    """What the cars add at one point: to general property, and at full value."""

    general: Num
    full: Num


def car_sums(
    cars: Sequence[Car] | None, classify: Classify, high: bool | frozenset[int]
) -> CarSums:
    """The cars' contribution at the low (``high`` False) or high point.

    At most one car per exclusion kind (장애인용, 상이 국가유공자용, 생업용) is left out: when every
    possible claimer of a kind surely qualifies, the most valuable one; otherwise the low point
    leaves out every possible claimer and the high point none (a correct, slightly wide interval).
    """
    if cars is None:
        return CarSums(0, 0) if high is not True else CarSums(0, None)
    rows = []
    raised = [high if isinstance(high, bool) else i in high for i in range(len(cars))]
    for i, car in enumerate(cars):
        value: Num = hi(car.value) if raised[i] else lo(car.value)
        facts = _candidates(car, value)
        results = [classify(f) for f in facts]
        kinds = {kind for kind, _ in results}
        pick = max if raised[i] else min
        fallback = pick((cls for _, cls in results), key=lambda c: c == FULL)
        definite = next(iter(kinds)) if len(kinds) == 1 else None
        possible = {k for k in kinds if k is not None}
        rows.append((value, fallback, possible, definite))
    excluded: set[int] = set()
    for kind in {k for _, _, possible, _ in rows for k in possible}:
        claimers = [i for i, row in enumerate(rows) if kind in row[2]]
        if all(rows[i][3] == kind for i in claimers):
            best = max(claimers, key=lambda i: (rows[i][0] is None, rows[i][0] or 0, -i))
            excluded.add(best)
        else:
            excluded.update(i for i in claimers if not raised[i])
    general: Num = 0
    full: Num = 0
    for i, (value, cls, _, _) in enumerate(rows):
        if i in excluded:
            continue
        if cls == FULL:
            full = add(full, value)
        else:
            general = add(general, value)
    return CarSums(general, full)


def sort_unknown(entries: Iterable[tuple[str, Num]]) -> tuple[tuple[str, int | None], ...]:
    """Biggest first (unbounded first), then by name."""
    return tuple(sorted(entries, key=lambda e: (e[1] is not None, -(e[1] or 0), e[0])))


def rate_minus_one(rate: Scalar) -> Decimal:
    """``1 − rate`` exactly (0.3 -> 0.7)."""
    return Decimal(1) - Decimal(str(rate))


def step(scheme: Scheme, key: str, amount: Amount, *refs: Ref, **inputs: Amount) -> Step:
    return Step(scheme, key, amount, tuple(inputs.items()), refs)
