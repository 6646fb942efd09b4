"""Catalog review, area welfare-income (docs/catalog-review/welfare-income.md).

Engine-level checks of the reviewed welfare programs on the shipped catalog. Every expected value
is worked out by hand from the law and the 2026 parameters (the arithmetic is in the comments):
기준 중위소득 2026 1인 2,564,238 / 2인 4,199,292 / 3인 5,359,036; 기초연금·장애인연금 기준액
349,700; 장애인연금 선정기준액 단독 1,400,000 / 부부 2,240,000.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.catalog.loader import load_catalog
from app.matching.evaluate import Determination
from app.matching.facts import Profile, resolve_facts
from app.matching.receipts import settle_receipts
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import FALSE, TRUE, UNKNOWN

AS_OF = date(2026, 3, 2)


@pytest.fixture(scope="module")
def snapshot() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


def decide(snapshot: CatalogSnapshot, program: str, **profile: Any) -> Determination:
    return snapshot.evaluate_one(Profile(**profile), AS_OF, program)


def span(det: Determination | Any) -> tuple[int | None, int | None] | None:
    return None if det.benefit is None else (det.benefit.low, det.benefit.high)


# --- 생계급여: 부양의무자 고소득·고재산 예외 -------------------------------------------------


@pytest.mark.parametrize(("high_means", "truth"), [(False, TRUE), (True, FALSE), (None, UNKNOWN)])
def test_livelihood_support_obligor_with_high_means(
    snapshot: CatalogSnapshot, high_means: bool | None, truth: Any
) -> None:
    household: dict[str, Any] = {"size": 1, "income_recognized_monthly": 300000}
    if high_means is not None:
        household["obligor_high_means"] = high_means
    det = decide(snapshot, "basic-livelihood", applicant={"age": 50}, household=household)
    assert det.truth is truth
    if truth is TRUE:
        # 1인 2026: 2,564,238 × 32% = 820,556.16 → 820,556 − 300,000 = 520,556
        assert span(det) == (520556, 520556)


def test_livelihood_counts_basic_and_disability_pension_as_income(
    snapshot: CatalogSnapshot,
) -> None:
    spec = snapshot.programs["basic-livelihood"].spec
    assert set(spec.income_includes) == {"basic-pension", "disability-pension"}


# --- 의료급여: 부양의무자 기준, 건강보험 배제 -------------------------------------------------


@pytest.mark.parametrize(("can_support", "truth"), [(False, TRUE), (True, FALSE), (None, UNKNOWN)])
def test_medical_aid_support_obligor_able_to_support(
    snapshot: CatalogSnapshot, can_support: bool | None, truth: Any
) -> None:
    # 2인 소득인정액 1,500,000 ≤ 4,199,292 × 40% = 1,679,717
    household: dict[str, Any] = {"income_recognized_monthly": 1500000}
    if can_support is not None:
        household["obligor_can_support"] = can_support
    det = decide(
        snapshot,
        "medical-aid",
        applicant={"age": 50},
        members=[{"relation": "child", "age": 12}],
        household=household,
    )
    assert det.truth is truth


def test_medical_aid_receipt_settles_no_employee_health_insurance(
    snapshot: CatalogSnapshot,
) -> None:
    # 의료급여 수급권자는 건강보험 적용 제외: 가구원 모두 직장 건강보험 가입자가 아님
    # (본인이 따로 말하지 않았으면)
    profile = Profile(
        applicant={"age": 50},
        members=[{"relation": "child", "age": 20}, {"relation": "child", "age": 22}],
        household={"receives": ["medical-aid"]},
    )
    profile_members = list(profile.members)
    profile_members[1] = {**profile_members[1], "employer_health_insurance": True}
    profile = Profile(profile.applicant, profile_members, profile.household)
    ctx = resolve_facts(profile, AS_OF, snapshot.parameters)
    settle_receipts(snapshot.programs, ctx)
    said = [p.get("employer_health_insurance") for p in ctx.persons]
    assert said == [False, False, True]  # the citizen's own answer stays


# --- 교육급여: 학생마다 -----------------------------------------------------------------------


def test_education_benefit_is_decided_per_student(snapshot: CatalogSnapshot) -> None:
    # 3인, 소득인정액 2,000,000 ≤ 5,359,036 × 50% = 2,679,518
    det = decide(
        snapshot,
        "education-benefit",
        applicant={"age": 45, "student": "none"},
        members=[
            {"relation": "child", "age": 14, "student": "middle"},
            {"relation": "child", "age": 17, "student": "high"},
        ],
        household={"income_recognized_monthly": 2000000},
    )
    assert det.truth is TRUE
    by_person = {p.person: p for p in det.persons}
    assert set(by_person) == {1, 2}  # the applicant (not a student) is not someone it is for
    # 중 699,000 + 고 860,000 = 1,559,000
    assert span(by_person[1]) == (699000, 699000)
    assert span(by_person[2]) == (860000, 860000)
    assert span(det) == (1559000, 1559000)


def test_education_benefit_over_the_line(snapshot: CatalogSnapshot) -> None:
    # 2인 4,199,292 × 50% = 2,099,646 < 2,099,647
    det = decide(
        snapshot,
        "education-benefit",
        applicant={"age": 45, "student": "none"},
        members=[{"relation": "child", "age": 9, "student": "elementary"}],
        household={"income_recognized_monthly": 2099647},
    )
    assert det.truth is FALSE


# --- 문화누리카드: 6세 이상 한 사람마다, 차상위 ------------------------------------------------


def test_culture_nuri_card_per_person_with_age_band_extra(snapshot: CatalogSnapshot) -> None:
    det = decide(
        snapshot,
        "culture-nuri-card",
        applicant={"age": 62},
        members=[{"relation": "grandchild", "age": 15}, {"relation": "grandchild", "age": 5}],
        household={"receives": ["housing-benefit"], "income_recognized_monthly": 2500000},
    )
    assert det.truth is TRUE
    # 62세 150,000 + 1만 = 160,000; 15세 160,000; 5세는 대상 아님 → 320,000
    assert {p.person: span(p) for p in det.persons} == {
        0: (160000, 160000),
        1: (160000, 160000),
    }
    assert span(det) == (320000, 320000)


@pytest.mark.parametrize(("income", "truth"), [(1282119, TRUE), (1282120, FALSE)])
def test_culture_nuri_card_near_poverty_by_income(
    snapshot: CatalogSnapshot, income: int, truth: Any
) -> None:
    # 차상위 = 중위 50% 이하: 1인 2,564,238 × 50% = 1,282,119
    det = decide(
        snapshot,
        "culture-nuri-card",
        applicant={"age": 40},
        household={"size": 1, "receives": [], "income_recognized_monthly": income},
    )
    assert det.truth is truth
    if truth is TRUE:
        assert span(det) == (150000, 150000)


# --- 노인맞춤돌봄: 65세 이상 한 사람마다, 기초연금 뒤에 -------------------------------------


def test_senior_care_per_senior_by_own_basic_pension(snapshot: CatalogSnapshot) -> None:
    # 2인 소득인정액 3,000,000 = 중위 71% (차상위 아님); 기초연금은 신청인만 받음
    det = decide(
        snapshot,
        "senior-customized-care",
        applicant={
            "age": 70,
            "care_need": True,
            "long_term_care_grade": False,
            "receives": ["basic-pension"],
        },
        members=[
            {
                "relation": "spouse",
                "age": 68,
                "care_need": True,
                "long_term_care_grade": False,
                "receives": [],
            }
        ],
        household={"income_recognized_monthly": 3000000},
    )
    assert det.truth is TRUE
    assert {p.person: p.truth for p in det.persons} == {0: TRUE, 1: FALSE}


def test_senior_care_eligible_after_basic_pension(snapshot: CatalogSnapshot) -> None:
    # 66세 1인: 기초연금 본인 소득인정액 1,000,000 ≤ 단독 2,470,000 → 이 계획이 기초연금을 새로 줌.
    # 가구 소득인정액 2,000,000 = 중위 78% (차상위 아님): 돌봄은 기초연금을 받은 뒤에 대상
    det = decide(
        snapshot,
        "senior-customized-care",
        applicant={
            "age": 66,
            "nationality": "KR",
            "public_pension": False,
            "married": False,
            "care_need": True,
            "long_term_care_grade": False,
        },
        household={"size": 1, "receives": [], "income_recognized_monthly": 2000000},
        pension_unit={"income_recognized_monthly": 1000000},
    )
    assert det.truth is TRUE
    assert det.after == ("basic-pension",)


# --- 장애인연금: 한 사람마다, 본인+배우자, 부가급여 ---------------------------------------------

SEVERE = {"disability_registered": True, "disability_severe": True, "public_pension": False}


def test_disability_pension_single_full_amount_plus_additional(snapshot: CatalogSnapshot) -> None:
    # 단독, 소득인정액 1,000,000: 기초급여 min(349,700, 1,400,000 − 1,000,000 = 400,000) = 349,700.
    # 가구 소득인정액 3,000,000 = 중위 117% → 차상위 초과 부가급여 30,000 → 379,700
    det = decide(
        snapshot,
        "disability-pension",
        applicant={"age": 45, "married": False, **SEVERE},
        household={"size": 1, "receives": [], "income_recognized_monthly": 3000000},
        pension_unit={"income_recognized_monthly": 1000000},
    )
    assert det.truth is TRUE
    assert span(det) == (379700, 379700)


def test_disability_pension_income_reversal_reduction(snapshot: CatalogSnapshot) -> None:
    # 단독, 소득인정액 1,200,000: 1,400,000 − 1,200,000 = 200,000 < 349,700 → 기초급여 200,000
    # (최소 34,970 이상) + 부가급여 30,000 = 230,000
    det = decide(
        snapshot,
        "disability-pension",
        applicant={"age": 45, "married": False, **SEVERE},
        household={"size": 1, "receives": [], "income_recognized_monthly": 3000000},
        pension_unit={"income_recognized_monthly": 1200000},
    )
    assert span(det) == (230000, 230000)


def test_disability_pension_couple_both_receive(snapshot: CatalogSnapshot) -> None:
    # 부부 모두 중증, 부부 소득인정액 1,000,000 ≤ 2,240,000. 배우자는 이미 받고, 신청인은 새로 받음:
    # 각각 min(0.8 × 349,700 = 279,760, 0.5 × (2,240,000 − 1,000,000) = 620,000) = 279,760
    # 가구 소득인정액 3,000,000 = 2인 중위 71% → 부가급여 30,000 → 각 309,760
    det = decide(
        snapshot,
        "disability-pension",
        applicant={"age": 50, "receives": [], **SEVERE},
        members=[{"relation": "spouse", "age": 48, "receives": ["disability-pension"], **SEVERE}],
        household={"income_recognized_monthly": 3000000},
        pension_unit={"income_recognized_monthly": 1000000},
    )
    assert det.truth is TRUE
    persons = {p.person: p for p in det.persons}
    assert persons[1].receiving and not persons[0].receiving
    assert span(persons[0]) == (309760, 309760)
    assert span(persons[1]) == (309760, 309760)


def test_disability_pension_from_65_only_the_additional_benefit(
    snapshot: CatalogSnapshot,
) -> None:
    # 70세 생계급여 수급: 기초급여 대신 기초연금; 부가급여 = 기준연금액 349,700 + 90,000 = 439,700
    det = decide(
        snapshot,
        "disability-pension",
        applicant={"age": 70, "married": False, **SEVERE},
        household={"size": 1, "receives": ["basic-livelihood"]},
        pension_unit={"income_recognized_monthly": 500000},
    )
    assert det.truth is TRUE
    assert span(det) == (439700, 439700)


def test_disability_pension_public_service_pension_excludes(snapshot: CatalogSnapshot) -> None:
    det = decide(
        snapshot,
        "disability-pension",
        applicant={"age": 45, "married": False, **SEVERE, "public_pension": True},
        household={"size": 1},
        pension_unit={"income_recognized_monthly": 0},
    )
    assert det.truth is FALSE


# --- 장애수당: 경증 장애 가구원 -----------------------------------------------------------------


def test_disability_allowance_for_a_member(snapshot: CatalogSnapshot) -> None:
    # 차상위 가구의 20세 경증 장애 자녀: 월 60,000. 신청인(장애 없음)은 아님
    det = decide(
        snapshot,
        "disability-allowance",
        applicant={"age": 48, "disability_registered": False},
        members=[
            {"relation": "child", "age": 20, "disability_registered": True,
             "disability_severe": False},
        ],
        household={"receives": ["near-poverty"]},
    )  # fmt: skip
    assert det.truth is TRUE
    assert {p.person: p.truth for p in det.persons} == {0: FALSE, 1: TRUE}
    assert span(det) == (60000, 60000)


# --- 참전명예수당: 참전유공자 본인 -----------------------------------------------------------


def test_war_honor_allowance_for_a_veteran_parent(snapshot: CatalogSnapshot) -> None:
    # 함께 사는 92세 아버지가 참전유공자: 2026 월 480,000 (신청인 40세는 대상 아님)
    det = decide(
        snapshot,
        "veterans-war-honor-allowance",
        applicant={"age": 40},
        members=[{"relation": "parent", "age": 92, "veteran": True}],
    )
    assert det.truth is TRUE
    assert [(p.person, p.truth) for p in det.persons] == [(1, TRUE)]
    assert span(det) == (480000, 480000)


# --- 긴급복지: 생계급여로 잇는 다리 -------------------------------------------------------------


def test_emergency_welfare_bridges_to_livelihood(snapshot: CatalogSnapshot) -> None:
    spec = snapshot.programs["emergency-welfare"].spec
    assert [b.program for b in spec.bridge_to] == ["basic-livelihood"]


def test_receiving_households_passed_the_obligor_tests(snapshot: CatalogSnapshot) -> None:
    # 이미 생계·의료급여를 받는 가구: 부양의무자 질문 없이 받는 중 (2인 600,000 ≤ 32% 1,343,773)
    profile = Profile(
        applicant={"age": 40},
        members=[{"relation": "child", "age": 10}],
        household={
            "income_recognized_monthly": 600000,
            "receives": ["basic-livelihood", "medical-aid"],
        },
    )
    livelihood, medical = snapshot.evaluate(profile, AS_OF, ["basic-livelihood", "medical-aid"])
    assert (livelihood.truth, livelihood.receiving) == (TRUE, True)
    assert (medical.truth, medical.receiving) == (TRUE, True)
    # 1,343,773 − 600,000 = 743,773
    assert span(livelihood) == (743773, 743773)
