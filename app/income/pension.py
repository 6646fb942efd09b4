"""기초연금 and 장애인연금 소득인정액 (unit = 본인 + 배우자): income-recognition.md §2–3.

소득평가액 = Σ per spouse max(근로 − 공제, 0) × 0.7 + 사업 + 공적이전 + 기타 (사적이전 not counted).
재산 = max(일반재산 − 기본재산액, 0) + max(금융 − 2,000만, 0) − 부채 (floor 0), × 4 % ÷ 12;
cars ≥ 4,000만 (차령 10년 미만) at full value per month.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from app.income._core import (
    FULL,
    GENERAL,
    CarFacts,
    Classify,
    Ledger,
    Num,
    add,
    floor_sub,
    rate_minus_one,
    scale,
    step,
)
from app.income._engine import FlatRange, Point, Scheme_, compute
from app.income.intervals import Amount
from app.income.model import (
    PENSION_TIERS,
    Assets,
    Computation,
    PensionTier,
    PersonIncome,
    Scheme,
    Step,
)
from app.matching.parameters import ParameterSet

Prefix = Literal["basic_pension", "disability_pension"]
# PensionTier -> the table row (household.urban_class's options)
ROW: dict[PensionTier, str] = {"metro": "metropolitan", "city": "small_city", "rural": "rural"}


@dataclass(frozen=True, slots=True)
class _Out:
    earned: Num
    earned_evaluated: Num
    other_income: Num
    income: Num
    general: Num
    general_left: Num
    financial_left: Num
    debts: Num
    net: Num
    converted: Num
    cars_full: Num
    property: Num
    total: Num


def _no_flats(person: PersonIncome, book: Ledger) -> FlatRange:
    return 0, 0, {}


def _classifier_for(prefix: Prefix) -> Callable[[Ledger], Classify]:
    def classifier(book: Ledger) -> Classify:
        def classify(car: CarFacts) -> tuple[str | None, str]:
            excluded: str | None = None
            if car.use == "business":
                excluded = "business"
                book.method("pension.business_car", "partial")
            luxury = int(book.value(f"{prefix}_luxury_car_value_min"))
            young = int(book.value(f"{prefix}_luxury_car_age_max"))
            if (car.value is None or car.value >= luxury) and car.age_years < young:
                return excluded, FULL
            return excluded, GENERAL

        return classify

    return classifier


def _evaluator(prefix: Prefix) -> Callable[[Point, PensionTier, Ledger], _Out]:
    def evaluate(point: Point, tier: PensionTier, book: Ledger) -> _Out:
        earned: Num = 0
        evaluated: Num = 0
        other: Num = 0
        for person in point.persons:
            earned = add(earned, person.earned)
            if person.earned != 0:
                deduction = int(book.value(f"{prefix}_earned_deduction"))
                keep = rate_minus_one(book.value(f"{prefix}_earned_rate"))
                evaluated = add(evaluated, scale(floor_sub(person.earned, deduction), keep))
            other = add(other, person.business, person.public_transfers, person.other)
        income = add(evaluated, other)

        deposit = point.deposit
        if deposit != 0:
            deposit = scale(deposit, book.value(f"{prefix}_rent_deposit_factor"))
        general = add(point.home_value, deposit, point.other_property, point.cars.general)
        basic = int(book.value(f"{prefix}_basic_property_deduction", ROW[tier]))
        general_left = floor_sub(general, basic)
        financial_left = point.financial
        if financial_left != 0:
            financial_left = floor_sub(
                financial_left, int(book.value(f"{prefix}_financial_deduction"))
            )
        net = floor_sub(add(general_left, financial_left), point.debts)
        converted: Num = 0
        if net != 0:
            converted = scale(net, book.value(f"{prefix}_conversion_rate"), 12)
        prop = add(converted, point.cars.full)
        return _Out(
            earned, evaluated, other, income, general, general_left, financial_left,
            point.debts, net, converted, point.cars.full, prop, add(income, prop),
        )  # fmt: skip

    return evaluate


def _steps_for(name: Scheme, prefix: Prefix) -> Callable[..., tuple[Step, ...]]:
    def steps(
        span: Callable[[str], Amount], income: Amount, prop: Amount, total: Amount, book: Ledger
    ) -> tuple[Step, ...]:
        kept = book.ref("kept", f"{prefix}_earned_rate")
        kept = replace(kept, value=float(rate_minus_one(kept.value)))
        return (
            step(name, "income.earned", span("earned_evaluated"), kept, earned=span("earned")),
            step(name, "income.other", span("other_income")),
            step(name, "income.evaluated", income),
            step(name, "property.general", span("general")),
            step(name, "property.general.left", span("general_left")),
            step(
                name,
                "property.financial.left",
                span("financial_left"),
                book.ref("deduction", f"{prefix}_financial_deduction"),
            ),
            step(name, "property.debts", span("debts")),
            step(name, "property.net", span("net")),
            step(
                name,
                "property.net.converted",
                span("converted"),
                book.ref("rate", f"{prefix}_conversion_rate"),
            ),
            step(name, "property.cars", span("cars_full")),
            step(name, "property.converted", prop),
            step(name, "total", total),
        )

    return steps


def _scheme(name: Scheme, prefix: Prefix) -> Scheme_[_Out, PensionTier]:
    return Scheme_(
        name=name,
        evaluate=_evaluator(prefix),
        classifier=_classifier_for(prefix),
        flats=_no_flats,
        steps=_steps_for(name, prefix),
    )


BASIC_PENSION = _scheme("basic_pension", "basic_pension")
DISABILITY_PENSION = _scheme("disability_pension", "disability_pension")


def _run(
    scheme: Scheme_[_Out, PensionTier],
    unit: Sequence[PersonIncome],
    assets: Assets,
    tier: PensionTier | None,
    as_of: date,
    book: Ledger,
) -> Computation:
    if len(unit) not in (1, 2):
        raise ValueError("a pension unit is the applicant and at most one spouse")
    tiers = (tier,) if tier is not None else PENSION_TIERS
    return compute(scheme, unit, assets, tiers, tier is not None, as_of, book)


def basic_pension(
    unit: Sequence[PersonIncome],
    assets: Assets,
    tier: PensionTier | None,
    as_of: date,
    parameters: ParameterSet,
) -> Computation:
    """기초연금 소득인정액 of 본인 (+ 배우자)."""
    book = Ledger(parameters, as_of)
    return _run(BASIC_PENSION, unit, assets, tier, as_of, book)


def disability_pension(
    unit: Sequence[PersonIncome],
    assets: Assets,
    tier: PensionTier | None,
    as_of: date,
    parameters: ParameterSet,
) -> Computation:
    """장애인연금 소득인정액: the 기초연금 method with its own (partly unverified) constants."""
    book = Ledger(parameters, as_of)
    book.method("disability_pension.method", "partial")
    private = assets.private_transfers
    if private is None or private.high != 0:
        book.note("disability_pension.private_transfers")
    return _run(DISABILITY_PENSION, unit, assets, tier, as_of, book)
