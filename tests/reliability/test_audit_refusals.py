"""Refused admin and audit requests are audited: 401/403/404 as ``<area>.denied``, and a 409/422
on an admin write as ``admin.rejected`` (never as ``program.create``), without profile values,
request bodies or key secrets."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models
from app.services.keys import create_key

MINISTRY = "Invented Ministry of Refusals"
CITY = "Invented City of Refusals"
SECRET_PART = "notARealSecretButLongEnough0123456789abcdef"


def issue(session: Session, partner: str, scopes: str, national: bool = False) -> dict[str, str]:
    key = create_key(session, partner=partner, scopes=scopes.split(","), is_national=national)
    return {"X-API-Key": key.clear}


def entries_since(session: Session, first_id: int) -> list[models.AuditEntry]:
    with session.begin():
        query = select(models.AuditEntry).where(models.AuditEntry.id > first_id)
        return list(session.scalars(query.order_by(models.AuditEntry.id)))


def last_id(session: Session) -> int:
    with session.begin():
        found = session.scalar(select(models.AuditEntry.id).order_by(models.AuditEntry.id.desc()))
        return found or 0


def stored(entry: models.AuditEntry) -> str:
    return json.dumps(
        [entry.actor, entry.target, entry.detail, entry.action], ensure_ascii=False, default=str
    )


async def test_anonymous_admin_write_is_audited_as_denied(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    start = last_id(db_session)
    body = {"spec": {"id": "x"}, "change_reason": "가나다 테스트 값 7777"}
    response = await client.put("/v1/admin/programs/basic-pension", json=body)
    assert response.status_code == 401
    [entry] = entries_since(db_session, start)
    assert (entry.action, entry.actor) == ("admin.denied", "anonymous")
    assert entry.target == "path:/v1/admin/programs/basic-pension"
    assert entry.detail == {"method": "PUT", "status": 401}
    assert entry.request_id == response.headers["x-request-id"]
    assert "7777" not in stored(entry) and "가나다" not in stored(entry)


async def test_forged_key_on_audit_is_denied_with_its_prefix_never_its_secret(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    start = last_id(db_session)
    forged = {"Authorization": f"Bearer hnr_abcdefgh_{SECRET_PART}"}
    assert (await client.get("/v1/audit", headers=forged)).status_code == 401
    [entry] = entries_since(db_session, start)
    assert entry.action == "audit.denied"
    assert entry.detail["claimed_key"] == "abcdefgh"
    assert SECRET_PART not in stored(entry)


async def test_wrong_scope_and_foreign_program_are_audited_as_denied(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    reader = issue(db_session, CITY, "catalog:read")
    regional = issue(db_session, CITY, "catalog:write")
    start = last_id(db_session)
    assert (await client.get("/v1/audit", headers=regional)).status_code == 403
    retire = "/v1/admin/programs/basic-pension"
    assert (
        await client.delete(retire, params={"change_reason": "거절 기록 확인"}, headers=reader)
    ).status_code == 403
    # A national program is not the city's: 404, as if it did not exist.
    assert (
        await client.delete(retire, params={"change_reason": "거절 기록 확인"}, headers=regional)
    ).status_code == 404
    found = entries_since(db_session, start)
    assert [(e.action, e.detail["status"]) for e in found] == [
        ("audit.denied", 403),
        ("admin.denied", 403),
        ("admin.denied", 404),
    ]
    prefixes = {headers["X-API-Key"].split("_")[1] for headers in (reader, regional)}
    assert {e.actor for e in found} == {f"key:{p}" for p in prefixes}


async def test_invalid_admin_write_is_audited_as_rejected_not_created(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    writer = issue(db_session, MINISTRY, "catalog:write", national=True)
    start = last_id(db_session)
    body = {"spec": {"id": "invented-refused", "name": {"ko": "가나다 7777"}}, "change_reason": "x"}
    response = await client.post("/v1/admin/programs", json=body, headers=writer)
    assert response.status_code == 422
    [entry] = entries_since(db_session, start)
    assert entry.action == "admin.rejected"
    assert entry.detail == {"method": "POST", "status": 422}
    assert "7777" not in stored(entry) and "가나다" not in stored(entry)


async def test_successful_reads_and_unknown_paths_are_not_refusals(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    reader = issue(db_session, MINISTRY, "audit:read")
    start = last_id(db_session)
    assert (await client.get("/v1/audit", headers=reader)).status_code == 200
    assert (await client.get("/v1/admin/no-such-endpoint")).status_code == 404
    assert entries_since(db_session, start) == []
