"""파기: consent withdrawal purges at once; cases past retention are purged by the job (and the
CLI); what stays is a tombstone; each purge is audited; the receiving agency is told."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.case_jobs import JobReport, run_once
from app.cli import main
from app.crypto import data_cipher
from app.db.case_models import CaseFile, CasePlan, CaseTask, ReferralEvent
from app.db.models import AuditEntry, OutboxEvent
from app.db.session import make_engine
from app.migrate import upgrade
from app.schemas.cases import CaseCreate
from app.services.agencies import add_staff
from app.services.audit import AuditContext
from app.services.case_purge import purge_expired
from app.services.cases import Caller, create_case
from app.services.keys import authenticate, create_key
from tests.cases.conftest import Agency, consent, move, open_case, refer
from tests.conftest import make_settings


async def _busy_case(
    client: httpx.AsyncClient, team: Agency, center: Agency, **overrides: object
) -> tuple[int, int]:
    case = await open_case(client, team, **overrides)
    cid = case["id"]
    await client.post(f"/v1/cases/{cid}/plans", json={"as_of": "2026-03-02"}, headers=team.acting)
    await client.post(
        f"/v1/cases/{cid}/tasks",
        json={"title": "방문", "due_on": "2026-03-09"},
        headers=team.acting,
    )
    referral = await refer(client, team, cid, center, note="어르신 혼자 계심")
    await move(client, center, referral["id"], "accepted", note="다음 주 방문")
    return cid, referral["id"]


def _count(session: Session, model: type, case_id: int) -> int:
    return int(session.scalar(select(func.count()).where(model.case_id == case_id)) or 0)  # type: ignore[attr-defined]


async def test_withdrawing_consent_purges_at_once_and_leaves_a_tombstone(
    client: httpx.AsyncClient, team: Agency, center: Agency, db_session: Session
) -> None:
    cid, rid = await _busy_case(client, team, center)
    response = await client.post(f"/v1/cases/{cid}/consent/withdraw", headers=team.acting)
    assert response.status_code == 200, response.text
    tomb = response.json()
    assert (tomb["status"], tomb["purge_reason"]) == ("purged", "consent_withdrawn")
    assert (tomb["profile"], tomb["contact"], tomb["citizen_ref"]) == (None, None, None)
    assert tomb["consent"]["withdrawn_by"] == team.staff
    row = db_session.get(CaseFile, cid)
    assert row is not None and row.profile_token is None and row.contact_token is None
    assert (_count(db_session, CasePlan, cid), _count(db_session, CaseTask, cid)) == (0, 0)
    notes = db_session.scalars(
        select(ReferralEvent.note).where(ReferralEvent.referral_id == rid)
    ).all()
    assert set(notes) == {None}
    seen = (await client.get(f"/v1/referrals/{rid}", headers=center.auth)).json()
    assert seen["status"] == "closed"
    closed = db_session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == "referral.closed")
    ).all()
    assert [(e.partner_id, e.payload["referral_id"]) for e in closed] == [(center.id, rid)]
    audit = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "case.consent_withdraw")
    ).all()
    assert [(a.target, a.detail["plans"], a.detail["tasks"]) for a in audit] == [
        (f"case:{cid}", 1, 1)
    ]
    again = await client.post(f"/v1/cases/{cid}/consent/withdraw", headers=team.acting)
    assert again.status_code == 409
    plan = await client.post(f"/v1/cases/{cid}/plans", json={}, headers=team.acting)
    assert plan.status_code == 409


async def test_a_closed_case_can_still_be_withdrawn(
    client: httpx.AsyncClient, team: Agency
) -> None:
    case = await open_case(client, team)
    await client.post(f"/v1/cases/{case['id']}/close", json={"reason": "종결"}, headers=team.acting)
    response = await client.post(f"/v1/cases/{case['id']}/consent/withdraw", headers=team.acting)
    assert response.json()["status"] == "purged"


async def test_cases_past_retention_are_purged_and_audited(
    client: httpx.AsyncClient, team: Agency, center: Agency, db_session: Session
) -> None:
    short = consent(retention_until="2026-06-30")
    old, _ = await _busy_case(client, team, center, consent=short)
    young, _ = await _busy_case(client, team, center)
    assert purge_expired(db_session, date(2026, 6, 30)) == []  # the last day is still kept
    assert purge_expired(db_session, date(2026, 7, 1)) == [old]
    assert purge_expired(db_session, date(2026, 7, 1)) == []  # once
    old_row, young_row = db_session.get(CaseFile, old), db_session.get(CaseFile, young)
    assert old_row is not None and young_row is not None
    assert (old_row.status, old_row.purge_reason, old_row.profile_token) == (
        "purged",
        "retention",
        None,
    )
    assert young_row.status == "open" and young_row.profile_token is not None
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "case.purge")).all()
    assert [(a.actor, a.target, a.detail["reason"]) for a in audit] == [
        ("system:cases", f"case:{old}", "retention")
    ]
    tomb = await client.get(f"/v1/cases/{old}", headers=team.auth)
    assert (tomb.status_code, tomb.json()["consent"]["retention_until"]) == (200, "2026-06-30")


async def test_the_scheduled_job_purges_then_rescreens(
    client: httpx.AsyncClient, team: Agency, app: FastAPI, db_session: Session
) -> None:
    old = await open_case(client, team, consent=consent(retention_until="2026-06-30"))
    cipher = data_cipher(app.state.settings)
    assert run_once(db_session, cipher, None, date(2026, 7, 1)) == JobReport(1, 0, 0)
    assert (await client.get(f"/v1/cases/{old['id']}", headers=team.auth)).json()[
        "status"
    ] == "purged"


def test_the_purge_command_purges_committed_cases(
    scratch_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    settings = make_settings(scratch_url, data_keys=[Fernet.generate_key().decode()])
    try:
        with Session(engine) as session:
            key = create_key(session, partner="Invented CLI Team", scopes=["cases:write"])
            add_staff(session, "Invented CLI Team", "sw-001")
            principal = authenticate(session, key.clear)
            caller = Caller(AuditContext(principal, None, None), "sw-001")
            body = CaseCreate.model_validate(
                {"citizen_ref": "TEST-CLI-0001", "consent": consent(retention_until="2026-06-30")}
            )
            case, _replayed = create_case(session, caller, data_cipher(settings), body)
        monkeypatch.setenv("HANARO_DATABASE_URL", scratch_url)
        assert main(["cases", "purge", "--today", "2026-07-01"]) == 0
        assert (
            f"purged 1 case(s) past their retention period: [{case.id}]" in capsys.readouterr().out
        )
        with Session(engine) as session:
            row = session.get(CaseFile, case.id)
            assert row is not None and row.status == "purged"
    finally:
        engine.dispose()
