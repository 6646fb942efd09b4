"""Unit tests: Amount helpers, steps and labels, marks and notes, car rules, `unknown` ordering."""

from __future__ import annotations

from datetime import date

import pytest

from app.income import Amount, Assets, Car, PersonIncome, basic_livelihood, basic_pension
from app.matching.parameters import ParameterSet
from app.text.income import note_text, step_text
from app.text.locales import supported
from app.text.messages import catalog, has

E = Amount.exact
D2026 = date(2026, 6, 1)


def test_amount_helpers() -> None:
    assert Amount.unknown() == Amount(0, None)
    assert Amount.range(3, 3) == E(3) and E(3).is_exact
    assert (Amount(1, 2) + Amount(10, None)) == Amount(11, None)
    assert Amount(100, 200).minus(Amount(50, 150)) == Amount(0, 150)
    assert Amount(100, None).minus(Amount(0, None)) == Amount(0, None)
    assert Amount(100, 300).cap(200) == Amount(100, 200)
    assert Amount(100, None).cap(200) == Amount(100, 200)
    assert Amount(100, 300).excess(200) == Amount(0, 100)
    assert E(1_250_000).scale(0.0417) == E(52_125)
    assert E(5).scale(0.5) == E(3)  # half up
    assert E(125_000_000).scale(0.04, 12) == E(416_667)
    assert Amount(1, 5).hull(Amount(3, 9)) == Amount(1, 9)
    assert E(3).within(Amount(0, None)) and not Amount(0, None).within(Amount(0, 10))
    with pytest.raises(ValueError):
        Amount(5, 4)
    with pytest.raises(ValueError):
        Amount(-1, 4)


def _person(**kw: object) -> PersonIncome:
    base: dict[str, object] = dict(
        age=40, disabled=False, university_student=False, earned=E(0), business=E(0),
        public_transfers=E(0), other=E(0),
    )  # fmt: skip
    base.update(kw)
    return PersonIncome(**base)  # type: ignore[arg-type]


def _assets(**kw: object) -> Assets:
    base: dict[str, object] = dict(
        home_value=E(0), deposit=E(0), other_property=E(0), financial=E(0), debts=E(0),
        cars=(), private_transfers=E(0),
    )  # fmt: skip
    base.update(kw)
    return Assets(**base)  # type: ignore[arg-type]


def test_steps_have_stable_keys_and_words_from_the_text_layer(parameters: ParameterSet) -> None:
    c = basic_livelihood([_person(earned=E(1_500_000))], _assets(), "seoul", D2026, parameters)
    keys = [s.key for s in c.steps]
    assert keys[0] == "income.earned" and keys[-1] == "total"
    assert "property.deduction" in keys and len(set(keys)) == len(keys)
    first = c.steps[0]
    assert first.inputs == (("earned", E(1_500_000)),) and first.amount == E(1_050_000)
    assert step_text(first, "ko") == "근로·사업소득 1,500,000원 → 정액·30% 공제 후 1,050,000원"
    assert step_text(first, "en") == (
        "Earned and business income KRW 1,500,000 → KRW 1,050,000 after the flat and 30% deductions"
    )
    p = basic_pension([_person(earned=E(1_500_000))], _assets(), "metro", D2026, parameters)
    assert [s.key for s in p.steps][-1] == "total"
    assert p.steps[0].amount == E(238_000)


def test_verified_only_when_every_constant_used_is(parameters: ParameterSet) -> None:
    # 기초연금, earnings only: 116만 공제 (V), 30 % (V), no property used
    c = basic_pension([_person(earned=E(1_500_000))], _assets(), "metro", D2026, parameters)
    assert c.verification == "verified" and c.notes == ()
    # with a rent deposit the 0.95 factor (P) is used
    c = basic_pension([_person()], _assets(deposit=E(10_000_000)), "metro", D2026, parameters)
    assert c.verification == "partial"
    assert [n.key for n in c.notes] == ["basic_pension_rent_deposit_factor"]
    assert note_text(c.notes[0], "ko") == (
        "기초연금에서 임차보증금의 95%만 재산으로 보는 것은 공식 문서로 확인되지 않았습니다."
    )
    assert note_text(c.notes[0], "en") == (
        "Counting 95% of a rent deposit for the Basic Pension is not confirmed by official text."
    )


def test_every_unverified_parameter_carries_a_doubt_in_every_locale(
    parameters: ParameterSet,
) -> None:
    ours = [p for p in parameters.values() if p.id.startswith("income_recognition.")]
    assert len(ours) >= 30
    names = {p.id.removeprefix("income_recognition.") for p in ours}
    for p in ours:
        name = p.id.removeprefix("income_recognition.")
        if p.verification != "verified":
            for tag in supported():
                assert has(tag, f"income.doubt.{name}"), (tag, name)
    doubts = {
        m.removeprefix("income.doubt.") for m in catalog("ko") if m.startswith("income.doubt.")
    }
    assert doubts - {"other"} <= names


