"""Catalog review, area jobs-education (docs/catalog-review/jobs-education.md): the changed
behaviour of the jobs and lifelong-education programs, decided by the engine on the shipped
catalog. Expected values are worked out by hand from the law (arithmetic in the comments).

2026 figures used: 기준 중위소득 1인 2,564,238원 · 2인 4,199,292원 (보건복지부 고시 2025);
기초연금 단독 선정기준액 2,470,000원, 기준연금액 349,700원; 노인일자리 공익활동형 290,000원,
사회서비스형 761,040원; 평생교육이용권 350,000원; 국민내일배움카드 300만원 / 500만원.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.catalog.loader import load_catalog
from app.matching.facts import Profile
from app.matching.plan import compose
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import Truth

AS_OF = date(2026, 3, 2)


@pytest.fixture(scope="module")
def snapshot() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


def decide(snapshot: CatalogSnapshot, profile: Profile) -> dict[str, Any]:
    """Every program's determination (the whole catalog, so chains through other programs run)."""
    return {d.program_id: d for d in snapshot.evaluate(profile, AS_OF)}


def person_truths(det: Any) -> dict[int, Truth]:
    return {p.person: p.truth for p in det.persons}


# 67세 혼자 사는 어르신, 본인+배우자 소득인정액 100만원 (단독 선정기준액 247만원 이하),
# 직역연금 없음
SENIOR = {
    "age": 67,
    "nationality": "KR",
    "married": False,
    "couple_income_recognized_monthly": 1_000_000,
    "public_pension": False,
    "employer_health_insurance": False,
    "long_term_care_grade": False,
}


def test_public_interest_job_is_eligible_after_the_basic_pension(
    snapshot: CatalogSnapshot,
) -> None:
    # 기초연금을 아직 받지 않음 (receives []): 1,000,000 ≤ 2,470,000 → 기초연금 새로 받음 →
    # 공익활동형은 "기초연금 다음에" 자격, 활동비 월 290,000원
    dets = decide(snapshot, Profile(applicant=SENIOR, household={"receives": []}))
    assert dets["basic-pension"].truth is Truth.TRUE
    public = dets["senior-jobs-public-interest"]
    assert public.truth is Truth.TRUE
    assert public.after == ("basic-pension",)
    assert (public.benefit.low, public.benefit.high) == (290_000, 290_000)


def test_public_interest_job_needs_the_persons_own_basic_pension(
    snapshot: CatalogSnapshot,
) -> None:
    # 본인은 기초연금 수급(공익활동형 가능), 배우자 66세는 직장 건강보험 가입자 → 배우자는 아님
    applicant = {**SENIOR, "married": True, "receives": ["basic-pension"]}
    spouse = {
        "relation": "spouse",
        "age": 66,
        "nationality": "KR",
        "employer_health_insurance": True,
        "long_term_care_grade": False,
        "receives": [],
    }
    dets = decide(snapshot, Profile(applicant=applicant, members=[spouse], household={}))
    public = dets["senior-jobs-public-interest"]
    assert public.truth is Truth.TRUE
    assert person_truths(public) == {0: Truth.TRUE, 1: Truth.FALSE}
    assert (public.benefit.low, public.benefit.high) == (290_000, 290_000)  # 한 사람분만


def test_senior_jobs_one_type_per_person(snapshot: CatalogSnapshot) -> None:
    # 이미 사회서비스형에 참여 중인 사람은 공익활동형 자격이 없음 (유형 중복 참여 불가)
    applicant = {**SENIOR, "receives": ["basic-pension", "senior-jobs-social-service"]}
    dets = decide(snapshot, Profile(applicant=applicant, household={}))
    assert dets["senior-jobs-public-interest"].truth is Truth.FALSE
    assert dets["senior-jobs-social-service"].receiving is True


def test_senior_jobs_plan_keeps_one_type(snapshot: CatalogSnapshot) -> None:
    # 기초연금 수급 67세: 공익활동형(290,000)과 사회서비스형(761,040) 모두 자격 → 한 유형만:
    # 더 큰 사회서비스형이 남고 공익활동형과 시장형(금액 없음)은 제외
    applicant = {**SENIOR, "receives": ["basic-pension"]}
    plan = compose(snapshot, Profile(applicant=applicant, household={}), AS_OF)
    eligible = {d.id for d in plan.eligible}
    excluded = {d.id for d in plan.excluded}
    assert "senior-jobs-social-service" in eligible
    assert {"senior-jobs-public-interest", "senior-jobs-market"} <= excluded


