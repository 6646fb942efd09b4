"""``Idempotency-Key`` on opening a case and on referring it: a case worker's retry after a lost
answer gets the first case (or referral) back and makes no second one, and no second
``referral.sent`` reaches the other agency; the same key with another body is refused. The
stored key keeps no personal data: a keyed digest and the id made."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import IdempotencyRecord, OutboxEvent
from app.main import create_app
from app.settings import Settings
from tests.cases.conftest import PROFILE, Agency, consent
from tests.conftest import make_settings, serve_in

CASE: dict[str, Any] = {
    "citizen_ref": "TEST-RETRY-0042",
    "consent": consent(),
    "profile": PROFILE,
    "profile_as_of": "2026-03-02",
    "contact": {"phone": "010-0000-0042"},
}


async def test_a_retried_case_open_returns_the_first_case_and_opens_no_second(
    client: httpx.AsyncClient, team: Agency, db_session: Session
) -> None:
    headers = {**team.acting, "Idempotency-Key": "open-case-7f3a"}
    first = await client.post("/v1/cases", json=CASE, headers=headers)
    again = await client.post("/v1/cases", json=CASE, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    listed = await client.get("/v1/cases", headers=team.auth)
    assert [c["id"] for c in listed.json()["items"]] == [first.json()["id"]]

    with db_session.begin():
        [stored] = db_session.scalars(select(IdempotencyRecord)).all()
        kept = json.dumps([stored.request_hash, stored.response], ensure_ascii=False)
    assert stored.response == {"id": first.json()["id"]}
    for value in ("TEST-RETRY-0042", "010-0000-0042", "1961-05-10"):
        assert value not in kept
    plain = json.dumps(["case.create", CASE], sort_keys=True, ensure_ascii=False)
    assert stored.request_hash != hashlib.sha256(plain.encode()).hexdigest()  # keyed, not plain

    other = await client.post(
        "/v1/cases", json=CASE | {"citizen_ref": "TEST-RETRY-0043"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["parameter"] == "Idempotency-Key"


async def test_a_retried_referral_makes_one_referral_and_one_referral_sent(
    client: httpx.AsyncClient, team: Agency, center: Agency, db_session: Session
) -> None:
    case = await client.post("/v1/cases", json=CASE, headers=team.acting)
    case_id = case.json()["id"]
    body = {"to_agency_id": center.id, "service": "심리상담 연계", "due_on": "2026-03-20"}
    headers = {**team.acting, "Idempotency-Key": "refer-9c1d"}
    path = f"/v1/cases/{case_id}/referrals"
    first = await client.post(path, json=body, headers=headers)
    again = await client.post(path, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    listed = await client.get(path, headers=team.auth)
    assert [r["id"] for r in listed.json()["items"]] == [first.json()["id"]]
    with db_session.begin():
        sent = db_session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "referral.sent")
        ).all()
    assert [(e.partner_id, e.payload["referral_id"]) for e in sent] == [
        (center.id, first.json()["id"])
    ]
    changed = await client.post(path, json=body | {"service": "주거 지원"}, headers=headers)
    assert changed.status_code == 422
    unkeyed = await client.post(path, json=body, headers=team.acting)  # no key: a new referral
    assert unkeyed.status_code == 201 and unkeyed.json()["id"] != first.json()["id"]


async def test_a_retry_after_a_key_rotation_finds_the_first_case(
    client: httpx.AsyncClient,
    team: Agency,
    settings: Settings,
    session_factory: sessionmaker[Session],
) -> None:
    """A new data key is put first (HANARO_DATA_KEYS rotated) between a create and its retry:
    the retry is still recognised, under the key that was newest when the create was made, and
    answers the first case instead of refusing the key as reused."""
    headers = {**team.acting, "Idempotency-Key": "open-case-rotated"}
    first = await client.post("/v1/cases", json=CASE, headers=headers)
    assert first.status_code == 201, first.text
    older = [k.get_secret_value() for k in settings.data_keys]
    rotated = create_app(
        make_settings(settings.database_url, data_keys=[Fernet.generate_key().decode(), *older])
    )
    async with serve_in(rotated, session_factory) as after:
        again = await after.post("/v1/cases", json=CASE, headers=headers)
        other = await after.post(
            "/v1/cases", json=CASE | {"citizen_ref": "TEST-RETRY-0044"}, headers=headers
        )
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 422  # another body under the same key is still refused
