"""The household-true plan over real HTTP (#10): who in the household gets what.

Expected values are worked out by hand from the 2026 figures in ../shared/reference (기초연금
기준연금액 349,700원, 부부가구 선정기준액 3,952,000원) and the program sources.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.routers.test_plans import _plan

AS_OF = "2026-03-02"

# 45-year-old applicant, his pregnant wife (43), their son (10) and his parents (76, 72), who
# are a couple: the 본인+배우자 unit of 기초연금 is the grandparents, not the applicant.
THREE_GENERATIONS: dict[str, Any] = {
    "profile": {
        "applicant": {
            "age": 45,
            "sex": "male",
            "nationality": "KR",
            "employment_status": "employed",
        },
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


def _item(plan: dict[str, Any], program_id: str) -> dict[str, Any]:
    for key in ("eligible", "needs_info", "excluded", "receiving"):
        for item in plan[key]:
            if item["program_id"] == program_id:
                return item
    raise AssertionError(f"{program_id} is not in the plan")


async def test_each_grandparent_gets_their_own_basic_pension(client: httpx.AsyncClient) -> None:
    plan = await _plan(client, THREE_GENERATIONS)
    pension = _item(plan, "basic-pension")
    assert pension["status"] == "eligible"
    members = {m["label"]: m for m in pension["members"]}
    # only the two 65+ members are decided; the applicant (45) is not a 기초연금 member at all
    assert set(members) == {"아버지(76세)", "어머니(72세)"}
    # both receive it, so each gets 20% less (기초연금법 제8조): 349,700 × 0.8 = 279,760; the
    # 소득역전 방지 cap (3,952,000 − 1,000,000) ÷ 2 = 1,476,000 does not bite
    for member in members.values():
        assert member["status"] == "eligible"
        assert member["amount"] == {"low": 279_760, "high": 279_760}
    assert {m["member"] for m in pension["members"]} == {"members[2]", "members[3]"}
    assert pension["counted"] == {"low": 559_520, "high": 559_520}


async def test_english_labels_name_the_member_by_role_and_age(client: httpx.AsyncClient) -> None:
    plan = await _plan(client, {**THREE_GENERATIONS, "locale": "en"})
    labels = {m["label"] for m in _item(plan, "basic-pension")["members"]}
    assert labels == {"father (76)", "mother (72)"}


async def test_a_grandparent_already_receiving_is_not_offered_it_again(
    client: httpx.AsyncClient,
) -> None:
    body = _with_member_fact(THREE_GENERATIONS, 2, "receives", ["basic-pension"])
    plan = await _plan(client, body)
    pension = _item(plan, "basic-pension")
    by_label = {m["label"]: m["status"] for m in pension["members"]}
    assert by_label == {"아버지(76세)": "receiving", "어머니(72세)": "eligible"}
    # the mother is new money; the father's pension is already his: 279,760 each, one counted
    assert pension["counted"] == {"low": 279_760, "high": 279_760}
    receiving = [a for a in pension["adjustments"] if a["kind"] == "receiving"]
    assert [a["member"] for a in receiving] == ["members[2]"]
    assert "이미 받고 있어" in receiving[0]["text"]


async def test_the_baby_on_the_way_brings_its_own_programs(client: httpx.AsyncClient) -> None:
    plan = await _plan(client, THREE_GENERATIONS)
    [birth] = plan["expected_births"]
    assert birth["member"] == "members[0]"
    assert birth["label"] == "아내(43세)"
    assert birth["due_date"] == "2026-06-15"
    programs = {p["program_id"]: p for p in birth["programs"]}
    # 첫만남이용권: 3,000,000원 for a second child; 부모급여: 1,000,000원 a month under 12 months
    voucher = programs["first-meeting-voucher"]
    assert voucher["amount"] == {"low": 3_000_000, "high": 3_000_000}
    assert voucher["from"] == "2026-06-15"
    assert programs["parent-benefit"]["amount"] == {"low": 1_000_000, "high": 1_000_000}
    assert "child-allowance" in programs
    # nothing for a grown-up program
    assert "basic-pension" not in programs


async def test_a_due_date_in_the_past_is_a_clear_problem(client: httpx.AsyncClient) -> None:
    body = _with_member_fact(THREE_GENERATIONS, 0, "due_date", "2025-12-01")
    response = await client.post("/v1/plans", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    text = response.text
    assert "출산 예정일" in text and "300" in text
    assert any("due_date" in str(e.get("loc") or e.get("pointer") or e) for e in problem["errors"])


def _with_member_fact(body: dict[str, Any], index: int, name: str, value: Any) -> dict[str, Any]:
    members = [dict(m) for m in body["profile"]["members"]]
    members[index][name] = value
    return {**body, "profile": {**body["profile"], "members": members}}


# A 78-year-old living alone on 300,000원 a month (2026, Seoul), no high-means obligor
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


async def test_basic_pension_counts_as_livelihood_income_in_the_totals(
    client: httpx.AsyncClient,
) -> None:
    plan = await _plan(client, ALONE)
    pension = _item(plan, "basic-pension")
    livelihood = _item(plan, "basic-livelihood")
    # 기초연금: 2,470,000 − 300,000 leaves room for the full 349,700
    assert pension["counted"] == {"low": 349_700, "high": 349_700}
    # 생계급여: 1인 기준 중위소득 2,564,238 × 32% = 820,556 − 300,000 = 520,556 as estimated…
    assert livelihood["benefit"]["amount"] == {"low": 520_556, "high": 520_556}
    # …but the 기초연금 this plan grants is income for it: 520,556 − 349,700 = 170,856
    assert livelihood["counted"] == {"low": 170_856, "high": 170_856}
    [adjustment] = [a for a in livelihood["adjustments"] if a["kind"] == "income_includes"]
    assert adjustment["program_id"] == "basic-pension"
    assert "소득으로 계산" in adjustment["text"]
    monthly = sum(
        item["counted"]["low"]
        for item in plan["eligible"]
        if item["benefit"]["kind"] == "cash_monthly" and item["counted"] is not None
    )
    assert plan["totals"]["monthly"]["low"] == monthly
    assert monthly >= 349_700 + 170_856


async def test_what_the_plan_grants_opens_the_programs_that_need_it(
    client: httpx.AsyncClient,
) -> None:
    plan = await _plan(client, ALONE)
    energy = _item(plan, "energy-voucher")
    # 에너지바우처 is for 생계·의료·주거·교육급여 recipients with a senior member: she becomes one
    assert energy["status"] == "eligible"
    assert "basic-livelihood" in energy["after"]
    eligible = [i["program_id"] for i in plan["eligible"]]
    assert eligible.index("basic-livelihood") < eligible.index("energy-voucher")


async def test_a_basic_pension_recipient_is_not_asked_about_civil_service_pensions(
    client: httpx.AsyncClient,
) -> None:
    applicant = {"age": 70, "sex": "male", "nationality": "KR"}
    body = {
        "profile": {
            "applicant": applicant,
            "household": {"size": 1, "receives": ["basic-pension"]},
        },
        "as_of": AS_OF,
    }
    plan = await _plan(client, body)
    assert _item(plan, "basic-pension")["status"] == "receiving"
    asked = [q["fact"] for q in plan["next_questions"]]
    asked += [o["value"] for q in plan["next_questions"] for o in q["options"]]
    assert "applicant.public_pension" not in asked
    assert all("applicant.public_pension" not in i["missing_facts"] for i in plan["needs_info"])


async def test_a_sigungu_code_gives_the_region_and_bad_ones_are_clear_problems(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "profile": {
            "applicant": {"age": 25, "nationality": "KR"},
            "household": {"sigungu": "27110"},
        },
        "as_of": AS_OF,
    }
    # 27110 대구 중구: the 시도 is 27 (대구), so 대구's youth allowance is still possible…
    plan = await _plan(client, body)
    possible = {i["program_id"] for key in ("eligible", "needs_info") for i in plan[key]}
    assert "daegu-youth-social-entry-allowance" in possible
    # …and out for 11110 (서울 종로구)
    seoul = {**body, "profile": {**body["profile"], "household": {"sigungu": "11110"}}}
    plan = await _plan(client, seoul)
    ruled_out = {i["program_id"] for i in plan["ineligible"]}
    assert "daegu-youth-social-entry-allowance" in ruled_out
    wrong = {**body, "profile": {**body["profile"], "household": {"sigungu": "99999"}}}
    response = await client.post("/v1/plans", json=wrong)
    assert response.status_code == 422
    assert "시군구 코드" in response.text
    elsewhere = {"sigungu": "27110", "region": "11"}
    other = {**body, "profile": {**body["profile"], "household": elsewhere}}
    response = await client.post("/v1/plans", json=other)
    assert response.status_code == 422
    assert "시도(household.region)에 속하지 않습니다" in response.text
