"""Admin edits are conditional: reads carry a strong ETag from the version, PUT/DELETE need it
back in If-Match (missing: 428, stale: 412), and of two editors who read the same version exactly
one wins: the other's edit is refused, never silently overwritten."""

from __future__ import annotations

import copy

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models
from app.services.keys import create_key
from tests.reliability.conftest import Live, at_once

PROGRAM = "/v1/admin/programs/basic-pension"
PARAMETER = "/v1/admin/parameters/minimum_wage.hourly"
EDITORS = 4


def national_key(session: Session) -> dict[str, str]:
    key = create_key(
        session, partner="Invented Ministry", scopes=["catalog:write"], is_national=True
    )
    return {"X-API-Key": key.clear}


async def test_reads_of_editable_resources_carry_a_strong_etag_of_the_version(
    client: httpx.AsyncClient,
) -> None:
    for url, etag in [
        ("/v1/programs/basic-pension", '"basic-pension.v1"'),
        ("/v1/programs/basic-pension/versions", '"basic-pension.v1"'),
        ("/v1/parameters/minimum_wage.hourly", '"minimum_wage.hourly.v1"'),
        ("/v1/parameters/minimum_wage.hourly/versions", '"minimum_wage.hourly.v1"'),
    ]:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["etag"] == etag, url


async def test_edits_without_if_match_are_428_problems(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = national_key(db_session)
    program = (await client.get("/v1/programs/basic-pension/versions")).json()[-1]["spec"]
    parameter = (await client.get("/v1/parameters/minimum_wage.hourly/versions")).json()
    responses = [
        await client.put(PROGRAM, json={"spec": program, "change_reason": "x1"}, headers=headers),
        await client.delete(PROGRAM, params={"change_reason": "x2"}, headers=headers),
        await client.put(
            PARAMETER, json={"spec": parameter[-1]["spec"], "change_reason": "x3"}, headers=headers
        ),
    ]
    for response in responses:
        assert response.status_code == 428, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "urn:hanaro:problem:precondition-required"
    assert len((await client.get("/v1/programs/basic-pension/versions")).json()) == 1


async def test_edits_with_a_stale_etag_are_412_problems_with_the_current_etag(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = national_key(db_session)
    read = await client.get("/v1/programs/basic-pension")
    stale = headers | {"If-Match": read.headers["etag"]}
    spec = (await client.get("/v1/programs/basic-pension/versions")).json()[-1]["spec"]
    first = await client.put(PROGRAM, json={"spec": spec, "change_reason": "먼저"}, headers=stale)
    assert first.status_code == 200, first.text
    for response in [
        await client.put(PROGRAM, json={"spec": spec, "change_reason": "나중"}, headers=stale),
        await client.delete(PROGRAM, params={"change_reason": "나중"}, headers=stale),
    ]:
        assert response.status_code == 412, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "urn:hanaro:problem:precondition-failed"
        assert response.headers["etag"] == first.headers["etag"] == '"basic-pension.v2"'
    weak = headers | {"If-Match": f"W/{first.headers['etag']}"}
    response = await client.put(PROGRAM, json={"spec": spec, "change_reason": "약한"}, headers=weak)
    assert response.status_code == 412


async def test_parameter_put_creates_only_with_if_none_match_star(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = national_key(db_session)
    spec = (await client.get("/v1/parameters/minimum_wage.hourly/versions")).json()[-1]["spec"]
    exists = await client.put(
        PARAMETER,
        json={"spec": spec, "change_reason": "있음"},
        headers=headers | {"If-None-Match": "*"},
    )
    assert exists.status_code == 412
    not_a_precondition = await client.put(
        PARAMETER,
        json={"spec": spec, "change_reason": "덮어쓰기"},
        headers=headers | {"If-None-Match": '"minimum_wage.hourly.v0"'},
    )
    assert not_a_precondition.status_code == 428
    created_spec = copy.deepcopy(spec) | {"id": "minimum_wage.invented"}
    created = await client.put(
        "/v1/admin/parameters/minimum_wage.invented",
        json={"spec": created_spec, "change_reason": "새 기준값"},
        headers=headers | {"If-None-Match": "*"},
    )
    assert created.status_code == 200, created.text
    assert created.headers["etag"] == '"minimum_wage.invented.v1"'


def test_two_editors_of_one_version_one_wins_the_others_get_412(live: Live) -> None:
    read = live.client.get("/v1/programs/basic-pension")
    spec = live.client.get("/v1/programs/basic-pension/versions").json()[-1]["spec"]
    headers = live.headers | {"If-Match": read.headers["etag"]}

    def edit(n: int) -> httpx.Response:
        body = {"spec": spec | {"summary": {"ko": f"편집 {n}", "en": f"edit {n}"}},
                "change_reason": f"편집자 {n}"}  # fmt: skip
        return live.client.put(PROGRAM, json=body, headers=headers)

    responses = at_once([lambda n=n: edit(n) for n in range(EDITORS)])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (EDITORS - 1)
    [winner] = [r for r in responses if r.status_code == 200]
    with Session(live.engine) as session:
        rows = session.scalars(
            select(models.ProgramVersion)
            .where(models.ProgramVersion.program_id == "basic-pension")
            .order_by(models.ProgramVersion.version)
        ).all()
    assert [r.version for r in rows] == [1, 2]
    assert rows[-1].change_reason == winner.json()["change_reason"]
    assert live.client.get("/v1/programs/basic-pension").headers["etag"] == '"basic-pension.v2"'


def test_two_creators_of_one_new_parameter_one_wins_the_others_get_412(live: Live) -> None:
    spec = live.client.get("/v1/parameters/minimum_wage.hourly/versions").json()[-1]["spec"]
    body = {"spec": spec | {"id": "minimum_wage.invented"}, "change_reason": "새 기준값"}
    headers = live.headers | {"If-None-Match": "*"}
    url = "/v1/admin/parameters/minimum_wage.invented"

    def create() -> httpx.Response:
        return live.client.put(url, json=body, headers=headers)

    responses = at_once([create] * EDITORS)

    assert sorted(r.status_code for r in responses) == [200] + [412] * (EDITORS - 1)
    history = live.client.get("/v1/parameters/minimum_wage.invented/versions").json()
    assert [v["version"] for v in history] == [1]
