"""The household-true plan over real HTTP (#10): who in the household gets what.

Expected values are worked out by hand from the 2026 figures in ../shared/reference (기초연금
기준연금액 349,700원, 부부가구 선정기준액 3,952,000원) and the program sources.
"""

from __future__ import annotations

from typing import Any

import httpx

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


async def _plan(client: httpx.AsyncClient, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    response = await client.post("/v1/plans", json=body, **kw)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


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