# 1인 가구 소득인정액 200만원: 중위 60% 1,538,543원 초과, 120% 3,077,086원 이하 → 청년특례만 가능
JOB_SEEKER_HOUSEHOLD = {
    "income_recognized_monthly": 2_000_000,
    "assets": 100_000_000,
    "receives": [],
}


def job_seeker(age: int, **more: Any) -> dict[str, Any]:
    return {
        "age": age,
        "nationality": "KR",
        "employment_status": "unemployed",
        "work_experience_100d": False,
        "received_before": [],
        **more,
    }


@pytest.mark.parametrize(
    ("age", "months", "expected"),
    [
        (34, 0, Truth.TRUE),  # 18~34세
        (35, 0, Truth.FALSE),  # 병역 없음: 34세까지
        (35, 12, Truth.TRUE),  # 34 + 1년
        (36, 24, Truth.TRUE),  # 34 + 2년
        (36, 23, Truth.FALSE),  # 만 나이 단위 근사: 36세는 24개월 이상 복무
        (37, 36, Truth.TRUE),  # 최대 3년 연장
        (38, 48, Truth.FALSE),  # 3년을 넘는 연장은 없음
    ],
)
def test_employment_support_youth_age_extended_by_military_service(
    snapshot: CatalogSnapshot, age: int, months: int, expected: Truth
) -> None:
    profile = Profile(
        applicant=job_seeker(age, military_service_months=months), household=JOB_SEEKER_HOUSEHOLD
    )
    assert decide(snapshot, profile)["national-employment-support-1"].truth is expected


def test_employment_support_type_one_once_in_three_years(snapshot: CatalogSnapshot) -> None:
    # 구직촉진수당을 최근에 받았으면 Ⅰ유형은 안 되고 Ⅱ유형(청년, 소득 무관)은 가능
    profile = Profile(
        applicant=job_seeker(29, received_before=["national-employment-support-1"]),
        household=JOB_SEEKER_HOUSEHOLD,
    )
    dets = decide(snapshot, profile)
    assert dets["national-employment-support-1"].truth is Truth.FALSE
    assert dets["national-employment-support-2"].truth is Truth.TRUE
    # 물어보지 않았으면 모름 (needs_info)
    unasked = {k: v for k, v in job_seeker(29).items() if k != "received_before"}
    dets = decide(snapshot, Profile(applicant=unasked, household=JOB_SEEKER_HOUSEHOLD))
    assert dets["national-employment-support-1"].truth is Truth.UNKNOWN


def test_employment_support_type_one_not_for_livelihood_recipients(
    snapshot: CatalogSnapshot,
) -> None:
    household = {**JOB_SEEKER_HOUSEHOLD, "income_recognized_monthly": 500_000}
    household["receives"] = ["basic-livelihood"]
    dets = decide(snapshot, Profile(applicant=job_seeker(29), household=household))
    assert dets["national-employment-support-1"].truth is Truth.FALSE


def test_unemployment_benefit_and_type_one_per_member(snapshot: CatalogSnapshot) -> None:
    # 신청인(50세, 일함)과 구직급여를 받는 배우자(48세): 구직급여는 배우자의 것,
    # 배우자는 구직급여를 받는 동안 Ⅰ유형 아님
    applicant = {"age": 50, "nationality": "KR", "employment_status": "employed",
                 "involuntary_job_loss": False, "received_before": []}  # fmt: skip
    spouse = job_seeker(48, relation="spouse", involuntary_job_loss=True,
                        receives=["unemployment-benefit"])  # fmt: skip
    household = {"income_recognized_monthly": 2_000_000, "assets": 100_000_000, "receives": []}
    dets = decide(snapshot, Profile(applicant=applicant, members=[spouse], household=household))
    ub = dets["unemployment-benefit"]
    assert person_truths(ub) == {0: Truth.FALSE, 1: Truth.TRUE}
    assert [p.receiving for p in ub.persons] == [False, True]
    assert dets["national-employment-support-1"].truth is Truth.FALSE


def test_youth_job_leap_subsidy_describes_the_young_worker(snapshot: CatalogSnapshot) -> None:
    # 장려금은 기업이 받음; 가구의 28세 구직 중인 자녀가 채용 대상
    assert snapshot.programs["youth-job-leap-subsidy"].spec.recipient == "employer"
    applicant = {"age": 55, "nationality": "KR", "employment_status": "employed"}
    son = {"relation": "child", "age": 28, "employment_status": "unemployed"}
    dets = decide(snapshot, Profile(applicant=applicant, members=[son], household={}))
    leap = dets["youth-job-leap-subsidy"]
    assert leap.truth is Truth.TRUE
    assert person_truths(leap) == {1: Truth.TRUE}


