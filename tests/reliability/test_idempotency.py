"""``Idempotency-Key`` on POST /v1/admin/programs: a retry replays the first answer and creates
nothing; the key with another body is a 422 problem; keys expire and are purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.db import models
from app.services.keys import create_key
from tests.reliability.conftest import Live, at_once
from tests.routers.test_admin import city_program, lose_the_database_after_the_commit

URL = "/v1/admin/programs"
RETRIES = 4


def writer(session: Session, partner: str = "Invented City Office") -> dict[str, str]:
    key = create_key(session, partner=partner, scopes=["catalog:write"])
    return {"X-API-Key": key.clear}


def versions(session: Session, program_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(models.ProgramVersion)
            .where(models.ProgramVersion.program_id == program_id)
        )
        or 0
    )


async def test_same_key_and_body_replays_the_first_answer_and_creates_once(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = writer(db_session) | {"Idempotency-Key": "invented-retry-1"}
    body = {"spec": city_program(db_session), "change_reason": "새 지역 사업"}

    first = await client.post(URL, json=body, headers=headers)
    again = await client.post(URL, json=body, headers=headers)

    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert versions(db_session, "invented-city-rent") == 1


async def test_same_key_with_another_body_is_a_422_problem(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = writer(db_session) | {"Idempotency-Key": "invented-retry-2"}
    body = {"spec": city_program(db_session), "change_reason": "새 지역 사업"}
    assert (await client.post(URL, json=body, headers=headers)).status_code == 201

    other = {"spec": city_program(db_session, "invented-city-other"), "change_reason": "다른"}
    response = await client.post(URL, json=other, headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:hanaro:problem:idempotency-key-reused"
    assert problem["errors"][0]["parameter"] == "Idempotency-Key"
    assert versions(db_session, "invented-city-other") == 0


async def test_keys_belong_to_their_caller(client: httpx.AsyncClient, db_session: Session) -> None:
    mine = writer(db_session) | {"Idempotency-Key": "invented-shared-key"}
    theirs = writer(db_session, "Other Invented Town") | {"Idempotency-Key": "invented-shared-key"}
    body = {"spec": city_program(db_session), "change_reason": "새 지역 사업"}
    other = {"spec": city_program(db_session, "invented-town-rent"), "change_reason": "우리 것"}
    assert (await client.post(URL, json=body, headers=mine)).status_code == 201
    response = await client.post(URL, json=other, headers=theirs)
    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers


async def test_keys_expire_after_the_ttl_and_are_purged(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = writer(db_session)
    body = {"spec": city_program(db_session), "change_reason": "새 지역 사업"}
    before = datetime.now(UTC)
    await client.post(URL, json=body, headers=headers | {"Idempotency-Key": "invented-old"})
    [row] = db_session.scalars(
        select(models.IdempotencyRecord).where(models.IdempotencyRecord.key == "invented-old")
    ).all()
    expires_at = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC)
    assert before + timedelta(hours=24) <= expires_at <= datetime.now(UTC) + timedelta(hours=24)
    db_session.execute(  # a day later
        update(models.IdempotencyRecord)
        .where(models.IdempotencyRecord.key == "invented-old")
        .values(expires_at=before - timedelta(seconds=1))
    )
    db_session.commit()

    other = {"spec": city_program(db_session, "invented-city-later"), "change_reason": "나중"}
    response = await client.post(URL, json=other, headers=headers | {"Idempotency-Key": "new"})

    assert response.status_code == 201
    keys = db_session.scalars(select(models.IdempotencyRecord.key)).all()
    assert keys == ["new"]


async def test_a_create_committed_before_the_database_failed_is_201_and_replays(
    app: FastAPI,
    client: httpx.AsyncClient,
    db_session: Session,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database went away between the commit and the snapshot rebuild (seen with the
    database stopped under traffic): the create stands, so it is answered 201, not a 503 that
    would make the writer retry a change already made (and get 409 without a key)."""
    headers = writer(db_session) | {"Idempotency-Key": "invented-commit-then-outage"}
    body = {"spec": city_program(db_session), "change_reason": "새 지역 사업"}
    back = lose_the_database_after_the_commit(app, session_factory, monkeypatch)

    created = await client.post(URL, json=body, headers=headers)

    assert created.status_code == 201, created.text
    assert created.json()["program_id"] == "invented-city-rent"
    assert created.json()["version"] == 1
    assert created.json()["catalog_version"] is None
    back()
    assert versions(db_session, "invented-city-rent") == 1
    again = await client.post(URL, json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == created.json()
    assert versions(db_session, "invented-city-rent") == 1


def test_concurrent_retries_with_one_key_create_once_and_all_get_the_answer(live: Live) -> None:
    headers = live.headers | {"Idempotency-Key": "invented-concurrent-retry"}
    body = {"spec": live.spec("invented-retried"), "change_reason": "동시 재시도"}

    responses = at_once([lambda: live.client.post(URL, json=body, headers=headers)] * RETRIES)

    assert [r.status_code for r in responses] == [201] * RETRIES
    assert len({r.json()["spec_hash"] for r in responses}) == 1
    assert sum("idempotent-replayed" not in r.headers for r in responses) == 1
    with Session(live.engine) as session:
        assert versions(session, "invented-retried") == 1
