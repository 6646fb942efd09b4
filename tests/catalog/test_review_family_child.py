"""Catalog review, family-child area: per-child and per-pregnancy programs decided per member.

Expected values are worked out by hand from the law and the shipped parameters (the arithmetic is
in the comments); see docs/catalog-review/family-child.md for the sources. Households are invented.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.catalog.loader import load_catalog
from app.matching.benefits import AmountRange
from app.matching.evaluate import Determination
from app.matching.facts import Profile
from app.matching.plan import compose
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import FALSE, TRUE, UNKNOWN

AS_OF = date(2026, 3, 2)
PARENT = {"age": 34, "sex": "female", "nationality": "KR"}
FATHER = {"relation": "spouse", "age": 36, "sex": "male", "nationality": "KR"}


@pytest.fixture(scope="module")
def snapshot() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


def child(**facts: Any) -> dict[str, Any]:
    return {"relation": "child", "nationality": "KR", **facts}


def decide(
    snapshot: CatalogSnapshot,
    program_id: str,
    members: list[dict[str, Any]],
    applicant: dict[str, Any] | None = None,
    as_of: date = AS_OF,
    **household: Any,
) -> Determination:
    profile = Profile(
        applicant=PARENT if applicant is None else applicant,
        members=members,
        household=household,
    )
    return snapshot.evaluate_one(profile, as_of, program_id)


def truths(found: Determination) -> dict[int, object]:
    return {p.person: p.truth for p in found.persons}


def exact(amount: int) -> AmountRange:
    return AmountRange(amount, amount)


# --- 아동수당 / 부모급여: per child, amounts add ---------------------------------------------


def test_child_allowance_is_decided_for_each_child_and_adds_up(snapshot: CatalogSnapshot) -> None:
    # 2026 충남(44): 105,000 per child under 108 months. 40 and 100 months qualify, 110 does not.
    found = decide(
        snapshot,
        "child-allowance",
        [child(age_months=40), child(age_months=100), child(age_months=110)],
        region="44",
    )
    assert found.truth is TRUE
    assert truths(found) == {1: TRUE, 2: TRUE}  # the 110-month child is not someone it is for
    assert found.benefit == exact(210000)  # 105,000 × 2


def test_parent_benefit_pays_each_baby_by_its_own_age(snapshot: CatalogSnapshot) -> None:
    # twins are not needed: a 5-month-old (1,000,000) and a 14-month-old (500,000)
    found = decide(snapshot, "parent-benefit", [child(age_months=5), child(age_months=14)])
    assert truths(found) == {1: TRUE, 2: TRUE}
    assert found.benefit == exact(1500000)  # 1,000,000 + 500,000


# --- 첫만남이용권: within a year of birth, once per child ------------------------------------


def test_first_meeting_voucher_for_a_five_month_old_second_child(snapshot: CatalogSnapshot) -> None:
    baby = child(age_months=5, birth_order=2, received_before=[])
    found = decide(snapshot, "first-meeting-voucher", [FATHER, baby])
    assert found.truth is TRUE
    assert found.persons[-1].person == 2
    assert found.benefit == exact(3000000)  # 둘째 이상 3,000,000


def test_first_meeting_voucher_twins_each_get_their_own(snapshot: CatalogSnapshot) -> None:
    twins = [
        child(age_months=2, birth_order=1, received_before=[]),
        child(age_months=2, birth_order=2, received_before=[]),
    ]
    found = decide(snapshot, "first-meeting-voucher", twins)
    assert found.benefit == exact(5000000)  # 2,000,000 (첫째) + 3,000,000 (둘째)


def test_first_meeting_voucher_already_received_is_not_offered(snapshot: CatalogSnapshot) -> None:
    baby = child(age_months=5, birth_order=1, received_before=["first-meeting-voucher"])
    assert decide(snapshot, "first-meeting-voucher", [baby]).truth is FALSE


def test_first_meeting_voucher_asks_whether_it_was_received(snapshot: CatalogSnapshot) -> None:
    found = decide(snapshot, "first-meeting-voucher", [child(age_months=5, birth_order=1)])
    assert found.truth is UNKNOWN
    assert any("received_before" in m for m in found.missing)


def test_first_meeting_voucher_is_past_for_a_twenty_month_old(snapshot: CatalogSnapshot) -> None:
    # apply within 1 year of birth: at 20 months it was used or lost
    baby = child(age_months=20, birth_order=1, received_before=[])
    assert decide(snapshot, "first-meeting-voucher", [baby]).truth is FALSE


# --- pregnancy programs: a pregnant spouse or daughter counts --------------------------------


def test_pregnancy_voucher_for_the_pregnant_spouse_of_a_male_applicant(
    snapshot: CatalogSnapshot,
) -> None:
    husband = {"age": 35, "sex": "male", "nationality": "KR"}
    wife = {"relation": "spouse", "age": 31, "sex": "female", "nationality": "KR", "pregnant": True}
    found = decide(snapshot, "pregnancy-medical-voucher", [wife], applicant=husband)
    assert found.truth is TRUE
    assert truths(found) == {1: TRUE}
    assert found.benefit == exact(1000000)


def test_teen_mother_medical_for_a_pregnant_daughter(snapshot: CatalogSnapshot) -> None:
    mother = {"age": 45, "sex": "female", "nationality": "KR", "pregnant": False}
    daughter = child(age=17, sex="female", pregnant=True)
    found = decide(snapshot, "teen-mother-medical", [daughter], applicant=mother)
    assert found.truth is TRUE
    assert found.benefit == exact(1200000)


def test_teen_mother_medical_not_for_a_pregnant_31_year_old(snapshot: CatalogSnapshot) -> None:
    applicant = {"age": 31, "sex": "female", "nationality": "KR", "pregnant": True}
    assert decide(snapshot, "teen-mother-medical", [FATHER], applicant=applicant).truth is FALSE


# --- 가정양육수당 and 보육료: one child at home, one at daycare ---------------------------------


def test_home_allowance_and_daycare_fee_both_stay_in_the_plan(snapshot: CatalogSnapshot) -> None:
    # the exclusion is per child (person.childcare), so a household can have both
    profile = Profile(
        applicant=PARENT,
        members=[
            child(age_months=40, childcare="home"),
            child(age_months=55, childcare="daycare"),
        ],
        household={"region": "44"},
    )
    plan = compose(snapshot, profile, AS_OF)
    eligible = {d.id for d in plan.eligible}
    assert {"home-childcare-allowance", "childcare-fee-support"} <= eligible
    assert not {d.id for d in plan.excluded} & {"childcare-fee-support"}


# --- 장애아동수당: under 18, or up to 20 while at school; 차상위 by income ---------------------


def test_disabled_child_allowance_for_a_19_year_old_high_school_student(
    snapshot: CatalogSnapshot,
) -> None:
    student = child(age=19, student="high", disability_registered=True, disability_severe=True)
    found = decide(snapshot, "disabled-child-allowance", [student], receives=["basic-livelihood"])
    assert found.truth is TRUE
    assert found.benefit == exact(220000)  # 중증 + 생계급여


def test_disabled_child_allowance_not_for_a_19_year_old_out_of_school(
    snapshot: CatalogSnapshot,
) -> None:
    adult = child(age=19, student="none", disability_registered=True, disability_severe=True)
    found = decide(snapshot, "disabled-child-allowance", [adult], receives=["basic-livelihood"])
    assert found.truth is FALSE


def test_disabled_child_allowance_near_poverty_by_income_ratio(snapshot: CatalogSnapshot) -> None:
    # 3 persons 2026: median 5,359,036 × 50% = 2,679,518; income 2,600,000 is 차상위 → 중증 170,000
    kid = child(age=10, disability_registered=True, disability_severe=True)
    found = decide(
        snapshot,
        "disabled-child-allowance",
        [FATHER, kid],
        receives=[],
        income_recognized_monthly=2600000,
    )
    assert found.truth is TRUE
    assert found.benefit == exact(170000)


# --- 기저귀: per baby under 24 months -------------------------------------------------------


def test_diapers_for_each_baby_of_a_single_parent(snapshot: CatalogSnapshot) -> None:
    twins = [child(age_months=8), child(age_months=8)]
    found = decide(snapshot, "diaper-formula-support", twins, single_parent=True)
    assert found.truth is TRUE
    assert found.benefit == exact(180000)  # 90,000 × 2


# --- 한부모 아동양육비: 한부모가족의 아동 (18 미만, 재학 중 22 미만 + 복무기간) ----------------


def test_single_parent_support_counts_a_university_student_of_20(
    snapshot: CatalogSnapshot,
) -> None:
    # 3 persons 2026 at 65%: 3,483,373; income 2,000,000 is within. Children 16 and 20 (student).
    members = [child(age=16, student="high"), child(age=20, student="university")]
    found = decide(
        snapshot,
        "single-parent-child-support",
        members,
        applicant={"age": 45, "sex": "female", "nationality": "KR"},
        single_parent=True,
        income_recognized_monthly=2000000,
    )
    assert truths(found) == {1: TRUE, 2: TRUE}
    assert found.benefit == exact(460000)  # 230,000 × 2


def test_single_parent_support_not_for_a_20_year_old_not_in_school(
    snapshot: CatalogSnapshot,
) -> None:
    members = [child(age=20, student="none")]
    found = decide(
        snapshot,
        "single-parent-child-support",
        members,
        applicant={"age": 45, "sex": "female", "nationality": "KR"},
        single_parent=True,
        income_recognized_monthly=2000000,
    )
    assert found.truth is FALSE


def test_single_parent_support_adds_military_service_to_the_age_limit(
    snapshot: CatalogSnapshot,
) -> None:
    # 23 years 3 months (279 months), 21 months of service, at university: limit 22 y + 21 m = 285
    veteran = child(age_months=279, student="university", military_service_months=21)
    found = decide(
        snapshot,
        "single-parent-child-support",
        [veteran],
        applicant={"age": 50, "sex": "male", "nationality": "KR"},
        single_parent=True,
        income_recognized_monthly=1500000,
    )
    assert found.truth is TRUE
    assert found.benefit == exact(230000)


# --- 인천: 천사지원금 needs a year in Incheon; 아이꿈수당 by birth year ---------------------------


def test_incheon_angel_needs_a_year_of_residence(snapshot: CatalogSnapshot) -> None:
    toddler = child(birth_date=date(2024, 5, 10))  # age 1
    angel = "incheon-angel-allowance"
    short = decide(snapshot, angel, [toddler], region="28", residence_since=date(2025, 9, 1))
    assert short.truth is FALSE  # 6 months in Incheon
    long = decide(snapshot, angel, [toddler], region="28", residence_since=date(2023, 1, 1))
    assert long.truth is TRUE
    assert long.benefit == exact(1200000)


def test_incheon_idream_amount_for_a_child_born_in_2017(snapshot: CatalogSnapshot) -> None:
    # born 2017-06-01: 8 on 2026-03-02, born up to 2019 → 50,000 a month
    found = decide(
        snapshot, "incheon-idream-allowance", [child(birth_date=date(2017, 6, 1))], region="28"
    )
    assert found.truth is TRUE
    assert found.benefit == exact(50000)
