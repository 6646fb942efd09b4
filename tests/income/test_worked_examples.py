"""Every worked example of /work/shared/reference/income-recognition.json (§1.5, §2.3, §3, §4).

Expected numbers are copied from the reference (worked out there by hand), not from the code.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.income import (
    Amount,
    Assets,
    PersonIncome,
    basic_livelihood,
    basic_pension,
    disability_pension,
)
from app.matching.parameters import ParameterSet

E = Amount.exact


def _person(age: int, earned: int = 0, public: int = 0) -> PersonIncome:
    return PersonIncome(
        age=age,
        disabled=False,
        university_student=False,
        earned=E(earned),
        business=E(0),
        public_transfers=E(public),
        other=E(0),
    )


def _assets(home: int = 0, deposit: int = 0, financial: int = 0, debts: int = 0) -> Assets:
    return Assets(
        home_value=E(home),
        deposit=E(deposit),
        other_property=E(0),
        financial=E(financial),
        debts=E(debts),
        cars=(),
        private_transfers=E(0),
    )


# Example A: 근로 150만, 주택 보증금 5,000만, 예금 1,000만, no car/debt (1인, 서울 / 대도시)
A = _assets(deposit=50_000_000, financial=10_000_000)
# Example B: 자가 공시가격 3억, 예금 3,000만, 주담대 5,000만, 국민연금 60만
B = _assets(home=300_000_000, financial=30_000_000, debts=50_000_000)


def test_a_basic_livelihood_2026(parameters: ParameterSet) -> None:
    c = basic_livelihood([_person(40, 1_500_000)], A, "seoul", date(2026, 3, 1), parameters)
    assert c.income_evaluated == E(1_050_000)
    assert c.property_converted == E(0)
    assert c.total == E(1_050_000)
    # 2026 1인: 생계 820,556 ✗ · 의료 1,025,695 ✗ · 주거 1,230,834 ✓ · 차상위 1,282,119 ✓
    assert c.total.low > 1_025_695 and c.total.low <= 1_230_834


def test_a_youth30_basic_livelihood_2026(parameters: ParameterSet) -> None:
    c = basic_livelihood([_person(30, 1_500_000)], A, "seoul", date(2026, 3, 1), parameters)
    assert c.total == E(630_000)
    assert 820_556 - c.total.low == 190_556  # 생계급여


def test_a_age29_basic_livelihood_2025(parameters: ParameterSet) -> None:
    c = basic_livelihood([_person(29, 1_500_000)], A, "seoul", date(2025, 3, 1), parameters)
    assert c.total == E(770_000)
    assert c.total.low > 765_444  # 생계 ✗ by 4,556
    assert c.total.low - 765_444 == 4_556
    assert c.total.low <= 956_805  # 의료 ✓


def test_a_elderly_basic_livelihood_2026(parameters: ParameterSet) -> None:
    c = basic_livelihood([_person(67, 1_500_000)], A, "seoul", date(2026, 3, 1), parameters)
    assert c.total == E(910_000)
    assert c.total.low <= 1_025_695  # 의료 ✓


def test_a_disabled_basic_livelihood_2026(parameters: ParameterSet) -> None:
    person = PersonIncome(
        age=45, disabled=True, university_student=False, earned=E(1_500_000), business=E(0),
        public_transfers=E(0), other=E(0),
    )  # fmt: skip
    c = basic_livelihood([person], A, "seoul", date(2026, 3, 1), parameters)
    assert c.total == E(910_000)  # (1,500,000 − 200,000) × 0.7


def test_b_basic_livelihood_2026(parameters: ParameterSet) -> None:
    c = basic_livelihood([_person(70, 0, 600_000)], B, "seoul", date(2026, 3, 1), parameters)
    steps = {s.key: s.amount for s in c.steps}
    assert steps["property.housing"] == E(172_000_000)  # capped; 1.28억 → 일반
    assert steps["property.general"] == E(128_000_000)
    assert steps["property.deduction"] == E(149_000_000)  # 9,900만 + 5,000만
    assert steps["property.housing.converted"] == E(239_200)
    assert steps["property.general.converted"] == E(5_337_600)
    assert steps["property.financial.converted"] == E(1_565_000)
    assert c.property_converted == E(7_141_800)
    assert c.total == E(7_741_800)


@pytest.mark.parametrize(
    ("year", "expected", "threshold"),
    [(2026, 238_000, 2_470_000), (2025, 266_000, 2_280_000), (2024, 280_000, 2_130_000)],
)
def test_a_basic_pension(
    parameters: ParameterSet, year: int, expected: int, threshold: int
) -> None:
    c = basic_pension([_person(67, 1_500_000)], A, "metro", date(year, 3, 1), parameters)
    assert c.total == E(expected)
    assert c.property_converted == E(0)  # 보증금 × 0.95 = 4,750만 < 1억3,500만; 예금 < 2,000만
    assert c.total.low <= threshold


def test_b_basic_pension_2026(parameters: ParameterSet) -> None:
    c = basic_pension([_person(70, 0, 600_000)], B, "metro", date(2026, 3, 1), parameters)
    assert c.property_converted == E(416_667)
    assert c.total == E(1_016_667)
    assert c.total.low <= 2_470_000


def test_a_disability_pension_2026(parameters: ParameterSet) -> None:
    c = disability_pension([_person(40, 1_500_000)], A, "metro", date(2026, 3, 1), parameters)
    assert c.total == E(238_000)  # if 공제 = 116만 (U)
    assert c.total.low <= 1_400_000
    assert c.verification == "unverified"


def test_a_single_parent_2026(parameters: ParameterSet) -> None:
    child = PersonIncome(
        age=8, disabled=False, university_student=False, earned=E(0), business=E(0),
        public_transfers=E(0), other=E(0),
    )  # fmt: skip
    c = basic_livelihood([_person(40, 1_500_000), child], A, "seoul", date(2026, 3, 1), parameters)
    assert c.total == E(1_050_000)
    assert c.total.low <= 2_729_540  # 65 % of the 2026 2인 중위
