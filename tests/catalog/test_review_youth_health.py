"""Catalog review, area youth-health: the per-person (``who``) programs and the youth housing and
savings conditions, checked on hand-made households. Expected values are worked out by hand from
the rules cited in docs/catalog-review/youth-health.md (arithmetic in the comments)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.catalog.loader import load_catalog
from app.matching.evaluate import Determination
from app.matching.facts import Profile
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import Truth

MARCH_2026 = date(2026, 3, 2)
JULY_2026 = date(2026, 7, 1)  # 청년미래적금 starts 2026-06-01


@pytest.fixture(scope="module")
def snapshot() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


def _eval(
    snapshot: CatalogSnapshot, program: str, as_of: date = MARCH_2026, **profile: Any
) -> Determination:
    return snapshot.evaluate_one(Profile(**profile), as_of, program)


def _persons(found: Determination) -> dict[int, Truth]:
    return {p.person: p.truth for p in found.persons}


THREE_GENERATIONS = {
    "applicant": {"age": 40, "sex": "male"},
    "members": [
        {"relation": "spouse", "age": 38, "sex": "female"},
        {"relation": "child", "age": 10, "sex": "female"},
        {"relation": "grandparent", "age": 72, "sex": "female"},
    ],
    "household": {"region": "11"},
}


# --- health: screening for every member of the right age -------------------------------------


def test_general_screening_is_decided_for_every_adult(snapshot: CatalogSnapshot) -> None:
    found = _eval(snapshot, "national-health-screening", **THREE_GENERATIONS)
    assert found.truth is Truth.TRUE
    # 40, 38 and 72 are 20+ (건강검진 대상); the 10-year-old is not considered
    assert _persons(found) == {0: Truth.TRUE, 1: Truth.TRUE, 3: Truth.TRUE}


def test_cancer_screening_reaches_the_wife_not_the_young_husband(
    snapshot: CatalogSnapshot,
) -> None:
    found = _eval(
        snapshot,
        "national-cancer-screening",
        applicant={"age": 30, "sex": "male"},
        members=[{"relation": "spouse", "age": 30, "sex": "female"}],
    )
    # a 30-year-old man: no cancer screening (40+); a 30-year-old woman: 자궁경부암 (women 20+)
    assert found.truth is Truth.TRUE
    assert _persons(found) == {1: Truth.TRUE}


def test_dementia_screening_for_the_grandparent(snapshot: CatalogSnapshot) -> None:
    found = _eval(snapshot, "dementia-early-screening", **THREE_GENERATIONS)
    # only the 72-year-old grandmother is 60+
    assert found.truth is Truth.TRUE
    assert _persons(found) == {3: Truth.TRUE}


def test_long_term_care_asks_about_the_grandparent_only(snapshot: CatalogSnapshot) -> None:
    found = _eval(
        snapshot,
        "long-term-care",
        applicant={"age": 45, "long_term_care_grade": False},
        members=[{"relation": "spouse", "age": 44}, {"relation": "grandparent", "age": 80}],
    )
    # 80 >= 65: decided on the grade or 6+ months of difficulty; the 44-year-old is not asked
    assert found.truth is Truth.UNKNOWN
    assert _persons(found) == {2: Truth.UNKNOWN}
    assert not any(ref.startswith("members[0].") for ref in found.missing)
    assert "members[1].daily_living_difficulty" in found.missing

    found = _eval(
        snapshot,
        "long-term-care",
        applicant={"age": 45},
        members=[{"relation": "grandparent", "age": 80, "daily_living_difficulty": True}],
    )
    assert found.truth is Truth.TRUE
    assert _persons(found)[1] is Truth.TRUE


def test_a_senior_is_not_asked_about_leaving_care(snapshot: CatalogSnapshot) -> None:
    senior = {"applicant": {"age": 70}}
    found = _eval(snapshot, "self-reliance-allowance", **senior)
    assert found.truth is Truth.FALSE and found.missing == frozenset()
    found = _eval(snapshot, "mental-health-voucher", **senior)
    # 자립준비청년 (보호종료 5년 이내, 보호는 25세 전까지) cannot be 70: only the referral is asked
    assert found.missing == frozenset({"applicant.mental_health_referral"})


# --- youth: per young person -----------------------------------------------------------------


def test_sanitary_voucher_per_girl(snapshot: CatalogSnapshot) -> None:
    household = {
        "applicant": {"age": 45, "sex": "female"},
        "members": [
            {"relation": "child", "age": 15, "sex": "female"},
            {"relation": "child", "age": 12, "sex": "female"},
            {"relation": "child", "age": 10, "sex": "male"},
        ],
    }
    found = _eval(
        snapshot, "teen-sanitary-voucher", household={"receives": ["basic-livelihood"]}, **household
    )
    assert found.truth is Truth.TRUE
    assert _persons(found) == {1: Truth.TRUE, 2: Truth.TRUE}
    # 2 girls x 14,000 KRW a month (2025 amount, still in force 2026) = 28,000
    assert (found.benefit.low, found.benefit.high) == (28000, 28000)

    # 4 persons, 2026 median 6,494,738 x 50% = 3,247,369: income 3,000,000 is 차상위 level
    found = _eval(
        snapshot,
        "teen-sanitary-voucher",
        household={"receives": [], "single_parent": False, "income_recognized_monthly": 3000000},
        **household,
    )
    assert found.truth is Truth.TRUE


def test_out_of_school_child_of_the_applicant(snapshot: CatalogSnapshot) -> None:
    found = _eval(
        snapshot,
        "out-of-school-youth-support",
        applicant={"age": 45},
        members=[{"relation": "child", "age": 16, "out_of_school": True}],
    )
    assert found.truth is Truth.TRUE
    assert _persons(found) == {1: Truth.TRUE}


def test_youth_tomorrow_savings_for_the_working_child(snapshot: CatalogSnapshot) -> None:
    base = {
        "applicant": {"age": 50, "earned_income_monthly": 1500000},
        "members": [
            {
                "relation": "child",
                "age": 28,
                "earned_income_monthly": 1500000,
                "received_before": [],
            }
        ],
    }
    # 2 persons, 2026 median 4,199,292: 3,000,000 = 71.4% (<= 100%, > 50%) -> 정부 월 10만원
    household = {"income_recognized_monthly": 3000000, "assets": 100000000}
    household |= {"urban_class": "metropolitan", "receives": []}
    found = _eval(snapshot, "youth-tomorrow-savings", household=household, **base)
    assert found.truth is Truth.TRUE
    assert _persons(found) == {1: Truth.TRUE}
    assert (found.benefit.low, found.benefit.high) == (100000, 100000)

    # 2,000,000 / 4,199,292 = 47.6% <= 50% (차상위 수준) -> 정부 월 30만원
    found = _eval(
        snapshot,
        "youth-tomorrow-savings",
        household=household | {"income_recognized_monthly": 2000000},
        **base,
    )
    assert (found.benefit.low, found.benefit.high) == (300000, 300000)

    # 예전에 청년내일저축계좌에 가입했던 청년은 제외
    base["members"][0]["received_before"] = ["youth-tomorrow-savings"]
    found = _eval(snapshot, "youth-tomorrow-savings", household=household, **base)
    assert found.truth is Truth.FALSE


@pytest.mark.parametrize(
    ("age", "months", "expected"),
    [
        (34, 0, Truth.TRUE),
        (36, 24, Truth.TRUE),  # 36 - 2 years of service = 34
        (36, 18, Truth.FALSE),  # only whole years count: 36 - 1 = 35
        (35, 21, Truth.TRUE),  # 35 - 1 = 34
        (35, None, Truth.UNKNOWN),  # the service months decide
        (41, 60, Truth.FALSE),  # over 34 + 6 years
    ],
)
def test_youth_future_savings_military_extension(
    snapshot: CatalogSnapshot, age: int, months: int | None, expected: Truth
) -> None:
    person: dict[str, Any] = {"age": age, "earned_income_monthly": 3000000}
    if months is not None:
        person["military_service_months"] = months
    # 1 person: 3,000,000 <= 2026 median 2,564,238 x 200% = 5,128,476
    found = _eval(
        snapshot,
        "youth-future-savings",
        as_of=JULY_2026,
        applicant=person,
        household={"income_recognized_monthly": 3000000},
    )
    assert found.truth is expected


def test_youth_future_savings_for_a_grown_child(snapshot: CatalogSnapshot) -> None:
    found = _eval(
        snapshot,
        "youth-future-savings",
        as_of=JULY_2026,
        applicant={"age": 55, "earned_income_monthly": 4000000},
        members=[{"relation": "child", "age": 25, "earned_income_monthly": 2500000}],
        # 2 persons: 6,500,000 <= 4,199,292 x 200% = 8,398,584
        household={"income_recognized_monthly": 6500000},
    )
    assert found.truth is Truth.TRUE
    assert _persons(found) == {1: Truth.TRUE}


# --- youth: 청년월세 (청년가구 + 원가구 + 무주택) --------------------------------------------

YOUTH_RENTING = {
    "applicant": {"age": 27, "lives_apart_from_parents": True, "married": False},
    # 1 person: 1,200,000 <= 2026 median 2,564,238 x 60% = 1,538,543; assets 1천만 <= 1.22억
    "household": {
        "region": "11",
        "housing": "renter_monthly",
        "no_home": True,
        "rent_monthly": 350000,
        "rent_deposit": 10000000,
        "income_recognized_monthly": 1200000,
        "assets": 10000000,
    },
}


def test_youth_rent_checks_the_parents_household(snapshot: CatalogSnapshot) -> None:
    # parents 3 persons: 4,500,000 / 5,359,036 = 84% <= 100%, assets 3억 <= 4.7억
    parents = {"size": 3, "income_recognized_monthly": 4500000, "assets": 300000000}
    found = _eval(snapshot, "youth-monthly-rent", parents=parents, **YOUTH_RENTING)
    assert found.truth is Truth.TRUE
    # min(200,000, rent 350,000) = 200,000
    assert (found.benefit.low, found.benefit.high) == (200000, 200000)

    # 6,000,000 / 5,359,036 = 112% > 100%: the parents' household is over the line
    found = _eval(
        snapshot,
        "youth-monthly-rent",
        parents=parents | {"income_recognized_monthly": 6000000},
        **YOUTH_RENTING,
    )
    assert found.truth is Truth.FALSE

    # assets 5억 > 4.7억
    found = _eval(
        snapshot, "youth-monthly-rent", parents=parents | {"assets": 500000000}, **YOUTH_RENTING
    )
    assert found.truth is Truth.FALSE


def test_youth_rent_parents_not_needed_from_30(snapshot: CatalogSnapshot) -> None:
    profile = {**YOUTH_RENTING, "applicant": {**YOUTH_RENTING["applicant"], "age": 31}}
    found = _eval(snapshot, "youth-monthly-rent", **profile)
    assert found.truth is Truth.TRUE


def test_youth_rent_needs_no_home_and_allows_earlier_recipients(
    snapshot: CatalogSnapshot,
) -> None:
    parents = {"size": 2, "income_recognized_monthly": 3000000, "assets": 200000000}
    owner = {**YOUTH_RENTING, "household": {**YOUTH_RENTING["household"], "no_home": False}}
    assert _eval(snapshot, "youth-monthly-rent", parents=parents, **owner).truth is Truth.FALSE
    # 2026: a standing programme, up to 24 months in a lifetime, earlier months included
    again = {
        **YOUTH_RENTING,
        "applicant": {**YOUTH_RENTING["applicant"], "received_before": ["youth-monthly-rent"]},
    }
    assert _eval(snapshot, "youth-monthly-rent", parents=parents, **again).truth is Truth.TRUE


def test_regional_rent_needs_no_home(snapshot: CatalogSnapshot) -> None:
    household = {**YOUTH_RENTING["household"], "region": "30", "size": 1}
    applicant = YOUTH_RENTING["applicant"]
    found = _eval(snapshot, "daejeon-youth-rent-support", applicant=applicant, household=household)
    assert found.truth is Truth.TRUE
    found = _eval(
        snapshot,
        "daejeon-youth-rent-support",
        applicant=applicant,
        household=household | {"no_home": False},
    )
    assert found.truth is Truth.FALSE


@pytest.mark.parametrize(
    ("worker", "expected"),
    [
        ({"employment_insurance": False, "earned_income_monthly": 800000}, Truth.TRUE),
        ({"employment_insurance": True, "earned_income_monthly": 800000}, Truth.FALSE),
        ({"employment_insurance": False, "earned_income_monthly": 900000}, Truth.FALSE),
    ],
)
def test_daegu_allowance_low_paid_uninsured_worker(
    snapshot: CatalogSnapshot, worker: dict[str, Any], expected: Truth
) -> None:
    # 2025 notice: 고용보험 미가입이고 월 90만원 미만이면 미취업으로 봅니다
    found = _eval(
        snapshot,
        "daegu-youth-social-entry-allowance",
        applicant={"age": 26, "student": "none", "employment_status": "employed", **worker},
        # 1 person: 800,000 <= 2026 median 2,564,238 x 150%
        household={"region": "27", "income_recognized_monthly": 800000},
    )
    assert found.truth is expected
