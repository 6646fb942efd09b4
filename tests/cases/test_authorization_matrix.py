"""The authorization matrix: every case and referral endpoint × the agency it belongs to (2xx),
another agency holding every scope (404: it cannot even learn the id exists), the same agency's
key without the scope (403), and no key (401). Lists answer another agency with its own items
only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.cases.conftest import Agency, open_case, refer


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {case}, {task}, {ref} filled in per test
    side: str  # "case": the opening agency's; "receiver": the receiving agency's
    ok: int
    body: dict[str, Any] | None = None
    needs_plan: bool = False


ENDPOINTS = [
    Endpoint("GET", "/v1/cases/{case}", "case", 200),
    Endpoint("POST", "/v1/cases/{case}/close", "case", 200, {"reason": "욕구 해소"}),
    Endpoint("POST", "/v1/cases/{case}/consent/withdraw", "case", 200),
    Endpoint(
        "POST",
        "/v1/cases/{case}/tasks",
        "case",
        201,
        {"title": "전화 확인", "due_on": "2026-03-10"},
    ),
    Endpoint("GET", "/v1/cases/{case}/tasks", "case", 200),
    Endpoint("POST", "/v1/cases/{case}/tasks/{task}/done", "case", 200),
    Endpoint("POST", "/v1/cases/{case}/plans", "case", 201, {"as_of": "2026-03-02"}),
    Endpoint("GET", "/v1/cases/{case}/plans", "case", 200),
    Endpoint("GET", "/v1/cases/{case}/plans/1", "case", 200, needs_plan=True),
    Endpoint("GET", "/v1/cases/{case}/plans/1/replay", "case", 200, needs_plan=True),
    Endpoint("POST", "/v1/cases/{case}/rescreen", "case", 201),
    Endpoint("POST", "/v1/cases/{case}/referrals", "case", 201, {"service": "방문 상담"}),
    Endpoint("GET", "/v1/cases/{case}/referrals", "case", 200),
    Endpoint("GET", "/v1/cases/{case}/referrals/{ref}", "case", 200),
    Endpoint(
        "POST",
        "/v1/cases/{case}/referrals/{ref}/status",
        "case",
        200,
        {"status": "closed", "reason": "시민 요청으로 철회"},
    ),
    Endpoint("GET", "/v1/referrals/{ref}", "receiver", 200),
    Endpoint("POST", "/v1/referrals/{ref}/status", "receiver", 200, {"status": "accepted"}),
]
EXPECTED = {"other": 404, "missing_scope": 403, "anonymous": 401}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
async def test_endpoint_answers_only_its_agency(
    client: httpx.AsyncClient, team: Agency, center: Agency, other: Agency, endpoint: Endpoint
) -> None:
    """One row of the matrix: the callers in turn, the owner last (its call may change the
    state the others would have met). One setup per endpoint keeps the matrix cheap."""
    case = await open_case(client, team)
    referral = await refer(client, team, case["id"], center)
    task = await client.post(
        f"/v1/cases/{case['id']}/tasks",
        json={"title": "첫 방문", "due_on": "2026-03-05"},
        headers=team.acting,
    )
    if endpoint.needs_plan:
        saved = await client.post(
            f"/v1/cases/{case['id']}/plans", json={"as_of": "2026-03-02"}, headers=team.acting
        )
        assert saved.status_code == 201, saved.text
    owner = team if endpoint.side == "case" else center
    callers = {
        "other": other.acting,
        "missing_scope": owner.limited,
        "anonymous": {"Hanaro-Staff": owner.staff},
        "own": owner.acting,
    }
    body = endpoint.body
    if endpoint.path.endswith("/referrals") and endpoint.method == "POST":
        body = {**(body or {}), "to_agency_id": center.id}
    path = endpoint.path.format(case=case["id"], task=task.json()["id"], ref=referral["id"])
    for caller, headers in callers.items():
        response = await client.request(endpoint.method, path, json=body, headers=headers)
        expected = endpoint.ok if caller == "own" else EXPECTED[caller]
        assert (caller, response.status_code) == (caller, expected), response.text
        if caller != "own":
            assert response.headers["content-type"] == "application/problem+json"
        if caller == "other":
            assert response.json()["type"].endswith("-not-found")


async def test_other_agency_write_changes_nothing(
    client: httpx.AsyncClient, team: Agency, center: Agency, other: Agency
) -> None:
    case = await open_case(client, team)
    referral = await refer(client, team, case["id"], center)
    for path, body in (
        (f"/v1/cases/{case['id']}/close", {"reason": "남의 사례"}),
        (f"/v1/cases/{case['id']}/consent/withdraw", None),
        (f"/v1/referrals/{referral['id']}/status", {"status": "accepted"}),
    ):
        response = await client.post(path, json=body, headers=other.acting)
        assert response.status_code == 404
    mine = await client.get(f"/v1/cases/{case['id']}", headers=team.auth)
    assert mine.json()["status"] == "open"
    sent = await client.get(f"/v1/referrals/{referral['id']}", headers=center.auth)
    assert sent.json()["status"] == "sent"


async def test_case_list_holds_own_cases_only(
    client: httpx.AsyncClient, team: Agency, other: Agency
) -> None:
    case = await open_case(client, team)
    callers = {
        "own": team.auth,
        "other": other.auth,
        "missing_scope": team.limited,
        "anonymous": {},
    }
    for caller, headers in callers.items():
        response = await client.get("/v1/cases", headers=headers)
        if caller in ("missing_scope", "anonymous"):
            assert (caller, response.status_code) == (caller, EXPECTED[caller])
            continue
        assert response.status_code == 200
        ids = [item["id"] for item in response.json()["items"]]
        assert (caller, case["id"] in ids) == (caller, caller == "own")


async def test_received_list_holds_own_referrals_only(
    client: httpx.AsyncClient, team: Agency, center: Agency, other: Agency
) -> None:
    case = await open_case(client, team)
    referral = await refer(client, team, case["id"], center)
    callers = {
        "own": center.auth, "other": other.auth, "missing_scope": center.limited, "anonymous": {}
    }  # fmt: skip
    for caller, headers in callers.items():
        response = await client.get("/v1/referrals", headers=headers)
        if caller in ("missing_scope", "anonymous"):
            assert (caller, response.status_code) == (caller, EXPECTED[caller])
            continue
        assert response.status_code == 200
        ids = [item["id"] for item in response.json()["items"]]
        assert (caller, referral["id"] in ids) == (caller, caller == "own")


@pytest.mark.parametrize(
    ("caller", "expected"), [("own", 201), ("missing_scope", 403), ("anonymous", 401)]
)
async def test_opening_a_case_needs_cases_write(
    client: httpx.AsyncClient, team: Agency, caller: str, expected: int
) -> None:
    headers = {"own": team.acting, "missing_scope": team.limited, "anonymous": {}}[caller]
    body = {
        "citizen_ref": "TEST-CASE-0002",
        "consent": {
            "purposes": ["case_management"],
            "items": [],
            "consented_on": "2026-03-02",
            "retention_until": "2027-03-01",
        },
    }
    response = await client.post("/v1/cases", json=body, headers=headers)
    assert response.status_code == expected, response.text


@pytest.mark.parametrize(
    ("who", "expected"), [("team", 200), ("center_limited", 200), ("center", 403)]
)
async def test_agency_directory_needs_cases_read(
    client: httpx.AsyncClient, team: Agency, center: Agency, who: str, expected: int
) -> None:
    headers = {"team": team.auth, "center_limited": center.limited, "center": center.auth}[who]
    response = await client.get("/v1/agencies", headers=headers)
    assert response.status_code == expected
    if expected == 200:
        listed = {a["id"]: a for a in response.json()["items"]}
        assert listed[center.id]["agency_type"] == "mental_health_center"


async def test_a_write_names_a_staff_member_of_the_keys_agency(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    case = await open_case(client, team)
    path = f"/v1/cases/{case['id']}/tasks"
    body = {"title": "전화 확인", "due_on": "2026-03-10"}
    missing = await client.post(path, json=body, headers=team.auth)
    assert missing.status_code == 422
    assert [e["parameter"] for e in missing.json()["errors"]] == ["header"]
    foreign = await client.post(
        path, json=body, headers={**team.auth, "Hanaro-Staff": center.staff}
    )
    assert foreign.status_code == 403
    assert foreign.json()["type"] == "urn:hanaro:problem:staff-unknown"