def test_unknown_names_and_order(parameters: ParameterSet) -> None:
    person = _person(age=None, earned=Amount(1_000_000, 2_000_000))
    assets = _assets(deposit=E(50_000_000), financial=E(10_000_000), cars=None)
    c = basic_livelihood([person], assets, None, D2026, parameters)
    names = [n for n, _ in c.unknown]
    assert names[0] == "assets.cars"  # unbounded first
    moves = dict(c.unknown)
    assert moves["assets.cars"] is None
    # earned alone: 1,000,000 more earnings × 0.7 (flat 60만 at the low point: 30세 이하 possible)
    assert moves["persons[0].earned"] == 700_000
    # age alone at the low point: flat 60만 → 0: 600,000 × 0.7
    assert moves["persons[0].age"] == 420_000
    # tier: 서울 wipes the deposit and 500만 of financial; 그 외 (5,300만) leaves 200만 × 6.26 %
    assert moves["tier"] == 125_200
    bounded = [m for m in moves.values() if m is not None]
    assert bounded == sorted(bounded, reverse=True)
    assert c.total == Amount(280_000, None)  # (1,000,000 − 600,000) × 0.7; cars unknown


def test_cars_by_year(parameters: ParameterSet) -> None:
    small_old = Car(value=E(3_000_000), engine_cc=1500, age_years=12, kind="passenger",
                    use="ordinary")  # fmt: skip
    assets = _assets(cars=(small_old,))
    # 2024: < 1,600cc and 차령 ≥ 10 → 일반재산; 300만 wiped by 기본재산액
    c24 = basic_livelihood([_person()], assets, "other", date(2024, 6, 1), parameters)
    assert c24.total == E(0)
    # 2026: < 2,000cc and < 500만 → 일반재산 too
    assert basic_livelihood([_person()], assets, "other", D2026, parameters).total == E(0)
    dear = Car(value=E(6_000_000), engine_cc=1500, age_years=12, kind="passenger", use="ordinary")
    # 2024: old enough → general; 2026: 600만 ≥ 500만 → 100 % (and a note on the age doubt)
    a = _assets(cars=(dear,))
    assert basic_livelihood([_person()], a, "other", date(2024, 6, 1), parameters).total == E(0)
    c26 = basic_livelihood([_person()], a, "other", D2026, parameters)
    assert c26.total == E(6_000_000)
    assert any("차령 10년" in note_text(n, "ko") for n in c26.notes)
    # 2026 small van aged 12: general; 2025: 100 %
    van = Car(value=E(8_000_000), engine_cc=2500, age_years=12, kind="van_truck", use="ordinary")
    v = _assets(cars=(van,))
    assert basic_livelihood([_person()], v, "other", D2026, parameters).total == E(0)
    assert basic_livelihood([_person()], v, "other", date(2025, 6, 1), parameters).total == E(
        8_000_000
    )
    # 장애인 본인 이동용 < 2,000cc: not property (2026 V); before 2026: same rule, unverified
    dis = Car(value=E(9_000_000), engine_cc=1999, age_years=1, kind="passenger", use="disability")
    d = _assets(cars=(dis,))
    assert basic_livelihood([_person()], d, "other", D2026, parameters).total == E(0)
    d25 = basic_livelihood([_person()], d, "other", date(2025, 6, 1), parameters)
    assert d25.total == E(0) and d25.verification == "unverified"
    # two disability cars: only one is left out (the dearer); the other counts at 100 %
    two = _assets(cars=(dis, Car(value=E(7_000_000), engine_cc=1000, age_years=1,
                                 kind="passenger", use="disability")))  # fmt: skip
    assert basic_livelihood([_person()], two, "other", D2026, parameters).total == E(7_000_000)


def test_pension_luxury_car_and_private_transfers(parameters: ParameterSet) -> None:
    lux = Car(value=E(45_000_000), engine_cc=3000, age_years=3, kind="passenger", use="ordinary")
    c = basic_pension([_person()], _assets(cars=(lux,)), "rural", D2026, parameters)
    assert c.total == E(45_000_000)  # full value per month, no deduction
    old = Car(value=E(45_000_000), engine_cc=3000, age_years=10, kind="passenger", use="ordinary")
    c = basic_pension([_person()], _assets(cars=(old,)), "rural", D2026, parameters)
    assert c.total == E(0)  # 10+ years: general property, under 7,250만
    c = basic_pension([_person()], _assets(private_transfers=E(500_000)), "rural", D2026,
                      parameters)  # fmt: skip
    assert c.total == E(0)  # 사적이전 not counted
    c = basic_livelihood([_person()], _assets(private_transfers=E(500_000)), "other", D2026,
                         parameters)  # fmt: skip
    assert c.total == E(500_000)  # counted in 기초생활보장


def test_couple_each_gets_the_earned_deduction(parameters: ParameterSet) -> None:
    unit = [_person(age=70, earned=E(1_500_000)), _person(age=68, earned=E(1_160_000))]
    c = basic_pension(unit, _assets(), "city", D2026, parameters)
    assert c.total == E(238_000)  # (150만 − 116만) × 0.7 + 0


def test_financial_deduction_is_not_carried_over_in_pensions(parameters: ParameterSet) -> None:
    # 기초연금: general 0 leaves the 1억3,500만 unused; financial 3,000만 − 2,000만 = 1,000만
    c = basic_pension([_person()], _assets(financial=E(30_000_000)), "metro", D2026, parameters)
    assert c.total == E(33_333)  # 10,000,000 × 4 % ÷ 12 = 33,333.3
    # 기초생활보장: the leftover 기본재산액 does carry to financial
    c = basic_livelihood([_person()], _assets(financial=E(30_000_000)), "seoul", D2026, parameters)
    assert c.total == E(0)
