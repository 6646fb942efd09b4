"""Every referral step, allowed and refused: who may make it, which need a reason, the history
it leaves, and the webhook event it writes (to the other party, in the same transaction)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import OutboxEvent
from tests.cases.conftest import Agency, move, open_case, refer

PATH_TO = {
    "sent": [],
    "accepted": ["accepted"],
    "declined": ["declined"],
    "in_progress": ["accepted", "in_progress"],
    "completed": ["accepted", "in_progress", "completed"],
}
RECEIVER_ALLOWED = {
    ("sent", "accepted"),
    ("sent", "declined"),
    ("accepted", "in_progress"),
    ("in_progress", "completed"),
}
STATUSES = ("accepted", "declined", "in_progress", "completed", "closed")


async def reach(
    client: httpx.AsyncClient, team: Agency, center: Agency, case_id: int, state: str
) -> int:
    referral = await refer(client, team, case_id, center)
    for step in PATH_TO[state]:
        reason = {"reason": "정원 초과"} if step == "declined" else {}
        response = await move(client, center, referral["id"], step, **reason)
        assert response.status_code == 200, response.text
    return int(referral["id"])


def events(session: Session, referral_id: int) -> list[tuple[int, str, dict[str, Any]]]:
    rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()
    return [
        (e.partner_id, e.event_type, e.payload)
        for e in rows
        if e.payload.get("referral_id") == referral_id
    ]


async def test_a_referral_runs_its_course_and_each_step_notifies_the_other_party(
    client: httpx.AsyncClient, team: Agency, center: Agency, db_session: Session
) -> None:
    case = await open_case(client, team)
    referral = await refer(client, team, case["id"], center, program_id="basic-pension")
    rid = referral["id"]
    assert referral["status"] == "sent"
    for step in ("accepted", "in_progress", "completed"):
        response = await move(client, center, rid, step, note=f"{step} 메모")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == step
    closed = await client.post(
        f"/v1/cases/{case['id']}/referrals/{rid}/status",
        json={"status": "closed"},  # no reason needed after completed
        headers=team.acting,
    )
    assert closed.status_code == 200, closed.text
    history = closed.json()["history"]
    assert [h["status"] for h in history] == [
        "sent", "accepted", "in_progress", "completed", "closed"
    ]  # fmt: skip
    assert [h["staff"] for h in history] == [team.staff] + [center.staff] * 3 + [team.staff]
    assert [(p, t) for p, t, _ in events(db_session, rid)] == [
        (center.id, "referral.sent"),
        (team.id, "referral.accepted"),
        (team.id, "referral.in_progress"),
        (team.id, "referral.completed"),
        (center.id, "referral.closed"),
    ]
    sent = events(db_session, rid)[0][2]
    assert sent == {
        "referral_id": rid,
        "status": "sent",
        "previous_status": None,
        "program_id": "basic-pension",
        "due_on": "2026-03-20",
        "from_agency_id": team.id,
        "to_agency_id": center.id,
    }  # no case id, no profile, no note for the receiving agency
    assert events(db_session, rid)[1][2]["case_id"] == case["id"]


async def test_declining_needs_a_reason_and_tells_the_referring_agency(
    client: httpx.AsyncClient, team: Agency, center: Agency, db_session: Session
) -> None:
    case = await open_case(client, team)
    rid = (await refer(client, team, case["id"], center))["id"]
    bare = await move(client, center, rid, "declined")
    assert bare.status_code == 422
    assert bare.json()["type"] == "urn:hanaro:problem:reason-required"
    declined = await move(client, center, rid, "declined", reason="관할 구역 밖")
    assert declined.status_code == 200
    assert declined.json()["history"][-1]["reason"] == "관할 구역 밖"
    assert events(db_session, rid)[-1][:2] == (team.id, "referral.declined")
    assert "관할" not in str(events(db_session, rid))  # reasons stay out of webhooks


async def test_every_receiver_step_not_in_the_lifecycle_is_refused(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    case = await open_case(client, team)
    for state in PATH_TO:
        for status in STATUSES:
            if (state, status) in RECEIVER_ALLOWED:
                continue
            rid = await reach(client, team, center, case["id"], state)
            response = await move(client, center, rid, status, reason="시험 사유")
            assert (state, status, response.status_code) == (state, status, 409)
            assert response.json()["type"] == "urn:hanaro:problem:transition-not-allowed"


async def test_the_referring_agency_closes_from_any_status_with_a_reason(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    case = await open_case(client, team)
    for state in PATH_TO:
        rid = await reach(client, team, center, case["id"], state)
        url = f"/v1/cases/{case['id']}/referrals/{rid}/status"
        bare = await client.post(url, json={"status": "closed"}, headers=team.acting)
        assert (state, bare.status_code) == (state, 200 if state == "completed" else 422)
        if state != "completed":
            closed = await client.post(
                url, json={"status": "closed", "reason": "시민 요청"}, headers=team.acting
            )
            assert closed.status_code == 200
        again = await client.post(
            url, json={"status": "closed", "reason": "두 번"}, headers=team.acting
        )
        assert again.status_code == 409


async def test_the_referring_agency_cannot_make_the_receivers_steps(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    case = await open_case(client, team)
    rid = (await refer(client, team, case["id"], center))["id"]
    url = f"/v1/cases/{case['id']}/referrals/{rid}/status"
    for status in ("accepted", "declined", "in_progress", "completed"):
        response = await client.post(
            url, json={"status": status, "reason": "대신"}, headers=team.acting
        )
        assert (status, response.status_code) == (status, 409)


async def test_a_referral_goes_to_a_known_other_agency_for_a_known_program(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    case = await open_case(client, team)
    url = f"/v1/cases/{case['id']}/referrals"
    for body, slug in (
        ({"to_agency_id": 99999, "service": "상담"}, "unknown-agency"),
        ({"to_agency_id": team.id, "service": "상담"}, "unknown-agency"),
        ({"to_agency_id": center.id, "program_id": "no-such-program"}, "validation"),
        ({"to_agency_id": center.id}, "validation"),
    ):
        response = await client.post(url, json=body, headers=team.acting)
        assert (response.status_code, response.json()["type"]) == (
            422,
            f"urn:hanaro:problem:{slug}",
        )


async def test_the_receiving_agency_sees_the_profile_only_with_consent_to_share(
    client: httpx.AsyncClient, team: Agency, center: Agency
) -> None:
    private = await open_case(client, team)
    shared = await open_case(
        client,
        team,
        consent={
            "purposes": ["case_management", "referral"],
            "items": [
                "household_profile", "contact", "share_profile_with_referral_agencies"
            ],
            "consented_on": "2026-03-02",
            "retention_until": "2029-03-01",
        },
    )  # fmt: skip
    kept = await refer(client, team, private["id"], center)
    given = await refer(client, team, shared["id"], center)
    assert (kept["shares_profile"], given["shares_profile"]) == (False, True)
    seen_kept = (await client.get(f"/v1/referrals/{kept['id']}", headers=center.auth)).json()
    seen_given = (await client.get(f"/v1/referrals/{given['id']}", headers=center.auth)).json()
    assert seen_kept["profile"] is None and seen_kept["contact"] is None
    assert seen_given["profile"]["applicant"]["birth_date"] == "1961-05-10"
    assert seen_given["contact"] is None  # contact is a separate item
    assert "case_id" not in seen_given
