"""Admin catalog API: scopes, ownership (404 for others' programs), versions, retire, dry run."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from app.db import models
from app.services.keys import create_key, revoke_key

NATIONAL = "Ministry of Invented Affairs"
CITY = "Invented City Office"
OTHER_CITY = "Other Invented Town"


def issue(session: Session, partner: str, scopes: str, national: bool = False) -> dict[str, str]:
    key = create_key(session, partner=partner, scopes=scopes.split(","), is_national=national)
    return {"Authorization": f"Bearer {key.clear}"}


def current_spec(session: Session, program_id: str) -> dict[str, Any]:
    row = session.scalar(
        select(models.ProgramVersion)
        .join(models.Program, models.Program.id == models.ProgramVersion.program_id)
        .where(
            models.Program.id == program_id,
            models.ProgramVersion.version == models.Program.current_version,
        )
    )
    assert row is not None
    return copy.deepcopy(row.spec)


def city_program(session: Session, program_id: str = "invented-city-rent") -> dict[str, Any]:
    spec = current_spec(session, "basic-pension")
    spec.update(id=program_id, regions=["11"], excludes=[], prerequisites=[])
    spec["eligibility"] = {"all": [{"fact": "applicant.age", "op": "ge", "value": 19}]}
    spec["benefit"] = {"kind": "service", "description": {"ko": "지원", "en": "Support"}}
    return spec


async def if_match(client: httpx.AsyncClient, url: str) -> dict[str, str]:
    """``If-Match`` with the ETag of a fresh read of ``url``."""
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return {"If-Match": response.headers["etag"]}


def catalog_version(app: FastAPI) -> str:
    loaded = app.state.catalog.current
    assert loaded is not None
    return str(loaded.snapshot.catalog_version)


async def test_anonymous_admin_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.put(
        "/v1/admin/programs/basic-pension", json={"spec": {}, "change_reason": "none"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:hanaro:problem:authentication-required"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_catalog_read_key_cannot_write(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, NATIONAL, "catalog:read", national=True)
    body = {"spec": current_spec(db_session, "basic-pension"), "change_reason": "try"}
    response = await client.put("/v1/admin/programs/basic-pension", json=body, headers=headers)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:hanaro:problem:scope-required"


async def test_revoked_and_unknown_keys_are_401(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    revoke_key(db_session, headers["Authorization"].split("_")[1])
    response = await client.get("/v1/programs/basic-pension/versions", headers=headers)
    assert response.status_code == 401
    forged = {"X-API-Key": "hnr_abcdefgh_not-a-real-secret"}
    assert (
        await client.get("/v1/programs/basic-pension/versions", headers=forged)
    ).status_code == 401


async def test_update_creates_version_two_and_swaps_snapshot(
    app: FastAPI, client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    before = catalog_version(app)
    spec = current_spec(db_session, "basic-pension")
    spec["summary"] = {"ko": "바뀐 요약", "en": "Changed summary"}
    body = {"spec": spec, "change_reason": "요약 문구 수정"}
    headers |= await if_match(client, "/v1/programs/basic-pension")
    response = await client.put("/v1/admin/programs/basic-pension", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["version"] == 2
    assert result["change_reason"] == "요약 문구 수정"
    assert result["created_by"].startswith("key:")
    assert result["catalog_version"] == catalog_version(app) != before
    assert response.headers["etag"] == '"basic-pension.v2"'
    history = (await client.get("/v1/programs/basic-pension/versions")).json()
    assert [v["version"] for v in history] == [1, 2]
    assert history[1]["spec"]["summary"]["en"] == "Changed summary"


def lose_the_database_after_the_commit(
    app: FastAPI, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> Callable[[], None]:
    """From the snapshot rebuild that follows a change's commit on, every ORM statement of
    ``sessions`` fails as if the database had gone away; call the result to bring it back."""
    gone = False

    def refresh(_session: Session) -> None:
        nonlocal gone
        gone = True
        raise OperationalError("SELECT revision", {}, ConnectionError("server closed"))

    def refuse(state: ORMExecuteState) -> None:
        if gone:
            raise OperationalError("SELECT", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(app.state.catalog, "refresh", refresh)
    event.listen(sessions, "do_orm_execute", refuse)

    def back() -> None:
        monkeypatch.undo()
        event.remove(sessions, "do_orm_execute", refuse)

    return back


async def test_an_update_committed_before_the_database_failed_is_answered_as_made(
    app: FastAPI,
    client: httpx.AsyncClient,
    db_session: Session,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Version 2 was committed, then the database went away before this worker rebuilt its
    snapshot: 200 with ``catalog_version: null`` (a 503 would have the writer retry, and get
    412), built without asking the database again."""
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    spec = current_spec(db_session, "basic-pension")
    spec["summary"] = {"ko": "바뀐 요약", "en": "Changed summary"}
    headers |= await if_match(client, "/v1/programs/basic-pension")
    back = lose_the_database_after_the_commit(app, session_factory, monkeypatch)

    response = await client.put(
        "/v1/admin/programs/basic-pension",
        json={"spec": spec, "change_reason": "요약 문구 수정"},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.json()["change_reason"] == "요약 문구 수정"
    assert response.json()["catalog_version"] is None
    assert response.headers["etag"] == '"basic-pension.v2"'
    back()
    history = (await client.get("/v1/programs/basic-pension/versions")).json()
    assert [v["version"] for v in history] == [1, 2]


async def test_old_snapshot_is_untouched_by_an_update(
    app: FastAPI, client: httpx.AsyncClient, db_session: Session
) -> None:
    """A request holding the old snapshot keeps one consistent catalog (the swap is atomic)."""
    held = app.state.catalog.current.snapshot
    held_version, held_program = held.catalog_version, held.programs["basic-pension"]
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    spec = current_spec(db_session, "basic-pension")
    spec["eligibility"] = {"all": [{"fact": "applicant.age", "op": "ge", "value": 70}]}
    body = {"spec": spec, "change_reason": "age limit raised for a test"}
    headers |= await if_match(client, "/v1/programs/basic-pension")
    response = await client.put("/v1/admin/programs/basic-pension", json=body, headers=headers)
    assert response.status_code == 200
    assert held.catalog_version == held_version
    assert held.programs["basic-pension"] is held_program
    fresh = app.state.catalog.current.snapshot
    assert fresh is not held
    assert fresh.programs["basic-pension"].spec.eligibility != held_program.spec.eligibility


async def test_partner_owns_its_program_and_others_get_404(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    mine = issue(db_session, CITY, "catalog:write")
    other = issue(db_session, OTHER_CITY, "catalog:write")
    national = issue(db_session, NATIONAL, "catalog:write", national=True)
    spec = city_program(db_session)
    created = await client.post(
        "/v1/admin/programs",
        json={"spec": spec, "change_reason": "new local program"},
        headers=mine,
    )
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 1
    body = {"spec": spec, "change_reason": "an edit"}
    for headers in (other, national):
        response = await client.put(
            "/v1/admin/programs/invented-city-rent", json=body, headers=headers
        )
        assert response.status_code == 404
        assert response.json()["type"] == "urn:hanaro:problem:program-not-found"
    mine |= {"If-Match": created.headers["etag"]}
    response = await client.put("/v1/admin/programs/invented-city-rent", json=body, headers=mine)
    assert response.status_code == 200
    assert response.json()["version"] == 2


async def test_regional_partner_cannot_edit_national_programs(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    body = {"spec": current_spec(db_session, "basic-pension"), "change_reason": "not mine"}
    response = await client.put("/v1/admin/programs/basic-pension", json=body, headers=headers)
    assert response.status_code == 404
    spec = city_program(db_session, "invented-nationwide")
    spec["regions"] = ["KR"]
    response = await client.post(
        "/v1/admin/programs", json={"spec": spec, "change_reason": "nationwide"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["pointer"] == "/spec/regions"


async def test_invalid_rule_is_422_with_located_errors(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    spec = city_program(db_session)
    spec["eligibility"] = {
        "all": [
            {"fact": "applicant.age", "op": "ge", "value": 19},
            {"fact": "applicant.no_such_fact", "op": "eq", "value": 1},
        ]
    }
    response = await client.post(
        "/v1/admin/programs", json={"spec": spec, "change_reason": "broken"}, headers=headers
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:invalid-rule"
    error = body["errors"][0]
    assert error["location"].endswith("eligibility.all[1].fact")
    assert error["pointer"] == "/spec/eligibility/all/1/fact"


async def test_schema_errors_in_a_spec_are_422_problems(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    spec = city_program(db_session)
    spec["eligibility"] = {"all": [{"fact": "applicant.age", "op": "ge"}]}
    response = await client.post(
        "/v1/admin/programs", json={"spec": spec, "change_reason": "broken"}, headers=headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_existing_id_is_409(client: httpx.AsyncClient, db_session: Session) -> None:
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    spec = current_spec(db_session, "basic-pension")
    response = await client.post(
        "/v1/admin/programs", json={"spec": spec, "change_reason": "dup"}, headers=headers
    )
    assert response.status_code == 409


async def test_retire_appends_a_version_and_drops_the_program(
    app: FastAPI, client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    url = "/v1/admin/programs/basic-pension"
    headers |= await if_match(client, "/v1/programs/basic-pension")
    response = await client.delete(url, params={"change_reason": "폐지"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["retires"] is True
    assert "basic-pension" not in app.state.catalog.current.snapshot.programs
    headers |= {"If-Match": response.headers["etag"]}
    again = await client.delete(url, params={"change_reason": "폐지"}, headers=headers)
    assert again.status_code == 409
    history = (await client.get("/v1/programs/basic-pension/versions")).json()
    assert [v["retires"] for v in history] == [False, True]


async def test_parameter_update_is_national_only_and_versioned(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    before = (await client.get("/v1/parameters/minimum_wage.hourly/versions")).json()
    spec = copy.deepcopy(before[-1]["spec"])
    body = {"spec": spec, "change_reason": "재확인"}
    url = "/v1/admin/parameters/minimum_wage.hourly"
    regional = issue(db_session, CITY, "catalog:write")
    assert (await client.put(url, json=body, headers=regional)).status_code == 403
    national = issue(db_session, NATIONAL, "catalog:write", national=True)
    national |= await if_match(client, "/v1/parameters/minimum_wage.hourly")
    response = await client.put(url, json=body, headers=national)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == before[-1]["version"] + 1


async def test_unknown_history_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/programs/no-such-program/versions")).status_code == 404
    assert (await client.get("/v1/parameters/no.such/versions")).status_code == 404


async def test_rule_dry_run_evaluates_samples_without_writing(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    revision = db_session.scalar(select(models.CatalogState.revision))
    body = {
        "rule": {"all": [{"fact": "applicant.age", "op": "ge", "value": 65}]},
        "as_of": "2026-03-01",
        "samples": [
            {"name": "older", "profile": {"applicant": {"age": 66}}},
            {"name": "younger", "profile": {"applicant": {"age": 30}}},
            {"name": "unknown", "profile": {}},
        ],
    }
    response = await client.post(
        "/v1/admin/rules/validate", json=body, headers={**headers, "Accept-Language": "en"}
    )
    assert response.status_code == 200, response.text
    results = {r["name"]: r for r in response.json()["results"]}
    assert results["older"]["truth"] == "true"
    assert results["younger"]["truth"] == "false"
    assert results["unknown"]["truth"] == "unknown"
    assert results["unknown"]["missing"] == ["applicant.age"]
    assert results["older"]["trace"][0]["sentence"]
    assert db_session.scalar(select(models.CatalogState.revision)) == revision


async def test_rule_dry_run_reports_located_compile_errors(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    body = {"rule": {"any": [{"fact": "applicant.age", "op": "ge", "value": "old"}]}}
    response = await client.post("/v1/admin/rules/validate", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"].startswith("/rule/any/0")


def _nesting(node: Any) -> int:
    """How many rule or amount nodes deep ``node`` goes (a comparison or a number: 1)."""
    if isinstance(node, list):
        return max(map(_nesting, node), default=0)
    if not isinstance(node, dict):
        return 1 if isinstance(node, int | float) else 0
    inner = [_nesting(v) for k, v in node.items() if k not in ("fact", "op", "value", "param")]
    return 1 + max(inner, default=0)


async def test_the_catalogs_most_deeply_nested_rules_and_amounts_go_through_the_api(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    """tests/test_schemathesis.py generates rules two levels deep (the schema it uses is unrolled
    that far); the server takes what the catalog really holds, as deep as it is."""
    headers = issue(db_session, NATIONAL, "catalog:read,catalog:write", national=True)
    for program_id, part in (
        ("national-employment-support-1", "eligibility"),
        ("disability-pension", "benefit"),
    ):
        spec = current_spec(db_session, program_id)
        assert _nesting(spec[part]) >= 6, program_id
        url = f"/v1/admin/programs/{program_id}"
        precondition = await if_match(client, f"/v1/programs/{program_id}")
        body = {"spec": spec, "change_reason": "같은 내용 다시 저장"}
        response = await client.put(url, json=body, headers=headers | precondition)
        assert response.status_code == 200, response.text
        assert response.json()["spec"][part] == spec[part]
