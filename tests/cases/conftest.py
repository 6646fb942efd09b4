"""Case-management fixtures: three invented agencies with keys and staff (a 맞춤형복지팀 that
opens cases, a 정신건강복지센터 that receives referrals, another team that must see nothing), keys
lacking a scope, and helpers to open a case and refer it over real HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from app.services.agencies import add_staff, set_agency
from app.services.keys import create_key
from app.settings import Settings
from tests.conftest import make_settings

TEAM, CENTER, OTHER = "Invented Dong Welfare Team", "Invented Mental Health Center", "Other Team"


@dataclass
class Agency:
    id: int
    name: str
    key: str
    staff: str
    limited: dict[str, str] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    @property
    def acting(self) -> dict[str, str]:
        """Key and staff header: what a write sends."""
        return {**self.auth, "Hanaro-Staff": self.staff}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, data_keys=[Fernet.generate_key().decode()])


def _agency(
    session: Session, name: str, scopes: str, kind: str, agency_type: str, lacking: str
) -> Agency:
    key = create_key(session, partner=name, scopes=scopes.split(","))
    set_agency(session, name, kind=kind, agency_type=agency_type)
    staff = f"sw-{len(name):03d}"
    add_staff(session, name, staff)
    limited = create_key(session, partner=name, scopes=lacking.split(","))
    agency = set_agency(session, name, kind=kind, agency_type=agency_type)
    return Agency(
        agency.id,
        name,
        key.clear,
        staff,
        {"Authorization": f"Bearer {limited.clear}", "Hanaro-Staff": staff},
    )


@pytest.fixture
def team(db_session: Session) -> Agency:
    """Opens cases; its limited key may only receive referrals."""
    return _agency(
        db_session, TEAM, "cases:read,cases:write", "public", "customized_welfare_team",
        "referrals:receive",
    )  # fmt: skip


@pytest.fixture
def center(db_session: Session) -> Agency:
    """Receives referrals; its limited key may only read cases."""
    return _agency(
        db_session, CENTER, "referrals:receive", "public", "mental_health_center", "cases:read"
    )


@pytest.fixture
def other(db_session: Session) -> Agency:
    """Another agency with every case scope: must see none of the others' cases or referrals."""
    return _agency(
        db_session, OTHER, "cases:read,cases:write,referrals:receive", "private",
        "community_welfare_center", "plans",
    )  # fmt: skip


PROFILE: dict[str, Any] = {
    "applicant": {"birth_date": "1961-05-10"},
    "household": {"size": 1},
}


def consent(**overrides: Any) -> dict[str, Any]:
    body = {
        "purposes": ["case_management", "referral"],
        "items": ["household_profile", "contact"],
        "consented_on": "2026-03-02",
        "retention_until": "2029-03-01",
    }
    return body | overrides


async def open_case(client: httpx.AsyncClient, agency: Agency, **overrides: Any) -> dict[str, Any]:
    body = {
        "citizen_ref": "TEST-CASE-0001",
        "consent": consent(),
        "profile": PROFILE,
        "profile_as_of": "2026-03-02",
        "contact": {"phone": "010-0000-0000"},
    } | overrides
    response = await client.post("/v1/cases", json=body, headers=agency.acting)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def refer(
    client: httpx.AsyncClient, agency: Agency, case_id: int, to: Agency, **overrides: Any
) -> dict[str, Any]:
    body = {"to_agency_id": to.id, "service": "심리상담 연계", "due_on": "2026-03-20"} | overrides
    response = await client.post(f"/v1/cases/{case_id}/referrals", json=body, headers=agency.acting)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def move(
    client: httpx.AsyncClient, agency: Agency, referral_id: int, status: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/referrals/{referral_id}/status",
        json={"status": status, **extra},
        headers=agency.acting,
    )
