"""GET /v1/webhooks/deliveries and POST /v1/webhooks/events/{uid}/replay: an agency sees and
replays only its own events."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.orm import Session

from app.webhooks.dispatcher import Dispatcher
from tests.webhooks.conftest import FakeClock, add_event, make_agency, stored_event
from tests.webhooks.receiver import Receiver, signature_is_valid
from tests.webhooks.test_delivery import register


async def test_each_agency_lists_only_its_own_events_by_status(
    client: httpx.AsyncClient, db_session: Session, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    mine = make_agency(db_session, "Invented Agency Mine")
    theirs = make_agency(db_session, "Invented Agency Theirs")
    await register(client, mine, receiver.url)
    delivered = add_event(db_session, mine, "referral.sent")
    dispatcher.deliver_due()
    waiting = add_event(db_session, mine, "referral.accepted")
    add_event(db_session, theirs, "referral.sent")

    everything = await client.get("/v1/webhooks/deliveries", headers=mine.headers)
    assert everything.status_code == 200
    assert [i["event_uid"] for i in everything.json()["items"]] == [waiting, delivered]
    pending = await client.get(
        "/v1/webhooks/deliveries", params={"status": "pending"}, headers=mine.headers
    )
    [item] = pending.json()["items"]
    assert (item["event_uid"], item["status"], item["tries"]) == (waiting, "pending", [])
    assert item["next_attempt_at"] is not None
    done = await client.get(
        "/v1/webhooks/deliveries", params={"status": "delivered"}, headers=mine.headers
    )
    [item] = done.json()["items"]
    assert (item["event_uid"], item["status"]) == (delivered, "delivered")
    assert [(t["attempt"], t["outcome"], t["status_code"]) for t in item["tries"]] == [
        (1, "delivered", 204)
    ]
    assert item["tries"][0]["duration_ms"] >= 0


async def test_pages_follow_the_cursor(client: httpx.AsyncClient, db_session: Session) -> None:
    agency = make_agency(db_session, "Invented Paged Agency")
    made = [add_event(db_session, agency) for _ in range(5)]
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = await client.get("/v1/webhooks/deliveries", params=params, headers=agency.headers)
        body = page.json()
        seen += [item["event_uid"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert seen == made[::-1]


async def test_replay_sends_a_given_up_event_again_with_the_same_webhook_id(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: FakeClock,
) -> None:
    agency = make_agency(db_session, "Invented Replaying Agency")
    secret = await register(client, agency, receiver.url)
    uid = add_event(db_session, agency)
    receiver.answer_with(500, 500, 500, 500)
    for _ in range(4):
        clock.advance(3600)
        assert dispatcher.deliver_due() == 1
    assert stored_event(db_session, uid).given_up_at is not None

    replayed = await client.post(f"/v1/webhooks/events/{uid}/replay", headers=agency.headers)
    assert replayed.status_code == 202
    body = replayed.json()
    assert (body["status"], body["attempts"], body["replays"]) == ("pending", 0, 1)
    assert dispatcher.deliver_due() == 1
    last = receiver.requests[-1]
    assert last.webhook_id == uid and signature_is_valid(secret, last.headers, last.body)
    page = await client.get("/v1/webhooks/deliveries", headers=agency.headers)
    [item] = page.json()["items"]
    assert item["status"] == "delivered"
    assert [(t["replay"], t["attempt"], t["outcome"]) for t in item["tries"]] == [
        (0, 1, "failed"),
        (0, 2, "failed"),
        (0, 3, "failed"),
        (0, 4, "failed"),
        (1, 1, "delivered"),
    ]


async def test_replay_of_a_delivered_or_filtered_event_sends_it_again(
    client: httpx.AsyncClient, db_session: Session, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    agency = make_agency(db_session, "Invented Filtering Agency")
    await register(client, agency, receiver.url, event_types=["referral.closed"])
    filtered = add_event(db_session, agency, "referral.sent")
    assert dispatcher.deliver_due() == 0
    assert stored_event(db_session, filtered).skipped_at is not None
    await client.post(f"/v1/webhooks/events/{filtered}/replay", headers=agency.headers)
    assert dispatcher.deliver_due() == 1
    await client.post(f"/v1/webhooks/events/{filtered}/replay", headers=agency.headers)
    assert dispatcher.deliver_due() == 1
    assert [r.webhook_id for r in receiver.requests] == [filtered, filtered]


async def test_another_agencys_event_is_not_found_and_the_scope_is_needed(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    owner = make_agency(db_session, "Invented Owning Agency")
    other = make_agency(db_session, "Invented Other Agency")
    planner = make_agency(db_session, "Invented Plans Partner", scopes="plans")
    uid = add_event(db_session, owner)
    path = f"/v1/webhooks/events/{uid}/replay"
    assert (await client.post(path, headers=other.headers)).status_code == 404
    assert (await client.post(path, headers=planner.headers)).status_code == 403
    unknown = await client.post(f"/v1/webhooks/events/{uuid.uuid4()}/replay", headers=owner.headers)
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "urn:hanaro:problem:not-found"
    assert stored_event(db_session, uid).replays == 0
    assert (await client.post(path, headers=owner.headers)).status_code == 202
    assert stored_event(db_session, uid).replays == 1
    listed = await client.get("/v1/webhooks/deliveries", headers=other.headers)
    assert listed.json()["items"] == []