def test_integration_programs_consider_a_marriage_immigrant_spouse(
    snapshot: CatalogSnapshot,
) -> None:
    # 신청인은 한국 태생 국민, 배우자가 입국 3년 된 결혼이민자(외국 국적)
    applicant = {"age": 40, "nationality": "KR", "naturalized_within_3y": False,
                 "marriage_immigrant": False}  # fmt: skip
    spouse = {"relation": "spouse", "age": 33, "sex": "female", "nationality": "foreign",
              "marriage_immigrant": True, "years_since_entry": 3}  # fmt: skip
    dets = decide(snapshot, Profile(applicant=applicant, members=[spouse], household={}))
    for program_id in ("kiip-social-integration", "multicultural-visiting-education"):
        det = dets[program_id]
        assert det.truth is Truth.TRUE, program_id
        assert person_truths(det)[1] is Truth.TRUE, program_id


def test_multicultural_child_service_counts_a_marriage_immigrant_member(
    snapshot: CatalogSnapshot,
) -> None:
    # 다문화가족 여부를 답하지 않았어도 결혼이민자 가구원이 있으면 다문화가족
    # (다문화가족지원법 제2조):
    # 7세 자녀의 자녀생활서비스
    applicant = {"age": 40, "nationality": "KR", "marriage_immigrant": False}
    spouse = {"relation": "spouse", "age": 38, "nationality": "KR", "marriage_immigrant": True,
              "years_since_entry": 10}  # fmt: skip
    child = {"relation": "child", "age": 7}
    dets = decide(snapshot, Profile(applicant=applicant, members=[spouse, child], household={}))
    det = dets["multicultural-visiting-education"]
    assert det.truth is Truth.TRUE
    assert person_truths(det)[2] is Truth.TRUE


def test_lifelong_vouchers_per_person(snapshot: CatalogSnapshot) -> None:
    # 68세·66세 부부: 평생교육이용권(노인)은 한 사람에 한 장 → 350,000 × 2 = 700,000
    applicant = {"age": 68, "nationality": "KR"}
    spouse = {"relation": "spouse", "age": 66, "nationality": "KR"}
    det = decide(snapshot, Profile(applicant=applicant, members=[spouse], household={}))[
        "lifelong-voucher-senior"
    ]
    assert person_truths(det) == {0: Truth.TRUE, 1: Truth.TRUE}
    assert (det.benefit.low, det.benefit.high) == (700_000, 700_000)


def test_training_card_amount_per_person(snapshot: CatalogSnapshot) -> None:
    # 2인 가구 소득인정액 800만원 (2인 중위 4,199,292원의 190%: 차상위 아님), 수급 없음,
    # 한부모 아님:
    # 등록장애인 본인 500만원 + 배우자 300만원 = 800만원
    applicant = {"age": 40, "nationality": "KR", "student": "none", "disability_registered": True}
    spouse = {"relation": "spouse", "age": 38, "nationality": "KR", "student": "none",
              "disability_registered": False, "care_leaver": False}  # fmt: skip
    household = {"income_recognized_monthly": 8_000_000, "receives": [], "single_parent": False}
    det = decide(snapshot, Profile(applicant=applicant, members=[spouse], household=household))[
        "naeil-baeum-card"
    ]
    assert [p.benefit.low for p in det.persons] == [5_000_000, 3_000_000]
    assert (det.benefit.low, det.benefit.high) == (8_000_000, 8_000_000)


def test_self_sufficiency_work_for_any_benefit_recipient(snapshot: CatalogSnapshot) -> None:
    # 의료급여 수급자(일반수급자)는 희망하면 자활근로에 참여 (소득 모름이어도 수급으로 충분)
    applicant = {"age": 45, "nationality": "KR"}
    det = decide(snapshot, Profile(applicant=applicant, household={"receives": ["medical-aid"]}))[
        "self-sufficiency-work"
    ]
    assert det.truth is Truth.TRUE


def test_disability_jobs_for_a_disabled_member(snapshot: CatalogSnapshot) -> None:
    # 신청인은 장애 없음, 30세 자녀가 등록장애인이고 일하지 않음 → 자녀의 장애인 일자리
    applicant = {"age": 60, "disability_registered": False}
    child = {"relation": "child", "age": 30, "disability_registered": True,
             "employment_status": "not_working", "employer_health_insurance": False}  # fmt: skip
    det = decide(snapshot, Profile(applicant=applicant, members=[child], household={}))[
        "disability-jobs"
    ]
    assert det.truth is Truth.TRUE
    assert person_truths(det) == {1: Truth.TRUE}
