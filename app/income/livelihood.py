"""기초생활보장 소득인정액 (also 차상위 and 한부모): income-recognition.md §1.

소득평가액 = Σ per person max(근로+사업 − 정액공제, 0) × 0.7 + 공적이전 + 기타 + 사적이전.
재산: 주거용 (자가 + 보증금) capped at 주거용재산 한도 (excess → 일반); 일반 = other property +
cars at the general rate + excess; 금융 − 생활준비금; 기본재산액 + 부채 deducted 주거용 → 일반 →
금융; × 1.04 / 4.17 / 6.26 % per month; other cars at 100 %.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import product
from typing import Literal

from app.income._core import (
    FULL,
    GENERAL,
    CarFacts,
    Classify,
    Ledger,
    Num,
    add,
    cap,
    floor_sub,
    lt,
    rate_minus_one,
    scale,
    step,
)
from app.income._engine import FlatRange, Point, Scheme_, compute
from app.income.intervals import Amount
from app.income.model import (
    LIVELIHOOD_TIERS,
    Assets,
    Computation,
    LivelihoodTier,
    PersonIncome,
    Scheme,
    Step,
)
from app.matching.parameters import ParameterSet

_NEW_CAR_RULES = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class _Out:
    earn: Num
    earn_evaluated: Num
    other_income: Num
    income: Num
    housing_gross: Num
    housing: Num
    excess: Num
    general: Num
    financial: Num
    deduction: Num
    housing_left: Num
    general_left: Num
    financial_left: Num
    housing_conv: Num
    general_conv: Num
    financial_conv: Num
    cars_full: Num
    property: Num
    total: Num


# --- income ---------------------------------------------------------------------------------

# The person ages the flat deductions compare (``_flat``): the constant's name, and how a
# person's age is compared with it. The estimate changes on the birthdays that cross them, so
# "coming up" (``app.matching.upcoming``) looks at those days too.
AGE_LIMITS: dict[str, Literal["le", "ge"]] = {
    "livelihood_youth_age_max": "le",
    "livelihood_elderly_age_min": "ge",
}


def _flat(age: int, disabled: bool, student: bool, book: Ledger) -> int:
    """The best flat deduction for one person (0 for ordinary earners)."""
    best = 0
    if age <= int(book.value("livelihood_youth_age_max")):
        best = max(best, int(book.value("livelihood_youth_flat_deduction")))
    if student:
        best = max(best, int(book.value("livelihood_student_flat_deduction")))
    if disabled or age >= int(book.value("livelihood_elderly_age_min")):
        best = max(best, int(book.value("livelihood_elderly_disabled_flat_deduction")))
    return best


def _flats(person: PersonIncome, book: Ledger) -> FlatRange:
    """(smallest flat, largest flat, per unknown field the smallest flat when only it varies)."""
    earned, business = person.earned, person.business
    if earned is not None and business is not None and earned.high == 0 and business.high == 0:
        return 0, 0, {}  # no earnings: the groups do not matter
    quiet = replace(book, quiet=True)
    ymax = int(quiet.value("livelihood_youth_age_max"))
    emin = int(quiet.value("livelihood_elderly_age_min"))
    choices: dict[str, tuple[object, ...]] = {
        "age": (person.age,) if person.age is not None else (ymax, max(ymax + 1, emin - 1), emin),
        "disabled": (person.disabled,) if person.disabled is not None else (False, True),
        "university_student": (
            (person.university_student,) if person.university_student is not None else (False, True)
        ),
    }

    def flat(combo: dict[str, object]) -> int:
        age = combo["age"]
        assert isinstance(age, int)
        return _flat(age, bool(combo["disabled"]), bool(combo["university_student"]), book)

    combos = [dict(zip(choices, c, strict=True)) for c in product(*choices.values())]
    values = [flat(c) for c in combos]
    best = combos[max(range(len(combos)), key=lambda i: values[i])]
    by_field = {
        name: min(flat({**best, name: option}) for option in options)
        for name, options in choices.items()
        if len(options) > 1
    }
    return min(values), max(values), by_field


# --- cars -----------------------------------------------------------------------------------


def _classifier(book: Ledger) -> Classify:
    def classify(car: CarFacts) -> tuple[str | None, str]:
        excluded: str | None = None
        if car.use in ("disability", "veteran_disability", "business"):
            limit = book.maybe("livelihood_car_excluded_cc_lt")
            if limit is None:  # before 2026: the 2026 고시 rule, unverified for the year
                limit = int(
                    book.parameters.value(
                        "income_recognition.livelihood_car_excluded_cc_lt", _NEW_CAR_RULES
                    )
                )
                book.method("livelihood.car_exclusion_before_2026", "unverified")
            if car.use == "business" or car.engine_cc < limit:
                excluded = car.use
        if car.use == "multi_child":
            book.method("livelihood.car_multi_child", "unverified")
            return excluded, GENERAL
        if car.kind == "passenger":
            cc_lt = int(book.value("livelihood_car_passenger_cc_lt"))
            value_lt = int(book.value("livelihood_car_value_lt"))
            age_min = book.maybe("livelihood_car_passenger_age_min")
            if car.engine_cc < cc_lt and lt(car.value, value_lt):
                return excluded, GENERAL
            if car.engine_cc < cc_lt and age_min is not None and car.age_years >= age_min:
                return excluded, GENERAL
            if car.engine_cc < cc_lt and age_min is None and car.age_years >= 10:
                book.note("livelihood.car_age_alternative")
            return excluded, FULL
        age_min_vt = book.maybe("livelihood_car_van_truck_age_min")
        value_lt_vt = book.maybe("livelihood_car_van_truck_value_lt")
        if (
            age_min_vt is not None
            and value_lt_vt is not None
            and (car.age_years >= age_min_vt or lt(car.value, int(value_lt_vt)))
        ):
            book.note("livelihood.van_truck_small")
            return excluded, GENERAL
        return excluded, FULL

    return classify


# --- the point function ---------------------------------------------------------------------


def _evaluate(point: Point, tier: LivelihoodTier, book: Ledger) -> _Out:
    keep = rate_minus_one(book.value("livelihood_earned_deduction_rate"))
    earn: Num = 0
    earn_evaluated: Num = 0
    other_income: Num = point.private_transfers
    for person in point.persons:
        earning = add(person.earned, person.business)
        earn = add(earn, earning)
        if earning != 0:
            earn_evaluated = add(earn_evaluated, scale(floor_sub(earning, person.flat), keep))
        other_income = add(other_income, person.public_transfers, person.other)
    income = add(earn_evaluated, other_income)

    limit = int(book.value("livelihood_housing_property_cap", tier))
    housing_gross = add(point.home_value, point.deposit)
    housing = cap(housing_gross, limit)
    excess = floor_sub(housing_gross, limit)
    general = add(point.other_property, point.cars.general, excess)
    financial = point.financial
    if financial != 0:
        financial = floor_sub(financial, int(book.value("livelihood_living_reserve")))
    deduction = add(int(book.value("livelihood_basic_property_deduction", tier)), point.debts)
    if sum(1 for v in (housing, general, financial) if v != 0) >= 2:
        book.method("livelihood.deduction_order", "partial")
    housing_left = floor_sub(housing, deduction)
    rest = floor_sub(deduction, housing)
    general_left = floor_sub(general, rest)
    rest = floor_sub(rest, general) if rest is not None else None
    financial_left = floor_sub(financial, rest)
    housing_conv = _conv(housing_left, "livelihood_rate_housing", book)
    general_conv = _conv(general_left, "livelihood_rate_general", book)
    financial_conv = _conv(financial_left, "livelihood_rate_financial", book)
    cars_full = _conv(point.cars.full, "livelihood_rate_car", book)
    prop = add(housing_conv, general_conv, financial_conv, cars_full)
    return _Out(
        earn, earn_evaluated, other_income, income, housing_gross, housing, excess, general,
        financial, deduction, housing_left, general_left, financial_left, housing_conv,
        general_conv, financial_conv, cars_full, prop, add(income, prop),
    )  # fmt: skip


def _conv(value: Num, rate: str, book: Ledger) -> Num:
    if value == 0:
        return 0
    return scale(value, book.value(rate))


# --- the scheme -----------------------------------------------------------------------------


def _steps(
    span: Callable[[str], Amount], income: Amount, prop: Amount, total: Amount, book: Ledger
) -> tuple[Step, ...]:
    name: Scheme = "basic_livelihood"
    rate = book.ref("rate", "livelihood_earned_deduction_rate")
    return (
        step(name, "income.earned", span("earn_evaluated"), rate, earned=span("earn")),
        step(name, "income.other", span("other_income")),
        step(name, "income.evaluated", income),
        step(name, "property.housing", span("housing")),
        step(name, "property.general", span("general")),
        step(name, "property.financial", span("financial")),
        step(name, "property.deduction", span("deduction")),
        step(
            name,
            "property.housing.converted",
            span("housing_conv"),
            book.ref("rate", "livelihood_rate_housing"),
        ),
        step(
            name,
            "property.general.converted",
            span("general_conv"),
            book.ref("rate", "livelihood_rate_general"),
        ),
        step(
            name,
            "property.financial.converted",
            span("financial_conv"),
            book.ref("rate", "livelihood_rate_financial"),
        ),
        step(name, "property.cars", span("cars_full"), book.ref("rate", "livelihood_rate_car")),
        step(name, "property.converted", prop),
        step(name, "total", total),
    )


def _evaluate_point(point: Point, tier: LivelihoodTier, book: Ledger) -> _Out:
    return _evaluate(point, tier, book)


SCHEME: Scheme_[_Out, LivelihoodTier] = Scheme_(
    name="basic_livelihood",
    evaluate=_evaluate_point,
    classifier=_classifier,
    flats=_flats,
    steps=_steps,
)


def basic_livelihood(
    persons: Sequence[PersonIncome],
    assets: Assets,
    tier: LivelihoodTier | None,
    as_of: date,
    parameters: ParameterSet,
) -> Computation:
    """소득인정액 by the 국민기초생활보장 method (also 차상위; 한부모: property side unverified)."""
    book = Ledger(parameters, as_of)
    deposit = assets.deposit
    if deposit is None or deposit.high != 0:
        book.note("livelihood.deposit_factor")
    tiers = (tier,) if tier is not None else LIVELIHOOD_TIERS
    return compute(SCHEME, persons, assets, tiers, tier is not None, as_of, book)
