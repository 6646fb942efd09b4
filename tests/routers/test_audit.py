"""Audit log: admin changes and keyed personal-data requests are recorded (never profile values);
``GET /v1/audit`` needs ``audit:read``, pages with a cursor and filters by action/actor/since."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models
from app.deps import audit_access
from app.hardening import HardenedRoute
from app.security import ANONYMOUS, Principal
from app.services.audit import AuditContext, record
from app.services.keys import create_key

AUDITOR = "Invented Audit Board"


def issue(session: Session, partner: str, scopes: str, national: bool = False) -> dict[str, str]:
    key = create_key(session, partner=partner, scopes=scopes.split(","), is_national=national)
    return {"X-API-Key": key.clear}


def entries(session: Session) -> list[models.AuditEntry]:
    with session.begin():
        return list(session.scalars(select(models.AuditEntry).order_by(models.AuditEntry.id)))


async def test_audit_needs_audit_read(client: httpx.AsyncClient, db_session: Session) -> None:
    assert (await client.get("/v1/audit")).status_code == 401
    writer = issue(db_session, AUDITOR, "catalog:write")
    assert (await client.get("/v1/audit", headers=writer)).status_code == 403
    reader = issue(db_session, AUDITOR, "audit:read")
    response = await client.get("/v1/audit", headers=reader)
    assert response.status_code == 200
    assert set(response.json()) == {"items", "next_cursor"}


async def test_admin_change_is_audited_with_actor_reason_and_request_id(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    writer = issue(db_session, "Invented Ministry", "catalog:write", national=True)
    prefix = writer["X-API-Key"].split("_")[1]
    read = await client.get("/v1/programs/basic-pension/versions")
    body = {"spec": read.json()[-1]["spec"], "change_reason": "감사 기록 확인"}
    writer |= {"If-Match": read.headers["etag"]}
    response = await client.put("/v1/admin/programs/basic-pension", json=body, headers=writer)
    assert response.status_code == 200
    reader = issue(db_session, AUDITOR, "audit:read")
    page = await client.get("/v1/audit", params={"action": "program.update"}, headers=reader)
    [entry] = page.json()["items"]
    assert entry["actor"] == f"key:{prefix}"
    assert entry["target"] == "program:basic-pension"
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["client_address"]
    assert entry["detail"]["change_reason"] == "감사 기록 확인"
    assert entry["detail"]["version"] == 2


async def test_pages_follow_the_cursor_and_filters_apply(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    someone = Principal(scopes=frozenset({"plans"}), partner_id=None, key_prefix="zzzzzzzz")
    ctx = AuditContext(someone, "203.0.113.9", "test-request-0001")
    with db_session.begin():
        for n in range(5):
            record(db_session, ctx, "test.action", f"thing:{n}")
    reader = issue(db_session, AUDITOR, "audit:read")
    params: dict[str, Any] = {"action": "test.action", "limit": 2}
    seen: list[str] = []
    while True:
        page = (await client.get("/v1/audit", params=params, headers=reader)).json()
        seen += [item["target"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [f"thing:{n}" for n in reversed(range(5))]
    by_actor = await client.get("/v1/audit", params={"actor": "key:zzzzzzzz"}, headers=reader)
    assert len(by_actor.json()["items"]) == 5
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    future = await client.get("/v1/audit", params={"since": later}, headers=reader)
    assert future.json()["items"] == []


async def test_keyed_personal_data_access_is_audited_without_profile_values(
    app: FastAPI, client: httpx.AsyncClient, db_session: Session
) -> None:
    router = APIRouter(route_class=HardenedRoute)

    @router.post("/test-plans", dependencies=[Depends(audit_access("plans.create"))])
    async def plan(body: dict[str, Any]) -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(router)
    # values no request id, key id or address could contain by chance (a bare "77" could: the
    # stored row holds random hex, which made this test fail about one run in ten)
    profile = {
        "applicant": {"age": 77, "name": "가나다 테스트"},
        "household": {"size": 3, "income_recognized_monthly": 9_876_543},
    }
    before = len(entries(db_session))
    assert (await client.post("/test-plans", json=profile)).status_code == 200
    assert len(entries(db_session)) == before  # anonymous: nobody to hold to account
    headers = issue(db_session, "Invented Kiosk Co", "plans")
    assert (await client.post("/test-plans", json=profile, headers=headers)).status_code == 200
    entry = entries(db_session)[-1]
    assert (entry.action, entry.target) == ("plans.create", "route:/test-plans")
    stored = json.dumps(
        [entry.actor, entry.target, entry.detail, entry.client_address], ensure_ascii=False
    )
    assert "9876543" not in stored and "가나다" not in stored and '"size"' not in stored
    assert '"age"' not in stored and "applicant" not in stored


def test_anonymous_principal_is_named_anonymous() -> None:
    assert ANONYMOUS.actor == "anonymous"
    assert ANONYMOUS.is_anonymous
