"""POST /v1/plans, /v1/plans/validate and /v1/programs/{id}/eligibility over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.schemas.plans import Plan, QuestionsResponse
from app.services.keys import create_key

SENIOR = {
    "profile": {
        "applicant": {"age": 70, "sex": "female", "nationality": "KR", "public_pension": False},
        "household": {"size": 1, "region": "11", "receives": []},
        "pension_unit": {"income_recognized_monthly": 2_470_000, "is_couple": False},
    },
    "as_of": "2026-03-02",
}


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["program_id"] for item in items]


async def _plan(client: httpx.AsyncClient, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    response = await client.post("/v1/plans", json=body, **kw)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_senior_gets_basic_pension_with_reasons_place_and_totals(
    client: httpx.AsyncClient,
) -> None:
    plan = await _plan(client, SENIOR)
    assert plan["as_of"] == "2026-03-02"
    assert plan["locale"] == "ko"
    assert len(plan["catalog_version"]) == 16
    eligible = {item["program_id"]: item for item in plan["eligible"]}
    pension = eligible["basic-pension"]
    # 소득인정액 2,470,000 is the 2026 single line itself: 선정기준액 − 소득인정액 = 0 < 349,700, so
    # the 소득역전 방지 감액 leaves the floor of 10% of the 기준연금액: 349,700 × 0.1 = 34,970
    assert pension["benefit"]["amount"] == {"low": 34_970, "high": 34_970}
    assert any("65" in reason for reason in pension["reasons"])
    # no condition failed; a spouse's pension is never asked of someone without a spouse
    assert all(c["outcome"] != "false" for c in pension["trace"])
    assert not any("배우자의" in reason for reason in pension["reasons"])
    assert [m["label"] for m in pension["members"]] == ["본인(70세)"]
    assert plan["totals"]["monthly"]["low"] >= 34_970
    place = {group["channel"]: group for group in plan["by_place"]}
    assert "basic-pension" in place["community_center"]["program_ids"]
    assert "행정복지센터" in place["community_center"]["summary"]
    assert "basic-pension" in plan["by_domain"]["welfare"]
    # a young person's rent support is out, with the condition that ruled it out
    ineligible = {item["program_id"]: item for item in plan["ineligible"]}
    rent = ineligible["youth-monthly-rent"]
    assert rent["reasons"] and all(c["outcome"] == "false" for c in rent["trace"])


async def test_document_checklist_has_each_document_once(client: httpx.AsyncClient) -> None:
    plan = await _plan(client, SENIOR)
    ids = [doc["id"] for doc in plan["documents"]]
    assert len(ids) == len(set(ids)) and "id-card" in ids
    id_card = next(doc for doc in plan["documents"] if doc["id"] == "id-card")
    assert id_card["name"].startswith("신분증")
    wanting = {
        p
        for item in plan["eligible"]
        if "id-card" in item["documents"]
        for p in [item["program_id"]]
    }
    assert set(id_card["program_ids"]) == wanting


async def test_language_follows_locale_field_then_accept_language(
    client: httpx.AsyncClient,
) -> None:
    english = await _plan(client, SENIOR, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english["locale"] == "en"
    pension = next(i for i in english["eligible"] if i["program_id"] == "basic-pension")
    assert pension["name"] == "Basic pension" or pension["name"].isascii()
    assert all(s.isascii() or "행정복지센터" in s or "☎" in s for s in pension["reasons"])
    forced = await _plan(client, {**SENIOR, "locale": "ko"}, headers={"Accept-Language": "en"})
    assert forced["locale"] == "ko"
    assert (
        next(i for i in forced["eligible"] if i["program_id"] == "basic-pension")["name"]
        == "기초연금"
    )


async def test_unknown_facts_make_needs_info_with_the_deciding_facts_and_questions(
    client: httpx.AsyncClient,
) -> None:
    plan = await _plan(client, {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"})
    needs = {item["program_id"]: item for item in plan["needs_info"]}
    pension = needs["basic-pension"]
    assert "pension_unit.income_recognized_monthly" in pension["missing_facts"]
    assert any(c["outcome"] == "unknown" for c in pension["trace"])
    assert plan["next_questions"], "an undecided plan must say what to ask next"
    first = plan["next_questions"][0]
    assert first["text"] and first["settles"]
    assert plan["first_steps"][-1].endswith(first["text"])


async def test_income_band_gives_a_benefit_range(client: httpx.AsyncClient) -> None:
    body = {
        "profile": {
            "applicant": {"age": 45, "nationality": "KR"},
            "household": {
                "size": 1,
                "region": "27",
                "income_recognized_monthly": {"min": 0, "max": 300_000},
                "assets": 0,
            },
        },
        "as_of": "2026-03-02",
    }
    plan = await _plan(client, body)
    livelihood = next(
        i for i in plan["eligible"] + plan["needs_info"] if i["program_id"] == "basic-livelihood"
    )
    amount = livelihood["benefit"]["amount"]
    assert amount["low"] is not None and amount["high"] is not None
    assert 0 <= amount["low"] < amount["high"]


async def test_emergency_need_puts_emergency_help_first(client: httpx.AsyncClient) -> None:
    body = {
        "profile": {
            "applicant": {"age": 41, "nationality": "KR"},
            "household": {"size": 3, "region": "48", "crisis": ["job_loss"]},
        },
        "needs": ["emergency", "income"],
        "as_of": "2026-03-02",
    }
    plan = await _plan(client, body)
    assert plan["emergency_first"] is True
    # 긴급복지 heads whichever list it is in (still undecided here: income and assets unknown)
    for listed in (plan["eligible"], plan["needs_info"]):
        if any(item["is_emergency"] for item in listed):
            assert listed[0]["program_id"] == "emergency-welfare"
    assert "emergency-welfare" in _ids(plan["eligible"] + plan["needs_info"])
    assert "129" in plan["first_steps"][0]
    calm = await _plan(client, {**body, "needs": ["income"], "profile": SENIOR["profile"]})
    assert calm["emergency_first"] is False
    # ☎129 is where to ask, a step of the plan, never one of its programs
    ids = {i["program_id"] for key in ("eligible", "needs_info", "ineligible") for i in calm[key]}
    assert not any("129" in pid for pid in ids)
    assert any("☎129" in step for step in calm["first_steps"][1:])


async def test_prerequisite_comes_before_the_program_needing_it(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "profile": {
            "applicant": {
                "age": 70,
                "nationality": "KR",
                "public_pension": False,
                "employer_health_insurance": False,
                "long_term_care_grade": False,
                "care_need": True,
            },
            # nothing received yet: 공익활동 needs 기초연금, which this plan finds
            "household": {"size": 1, "region": "27", "receives": []},
            "pension_unit": {"income_recognized_monthly": 900_000, "is_couple": False},
        },
        "as_of": "2026-03-02",
    }
    plan = await _plan(client, body)
    ids = _ids(plan["eligible"])
    # 노인맞춤돌봄 is for 기초연금 recipients among others: the plan finds 기초연금, so the care
    # service is eligible *after* it and comes after it in the plan
    assert "senior-customized-care" in ids, ids
    care = next(i for i in plan["eligible"] if i["program_id"] == "senior-customized-care")
    assert care["after"] == ["basic-pension"]
    assert ids.index("basic-pension") < ids.index("senior-customized-care")
    # 노인일자리는 한 사람이 한 유형만 (docs/catalog-review/jobs-education.md): 공익활동형
    # (월 290,000)은 더 큰 사회서비스형(월 761,040)에 밀려 제외됩니다
    excluded = {item["program_id"]: item for item in plan["excluded"]}
    public = excluded["senior-jobs-public-interest"]
    assert public["excluded_by"]["program_id"] == "senior-jobs-social-service"
    assert any("기초연금" in step and "노인" in step for step in plan["first_steps"])


async def test_mutual_exclusion_keeps_the_better_option_and_says_why(
    client: httpx.AsyncClient,
) -> None:
    # a young renter in Daejeon who qualifies for both the national and the city rent support
    body = {
        "profile": {
            "applicant": {"age": 27, "nationality": "KR", "lives_apart_from_parents": True},
            "household": {
                "size": 1,
                "region": "30",
                "housing": "renter_monthly",
                "rent_monthly": 400_000,
                "rent_deposit": 5_000_000,
                "income_recognized_monthly": 1_200_000,
                "assets": 10_000_000,
                "receives": [],
                "no_home": True,
            },
            # 원가구: the parents' household also decides 청년월세 (well under 중위 100%)
            "parents": {"size": 2, "income_recognized_monthly": 2_000_000, "assets": 0},
        },
        "as_of": "2026-03-02",
    }
    plan = await _plan(client, body)
    excluded = {item["program_id"]: item for item in plan["excluded"]}
    eligible = _ids(plan["eligible"])
    assert excluded, f"expected a resolved conflict; eligible={eligible}"
    for item in excluded.values():
        winner = item["excluded_by"]["program_id"]
        assert winner in eligible
        assert item["program_id"] not in eligible
        assert item["reasons"] and item["excluded_by"]["reason"]


async def test_full_trace_on_request(client: httpx.AsyncClient) -> None:
    deciding = await _plan(client, SENIOR)
    full = await _plan(client, {**SENIOR, "trace": "full"})
    short = {i["program_id"]: len(i["trace"]) for i in deciding["ineligible"]}
    long = {i["program_id"]: len(i["trace"]) for i in full["ineligible"]}
    assert short.keys() == long.keys()
    assert all(short[p] <= long[p] for p in short)
    assert sum(long.values()) > sum(short.values())


async def test_same_request_replays_to_the_same_plan(client: httpx.AsyncClient) -> None:
    first = await client.post("/v1/plans", json=SENIOR)
    second = await client.post("/v1/plans", json=SENIOR)
    assert first.content == second.content


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"applicant": {"birth_date": "2030-01-01"}}, "/profile/applicant/birth_date"),
        ({"applicant": {"birth_date": "1890-01-01"}}, "/profile/applicant/birth_date"),
        ({"applicant": {"age": 200}}, "/profile/applicant/age"),
        ({"applicant": {"age": 30, "birth_date": "1950-01-01"}}, "/profile/applicant/age"),
        (
            {"household": {"income_recognized_monthly": -1}},
            "/profile/household/income_recognized_monthly",
        ),
        ({"household": {"region": "99"}}, "/profile/household/region"),
        ({"members": [{"age": 3}]}, "/profile/members/0/relation"),
        (
            {"members": [{"relation": "child", "birth_date": "2027-01-01"}]},
            "/profile/members/0/birth_date",
        ),
    ],
)
async def test_impossible_input_is_a_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], pointer: str
) -> None:
    body = {"profile": change, "as_of": "2026-03-02"}
    for language in ("ko", "en"):
        response = await client.post("/v1/plans", json=body, headers={"Accept-Language": language})
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        pointers = [e.get("pointer") for e in problem["errors"]]
        assert pointer in pointers, problem
        detail = next(e["detail"] for e in problem["errors"] if e.get("pointer") == pointer)
        hangul = any("\uac00" <= ch <= "\ud7a3" for ch in detail)
        assert hangul is (language == "ko"), detail


async def test_resident_number_anywhere_is_refused(client: httpx.AsyncClient) -> None:
    body = {"profile": {"applicant": {"age": 40}}, "needs": ["income"], "note": "900101-1234567"}
    response = await client.post("/v1/plans", json=body)
    assert response.status_code == 422
    assert "900101" not in response.text


async def test_validate_echoes_without_matching(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/plans/validate", json=SENIOR)
    assert response.status_code == 200
    check = response.json()
    assert check["valid"] is True and check["as_of"] == "2026-03-02" and check["locale"] == "ko"
    assert check["request"]["profile"]["applicant"]["age"] == 70
    bad = await client.post(
        "/v1/plans/validate", json={"profile": {"applicant": {"birth_date": "2099-01-01"}}}
    )
    assert bad.status_code == 422


async def test_one_program_eligibility_has_the_full_trace(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/programs/basic-pension/eligibility",
        json={"profile": SENIOR["profile"], "as_of": "2026-03-02", "locale": "en"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["status"] == "eligible" and result["locale"] == "en"
    assert len(result["trace"]) >= 3
    assert all(c["sentence"].isascii() for c in result["trace"])
    ineligible = await client.post(
        "/v1/programs/youth-monthly-rent/eligibility", json={"profile": SENIOR["profile"]}
    )
    assert ineligible.json()["status"] == "ineligible"
    assert any(c["outcome"] == "false" for c in ineligible.json()["trace"])


async def test_unknown_program_eligibility_is_404_in_both_languages(
    client: httpx.AsyncClient,
) -> None:
    for language, word in (("ko", "사업"), ("en", "program")):
        response = await client.post(
            "/v1/programs/no-such-program/eligibility",
            json={"profile": {}},
            headers={"Accept-Language": language},
        )
        assert response.status_code == 404
        assert word in response.json()["title"].lower()


async def test_a_keyed_plan_is_audited_without_profile_values(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    key = create_key(db_session, partner="Invented Portal", scopes=["plans", "audit:read"])
    headers = {"X-API-Key": key.clear}
    assert (await client.post("/v1/plans", json=SENIOR, headers=headers)).status_code == 200
    audit = await client.get("/v1/audit", headers=headers, params={"action": "plans.create"})
    assert audit.status_code == 200, audit.text
    entries = audit.json()["items"]
    assert entries and entries[0]["action"] == "plans.create"
    assert "2470000" not in audit.text and "2,470,000" not in audit.text


async def test_plan_and_question_responses_match_their_published_schemas(
    client: httpx.AsyncClient,
) -> None:
    """Plans are serialized without pydantic for speed; the documents must still be exactly what
    the OpenAPI schema promises."""
    plan = await _plan(client, {**SENIOR, "trace": "full"})
    Plan.model_validate(plan)
    response = await client.post("/v1/questions/next", json={"profile": {}, "limit": 3})
    QuestionsResponse.model_validate(response.json())


async def test_long_lists_are_cut_best_first_and_counted(client: httpx.AsyncClient) -> None:
    whole = await _plan(client, {"profile": {"applicant": {"age": 30}}, "as_of": "2026-03-02"})
    counts = whole["counts"]
    assert counts["needs_info"] == len(whole["needs_info"]) > 3
    assert counts["ineligible"] == len(whole["ineligible"]) > 3
    cut = await _plan(
        client, {"profile": {"applicant": {"age": 30}}, "as_of": "2026-03-02", "max_items": 3}
    )
    assert cut["counts"] == counts
    assert _ids(cut["needs_info"]) == _ids(whole["needs_info"])[:3]
    assert _ids(cut["ineligible"]) == _ids(whole["ineligible"])[:3]
    assert _ids(cut["eligible"]) == _ids(whole["eligible"])
    # the closest misses come first: fewest failed conditions
    failed = [sum(c["outcome"] == "false" for c in i["trace"]) for i in whole["ineligible"]]
    assert failed == sorted(failed)
