# ruff: noqa: E501  (bilingual label tables read better unwrapped)
"""The doubt behind every income-recognition constant not marked verified (Korean and English).

Keys are parameter names without the ``income_recognition.`` prefix; a test checks that every
partial/unverified parameter has one.
"""

from __future__ import annotations

from app.matching.text import LocalizedText as T

DOUBTS: dict[str, T] = {
    "livelihood_youth_flat_deduction": T(
        ko="청년 근로·사업소득 정액공제(2024년 40만원)는 2025년 규정에서 추정한 값입니다.",
        en="The youth flat deduction for 2024 (400,000) is inferred from the 2025 rule.",
    ),
    "livelihood_youth_age_max": T(
        ko="2024년 청년 공제 나이(30세 미만)는 종합계획 요약 하나로만 확인했습니다.",
        en="The 2024 youth age limit (under 30) comes from one plan summary only.",
    ),
    "livelihood_student_flat_deduction": T(
        ko="대학생 정액공제는 청년과 같다고 보았습니다 (2024년 미확인, 2025·2026년 한 자료).",
        en="The university student deduction is assumed equal to the youth one (2024 unconfirmed, "
        "2025–2026 one source).",
    ),
    "livelihood_elderly_disabled_flat_deduction": T(
        ko="노인·장애인 근로·사업소득 20만원 정액공제는 연도별 공식 문서로 확인되지 않았습니다.",
        en="The 200,000 flat deduction for elderly and disabled earners is not confirmed by a "
        "yearly official text.",
    ),
    "livelihood_elderly_age_min": T(
        ko="노인 공제 나이(65세)는 확인되지 않았습니다 (2018년 자료는 75세).",
        en="The elderly deduction age (65) is not confirmed (a 2018 source says 75).",
    ),
    "livelihood_basic_property_deduction": T(
        ko="2024·2025년 기본재산액은 2023년·2026년 표와 같다고 보았습니다. 인천의 급지는 미확인입니다.",
        en="The 2024–2025 basic property deduction is taken from the 2023/2026 tables; Incheon's "
        "tier is unconfirmed.",
    ),
    "livelihood_housing_property_cap": T(
        ko="2024·2025년 주거용재산 한도액은 2023년 자료로만 확인했습니다.",
        en="The 2024–2025 housing property caps are confirmed by a 2023 source only.",
    ),
    "livelihood_living_reserve": T(
        ko="생활준비금 500만원은 2차 자료로만 확인했습니다 (600만원이라는 2026년 자료도 있음).",
        en="The 5,000,000 living reserve comes from secondary pages (one 2026 page says 6,000,000).",
    ),
    "livelihood_car_passenger_cc_lt": T(
        ko="2024년 승용차 일반재산 기준(1,600cc 미만)은 옛 규정을 설명한 자료로만 확인했습니다.",
        en="The 2024 passenger car rule (under 1,600cc) is known from pages describing the old rule.",
    ),
    "livelihood_car_value_lt": T(
        ko="2024년 승용차 가액 기준(200만원 미만)은 옛 규정을 설명한 자료로만 확인했습니다.",
        en="The 2024 car value rule (under 2,000,000) is known from pages describing the old rule.",
    ),
    "livelihood_car_passenger_age_min": T(
        ko="2024년 '차령 10년 이상' 기준은 옛 규정을 설명한 자료로만 확인했습니다.",
        en="The 2024 'aged 10+ years' car rule is known from pages describing the old rule.",
    ),
    "basic_pension_rent_deposit_factor": T(
        ko="기초연금에서 임차보증금의 95%만 재산으로 보는 것은 공식 문서로 확인되지 않았습니다.",
        en="Counting 95 % of a rent deposit for the Basic Pension is not confirmed by official text.",
    ),
    "disability_pension_earned_deduction": T(
        ko="장애인연금 근로소득 공제액은 찾지 못해 기초연금 공제액을 썼습니다 (예전엔 달랐음).",
        en="The Disability Pension earned income deduction was not found; the Basic Pension's is "
        "used (they differed in the past).",
    ),
    "disability_pension_earned_rate": T(
        ko="장애인연금 근로소득 30% 추가 공제는 기초연금과 같다고 보았습니다 (한 자료).",
        en="The Disability Pension's extra 30 % deduction is assumed as the Basic Pension's.",
    ),
    "disability_pension_basic_property_deduction": T(
        ko="장애인연금 기본재산액은 예전 복지로 안내 한 곳으로만 확인했습니다.",
        en="The Disability Pension basic property deduction comes from one older Bokjiro page.",
    ),
    "disability_pension_financial_deduction": T(
        ko="장애인연금 금융재산 공제(2,000만원)는 예전 복지로 안내 한 곳으로만 확인했습니다.",
        en="The Disability Pension financial deduction (20,000,000) comes from one older page.",
    ),
    "disability_pension_conversion_rate": T(
        ko="장애인연금 재산 소득환산율(연 4%)은 예전 복지로 안내 한 곳으로만 확인했습니다.",
        en="The Disability Pension conversion rate (4 % a year) comes from one older page.",
    ),
    "disability_pension_luxury_car_value_min": T(
        ko="장애인연금 고급자동차 기준은 기초연금과 같다고 보았습니다.",
        en="The Disability Pension luxury car rule is assumed as the Basic Pension's.",
    ),
    "disability_pension_luxury_car_age_max": T(
        ko="장애인연금 고급자동차 차령 기준은 기초연금과 같다고 보았습니다.",
        en="The Disability Pension luxury car age rule is assumed as the Basic Pension's.",
    ),
    "disability_pension_rent_deposit_factor": T(
        ko="장애인연금 임차보증금 95% 반영은 기초연금과 같다고 보았습니다 (그것도 미확인).",
        en="Counting 95 % of a rent deposit is assumed as for the Basic Pension (itself unconfirmed).",
    ),
}
