"""Opening a case under consent (items, sensitive data asked separately), contact details
encrypted at rest, closing, follow-up tasks and the worklist."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.case_models import CaseFile
from app.db.models import AuditEntry
from tests.cases.conftest import PROFILE, Agency, consent, open_case

DISABLED = {"applicant": {"birth_date": "1961-05-10", "disability_registered": True}}
PREGNANT = {"applicant": {"age": 30, "pregnant": True}}


async def test_a_case_keeps_its_consent_and_encrypts_contact_and_profile(
    client: httpx.AsyncClient, team: Agency, db_session: Session
) -> None:
    case = await open_case(client, team)
    assert case["consent"]["recorded_by"] == team.staff
    assert case["consent"]["retention_until"] == "2029-03-01"
    assert case["profile"]["applicant"]["birth_date"] == "1961-05-10"
    assert case["next_event_on"] == "2026-05-10"  # the applicant turns 65
    row = db_session.scalars(select(CaseFile).where(CaseFile.id == case["id"])).one()
    assert row.contact_token is not None and "010" not in row.contact_token
    assert row.profile_token is not None and "1961" not in row.profile_token
    audit = db_session.scalars(
        select(AuditEntry).where(AuditEntry.target == f"case:{case['id']}")
    ).all()
    assert [(a.action, a.detail["staff"]) for a in audit] == [("case.create", team.staff)]
    assert "1961" not in str([a.detail for a in audit])


async def test_nothing_is_stored_beyond_the_consented_items(
    client: httpx.AsyncClient, team: Agency
) -> None:
    for items, extra in (
        (["contact"], {"profile": PROFILE}),
        (["household_profile"], {"contact": {"phone": "010-0000-0000"}}),
    ):
        body = {"citizen_ref": "TEST-CASE-0003", "consent": consent(items=items), **extra}
        response = await client.post("/v1/cases", json=body, headers=team.acting)
        assert response.status_code == 422
        assert response.json()["type"] == "urn:hanaro:problem:consent-required"


async def test_health_and_disability_facts_need_their_own_consent(
    client: httpx.AsyncClient, team: Agency
) -> None:
    for profile, flag in ((DISABLED, "sensitive_disability"), (PREGNANT, "sensitive_health")):
        body = {"citizen_ref": "TEST-CASE-0004", "consent": consent(), "profile": profile}
        refused = await client.post("/v1/cases", json=body, headers=team.acting)
        assert refused.status_code == 422
        assert refused.json()["type"] == "urn:hanaro:problem:consent-required"
        other_flag = {"sensitive_disability": "sensitive_health"}.get(flag, "sensitive_disability")
        wrong = await client.post(
            "/v1/cases",
            json=body | {"consent": consent(**{other_flag: True})},
            headers=team.acting,
        )
        assert wrong.status_code == 422  # the other kind's consent does not cover it
        body["consent"] = consent(**{flag: True})
        accepted = await client.post("/v1/cases", json=body, headers=team.acting)
        assert accepted.status_code == 201, accepted.text


async def test_consent_needs_a_purpose_and_a_retention_after_the_date(
    client: httpx.AsyncClient, team: Agency
) -> None:
    for bad in (
        consent(purposes=[]),
        consent(retention_until="2026-03-02"),
        {k: v for k, v in consent().items() if k != "consented_on"},
    ):
        body = {"citizen_ref": "TEST-CASE-0005", "consent": bad}
        response = await client.post("/v1/cases", json=body, headers=team.acting)
        assert response.status_code == 422
    no_consent = await client.post(
        "/v1/cases", json={"citizen_ref": "TEST-CASE-0005"}, headers=team.acting
    )
    assert no_consent.status_code == 422


async def test_a_resident_number_is_never_a_citizen_reference(
    client: httpx.AsyncClient, team: Agency
) -> None:
    body = {"citizen_ref": "900101-1234567", "consent": consent()}
    response = await client.post("/v1/cases", json=body, headers=team.acting)
    assert response.status_code == 422
    assert response.json()["type"] == "urn:hanaro:problem:resident-number"


async def test_closing_needs_a_reason_and_ends_writes(
    client: httpx.AsyncClient, team: Agency
) -> None:
    case = await open_case(client, team)
    url = f"/v1/cases/{case['id']}"
    assert (await client.post(f"{url}/close", json={}, headers=team.acting)).status_code == 422
    closed = await client.post(f"{url}/close", json={"reason": "욕구 해소"}, headers=team.acting)
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["close_reason"]) == ("closed", "욕구 해소")
    again = await client.post(f"{url}/close", json={"reason": "두 번"}, headers=team.acting)
    assert again.status_code == 409
    task = await client.post(
        f"{url}/tasks", json={"title": "전화", "due_on": "2026-04-01"}, headers=team.acting
    )
    assert task.status_code == 409


async def test_tasks_are_done_once(client: httpx.AsyncClient, team: Agency) -> None:
    case = await open_case(client, team)
    url = f"/v1/cases/{case['id']}/tasks"
    task = (
        await client.post(
            url, json={"title": "가정 방문", "due_on": "2026-03-10"}, headers=team.acting
        )
    ).json()
    assert (task["status"], task["kind"], task["created_by"]) == ("open", "manual", team.staff)
    done = await client.post(f"{url}/{task['id']}/done", headers=team.acting)
    assert (done.json()["status"], done.json()["done_by"]) == ("done", team.staff)
    assert (await client.post(f"{url}/{task['id']}/done", headers=team.acting)).status_code == 409
    assert (await client.post(f"{url}/999999/done", headers=team.acting)).status_code == 404


async def test_the_worklist_holds_cases_with_something_due_before_the_date(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    early = await open_case(client, team)
    late = await open_case(client, team)
    idle = await open_case(client, team)
    await client.post(
        f"/v1/cases/{early['id']}/tasks",
        json={"title": "전화", "due_on": "2026-03-09"},
        headers=team.acting,
    )
    await client.post(
        f"/v1/cases/{late['id']}/referrals",
        json={"to_agency_id": center.id, "service": "상담", "due_on": "2026-03-12"},
        headers=team.acting,
    )
    both = await open_case(client, team)
    await client.post(
        f"/v1/cases/{both['id']}/tasks",
        json={"title": "서류", "due_on": "2026-03-11"},
        headers=team.acting,
    )
    await client.post(
        f"/v1/cases/{both['id']}/referrals",
        json={"to_agency_id": center.id, "service": "상담", "due_on": "2026-03-08"},
        headers=team.acting,
    )
    worklist = await client.get("/v1/cases", params={"due_before": "2026-03-10"}, headers=team.auth)
    assert [(c["id"], c["next_due_on"]) for c in worklist.json()["items"]] == [
        (both["id"], "2026-03-08"),
        (early["id"], "2026-03-09"),
    ]
    wider = await client.get("/v1/cases", params={"due_before": "2026-03-13"}, headers=team.auth)
    items = wider.json()["items"]
    assert [(c["id"], c["next_due_on"]) for c in items] == [
        (both["id"], "2026-03-08"),
        (early["id"], "2026-03-09"),
        (late["id"], "2026-03-12"),
    ]
    assert [(c["open_tasks"], c["open_referrals"]) for c in items] == [(1, 1), (1, 0), (0, 1)]
    everything = await client.get("/v1/cases", headers=team.auth)
    assert idle["id"] in [c["id"] for c in everything.json()["items"]]


async def test_a_profile_is_checked_as_a_plan_request_is(
    client: httpx.AsyncClient, team: Agency
) -> None:
    future = {"applicant": {"birth_date": "2027-01-01"}}
    body = {
        "citizen_ref": "TEST-CASE-0006",
        "consent": consent(),
        "profile": future,
        "profile_as_of": "2026-03-02",
    }
    response = await client.post("/v1/cases", json=body, headers=team.acting)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/profile/applicant/birth_date"
