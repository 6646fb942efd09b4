"""The plan's "coming up" section over real HTTP (#15): programs that start or end on a known
future day, a birthday or a catalog change.

The days are worked out by hand from the birth dates (만 나이: the birthday itself; a month
count: the same day of the month, or the next month's first day when the month lacks it).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tests.routers.test_plans import _plan

AS_OF = "2026-12-05"

GRANDMOTHER_AND_BABY: dict[str, Any] = {
    "profile": {
        "applicant": {
            "birth_date": "1962-03-14",
            "sex": "female",
            "nationality": "KR",
            "public_pension": False,
            "married": False,
            "couple_income_recognized_monthly": 800_000,
        },
        "members": [{"relation": "grandchild", "birth_date": "2025-06-02", "nationality": "KR"}],
        "household": {"size": 2, "region": "27", "receives": []},
    },
    "as_of": AS_OF,
}


def _find(plan: dict[str, Any], program_id: str, member: str | None) -> dict[str, Any]:
    found = [
        i for i in plan["coming_up"] if i["program_id"] == program_id and i["member"] == member
    ]
    assert len(found) == 1, plan["coming_up"]
    return found[0]


async def test_the_grandmother_turning_65_gets_the_basic_pension_from_her_birthday(
    client: httpx.AsyncClient,
) -> None:
    plan = await _plan(client, GRANDMOTHER_AND_BABY)
    item = _find(plan, "basic-pension", "applicant")
    # born 1962-03-14: 만 65세 on 2027-03-14; single, 소득인정액 800,000원 under the 2026
    # 단독가구 선정기준액 2,470,000원, and 800,000 + 349,700 stays under it: the full 기준연금액
    assert item["on"] == "2027-03-14" and item["approximate"] is False
    assert (item["change"], item["status"]) == ("starts", "eligible")
    assert item["amount"] == {"low": 349_700, "high": 349_700}
    assert item["turning"] == [
        {"member": "applicant", "label": "본인(64세)", "age": 65, "unit": "years"}
    ]
    assert (
        item["text"] == "본인(64세)이 만 65세가 되는 2027년 3월 14일부터 기초연금을 받을 수 있어요."
    )
    # not in the plan for today: she is 64
    assert all(i["program_id"] != "basic-pension" for i in plan["eligible"])


async def test_the_baby_turning_24_months_moves_from_parent_benefit_to_home_childcare(
    client: httpx.AsyncClient,
) -> None:
    plan = await _plan(client, GRANDMOTHER_AND_BABY)
    # born 2025-06-02: 24 months on 2027-06-02; 부모급여 is for 0–23 months, 가정양육수당
    # (100,000원 a month from 24 months) from then on
    ends = _find(plan, "parent-benefit", "members[0]")
    starts = _find(plan, "home-childcare-allowance", "members[0]")
    assert (ends["on"], ends["change"], ends["amount"]) == ("2027-06-02", "ends", None)
    assert (starts["on"], starts["change"]) == ("2027-06-02", "starts")
    assert starts["amount"] == {"low": 100_000, "high": 100_000}
    assert starts["turning"][0]["unit"] == "months" and starts["turning"][0]["age"] == 24
    assert "생후 24개월이 되는 2027년 6월 2일부터는 부모급여를 받을 수 없어요" in ends["text"]
    days = [i["on"] for i in plan["coming_up"]]
    assert days == sorted(days)


async def test_each_day_is_the_first_on_which_the_program_decides_the_new_way(
    client: httpx.AsyncClient,
) -> None:
    """Asked on the day itself, the program's verdict is the one announced; asked the day
    before, it is still the old one (a per-person program's member, else the household)."""
    plan = await _plan(client, GRANDMOTHER_AND_BABY)
    assert len(plan["coming_up"]) >= 3
    for item in plan["coming_up"]:
        on = date.fromisoformat(item["on"])
        before = await _status(client, item, on - timedelta(days=1))
        after = await _status(client, item, on)
        assert after == item["status"], item
        if item["change"] == "starts":
            assert before == "ineligible", item
        else:
            assert before != "ineligible", item


async def _status(client: httpx.AsyncClient, item: dict[str, Any], on: date) -> str:
    body = {**GRANDMOTHER_AND_BABY, "as_of": on.isoformat()}
    response = await client.post(f"/v1/programs/{item['program_id']}/eligibility", json=body)
    assert response.status_code == 200, response.text
    verdict = response.json()
    if item["member"] is None:
        return str(verdict["status"])
    mine = [m for m in verdict["members"] if m["member"] == item["member"]]
    return str(mine[0]["status"]) if mine else "ineligible"


async def test_an_age_without_a_birth_date_gives_the_latest_day(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "profile": {
            "applicant": {
                "age": 64,
                "sex": "male",
                "nationality": "KR",
                "public_pension": False,
                "married": False,
                "couple_income_recognized_monthly": 800_000,
            },
            "household": {"size": 1, "region": "27", "receives": []},
        },
        "as_of": AS_OF,
    }
    item = _find(await _plan(client, body), "basic-pension", "applicant")
    # 64 today: 65 at the latest one year from today
    assert (item["on"], item["approximate"]) == ("2027-12-05", True)
    assert item["text"].startswith("본인(64세)이 만 65세가 되는 늦어도 2027년 12월 5일부터")


async def test_a_29_february_birthday_comes_on_1_march_in_a_common_year(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "profile": {
            "applicant": {
                "birth_date": "1964-02-29",
                "sex": "female",
                "nationality": "KR",
                "public_pension": False,
                "married": False,
                "couple_income_recognized_monthly": 800_000,
            },
            "household": {"size": 1, "region": "27", "receives": []},
        },
        "as_of": AS_OF,
    }
    item = _find(await _plan(client, body), "basic-pension", "applicant")
    assert item["on"] == "2029-03-01"  # 2029 has no 29 February; 만 65세 the day after 28 Feb


async def test_a_45_year_old_alone_has_nothing_coming_up_within_three_years(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "profile": {
            "applicant": {"birth_date": "1981-05-01", "sex": "male", "nationality": "KR"},
            "household": {"size": 1, "region": "27"},
        },
        "as_of": AS_OF,
    }
    assert (await _plan(client, body))["coming_up"] == []


async def test_the_section_speaks_the_request_language(client: httpx.AsyncClient) -> None:
    english = await _plan(client, GRANDMOTHER_AND_BABY, headers={"Accept-Language": "en"})
    item = _find(english, "basic-pension", "applicant")
    assert item["text"] == (
        "From March 14, 2027, when you reach age 65: Basic Pension becomes available."
    )


YOUNG_EARNER: dict[str, Any] = {
    "profile": {
        "applicant": {
            "birth_date": "1991-06-15",
            "sex": "male",
            "nationality": "KR",
            "employment_status": "employed",
            "student": "none",
            "disability_registered": False,
            "earned_income_monthly": 1_200_000,
            "business_income_monthly": 0,
            "pension_income_monthly": 0,
            "other_income_monthly": 0,
        },
        "household": {
            "size": 1,
            "region": "27",
            "receives": [],
            "housing": "renter_monthly",
            "rent_deposit": 0,
            "rent_monthly": 300_000,
            "other_property": 0,
            "financial_assets": 0,
            "debts": 0,
            "private_transfers_monthly": 0,
            "car": "none",
        },
    },
    "as_of": "2026-03-02",
}


async def test_a_birthday_that_ends_the_youth_deduction_of_the_estimate_is_coming_up(
    client: httpx.AsyncClient,
) -> None:
    """No rule of 생계급여 names an age, yet its 소득인정액 (estimated from the earnings) does:
    the 2026 youth deduction takes 600,000원 off the earnings of a member aged 34 or less
    before the 30 % deduction. (1,200,000 − 600,000) × 0.7 = 420,000원 is under the 2026 line
    for one person (2,564,238 × 32 % = 820,556원); from the 35th birthday 1,200,000 × 0.7 =
    840,000원 is over it."""
    plan = await _plan(client, YOUNG_EARNER)
    item = _find(plan, "basic-livelihood", None)
    assert (item["on"], item["change"], item["approximate"]) == ("2026-06-15", "ends", False)
    assert item["turning"][0]["member"] == "applicant" and item["turning"][0]["age"] == 35
    eve = {**YOUNG_EARNER, "as_of": "2026-06-14"}
    day = {**YOUNG_EARNER, "as_of": "2026-06-15"}
    before = await client.post("/v1/programs/basic-livelihood/eligibility", json=eve)
    after = await client.post("/v1/programs/basic-livelihood/eligibility", json=day)
    assert before.json()["status"] != "ineligible"
    assert after.json()["status"] == "ineligible"


MOVED_TO_INCHEON: dict[str, Any] = {
    "profile": {
        "applicant": {"birth_date": "1994-02-10", "sex": "female", "nationality": "KR"},
        "members": [{"relation": "child", "birth_date": "2024-05-10", "nationality": "KR"}],
        "household": {"size": 2, "region": "28", "residence_since": "2026-08-20"},
    },
    "as_of": AS_OF,
}


async def test_a_residence_condition_met_later_is_coming_up(client: httpx.AsyncClient) -> None:
    """인천 천사지원금 needs 12 months in 인천: the family came on 2026-08-20, so the child
    (born 2024-05, aged 1 to 7 throughout) has it from 2027-08-20, 1,200,000원 a year."""
    plan = await _plan(client, MOVED_TO_INCHEON)
    assert all(i["program_id"] != "incheon-angel-allowance" for i in plan["eligible"])
    item = _find(plan, "incheon-angel-allowance", "members[0]")
    assert (item["on"], item["change"], item["status"]) == ("2027-08-20", "starts", "eligible")
    assert (item["residence_months"], item["turning"], item["approximate"]) == (12, [], False)
    assert item["amount"] == {"low": 1_200_000, "high": 1_200_000}
    assert item["text"] == (
        "거주 기간이 12개월이 되는 2027년 8월 20일부터 인천 천사(1040)지원금을 받을 수 있어요."
    )
    english = await _plan(client, MOVED_TO_INCHEON, headers={"Accept-Language": "en"})
    said = _find(english, "incheon-angel-allowance", "members[0]")["text"]
    assert said == (
        "From August 20, 2027, when the household has lived there for 12 months: "
        "Incheon 'angel' allowance becomes available."
    )
    # the day before, the program still says no; on the day, yes
    for on, status in (("2027-08-19", "ineligible"), ("2027-08-20", "eligible")):
        body = {**MOVED_TO_INCHEON, "as_of": on}
        response = await client.post("/v1/programs/incheon-angel-allowance/eligibility", json=body)
        mine = [m for m in response.json()["members"] if m["member"] == "members[0]"]
        assert (mine[0]["status"] if mine else "ineligible") == status, on
