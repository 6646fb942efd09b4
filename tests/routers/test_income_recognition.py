"""소득인정액 from plain facts over real HTTP (#11): the endpoint and the plan that uses it.

Expected figures are the worked examples of ../shared/reference/income-recognition.md §1.5 and
§2.3 (computed there by hand from the 2026 constants), not the code's own helpers.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.text.formats import money

AS_OF = "2026-03-02"
# §1.5-A / §2.3-A: one person in Seoul (종로구), 근로 150만, 전세 보증금 5,000만, 예금 1,000만
PLAIN: dict[str, Any] = {
    "applicant": {
        "age": 40,
        "nationality": "KR",
        "earned_income_monthly": 1_500_000,
        "business_income_monthly": 0,
        "pension_income_monthly": 0,
        "other_income_monthly": 0,
        "student": "none",
        "disability_registered": False,
    },
    "household": {
        "size": 1,
        "sigungu": "11110",
        "housing": "renter_jeonse",
        "rent_deposit": 50_000_000,
        "financial_assets": 10_000_000,
        "other_property": 0,
        "debts": 0,
        "car": "none",
        "private_transfers_monthly": 0,
        "receives": [],
        "obligor_high_means": False,
    },
}


def _with(applicant: dict[str, Any]) -> dict[str, Any]:
    return {**PLAIN, "applicant": {**PLAIN["applicant"], **applicant}}


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 200, response.text[:800]
    data: dict[str, Any] = response.json()
    return data


def _scheme(result: dict[str, Any], scheme: str) -> dict[str, Any]:
    return next(c for c in result["computations"] if c["scheme"] == scheme)


async def test_the_worked_example_a_per_scheme(client: httpx.AsyncClient) -> None:
    result = await _post(client, "/v1/income-recognition", {"profile": PLAIN, "as_of": AS_OF})
    livelihood = _scheme(result, "basic_livelihood")
    # 1,500,000 × 0.7 = 1,050,000; 보증금 5,000만 and 예금 (1,000만 − 500만) fit in
    # 기본재산액 9,900만
    assert livelihood["income_evaluated"] == {"low": 1_050_000, "high": 1_050_000}
    assert livelihood["property_converted"] == {"low": 0, "high": 0}
    assert livelihood["total"] == {"low": 1_050_000, "high": 1_050_000}
    assert livelihood["asks"] == []
    assert any("1,500,000원" in step["text"] for step in livelihood["steps"])
    # 기초연금 method at 67: (1,500,000 − 1,160,000) × 0.7 = 238,000 (§2.3-A)
    older = await _post(
        client, "/v1/income-recognition", {"profile": _with({"age": 67}), "as_of": AS_OF}
    )
    assert _scheme(older, "basic_pension")["total"] == {"low": 238_000, "high": 238_000}


async def test_a_30_year_old_gets_the_youth_deduction(client: httpx.AsyncClient) -> None:
    body = {"profile": _with({"age": 30}), "as_of": AS_OF}
    result = await _post(client, "/v1/income-recognition", body)
    # 2026: (1,500,000 − 600,000) × 0.7 = 630,000 (§1.5-A, 청년 ≤ 34세)
    assert _scheme(result, "basic_livelihood")["total"] == {"low": 630_000, "high": 630_000}


async def test_the_plan_uses_the_estimate_and_shows_it(client: httpx.AsyncClient) -> None:
    plan = await _post(client, "/v1/plans", {"profile": _with({"age": 30}), "as_of": AS_OF})
    [used] = [u for u in plan["income_recognition"] if u["fact"].startswith("household.")]
    assert used["source"] == "estimated"
    assert used["total"] == {"low": 630_000, "high": 630_000}
    assert used["summary"] == "소득평가액 630,000원 + 재산의 소득환산액 0원 → 소득인정액 630,000원"
    assert "basic-livelihood" in used["used_by"]
    # 630,000 ≤ 820,556 (1인 생계 32%): 생계급여 820,556 − 630,000 = 190,556 (§1.5-A)
    livelihood = next(i for i in plan["eligible"] if i["program_id"] == "basic-livelihood")
    assert livelihood["benefit"]["amount"] == {"low": 190_556, "high": 190_556}


async def test_a_stated_figure_wins_and_the_plan_says_so(client: httpx.AsyncClient) -> None:
    stated = {**PLAIN, "household": {**PLAIN["household"], "income_recognized_monthly": 2_000_000}}
    plan = await _post(client, "/v1/plans", {"profile": stated, "as_of": AS_OF})
    [used] = [u for u in plan["income_recognition"] if u["fact"].startswith("household.")]
    assert used["source"] == "stated"
    ruled_out = {i["program_id"] for i in plan["ineligible"]}
    assert "basic-livelihood" in ruled_out  # 2,000,000 > 820,556


async def test_an_unknown_input_makes_a_range_and_is_asked_first(
    client: httpx.AsyncClient,
) -> None:
    unknown = {**PLAIN, "household": {**PLAIN["household"]}}
    del unknown["household"]["financial_assets"]
    result = await _post(client, "/v1/income-recognition", {"profile": unknown, "as_of": AS_OF})
    livelihood = _scheme(result, "basic_livelihood")
    assert livelihood["total"]["low"] == 1_050_000 and livelihood["total"]["high"] is None
    assert livelihood["summary"].endswith("소득인정액 1,050,000원 이상")
    assert livelihood["asks"][0] == "household.financial_assets"
    plan = await _post(client, "/v1/plans", {"profile": unknown, "as_of": AS_OF})
    asked = [q["fact"] for q in plan["next_questions"]]
    assert "household.income_recognized_monthly" not in asked
    assert "household.financial_assets" in asked
    # 주거급여 (48%: 1,230,834) waits on the savings (1,050,000 plus whatever they add), and
    # says so by name; 의료급여 (40%: 1,025,695) is out already, on an estimate that says so
    housing = next(i for i in plan["needs_info"] if i["program_id"] == "housing-benefit")
    # the savings first; the figure itself last, for whoever has it on a notice
    assert housing["missing_facts"] == [
        "household.financial_assets",
        "household.income_recognized_monthly",
    ]
    assert any("추정치" in reason for reason in housing["reasons"])
    medical = next(i for i in plan["ineligible"] if i["program_id"] == "medical-aid")
    assert any("추정치" in reason for reason in medical["reasons"])


async def test_a_year_without_constants_is_a_clear_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/income-recognition", json={"profile": PLAIN, "as_of": "2023-06-01"}
    )
    assert response.status_code == 422
    assert "소득인정액 기준값" in response.text


async def test_a_kiosk_asks_plain_figures_and_never_the_figure_itself(
    client: httpx.AsyncClient,
) -> None:
    """A 30-year-old in 종로구 who knows her earnings, deposit and savings but not her
    소득인정액: the flow settles 생계급여 from the plain answers alone."""
    knows: dict[str, Any] = {
        **{f"applicant.{k}": v for k, v in _with({"age": 30})["applicant"].items()},
        **{f"household.{k}": v for k, v in PLAIN["household"].items()},
        "household.home_value": 0,  # a tenant: "집이 없으면 0"
    }
    profile: dict[str, Any] = {
        "applicant": {"age": 30, "nationality": "KR"},
        "household": {"size": 1, "sigungu": "11110"},
    }
    skip: list[str] = []
    asked: list[str] = []
    for _ in range(60):
        body = {"profile": profile, "skip": skip, "as_of": AS_OF}
        result = await _post(client, "/v1/questions/next", body)
        if result["done"]:
            break
        question = result["questions"][0]
        if question["type"] == "checklist":
            facts = [o["value"] for o in question["options"]]
        else:
            facts = [question["fact"]]
        for fact in facts:
            asked.append(fact)
            owner, name = fact.split(".", 1)
            if fact in knows:
                profile.setdefault(owner, {})[name] = knows[fact]
            elif question["type"] in ("bool", "checklist"):
                profile.setdefault(owner, {})[name] = False
            elif question["type"] == "set":
                profile.setdefault(owner, {})[name] = []
            else:
                skip.append(fact)
    else:
        raise AssertionError(f"the flow did not end: {asked}")
    assert "household.income_recognized_monthly" not in asked, (asked, skip)
    assert "applicant.earned_income_monthly" in asked
    plan = result["plan"]
    undecided = {i["program_id"] for i in plan["needs_info"]}
    assert "basic-livelihood" not in undecided
    livelihood = next(i for i in plan["eligible"] if i["program_id"] == "basic-livelihood")
    assert livelihood["benefit"]["amount"] == {"low": 190_556, "high": 190_556}


def _won(n: int, tag: str) -> str:
    """Money as the core formats it in ``tag`` (its pattern is not the income catalog's)."""
    return money(n, tag)


async def test_the_steps_and_notes_in_vietnamese(client: httpx.AsyncClient) -> None:
    body = {"profile": _with({"age": 30}), "as_of": AS_OF}
    response = await client.post(
        "/v1/income-recognition", json=body, headers={"Accept-Language": "vi-VN,vi;q=0.9"}
    )
    assert response.status_code == 200, response.text[:800]
    assert response.headers["content-language"] == "vi"
    result = response.json()
    assert result["locale"] == "vi"
    livelihood = _scheme(result, "basic_livelihood")
    # §1.5-A at 30: (1,500,000 − 600,000) × 0.7 = 630,000; the property is wiped by 9,900만
    steps = {step["key"]: step["text"] for step in livelihood["steps"]}
    assert steps["income.earned"] == (
        f"Thu nhập từ lao động và kinh doanh {_won(1_500_000, 'vi')} → {_won(630_000, 'vi')} "
        "sau khi trừ khoản khấu trừ cố định và 30%"
    )
    assert steps["property.financial"] == (
        "Tài sản tài chính (금융재산) sau khi trừ quỹ dự phòng sinh hoạt (생활준비금): "
        f"{_won(5_000_000, 'vi')}"
    )
    assert steps["total"] == f"Mức thu nhập được công nhận (소득인정액): {_won(630_000, 'vi')}"
    assert (
        "Tiền đặt cọc thuê nhà được tính toàn bộ là tài sản nhà ở (có một nguồn chưa được xác "
        "nhận chỉ tính 95%)." in livelihood["notes"]
    )
    # 기초연금 method at 30 too: (1,500,000 − 1,160,000) × 0.7 = 238,000
    pension = _scheme(result, "basic_pension")
    assert pension["steps"][0]["text"] == (
        f"Thu nhập từ lao động {_won(1_500_000, 'vi')} → {_won(238_000, 'vi')} sau khi trừ "
        "khoản khấu trừ cho mỗi người và chỉ tính 70%"
    )


async def test_the_steps_in_simplified_chinese(client: httpx.AsyncClient) -> None:
    body = {"profile": _with({"age": 30}), "as_of": AS_OF, "locale": "zh-Hans"}
    result = await _post(client, "/v1/income-recognition", body)
    assert result["locale"] == "zh-Hans"
    livelihood = _scheme(result, "basic_livelihood")
    steps = {step["key"]: step["text"] for step in livelihood["steps"]}
    assert steps["income.earned"] == (
        f"工资及经营收入 {_won(1_500_000, 'zh-Hans')} → 扣除定额扣除额和30%后为 "
        f"{_won(630_000, 'zh-Hans')}"
    )
    assert steps["property.deduction"] == (
        f"基本财产扣除额（기본재산액）+ 负债：{_won(99_000_000, 'zh-Hans')}"
    )
    assert steps["property.housing.converted"] == f"剩余住房财产 × 1.04%：{_won(0, 'zh-Hans')}"
    assert steps["total"] == f"认定收入额（소득인정액）：{_won(630_000, 'zh-Hans')}"
    assert "租房押金全额计入住房财产（有一份未经确认的资料只计入95%）。" in livelihood["notes"]


async def test_the_summary_in_vietnamese_and_chinese(client: httpx.AsyncClient) -> None:
    body = {"profile": _with({"age": 30}), "as_of": AS_OF}
    vi = await _post(client, "/v1/income-recognition", {**body, "locale": "vi"})
    assert _scheme(vi, "basic_livelihood")["summary"] == (
        f"Thu nhập được đánh giá (소득평가액) {_won(630_000, 'vi')} + tài sản quy đổi thành thu "
        f"nhập (재산의 소득환산액) {_won(0, 'vi')} → mức thu nhập được công nhận (소득인정액) "
        f"{_won(630_000, 'vi')}"
    )
    zh = await _post(client, "/v1/income-recognition", {**body, "locale": "zh-Hans"})
    assert _scheme(zh, "basic_livelihood")["summary"] == (
        f"评估收入额（소득평가액）{_won(630_000, 'zh-Hans')} + 财产折算收入额（재산의 소득환산액）"
        f"{_won(0, 'zh-Hans')} → 认定收入额（소득인정액）{_won(630_000, 'zh-Hans')}"
    )
