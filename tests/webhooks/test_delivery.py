"""The dispatcher against a real receiver on loopback: signed requests (checked here with hmac,
not the app's code), at-least-once with retries and backoff, giving up, event filters, waiting
for an endpoint, rotation, and redelivery after a dispatcher dies mid-delivery."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models
from app.webhooks.dispatcher import Dispatcher, RetryPolicy
from tests.webhooks.conftest import (
    JITTER_DRAW,
    Agency,
    FakeClock,
    add_event,
    as_utc,
    make_agency,
    stored_event,
)
from tests.webhooks.receiver import Receiver, signature_is_valid


async def register(client: httpx.AsyncClient, agency: Agency, url: str, **extra: object) -> str:
    answer = await client.put(
        "/v1/webhooks/endpoint", json={"url": url, **extra}, headers=agency.headers
    )
    assert answer.status_code in (200, 201)
    secret: str = answer.json()["secret"]
    return secret


def tries_of(session: Session, event_uid: str) -> list[tuple[int, int, str, int | None]]:
    """(replay, attempt, outcome, status code) of each logged try, oldest first."""
    with session.begin():
        rows = session.execute(
            select(
                models.WebhookDelivery.replay,
                models.WebhookDelivery.attempt,
                models.WebhookDelivery.outcome,
                models.WebhookDelivery.status_code,
            )
            .join(models.OutboxEvent, models.OutboxEvent.id == models.WebhookDelivery.event_id)
            .where(models.OutboxEvent.event_uid == event_uid)
            .order_by(models.WebhookDelivery.id)
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_a_delivery_is_signed_over_id_timestamp_and_body(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: FakeClock,
) -> None:
    agency = make_agency(db_session, "Invented Welfare Center")
    secret = await register(client, agency, receiver.url)
    payload = {"referral_id": "ref-test-0042", "status": "sent"}
    uid = add_event(db_session, agency, "referral.sent", payload)

    assert dispatcher.deliver_due() == 1
    [got] = receiver.requests
    assert got.path == "/hooks/hanaro"
    assert got.webhook_id == uid
    assert got.headers["webhook-timestamp"] == str(int(clock.now.timestamp()))
    assert got.headers["content-type"] == "application/json"
    assert signature_is_valid(secret, got.headers, got.body)
    assert not signature_is_valid(secret, got.headers, got.body.replace(b"0042", b"0043"))
    envelope = json.loads(got.body)
    assert envelope["type"] == "referral.sent"
    assert envelope["data"] == payload
    assert envelope["timestamp"].endswith("Z")  # the event's time, in UTC
    assert stored_event(db_session, uid).delivered_at is not None
    assert tries_of(db_session, uid) == [(0, 1, "delivered", 204)]
    assert dispatcher.deliver_due() == 0  # delivered once, not again


async def test_failures_are_retried_with_backoff_and_the_same_webhook_id(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: FakeClock,
) -> None:
    agency = make_agency(db_session, "Invented Job Center")
    secret = await register(client, agency, receiver.url)
    uid = add_event(db_session, agency)
    receiver.answer_with(503, 500)  # the first two tries fail, the third gets 204

    # base 10 s doubling, at most 25 s, times the jitter factor 0.5 + 0.5/2 = 0.75
    for waited in (None, 7.5, 15.0):
        if waited is not None:
            clock.advance(waited - 1)
            assert dispatcher.deliver_due() == 0  # not due yet
            clock.advance(1)
        assert dispatcher.deliver_due() == 1
        event = stored_event(db_session, uid)
        if event.delivered_at is None:
            assert event.last_error in ("HTTP 503", "HTTP 500")
    assert [r.webhook_id for r in receiver.requests] == [uid] * 3
    assert all(signature_is_valid(secret, r.headers, r.body) for r in receiver.requests)
    assert as_utc(stored_event(db_session, uid).delivered_at) == clock.now
    assert tries_of(db_session, uid) == [
        (0, 1, "failed", 503),
        (0, 2, "failed", 500),
        (0, 3, "delivered", 204),
    ]


async def test_after_max_attempts_the_event_is_given_up(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: FakeClock,
) -> None:
    agency = make_agency(db_session, "Invented Health Center")
    await register(client, agency, receiver.url)
    uid = add_event(db_session, agency)
    receiver.answer_with(500, 500, 500, 500, 500)
    schedule = []
    for _ in range(4):  # webhook_max_attempts = 4
        assert dispatcher.deliver_due() == 1
        event = stored_event(db_session, uid)
        if event.given_up_at is None:
            schedule.append((as_utc(event.next_attempt_at) - clock.now).total_seconds())
            clock.now = as_utc(event.next_attempt_at)  # type: ignore[assignment]
    assert schedule == [7.5, 15.0, 18.75]  # 10, 20, then the 25 s cap; x 0.75
    assert as_utc(event.given_up_at) == clock.now
    clock.advance(3600)
    assert dispatcher.deliver_due() == 0
    assert len(receiver.requests) == 4

    page = await client.get(
        "/v1/webhooks/deliveries", params={"status": "given_up"}, headers=agency.headers
    )
    [item] = page.json()["items"]
    assert (item["event_uid"], item["status"], item["attempts"]) == (uid, "given_up", 4)
    assert item["last_error"] == "HTTP 500"
    assert [t["outcome"] for t in item["tries"]] == ["failed"] * 4


def test_backoff_doubles_up_to_the_cap_with_jitter_between_half_and_whole() -> None:
    policy = RetryPolicy(max_attempts=10, base_seconds=2.0, max_seconds=30.0)
    assert [policy.delay(n, 0.0).total_seconds() for n in (1, 2, 3, 4, 5, 6)] == [
        1.0, 2.0, 4.0, 8.0, 15.0, 15.0,
    ]  # fmt: skip
    assert policy.delay(3, 0.999).total_seconds() < 8.0
    assert policy.delay(3, 0.5) == timedelta(seconds=6.0)
    assert policy.delay(100, JITTER_DRAW) == timedelta(seconds=22.5)


async def test_a_dispatcher_dying_mid_delivery_leads_to_redelivery_not_loss(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: FakeClock,
) -> None:
    agency = make_agency(db_session, "Invented Shelter")
    secret = await register(client, agency, receiver.url)
    uid = add_event(db_session, agency)

    claim = dispatcher.claim_next()
    assert claim is not None
    dispatcher.send(claim)  # the receiver has it; the dispatcher dies before recording
    assert len(receiver.requests) == 1
    assert dispatcher.deliver_due() == 0  # the claim's lease holds it for now
    clock.advance(60)  # webhook_lease_seconds
    assert dispatcher.deliver_due() == 1

    first, second = receiver.requests
    assert first.webhook_id == second.webhook_id == uid
    assert signature_is_valid(secret, second.headers, second.body)
    assert first.body == second.body
    assert stored_event(db_session, uid).delivered_at is not None
    assert tries_of(db_session, uid) == [(0, 1, "interrupted", None), (0, 2, "delivered", 204)]


async def test_events_wait_for_an_endpoint_and_filtered_types_are_skipped(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    agency = make_agency(db_session, "Invented Counseling Office")
    sent = add_event(db_session, agency, "referral.sent")
    accepted = add_event(db_session, agency, "referral.accepted")
    assert dispatcher.deliver_due() == 0  # no endpoint: they wait
    assert stored_event(db_session, sent).skipped_at is None

    await register(client, agency, receiver.url, event_types=["referral.sent"])
    assert dispatcher.deliver_due() == 1
    assert [r.webhook_id for r in receiver.requests] == [sent]
    assert stored_event(db_session, accepted).skipped_at is not None

    await client.delete("/v1/webhooks/endpoint", headers=agency.headers)
    closed = add_event(db_session, agency, "referral.sent")
    assert dispatcher.deliver_due() == 0  # disabled: waits too
    await register(client, agency, receiver.url)
    assert dispatcher.deliver_due() == 1
    assert receiver.requests[-1].webhook_id == closed


async def test_a_long_run_of_filtered_events_does_not_hide_a_wanted_one(
    client: httpx.AsyncClient, db_session: Session, receiver: Receiver, dispatcher: Dispatcher
) -> None:
    agency = make_agency(db_session, "Invented Picky Agency")
    await register(client, agency, receiver.url, event_types=["referral.closed"])
    filtered = [add_event(db_session, agency, "referral.in_progress") for _ in range(12)]
    wanted = add_event(db_session, agency, "referral.closed")
    assert dispatcher.deliver_next()  # past more filtered events than one claim looks at
    assert [r.webhook_id for r in receiver.requests] == [wanted]
    assert all(stored_event(db_session, uid).skipped_at is not None for uid in filtered)


async def test_after_rotation_the_old_secret_no_longer_verifies(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    agency = make_agency(db_session, "Invented Senior Center")
    old = await register(client, agency, receiver.url)
    add_event(db_session, agency)
    dispatcher.deliver_due()
    rotated = await client.post("/v1/webhooks/endpoint/rotate-secret", headers=agency.headers)
    new = rotated.json()["secret"]
    add_event(db_session, agency)
    dispatcher.deliver_due()

    before, after = receiver.requests
    assert signature_is_valid(old, before.headers, before.body)
    assert not signature_is_valid(new, before.headers, before.body)
    assert signature_is_valid(new, after.headers, after.body)
    assert not signature_is_valid(old, after.headers, after.body)


async def test_an_unreachable_endpoint_is_a_failed_try_with_the_error_class(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    agency = make_agency(db_session, "Invented Closed Office")
    url = receiver.url
    receiver.server.shutdown()
    receiver.server.server_close()  # nothing listens there any more
    await register(client, agency, url)
    uid = add_event(db_session, agency)
    assert dispatcher.deliver_due() == 1
    event = stored_event(db_session, uid)
    assert event.delivered_at is None and event.last_error == "ConnectError"
    page = await client.get("/v1/webhooks/deliveries", headers=agency.headers)
    [attempt] = page.json()["items"][0]["tries"]
    assert (attempt["outcome"], attempt["error"], attempt["status_code"]) == (
        "failed",
        "ConnectError",
        None,
    )
