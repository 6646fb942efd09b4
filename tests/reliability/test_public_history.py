"""The public version history (``GET /v1/programs/{id}/versions``, ``GET
/v1/parameters/{id}/versions``) names no partner: no key prefix, no partner name. Who wrote a
version is in the audit log, readable with ``audit:read`` only."""

from __future__ import annotations

import copy
import json

import httpx
from sqlalchemy.orm import Session

from app.services.keys import create_key

MINISTRY = "Invented Ministry of Tests"


def writer(session: Session) -> tuple[dict[str, str], str]:
    key = create_key(session, partner=MINISTRY, scopes=["catalog:write"], is_national=True)
    return {"X-API-Key": key.clear}, key.prefix


async def test_program_history_shows_no_partner_identity(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers, prefix = writer(db_session)
    read = await client.get("/v1/programs/basic-pension/versions")
    body = {"spec": read.json()[-1]["spec"], "change_reason": "공개 이력 확인"}
    headers |= {"If-Match": read.headers["etag"]}
    written = await client.put("/v1/admin/programs/basic-pension", json=body, headers=headers)
    assert written.status_code == 200, written.text
    assert written.json()["created_by"] == f"key:{prefix} {MINISTRY}"  # the writer sees it

    public = await client.get("/v1/programs/basic-pension/versions")
    assert public.status_code == 200
    text = json.dumps(public.json(), ensure_ascii=False)
    assert public.json()[-1]["change_reason"] == "공개 이력 확인"
    assert prefix not in text and MINISTRY not in text and "key:" not in text
    assert all("created_by" not in version for version in public.json())


async def test_parameter_history_shows_no_partner_identity(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers, prefix = writer(db_session)
    url = "/v1/parameters/minimum_wage.hourly/versions"
    read = await client.get(url)
    spec = copy.deepcopy(read.json()[-1]["spec"])
    body = {"spec": spec, "change_reason": "공개 이력 확인"}
    written = await client.put(
        "/v1/admin/parameters/minimum_wage.hourly",
        json=body,
        headers=headers | {"If-Match": read.headers["etag"]},
    )
    assert written.status_code == 200, written.text

    public = await client.get(url)
    text = json.dumps(public.json(), ensure_ascii=False)
    assert prefix not in text and MINISTRY not in text and "key:" not in text
    assert all("created_by" not in version for version in public.json())
