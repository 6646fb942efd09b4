"""A plan in Vietnamese and Simplified Chinese over real HTTP: the sentences the vi and zh-Hans
message catalogs say (members by role and age, ages, money, places, first steps, notes).

Only sentences whose every word comes from those catalogs are asserted whole; where a sentence
also carries a fact label, a program or a parameter name (other catalogs), a literal part of it
is. Expected strings are written out by hand.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

AS_OF = "2026-03-02"

# 45-year-old applicant, his pregnant wife (43), their son (10) and his parents (76, 72): a
# couple with a 본인+배우자 소득인정액 of 1,000,000원, under the 2026 couple line of 3,952,000원
FAMILY: dict[str, Any] = {
    "profile": {
        "applicant": {"age": 45, "sex": "male", "nationality": "KR"},
        "members": [
            {
                "relation": "spouse",
                "age": 43,
                "sex": "female",
                "nationality": "KR",
                "pregnant": True,
                "due_date": "2026-06-15",
                "expected_child_order": 2,
            },
            {"relation": "child", "age": 10, "sex": "male", "nationality": "KR"},
            {
                "relation": "parent",
                "age": 76,
                "sex": "male",
                "nationality": "KR",
                "public_pension": False,
                "married": True,
                "couple_income_recognized_monthly": 1_000_000,
            },
            {
                "relation": "parent",
                "age": 72,
                "sex": "female",
                "nationality": "KR",
                "public_pension": False,
                "married": True,
                "couple_income_recognized_monthly": 1_000_000,
            },
        ],
        "household": {"size": 5, "region": "27", "receives": []},
    },
    "as_of": AS_OF,
}

# a woman living alone, born 14 September 1961: 64 on 2 March 2026, 65 on 14 September 2026
ALMOST_65: dict[str, Any] = {
    "profile": {
        "applicant": {"birth_date": "1961-09-14", "sex": "female", "nationality": "KR"},
        "household": {"size": 1, "region": "11", "receives": []},
        "pension_unit": {"income_recognized_monthly": 300_000, "is_couple": False},
    },
    "as_of": AS_OF,
}

# 78, alone, 소득인정액 300,000원: 기초연금 (up to the 기준연금액 349,700원) is income for 생계급여
ALONE: dict[str, Any] = {
    "profile": {
        "applicant": {"age": 78, "sex": "female", "nationality": "KR", "public_pension": False},
        "household": {
            "size": 1,
            "region": "11",
            "income_recognized_monthly": 300_000,
            "obligor_high_means": False,
            "receives": [],
        },
        "pension_unit": {"income_recognized_monthly": 300_000, "is_couple": False},
    },
    "as_of": AS_OF,
}

CRISIS: dict[str, Any] = {
    "profile": {
        "applicant": {"age": 41, "nationality": "KR"},
        "household": {"size": 3, "region": "48", "crisis": ["job_loss"]},
    },
    "needs": ["emergency", "income"],
    "as_of": AS_OF,
}

LOCALES = [("vi", "vi"), ("zh-CN", "zh-Hans")]

EXPECTED: dict[str, dict[str, Any]] = {
    "vi": {
        "members": ["bố (76 tuổi)", "mẹ (72 tuổi)"],
        "father_age": "Bố (76 tuổi) từ 65 tuổi trở lên.",
        "mother_age": "Mẹ (72 tuổi) từ 65 tuổi trở lên.",
        "couple_income": "là 1.000.000 won, không vượt quá ",
        "couple_line": " (3.952.000 won).",
        "call_129": (
            "Nếu có thắc mắc, hãy gọi Trung tâm tư vấn Y tế và Phúc lợi (보건복지상담센터) ☎129 "
            "(không cần mã vùng, ban ngày các ngày trong tuần)."
        ),
        "centre": "Trung tâm hành chính phúc lợi nơi cư trú (행정복지센터)",
        "centre_summary": (
            "Chỉ cần đến Trung tâm hành chính phúc lợi một lần là đăng ký được cùng lúc "
            "{n} chương trình."
        ),
        "visit": (
            "Hãy đến Trung tâm hành chính phúc lợi (행정복지센터) một lần để đăng ký cùng lúc "
            "{n} chương trình: "
        ),
        "birth_label": "vợ (43 tuổi)",
        "birth_note": (
            "Đây là hỗ trợ có thể đăng ký sau khi em bé chào đời; bạn có thể đăng ký cùng lúc "
            "khi khai sinh tại Trung tâm hành chính phúc lợi (행정복지센터). "
            "Chúng tôi sẽ xét lại theo ngày sinh."
        ),
        "too_young": "Bạn 64 tuổi, chưa đủ 65 tuổi.",
        "from_age": "Đủ điều kiện từ ngày 14 tháng 9, 2026 (khi tròn 65 tuổi).",
        "upto": "giảm tương ứng (tối đa 349.700 won).",
        "short_line": " (247万",  # never: Vietnamese has no 만 form
        "crisis": (
            "Nếu bạn đang gặp khủng hoảng, hãy gọi Trung tâm tư vấn Y tế và Phúc lợi "
            "(보건복지상담센터) ☎129 (24 giờ) hoặc đề nghị hỗ trợ khẩn cấp tại Trung tâm hành "
            "chính phúc lợi (행정복지센터). Hỗ trợ được cấp trước, việc xác minh làm sau."
        ),
    },
    "zh-Hans": {
        "members": ["父亲（76岁）", "母亲（72岁）"],
        "father_age": "父亲（76岁）已满65岁。",
        "mother_age": "母亲（72岁）已满65岁。",
        "couple_income": "为1,000,000韩元，在",
        "couple_line": "（3,952,000韩元）以下。",
        "call_129": (
            "如有疑问，请拨打保健福祉咨询中心（보건복지상담센터）☎129（无需区号，工作日白天）。"
        ),
        "centre": "居住地行政福利中心（행정복지센터）",
        "centre_summary": "只需去一次行政福利中心，即可同时申请{n}个项目。",
        "visit": "请去一次行政福利中心（행정복지센터），同时申请{n}个项目：",
        "birth_label": "妻子（43岁）",
        "birth_note": (
            "这是宝宝出生后可以申请的支援，办理出生登记时可在行政福利中心（행정복지센터）一并申请。"
            "将以出生日期为准重新判断。"
        ),
        "too_young": "您现年64岁，未满65岁。",
        "from_age": "自2026年9月14日（年满65周岁）起符合条件。",
        "upto": "会相应减少（最多349,700韩元）。",
        "short_line": "（247万韩元）以下。",
        "crisis": (
            "如果您现在处于危机状况，请拨打保健福祉咨询中心（보건복지상담센터）☎129（24小时），"
            "或向行政福利中心（행정복지센터）申请紧急援助。先提供援助，事后再核实。"
        ),
    },
}


async def _plan(client: httpx.AsyncClient, body: dict[str, Any], language: str) -> dict[str, Any]:
    response = await client.post("/v1/plans", json=body, headers={"Accept-Language": language})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _item(plan: dict[str, Any], program_id: str) -> dict[str, Any]:
    for key in ("eligible", "needs_info", "ineligible", "excluded", "receiving"):
        for item in plan[key]:
            if item["program_id"] == program_id:
                return item
    raise AssertionError(f"{program_id} is not in the plan")


@pytest.mark.parametrize(("language", "tag"), LOCALES)
async def test_members_are_named_by_role_and_age_and_ages_said_once(
    client: httpx.AsyncClient, language: str, tag: str
) -> None:
    expected = EXPECTED[tag]
    plan = await _plan(client, FAMILY, language)
    assert plan["locale"] == tag
    pension = _item(plan, "basic-pension")
    assert pension["status"] == "eligible"
    # 기초연금 is per person: the two grandparents, in household order
    assert [m["label"] for m in pension["members"]] == expected["members"]
    father, mother = pension["members"]
    assert father["reasons"][0] == expected["father_age"]
    assert mother["reasons"][0] == expected["mother_age"]
    assert father["reasons"][0] in pension["reasons"]
    # the couple's 소득인정액 against the couple line, both as money in the locale's digits
    income = [r for r in pension["reasons"] if expected["couple_income"] in r]
    assert len(income) == 1 and income[0].endswith(expected["couple_line"])


@pytest.mark.parametrize(("language", "tag"), LOCALES)
async def test_places_steps_and_the_birth_note(
    client: httpx.AsyncClient, language: str, tag: str
) -> None:
    expected = EXPECTED[tag]
    plan = await _plan(client, FAMILY, language)
    centre = next(g for g in plan["by_place"] if g["channel"] == "community_center")
    n = len(centre["program_ids"])
    assert n >= 1
    assert centre["label"] == expected["centre"]
    assert centre["summary"] == expected["centre_summary"].format(n=n)
    steps = plan["first_steps"]
    # no crisis: one visit to the community centre, then ☎129 for any question
    visits = [s for s in steps if s.startswith(expected["visit"].format(n=n))]
    assert len(visits) == 1
    assert expected["call_129"] in steps
    assert steps.index(visits[0]) < steps.index(expected["call_129"])
    [birth] = plan["expected_births"]
    assert birth["label"] == expected["birth_label"]
    assert birth["note"] == expected["birth_note"]


@pytest.mark.parametrize(("language", "tag"), LOCALES)
async def test_a_minimum_age_not_yet_reached_says_from_when(
    client: httpx.AsyncClient, language: str, tag: str
) -> None:
    expected = EXPECTED[tag]
    response = await client.post(
        "/v1/programs/basic-pension/eligibility",
        json=ALMOST_65,
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["status"] == "ineligible" and result["locale"] == tag
    assert result["reasons"][:2] == [expected["too_young"], expected["from_age"]]


@pytest.mark.parametrize(("language", "tag"), LOCALES)
async def test_money_in_adjustments_and_a_round_line(
    client: httpx.AsyncClient, language: str, tag: str
) -> None:
    expected = EXPECTED[tag]
    plan = await _plan(client, ALONE, language)
    livelihood = _item(plan, "basic-livelihood")
    [adjustment] = [a for a in livelihood["adjustments"] if a["kind"] == "income_includes"]
    assert expected["upto"] in adjustment["text"]
    # the 2026 single 선정기준액 2,470,000원 is a round sum: 247万韩元 in Chinese, in full in
    # Vietnamese
    pension = _item(plan, "basic-pension")
    lines = [r for r in pension["reasons"] if expected["short_line"] in r]
    if tag == "zh-Hans":
        assert len(lines) == 1
    else:
        assert lines == []
        assert any(r.endswith(" (2.470.000 won).") for r in pension["reasons"])


@pytest.mark.parametrize(("language", "tag"), LOCALES)
async def test_a_crisis_puts_the_129_call_first(
    client: httpx.AsyncClient, language: str, tag: str
) -> None:
    plan = await _plan(client, CRISIS, language)
    assert plan["emergency_first"] is True
    assert plan["first_steps"][0] == EXPECTED[tag]["crisis"]
    # in a crisis the 129 call is the first step, not repeated as the last question line
    assert EXPECTED[tag]["call_129"] not in plan["first_steps"]
