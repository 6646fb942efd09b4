"""Catalog read API: program list filters and pagination, program detail in ko/en, 404s, the
fact registry and dated parameters, all read from the shipped catalog."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.schemas.profile import HouseholdIn, MemberIn, ParentsIn, PensionUnitIn, PersonIn
from app.services.catalog import load_snapshot
from app.services.catalog_store import CatalogStore
from app.settings import Settings
from tests.conftest import make_settings

AS_OF = "2026-03-02"
# the 65 shipped programs (☎129 is a channel, not one) less one ended 2025-12-31 and one starting
# 2026-06-01
IN_EFFECT = 63
HANGUL = re.compile("[가-힣]")


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Some tests read every program's detail: more than the anonymous rate limit allows."""
    return make_settings(database_url, rate_limit_anonymous_per_minute=10_000)


async def get_json(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def all_programs(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    params = {"as_of": AS_OF, **params}
    page = await get_json(client, "/v1/programs", limit=100, **params)
    assert page["total"] == len(page["items"])
    items: list[dict[str, Any]] = page["items"]
    return items


# --- GET /v1/programs ----------------------------------------------------------------------


async def test_unfiltered_list_holds_every_program_in_effect(client: httpx.AsyncClient) -> None:
    page = await get_json(client, "/v1/programs", as_of=AS_OF)
    assert page["total"] == IN_EFFECT
    assert len(page["items"]) == 20
    assert page["limit"] == 20 and page["offset"] == 0
    assert page["as_of"] == AS_OF
    assert len(page["catalog_version"]) == 16


async def test_domain_filter_returns_only_that_domain_with_the_right_total(
    client: httpx.AsyncClient,
) -> None:
    everything = await all_programs(client)
    jobs = await all_programs(client, domain="jobs")
    assert jobs, "the shipped catalog has jobs programs"
    assert {p["domain"] for p in jobs} == {"jobs"}
    assert len(jobs) == sum(p["domain"] == "jobs" for p in everything)


async def test_region_filter_keeps_national_and_daegu_programs_only(
    client: httpx.AsyncClient,
) -> None:
    everything = await all_programs(client)
    daegu = await all_programs(client, region="27")
    ids = {p["id"] for p in daegu}
    assert "basic-pension" in ids
    assert any(p["regions"] == ["27"] for p in daegu), "the Daegu program is listed"
    assert all("KR" in p["regions"] or "27" in p["regions"] for p in daegu)
    elsewhere = [p for p in everything if "KR" not in p["regions"] and "27" not in p["regions"]]
    assert elsewhere, "the shipped catalog has other regions' programs"
    assert ids.isdisjoint(p["id"] for p in elsewhere)
    assert len(daegu) == len(everything) - len(elsewhere)


async def test_search_finds_basic_pension_by_korean_and_english_words(
    client: httpx.AsyncClient,
) -> None:
    korean = await all_programs(client, q="연금")
    assert "basic-pension" in {p["id"] for p in korean}
    english = await all_programs(client, q="BASIC pension")
    assert "basic-pension" in {p["id"] for p in english}
    assert await all_programs(client, q="없는사업이름xyz") == []


async def test_stage_and_target_filters_combine(client: httpx.AsyncClient) -> None:
    seniors = await all_programs(client, stage="senior", target="low_income")
    assert "basic-pension" in {p["id"] for p in seniors}
    assert all("senior" in p["stages"] and "low_income" in p["targets"] for p in seniors)


async def test_pages_cover_the_list_without_overlap(client: httpx.AsyncClient) -> None:
    first = await get_json(client, "/v1/programs", as_of=AS_OF, limit=30)
    second = await get_json(client, "/v1/programs", as_of=AS_OF, limit=30, offset=30)
    third = await get_json(client, "/v1/programs", as_of=AS_OF, limit=30, offset=60)
    assert [len(p["items"]) for p in (first, second, third)] == [30, 30, IN_EFFECT - 60]
    assert {p["total"] for p in (first, second, third)} == {IN_EFFECT}
    assert (second["limit"], second["offset"]) == (30, 30)
    ids = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert len(set(ids)) == IN_EFFECT and ids == sorted(ids)
    beyond = await get_json(client, "/v1/programs", as_of=AS_OF, offset=500)
    assert beyond["items"] == [] and beyond["total"] == IN_EFFECT


async def test_as_of_keeps_only_programs_in_effect_that_day(client: httpx.AsyncClient) -> None:
    now = {p["id"] for p in await all_programs(client)}
    assert "youth-leap-account" not in now, "ended 2025-12-31"
    assert "youth-future-savings" not in now, "starts 2026-06-01"
    last_year = {p["id"] for p in await all_programs(client, as_of="2025-12-31")}
    assert "youth-leap-account" in last_year
    summer = {p["id"] for p in await all_programs(client, as_of="2026-06-01")}
    assert "youth-future-savings" in summer
    long_ago = await get_json(client, "/v1/programs", as_of="1990-01-01")
    assert long_ago["total"] == 0


async def test_list_speaks_english_on_request(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/v1/programs", params={"q": "연금", "as_of": AS_OF}, headers={"Accept-Language": "en"}
    )
    assert response.headers["content-language"] == "en"
    names = {p["id"]: p["name"] for p in response.json()["items"]}
    assert names["basic-pension"] == "Basic Pension"


@pytest.mark.parametrize(
    "params",
    [{"domain": "housing"}, {"limit": 0}, {"limit": 101}, {"offset": -1}, {"region": "99"}],
)
async def test_bad_query_parameters_are_422_problems(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    response = await client.get("/v1/programs", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:hanaro:problem:validation"


# --- GET /v1/programs/{id} -----------------------------------------------------------------


async def test_detail_in_korean_renders_the_age_criterion(client: httpx.AsyncClient) -> None:
    detail = await get_json(client, "/v1/programs/basic-pension", as_of=AS_OF)
    assert detail["name"] == "기초연금"
    assert detail["domain"] == "welfare"
    assert any("65" in line and "나이" in line for line in detail["criteria"])
    # decided for each member aged 65 or more (the applicant is one member among others)
    assert detail["who"] == {"fact": "person.age", "op": "ge", "value": 65}
    assert detail["criteria"][0] == "- 다음에 해당하는 가구원 각자에게 판단"
    assert detail["verification"] == "verified"
    assert detail["verification_note"]
    assert detail["version"] >= 1
    assert detail["is_in_effect"] is True
    assert detail["as_of"] == AS_OF
    assert detail["legal_basis"] == "기초연금법 제3조"
    assert detail["sources"][0]["url"].startswith("https://")
    assert {"id": "id-card"}.items() <= detail["documents"][0].items()
    assert detail["documents"][0]["name"].startswith("신분증")
    channels = {c["channel"]: c for c in detail["apply"]}
    assert channels["community_center"]["label"] == "주소지 행정복지센터(읍·면·동)"  # as in a plan
    assert channels["phone"]["phone"] == "1355"


async def test_criteria_show_the_amounts_of_a_keyed_threshold(client: httpx.AsyncClient) -> None:
    """기초연금's line depends on single/couple: the criteria show both ends, not just a name."""
    detail = await get_json(client, "/v1/programs/basic-pension", as_of=AS_OF)
    line = next(line for line in detail["criteria"] if "소득인정액" in line)
    assert "2,470,000원~3,952,000원" in line


async def test_detail_in_english_has_english_criteria(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/v1/programs/basic-pension", params={"locale": "en", "as_of": AS_OF}
    )
    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    detail = response.json()
    assert detail["name"] == "Basic Pension"
    assert any("65" in line and "age" in line for line in detail["criteria"])
    assert not any(HANGUL.search(line) for line in detail["criteria"])
    assert detail["documents"][0]["name"].startswith("ID card")


async def test_every_program_renders_criteria_in_both_languages(
    client: httpx.AsyncClient,
) -> None:
    for summary in await all_programs(client):
        for locale in ("ko", "en"):
            url = f"/v1/programs/{summary['id']}"
            detail = await get_json(client, url, locale=locale, as_of=AS_OF)
            assert detail["criteria"], summary["id"]
            if locale == "en":
                assert not any(HANGUL.search(line) for line in detail["criteria"]), summary["id"]


async def test_unverified_rule_says_so(client: httpx.AsyncClient) -> None:
    shaky = [p for p in await all_programs(client) if p["verification"] != "verified"]
    assert shaky, "the shipped catalog has rules not fully verified"
    for locale, word in (("ko", "확인"), ("en", "verified")):
        url = f"/v1/programs/{shaky[0]['id']}"
        detail = await get_json(client, url, locale=locale, as_of=AS_OF)
        assert word in detail["verification_note"]


async def test_exclusions_carry_the_other_program_and_a_reason(client: httpx.AsyncClient) -> None:
    found = False
    for summary in await all_programs(client):
        detail = await get_json(client, f"/v1/programs/{summary['id']}", as_of=AS_OF)
        for exclusion in detail["excludes"]:
            found = True
            assert exclusion["program_id"] and exclusion["name"] and exclusion["reason"]
    assert found, "the shipped catalog has mutually exclusive programs"


async def test_prerequisites_name_the_program_to_obtain_first(client: httpx.AsyncClient) -> None:
    url = "/v1/programs/senior-jobs-public-interest"
    detail = await get_json(client, url, as_of=AS_OF, locale="en")
    assert detail["prerequisites"] == [{"id": "basic-pension", "name": "Basic Pension"}]


@pytest.mark.parametrize(
    ("headers", "params", "title"),
    [
        ({}, {}, "해당 사업을 찾을 수 없습니다"),
        ({"Accept-Language": "en"}, {}, "Program not found"),
        ({}, {"locale": "en"}, "Program not found"),
    ],
)
async def test_unknown_program_is_a_localized_404_problem(
    client: httpx.AsyncClient, headers: dict[str, str], params: dict[str, str], title: str
) -> None:
    response = await client.get("/v1/programs/no-such-program", headers=headers, params=params)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:program-not-found"
    assert body["title"] == title


async def test_version_history_route_still_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/programs/basic-pension/versions")
    assert response.status_code == 200
    assert response.json()[0]["version"] == 1


# --- GET /v1/facts -------------------------------------------------------------------------


async def test_facts_list_age_with_a_question_and_paths(client: httpx.AsyncClient) -> None:
    facts = {f["id"]: f for f in await get_json(client, "/v1/facts")}
    age = facts["person.age"]
    assert age["question"] == "만 나이가 어떻게 되세요?"
    assert age["type"] == "int" and age["unit"] == "years" and age["is_derived"] is True
    assert age["profile_path"] == "applicant.age"
    assert age["member_path"] == "members[].age"
    assert facts["household.size"]["profile_path"] == "household.size"
    assert facts["pension_unit.is_couple"]["profile_path"] == "pension_unit.is_couple"
    assert facts["person.relation"]["profile_path"] == "members[].relation"


async def test_every_fact_path_is_a_field_of_the_plan_request(client: httpx.AsyncClient) -> None:
    for fact in await get_json(client, "/v1/facts"):
        path = fact["profile_path"]
        if path is None:  # only derived facts, answered through another one
            assert fact["is_derived"] and fact["asked_as"], fact["id"]
            continue
        group, name = path.split(".", 1)
        model = {
            "applicant": PersonIn,
            "members[]": MemberIn,
            "household": HouseholdIn,
            "pension_unit": PensionUnitIn,
            "parents": ParentsIn,
        }[group]
        assert name in model.model_fields, fact["id"]


async def test_facts_in_english_with_option_labels(client: httpx.AsyncClient) -> None:
    facts = {f["id"]: f for f in await get_json(client, "/v1/facts", locale="en")}
    assert facts["person.age"]["question"] == "How old are you (full years)?"
    regions = {o["value"]: o["label"] for o in facts["household.region"]["options"]}
    assert regions["27"] == "Daegu"
    pregnant = facts["person.pregnant"]
    assert [o["value"] for o in pregnant["options"]] == [True, False]
    assert pregnant["is_sensitive"] is True


# --- GET /v1/parameters --------------------------------------------------------------------


async def test_parameters_show_the_2026_median_income(client: httpx.AsyncClient) -> None:
    listing = await get_json(client, "/v1/parameters", as_of=AS_OF)
    median = {p["id"]: p for p in listing["items"]}["median_income.base"]
    assert median["value_at_as_of"]["1"] == 2564238
    assert median["key"] == "household.size"
    assert [v["effective_from"] for v in median["values"]][-1] == "2026-01-01"
    assert median["description"].startswith("기준 중위소득")
    assert listing["as_of"] == AS_OF


async def test_one_parameter_at_an_earlier_date(client: httpx.AsyncClient) -> None:
    median = await get_json(client, "/v1/parameters/median_income.base", as_of="2025-06-30")
    assert median["value_at_as_of"]["1"] == 2392013
    before = await get_json(client, "/v1/parameters/median_income.base", as_of="2000-01-01")
    assert before["value_at_as_of"] is None


async def test_unknown_parameter_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/parameters/no_such.parameter", params={"locale": "en"})
    assert response.status_code == 404
    assert response.json()["title"] == "Parameter not found"


async def test_catalog_not_loaded_is_503(client: httpx.AsyncClient, app: FastAPI) -> None:
    loaded = app.state.catalog
    app.state.catalog = CatalogStore(load_snapshot, refresh_seconds=0)  # never refreshed: empty
    try:
        response = await client.get("/v1/programs")
    finally:
        app.state.catalog = loaded
    assert response.status_code == 503
    assert response.json()["type"] == "urn:hanaro:problem:unavailable"
