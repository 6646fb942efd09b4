"""소득인정액 estimated from plain facts (#11), where the citizen did not state it.

``household.income_recognized_monthly`` (기초생활보장 method: 생계·의료·주거·교육급여, 차상위,
한부모) and the applicant's 본인+배우자 unit (``pension_unit.income_recognized_monthly``, 기초연금
method) are computed by ``app.income`` from what a citizen can answer: earnings, pensions, the
home, the deposit, savings, debts and the car. A stated figure always wins. The estimate is an
interval: unknown inputs widen it, and the engine decides only where the whole interval is on
one side of a line. ``Estimate.asks`` names the request paths that would narrow it most, biggest
first, so the question picker asks those instead of the figure nobody knows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.catalog.regions import UnknownSigungu, livelihood_tier, pension_tier
from app.income import (
    LIVELIHOOD_AGE_LIMITS,
    Amount,
    Assets,
    Car,
    Computation,
    PersonIncome,
    basic_livelihood,
    basic_pension,
    disability_pension,
)
from app.matching.errors import NoParameterValue
from app.matching.parameters import ParameterSet
from app.matching.values import Range

PERSON_INPUTS = {
    "earned_income_monthly": "earned",
    "business_income_monthly": "business",
    "pension_income_monthly": "public_transfers",
    "other_income_monthly": "other",
}
HOUSEHOLD_INPUTS = {
    "household.home_value": "home_value",
    "household.rent_deposit": "deposit",
    "household.other_property": "other_property",
    "household.financial_assets": "financial",
    "household.debts": "debts",
    "household.private_transfers_monthly": "private_transfers",
}
CAR_FACTS = ("household.car", "household.car_value", "household.car_engine_cc",
             "household.car_age_years")  # fmt: skip
# 시도 → 기초생활보장 급지 where the whole 시도 has one (경남: 창원 is 광역 급지, the rest not)
SIDO_TIER = {"11": "seoul", "41": "gyeonggi", "26": "metro", "27": "metro", "28": "metro",
             "29": "metro", "30": "metro", "31": "metro", "36": "metro"}  # fmt: skip
OTHER_TIER_SIDO = ("43", "44", "46", "47", "50", "51", "52")
URBAN_TIER = {"metropolitan": "metro", "small_city": "city", "rural": "rural"}


# What an estimate changes with besides the profile: the facts it writes (the ratio is derived
# from the figure) read by a program change on a member's birthday that crosses one of these
# dated constants (parameter id -> how a person's age is compared with it).
ESTIMATED_FACTS = frozenset(
    ("household.income_recognized_monthly", "household.median_income_ratio")
)
ESTIMATE_AGE_LIMITS = {f"income_recognition.{k}": op for k, op in LIVELIHOOD_AGE_LIMITS.items()}


@dataclass(frozen=True, slots=True)
class Estimate:
    fact: str  # the fact estimated
    computation: Computation
    asks: tuple[str, ...]  # request paths that would narrow it, biggest first


def _amount(value: object) -> Amount | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Amount.exact(int(value))
    if isinstance(value, Range):
        low = 0 if value.min is None else int(value.min)
        return Amount(low, None if value.max is None else int(value.max))
    return None


INCOME_FACTS = ("household.income_recognized_monthly", "pension_unit.income_recognized_monthly")


def plain_paths(members: int) -> tuple[str, ...]:
    """Every plain question the calculator reads, in the order a kiosk asks them before any is
    answered: what people know best and what weighs most first (earnings, pensions, savings,
    the deposit or the home, the car, debts), the rarer income last."""
    people = ["applicant", *(f"members[{i}]" for i in range(members))]
    first = [f"{p}.earned_income_monthly" for p in people]
    first += [f"{p}.pension_income_monthly" for p in people]
    middle = [
        "household.financial_assets",
        "household.rent_deposit",
        "household.home_value",
        "household.car",
        "household.debts",
        "household.other_property",
    ]
    last = [f"{p}.{name}" for p in people for name in ("business_income_monthly",
                                                        "other_income_monthly")]  # fmt: skip
    return (*first, *middle, *last, "household.private_transfers_monthly")


def profile_has_plain(applicant: Mapping[str, object], members: Sequence[Mapping[str, object]],
                      household: Mapping[str, object]) -> bool:  # fmt: skip
    """``plain_given`` on a request profile (household keys without their prefix)."""
    return plain_given([applicant, *members], {f"household.{k}": v for k, v in household.items()})


def plain_given(persons: Sequence[Mapping[str, object]], household: Mapping[str, object]) -> bool:
    """Whether the citizen gave any plain figure the calculator reads."""
    return any(name in p for p in persons for name in PERSON_INPUTS) or any(
        fact in household for fact in (*HOUSEHOLD_INPUTS, *CAR_FACTS)
    )


def _person(facts: Mapping[str, object]) -> PersonIncome:
    age = facts.get("age")
    student = facts.get("student")
    disabled = facts.get("disability_registered")
    return PersonIncome(
        age=age if isinstance(age, int) and not isinstance(age, bool) else None,
        disabled=disabled if isinstance(disabled, bool) else None,
        university_student=None if not isinstance(student, str) else student == "university",
        **{field: _amount(facts.get(name)) for name, field in PERSON_INPUTS.items()},
    )


def _assets(household: Mapping[str, object]) -> Assets:
    values = {field: _amount(household.get(fact)) for fact, field in HOUSEHOLD_INPUTS.items()}
    housing = household.get("household.housing")
    if isinstance(housing, str):  # what the tenure rules out is nothing
        if housing != "owner" and values["home_value"] is None:
            values["home_value"] = Amount.exact(0)
        if housing == "owner" and values["deposit"] is None:
            values["deposit"] = Amount.exact(0)
    return Assets(cars=_cars(household), **values)


def _cars(household: Mapping[str, object]) -> tuple[Car, ...] | None:
    use = household.get("household.car")
    if use == "none":
        return ()
    if not isinstance(use, str):
        return None
    cc, age = household.get("household.car_engine_cc"), household.get("household.car_age_years")
    return (
        Car(
            value=_amount(household.get("household.car_value")),
            engine_cc=cc if isinstance(cc, int) and not isinstance(cc, bool) else None,
            age_years=age if isinstance(age, int) and not isinstance(age, bool) else None,
            use=use,  # type: ignore[arg-type]
        ),
    )


def _livelihood_tier(household: Mapping[str, object]) -> str | None:
    code = household.get("household.sigungu")
    if isinstance(code, str):
        try:
            return livelihood_tier(code)
        except UnknownSigungu:
            return None
    region = household.get("household.region")
    if isinstance(region, str):
        if region in SIDO_TIER:
            return SIDO_TIER[region]
        if region in OTHER_TIER_SIDO:
            return "other"
    return None  # 경남 (창원 or not) or unknown: the interval over the tiers


def _pension_tier(household: Mapping[str, object]) -> str | None:
    code = household.get("household.sigungu")
    if isinstance(code, str):
        try:
            return pension_tier(code)
        except UnknownSigungu:
            return None
    urban = household.get("household.urban_class")
    return URBAN_TIER.get(urban) if isinstance(urban, str) else None


def _path(person: int) -> str:
    return "applicant" if person == 0 else f"members[{person - 1}]"


_PERSON_FIELD = {v: k for k, v in PERSON_INPUTS.items()} | {
    "age": "age",
    "disabled": "disability_registered",
    "university_student": "student",
}
_ASSET_FIELD = {v: k for k, v in HOUSEHOLD_INPUTS.items()} | {
    "cars": "household.car",
    "tier": "household.sigungu",
}


def _asks(computation: Computation, people: Sequence[int]) -> tuple[str, ...]:
    """The request paths behind ``computation.unknown``, biggest effect first (each once)."""
    found: list[str] = []
    for name, effect in computation.unknown:
        if effect == 0:  # settles nothing: not worth a question
            continue
        head, _, field = name.partition(".")
        if head.startswith("persons["):
            index = int(head[len("persons[") : -1])
            base = _PERSON_FIELD.get(field)
            path = None if base is None else f"{_path(people[index])}.{base}"
        elif head.startswith("assets"):
            field = field.split("[", 1)[0]
            path = _ASSET_FIELD.get(field)
            if path == "household.car" and name != "assets.cars":
                path = "household.car_value"  # the car is known; its value or size is not
        elif name == "tier":
            path = "household.sigungu"
        else:
            path = None
        if path is not None and path not in found:
            found.append(path)
    return tuple(found)


def estimate(
    household: dict[str, object],
    persons: Sequence[Mapping[str, object]],
    spouses: Sequence[int | None],
    as_of: date,
    parameters: ParameterSet | None,
) -> dict[str, Estimate]:
    """Estimates for the 소득인정액 facts the citizen did not state, given any plain figure; the
    estimated intervals are written into ``household`` (as a ``Range``, or an exact number)."""
    if parameters is None or not plain_given(persons, household):
        return {}
    found: dict[str, Estimate] = {}
    everyone = list(range(len(persons)))
    assets = _assets(household)
    try:
        if "household.income_recognized_monthly" not in household:
            computation = _cached(
                basic_livelihood,
                [_person(p) for p in persons],
                assets,
                _livelihood_tier(household),
                as_of,
                parameters,
            )
            fact = "household.income_recognized_monthly"
            found[fact] = Estimate(fact, computation, _asks(computation, everyone))
            household[fact] = _fact_value(computation.total)
        if "pension_unit.income_recognized_monthly" not in household:
            unit = [0] if spouses[0] is None else [0, spouses[0]]
            computation = _cached(
                basic_pension,
                [_person(persons[i]) for i in unit],
                assets,
                _pension_tier(household),
                as_of,
                parameters,
            )
            fact = "pension_unit.income_recognized_monthly"
            found[fact] = Estimate(fact, computation, _asks(computation, unit))
            household[fact] = _fact_value(computation.total)
    except NoParameterValue:  # a date outside the constants' years: no estimate
        for fact in found:
            household.pop(fact, None)
        return {}
    return found


SCHEMES = ("basic_livelihood", "basic_pension", "disability_pension")
SCHEME_FACT = {
    "basic_livelihood": "household.income_recognized_monthly",
    "basic_pension": "pension_unit.income_recognized_monthly",
    "disability_pension": "pension_unit.income_recognized_monthly",
}


def compute_all(
    household: Mapping[str, object],
    persons: Sequence[Mapping[str, object]],
    spouses: Sequence[int | None],
    as_of: date,
    parameters: ParameterSet,
) -> list[tuple[str, Estimate]]:
    """Every scheme's computation for the household (or the applicant's unit), whatever was
    stated: for ``POST /v1/income-recognition``. Raises ``NoParameterValue`` outside the years
    the constants cover."""
    assets = _assets(household)
    everyone = list(range(len(persons)))
    unit = [0] if not spouses or spouses[0] is None else [0, spouses[0]]
    livelihood = basic_livelihood(
        [_person(p) for p in persons],
        assets,
        _livelihood_tier(household),  # type: ignore[arg-type]
        as_of,
        parameters,
    )
    out = [("basic_livelihood", Estimate(SCHEME_FACT["basic_livelihood"], livelihood,
                                         _asks(livelihood, everyone)))]  # fmt: skip
    for scheme, function in (("basic_pension", basic_pension),
                             ("disability_pension", disability_pension)):  # fmt: skip
        computation = function(
            [_person(persons[i]) for i in unit],
            assets,
            _pension_tier(household),  # type: ignore[arg-type]
            as_of,
            parameters,
        )
        out.append((scheme, Estimate(SCHEME_FACT[scheme], computation, _asks(computation, unit))))
    return out


_CACHE: dict[tuple[object, ...], tuple[ParameterSet, Computation]] = {}
_CACHE_SIZE = 1024


def _cached(
    function: Callable[..., Computation],
    persons: list[PersonIncome],
    assets: Assets,
    tier: str | None,
    as_of: date,
    parameters: ParameterSet,
) -> Computation:
    """``function(...)``, remembered: a plan resolves the same household's facts more than once
    (its programs, the baby on the way, the questions), and the inputs are frozen values. The
    parameter set is checked by identity, so a new catalog never meets an old result."""
    key = (function.__name__, tuple(persons), assets, tier, as_of, id(parameters))
    found = _CACHE.get(key)
    if found is not None and found[0] is parameters:
        return found[1]
    computation = function(persons, assets, tier, as_of, parameters)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = (parameters, computation)
    return computation


def _fact_value(total: Amount) -> int | Range:
    if total.high is not None and total.low == total.high:
        return total.low
    return Range(total.low, total.high)
