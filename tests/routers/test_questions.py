"""POST /v1/questions/next: the stateless kiosk flow."""

from __future__ import annotations

from typing import Any

import httpx


async def _next(client: httpx.AsyncClient, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    response = await client.post("/v1/questions/next", json=body, **kw)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_an_empty_profile_is_asked_the_age_first(client: httpx.AsyncClient) -> None:
    result = await _next(client, {"profile": {}, "as_of": "2026-03-02"})
    assert result["done"] is False
    question = result["questions"][0]
    assert question["fact"] == "applicant.age"
    assert question["text"] == "만 나이가 어떻게 되세요?"
    assert question["unit"] == "years"
    assert len(question["settles"]) > 10
    assert result["undecided"] == len(result["plan"]["needs_info"]) > 10


async def test_answers_shrink_the_undecided_set(client: httpx.AsyncClient) -> None:
    before = await _next(client, {"profile": {}, "as_of": "2026-03-02"})
    after = await _next(client, {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"})
    assert after["undecided"] < before["undecided"]
    assert after["questions"][0]["fact"] != "applicant.age"


async def test_skipped_facts_are_never_asked_again(client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"}
    first = (await _next(client, body))["questions"][0]
    skip = [o["value"] for o in first["options"]] if first["type"] == "checklist" else []
    skip = skip or [first["fact"]]
    again = await _next(client, {**body, "skip": skip, "limit": 10})
    asked = [q["fact"] for q in again["questions"]]
    asked += [
        o["value"] for q in again["questions"] if q["type"] == "checklist" for o in q["options"]
    ]
    assert not set(skip) & set(asked)


async def test_yes_no_facts_come_as_one_checklist_in_english(client: httpx.AsyncClient) -> None:
    body = {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02", "limit": 10}
    result = await _next(client, body, headers={"Accept-Language": "en"})
    checklist = next(q for q in result["questions"] if q["type"] == "checklist")
    assert checklist["fact"] == "applicant"
    assert checklist["text"].startswith("Tick every statement")
    paths = [o["value"] for o in checklist["options"]]
    assert len(paths) >= 2 and all(p.startswith("applicant.") for p in paths)
    assert all(o["label"].isascii() for o in checklist["options"])


async def test_bool_question_offers_yes_and_no(client: httpx.AsyncClient) -> None:
    body = {
        "profile": {"applicant": {"age": 30}, "household": {"region": "11"}},
        "as_of": "2026-03-02",
        "limit": 10,
    }
    result = await _next(client, body)
    for question in result["questions"]:
        if question["type"] == "bool":
            assert [o["value"] for o in question["options"]] == [True, False]
        if question["type"] == "enum":
            assert question["options"], question


async def test_member_questions_name_the_member(client: httpx.AsyncClient) -> None:
    body = {
        "profile": {
            "applicant": {"age": 33, "nationality": "KR"},
            "members": [{"relation": "child"}],
            "household": {"region": "27"},
        },
        "as_of": "2026-03-02",
        "limit": 10,
    }
    result = await _next(client, body)
    member = [q for q in result["questions"] if q["fact"].startswith("members[0]")]
    assert member and all(q["text"].startswith("[자녀]") for q in member)  # by role


async def test_flow_is_done_when_nothing_left_to_ask(client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"}
    skip: list[str] = []
    for _ in range(60):
        result = await _next(client, {**body, "skip": skip, "limit": 10})
        if result["done"]:
            break
        for question in result["questions"]:
            if question["type"] == "checklist":
                skip += [o["value"] for o in question["options"]]
            else:
                skip.append(question["fact"])
    assert result["done"] is True and result["questions"] == []
    # nothing could be answered, so whatever is undecided stays undecided: never guessed
    assert result["undecided"] == len(result["plan"]["needs_info"]) > 0


async def test_limit_is_validated(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/questions/next", json={"profile": {}, "limit": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/limit"


async def test_a_kiosk_step_without_the_plan_asks_and_counts_as_the_full_answer(
    client: httpx.AsyncClient,
) -> None:
    """``include_plan: false`` (what the kiosk sends for a step) leaves the plan out and keeps
    what a step shows: the same questions, ``done``, ``undecided`` and counts."""
    empty = {"profile": {}, "as_of": "2026-03-02"}
    light = await _next(client, {**empty, "include_plan": False})
    assert light["plan"] is None
    assert light["questions"][0]["text"] == "만 나이가 어떻게 되세요?"
    # every program in effect is counted: 63 of the 65 (청년도약계좌 ended on 2025-12-31,
    # 청년미래적금 starts on 2026-06-01)
    assert sum(light["counts"].values()) == 63
    daegu = {
        "profile": {
            "applicant": {"age": 34, "sex": "female", "nationality": "KR"},
            "members": [{"relation": "child", "age_months": 10, "nationality": "KR"}],
            "household": {"region": "27", "single_parent": True},
        },
        "as_of": "2026-03-02",
        "limit": 3,
    }
    for headers in ({}, {"Accept-Language": "en"}):
        full = await _next(client, daegu, headers=headers)
        response = await client.post(
            "/v1/questions/next", json={**daegu, "include_plan": False}, headers=headers
        )
        assert response.status_code == 200, response.text
        step = response.json()
        assert step["plan"] is None and len(response.content) < 10_000
        assert step["counts"] == full["counts"] == full["plan"]["counts"]
        assert step["questions"] == full["questions"] and len(step["questions"]) == 3
        assert (step["done"], step["undecided"]) == (full["done"], full["undecided"])


async def test_include_plan_must_be_true_or_false(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/questions/next", json={"profile": {}, "include_plan": "no"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == "/include_plan"
