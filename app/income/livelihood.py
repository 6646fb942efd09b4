# ruff: noqa: E501  (bilingual label tables read better unwrapped)
"""기초생활보장 소득인정액 (also 차상위 and 한부모): income-recognition.md §1.

소득평가액 = Σ per person max(근로+사업 − 정액공제, 0) × 0.7 + 공적이전 + 기타 + 사적이전.
재산: 주거용 (자가 + 보증금) capped at 주거용재산 한도 (excess → 일반); 일반 = other property + cars at
the general rate + excess; 금융 − 생활준비금; 기본재산액 + 부채 deducted 주거용 → 일반 → 금융;
× 1.04 / 4.17 / 6.26 % per month; other cars at 100 %.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import product

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
    labelled_step,
    lt,
    money,
    rate_minus_one,
    scale,
    text,
)
from app.income._engine import FlatRange, Point, Scheme_, compute
from app.income.doubts import DOUBTS
from app.income.intervals import Amount
from app.income.model import (
    LIVELIHOOD_TIERS,
    Assets,
    Computation,
    LivelihoodTier,
    PersonIncome,
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
                book.method(
                    "livelihood.car_exclusion_before_2026",
                    "unverified",
                    text(
                        "2026년 전 장애인·상이 국가유공자·생업용 차량 제외 기준은 2026년 고시를 그대로 "
                        "적용했습니다 (생업용은 예전엔 일부 감면이었을 수 있음).",
                        "Before 2026 the 2026 notice's car exclusions (disability, veteran, "
                        "business) are applied as they are; business cars may then have had only "
                        "a partial reduction.",
                    ),
                )
            if car.use == "business" or car.engine_cc < limit:
                excluded = car.use
        if car.use == "multi_child":
            book.method(
                "livelihood.car_multi_child",
                "unverified",
                text(
                    "다자녀 가구 차량은 일반재산(4.17%)으로 보았습니다. 배기량·대수 한도는 확인되지 "
                    "않았습니다.",
                    "A multi-child household's car is taken as general property (4.17 %); its "
                    "displacement/count limits are not confirmed.",
                ),
            )
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
                book.note(
                    "livelihood.car_age_alternative",
                    text(
                        "2025년부터 '차령 10년 이상' 승용차도 일반재산으로 보는지 확인되지 않아 "
                        "100% 반영했습니다.",
                        "Whether a passenger car aged 10+ years still counts as general property "
                        "from 2025 is not confirmed; it is counted at 100 %.",
                    ),
                )
            return excluded, FULL
        age_min_vt = book.maybe("livelihood_car_van_truck_age_min")
        value_lt_vt = book.maybe("livelihood_car_van_truck_value_lt")
        if (
            age_min_vt is not None
            and value_lt_vt is not None
            and (car.age_years >= age_min_vt or lt(car.value, int(value_lt_vt)))
        ):
            book.note(
                "livelihood.van_truck_small",
                text(
                    "승합·화물차는 소형 이하로 보았습니다 (그보다 크면 100% 반영).",
                    "A van or truck is taken as small (a larger one counts at 100 %).",
                ),
            )
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
        book.method(
            "livelihood.deduction_order",
            "partial",
            text(
                "기본재산액과 부채는 주거용 → 일반 → 금융재산 순으로 뺐습니다 (한 자료만 확인).",
                "The basic property deduction and debts are taken off housing, then general, then "
                "financial property (one source only).",
            ),
        )
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
    span: Callable[[str], Amount], income: Amount, prop: Amount, total: Amount
) -> tuple[Step, ...]:
    step = labelled_step
    e, ee = money(span("earn")), money(span("earn_evaluated"))
    return (
        Step(
            "income.earned",
            text(
                f"근로·사업소득 {e.ko} → 정액·30% 공제 후 {ee.ko}",
                f"Earned and business income {e.en} → {ee.en} after the flat and 30 % deductions",
            ),
            span("earn_evaluated"),
        ),
        step("income.other", "공적·사적 이전소득과 기타소득", "Transfers and other income", span("other_income")),
        step("income.evaluated", "소득평가액", "Evaluated income", income),
        step("property.housing", "주거용재산 (한도 적용)", "Housing property (capped)", span("housing")),
        step("property.general", "일반재산 (한도 초과분·차량 포함)", "General property (with the excess and cars)", span("general")),
        step("property.financial", "금융재산 (생활준비금 공제 후)", "Financial property after the living reserve", span("financial")),
        step("property.deduction", "기본재산액 + 부채", "Basic property deduction + debts", span("deduction")),
        step("property.housing.converted", "주거용재산 남은 금액 × 1.04%", "Housing left × 1.04 %", span("housing_conv")),
        step("property.general.converted", "일반재산 남은 금액 × 4.17%", "General left × 4.17 %", span("general_conv")),
        step("property.financial.converted", "금융재산 남은 금액 × 6.26%", "Financial left × 6.26 %", span("financial_conv")),
        step("property.cars", "자동차 100% 반영", "Cars counted at 100 %", span("cars_full")),
        step("property.converted", "재산의 소득환산액", "Property converted to income", prop),
        step("total", "소득인정액", "Recognized income", total),
    )  # fmt: skip


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
    book = Ledger(parameters, as_of, DOUBTS)
    deposit = assets.deposit
    if deposit is None or deposit.high != 0:
        book.note(
            "livelihood.deposit_factor",
            text(
                "임차보증금은 전액 주거용재산으로 보았습니다 (95%만 본다는 자료가 하나 있음, 미확인).",
                "The rent deposit is counted in full (one unconfirmed source counts 95 %).",
            ),
        )
    tiers = (tier,) if tier is not None else LIVELIHOOD_TIERS
    return compute(SCHEME, persons, assets, tiers, tier is not None, as_of, book)
