"""Saved plans: what changed since the last plan, replay from the stored inputs, and the
re-screening (on demand; automatic on a dated event or a catalog change) with follow-up tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crypto import data_cipher
from app.db.case_models import CaseFile, CasePlan
from app.schemas.profile import ProfileIn
from app.services.case_events import next_event_on
from app.services.case_plans import compare, rescreen_due
from tests.cases.conftest import Agency, open_case

# 내일이 65번째 생일 (golden persona 07): basic-pension ineligible today, eligible tomorrow
TURNING_65: dict[str, Any] = {
    "applicant": {
        "birth_date": "1961-03-03",
        "sex": "male",
        "nationality": "KR",
        "public_pension": False,
    },
    "household": {"size": 1, "region": "44"},
    "pension_unit": {"income_recognized_monthly": 900000},
}
BECOMES_ELIGIBLE = ["basic-pension"]  # 기초연금 2026 기준연금액 349,700원


async def _case_with_plan(client: httpx.AsyncClient, team: Agency) -> int:
    case = await open_case(client, team, profile=TURNING_65)
    saved = await client.post(
        f"/v1/cases/{case['id']}/plans",
        json={"as_of": "2026-03-02", "needs": ["income"]},
        headers=team.acting,
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["changes"] is None
    return int(case["id"])


def _snapshot(app: FastAPI) -> Any:
    return app.state.catalog.current.snapshot


async def test_a_later_plan_says_what_changed(client: httpx.AsyncClient, team: Agency) -> None:
    cid = await _case_with_plan(client, team)
    first = (await client.get(f"/v1/cases/{cid}/plans/1", headers=team.auth)).json()
    assert first["summary"]["basic-pension"]["status"] == "ineligible"
    second = await client.post(
        f"/v1/cases/{cid}/plans", json={"as_of": "2026-03-03"}, headers=team.acting
    )
    changes = second.json()["changes"]
    assert second.json()["number"] == 2
    assert changes["since_plan"] == 1
    assert sorted(changes["newly_eligible"]) == BECOMES_ELIGIBLE
    assert changes["no_longer_eligible"] == []
    assert {c["program_id"]: (c["before"], c["after"]) for c in changes["status_changed"]}[
        "basic-pension"
    ] == ("ineligible", "eligible")
    assert second.json()["summary"]["basic-pension"]["amount"] == {"low": 349700, "high": 349700}
    listed = (await client.get(f"/v1/cases/{cid}/plans", headers=team.auth)).json()["items"]
    assert [p["number"] for p in listed] == [1, 2]


async def test_a_saved_plan_replays_from_its_inputs(
    client: httpx.AsyncClient, team: Agency, app: FastAPI
) -> None:
    cid = await _case_with_plan(client, team)
    saved = (await client.get(f"/v1/cases/{cid}/plans/1", headers=team.auth)).json()
    replay = await client.get(
        f"/v1/cases/{cid}/plans/1/replay", headers={**team.auth, "Accept-Language": "en"}
    )
    assert replay.status_code == 200, replay.text
    plan = replay.json()
    assert (plan["as_of"], plan["catalog_version"]) == ("2026-03-02", saved["catalog_version"])
    assert replay.headers["content-language"] == "en"
    assert "basic-pension" not in [i["program_id"] for i in plan["eligible"]]
    missing = await client.get(f"/v1/cases/{cid}/plans/9/replay", headers=team.auth)
    assert missing.status_code == 404


async def test_rescreening_on_demand_keeps_the_needs_and_makes_tasks(
    client: httpx.AsyncClient, team: Agency
) -> None:
    cid = await _case_with_plan(client, team)
    response = await client.post(f"/v1/cases/{cid}/rescreen", headers=team.acting)
    assert response.status_code == 201
    assert response.json()["number"] == 2  # today is long past the 65th birthday
    assert response.json()["trigger"] == "manual"


async def test_a_dated_event_rescreens_the_case_and_opens_follow_up_tasks(
    client: httpx.AsyncClient, team: Agency, app: FastAPI, db_session: Session
) -> None:
    cid = await _case_with_plan(client, team)
    case = (await client.get(f"/v1/cases/{cid}", headers=team.auth)).json()
    assert case["next_event_on"] == "2026-03-03"
    cipher = data_cipher(app.state.settings)
    snapshot = _snapshot(app)
    assert rescreen_due(db_session, cipher, snapshot, date(2026, 3, 2)).replanned == []
    report = rescreen_due(db_session, cipher, snapshot, date(2026, 3, 3))
    assert (report.replanned, report.tasks_created) == ([cid], len(BECOMES_ELIGIBLE))
    assert rescreen_due(db_session, cipher, snapshot, date(2026, 3, 3)).replanned == []
    plan = (await client.get(f"/v1/cases/{cid}/plans/2", headers=team.auth)).json()
    assert (plan["trigger"], plan["created_by"], plan["as_of"]) == (
        "dated_event",
        "system",
        "2026-03-03",
    )
    tasks = (await client.get(f"/v1/cases/{cid}/tasks", headers=team.auth)).json()["items"]
    assert sorted((t["program_id"], t["kind"], t["due_on"]) for t in tasks) == [
        (p, "rescreen", "2026-03-10") for p in BECOMES_ELIGIBLE
    ]
    worklist = await client.get("/v1/cases", params={"due_before": "2026-03-11"}, headers=team.auth)
    assert cid in [c["id"] for c in worklist.json()["items"]]


async def test_a_catalog_change_rescreens_cases_planned_on_the_old_version(
    client: httpx.AsyncClient, team: Agency, app: FastAPI, db_session: Session
) -> None:
    cid = await _case_with_plan(client, team)
    untouched = await _case_with_plan(client, team)
    old = db_session.scalars(select(CasePlan).where(CasePlan.case_id == cid)).one()
    old.catalog_version = "0000000000000000"  # planned before the catalog changed
    db_session.commit()
    cipher, snapshot = data_cipher(app.state.settings), _snapshot(app)
    report = rescreen_due(db_session, cipher, snapshot, date(2026, 3, 2))
    assert report.replanned == [cid]
    assert untouched not in report.replanned
    plan = (await client.get(f"/v1/cases/{cid}/plans/2", headers=team.auth)).json()
    assert plan["trigger"] == "catalog"
    assert plan["changes"]["catalog_version_before"] == "0000000000000000"
    assert plan["catalog_version"] == snapshot.catalog_version


async def test_closed_and_purged_cases_are_not_rescreened(
    client: httpx.AsyncClient, team: Agency, app: FastAPI, db_session: Session
) -> None:
    closed = await _case_with_plan(client, team)
    withdrawn = await _case_with_plan(client, team)
    await client.post(f"/v1/cases/{closed}/close", json={"reason": "종결"}, headers=team.acting)
    await client.post(f"/v1/cases/{withdrawn}/consent/withdraw", headers=team.acting)
    cipher, snapshot = data_cipher(app.state.settings), _snapshot(app)
    assert rescreen_due(db_session, cipher, snapshot, date(2026, 3, 3)).replanned == []
    row = db_session.get(CaseFile, closed)
    assert row is not None and row.next_event_on is None


def test_compare_reports_status_and_amount_changes() -> None:
    before = {
        "a": {"status": "eligible", "amount": {"low": 100, "high": 100}},
        "b": {"status": "eligible", "amount": None},
        "c": {"status": "needs_info", "amount": None},
    }
    after = {
        "a": {"status": "eligible", "amount": {"low": 120, "high": 120}},
        "b": {"status": "ineligible", "amount": None},
        "c": {"status": "eligible", "amount": None},
        "d": {"status": "eligible", "amount": None},
    }
    changes = compare(3, "v1", before, after)
    assert changes["newly_eligible"] == ["c", "d"]
    assert changes["no_longer_eligible"] == ["b"]
    assert changes["status_changed"] == [
        {"program_id": "b", "before": "eligible", "after": "ineligible"},
        {"program_id": "c", "before": "needs_info", "after": "eligible"},
        {"program_id": "d", "before": "absent", "after": "eligible"},
    ]
    assert changes["amount_changed"] == [
        {"program_id": "a", "before": {"low": 100, "high": 100}, "after": {"low": 120, "high": 120}}
    ]


def test_dated_events_are_65th_birthdays_24_months_and_due_dates() -> None:
    # born 29 Feb 2024: 23 full months on 28 Feb 2026, 24 on 1 Mar (as the engine counts)
    leap = ProfileIn.model_validate(
        {"applicant": {"age": 30}, "members": [{"relation": "child", "birth_date": "2024-02-29"}]}
    )
    assert next_event_on(leap, date(2026, 2, 1)) == date(2026, 3, 1)
    assert next_event_on(leap, date(2026, 2, 1), [date(2026, 2, 10)]) == date(2026, 2, 10)
    profile = ProfileIn.model_validate(
        {
            "applicant": {"birth_date": "1961-08-01", "due_date": "2026-06-01"},
            "members": [{"relation": "child", "birth_date": "2025-01-15"}],
        }
    )
    assert next_event_on(profile, date(2026, 3, 2)) == date(2026, 6, 1)
    assert next_event_on(profile, date(2026, 6, 1)) == date(2026, 8, 1)
    assert next_event_on(profile, date(2026, 8, 1)) == date(2027, 1, 15)  # the child: 24 months
    assert next_event_on(profile, date(2027, 1, 15)) == date(2090, 1, 15)  # the child at 65
    assert next_event_on(None, date(2026, 3, 2)) is None
