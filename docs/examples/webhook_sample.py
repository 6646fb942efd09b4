"""Deliver one webhook for real and print what the agency's receiver got (README, Webhooks):

    PYTHONPATH=$PWD .venv/bin/python docs/examples/webhook_sample.py

A scratch SQLite database in a temporary folder, the app in process, the README's two agencies
(a 맞춤형복지팀 and a 정신건강복지센터, with their staff), the center's endpoint registered through
the API, the team's case and its referral to the center made through the API (the
``referral.sent`` event is written to the outbox in the referral's own transaction), and the
dispatcher sending it to the test receiver on 127.0.0.1. The secret printed is
that throwaway endpoint's, so the sample can be checked by hand (tests/webhooks checks it too).
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crypto import data_cipher
from app.db import models
from app.db.session import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.services.agencies import add_staff
from app.services.catalog_admin import load_shipped_catalog
from app.services.keys import create_key
from app.settings import Settings
from app.webhooks.dispatcher import Dispatcher
from tests.webhooks.receiver import Received, running_receiver

TEAM, CENTER = "가상동 맞춤형복지팀", "가상구 정신건강복지센터"
CASE = {
    "citizen_ref": "GD-2026-0412",
    "consent": {
        "purposes": ["case_management", "referral", "follow_up"],
        "items": ["household_profile", "contact", "share_profile_with_referral_agencies"],
        "consented_on": "2026-12-05",
        "retention_until": "2029-12-04",
    },
    "profile": {
        "applicant": {
            "birth_date": "1961-12-06",
            "sex": "male",
            "nationality": "KR",
            "public_pension": False,
        },
        "household": {"size": 1, "region": "44"},
        "pension_unit": {"income_recognized_monthly": 900000},
    },
    "profile_as_of": "2026-12-05",
    "contact": {"phone": "010-0000-0000"},
}


async def deliver_one(tmp: Path, receiver_url: str) -> str:
    url = f"sqlite:///{tmp}/sample.db"
    upgrade(url)
    with Session(make_engine(url)) as session, session.begin():
        load_shipped_catalog(session, actor="sample")  # a referral reads the case's catalog
    settings = Settings(
        database_url=url,
        data_dir=tmp,
        environment="development",
        log_level="WARNING",
        catalog_refresh_seconds=0,
        webhook_poll_seconds=0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        sessions = app.state.sessionmaker
        with sessions() as session:
            team = create_key(session, partner=TEAM, scopes=["cases:read", "cases:write"])
            center = create_key(session, partner=CENTER, scopes=["referrals:receive"])
            add_staff(session, TEAM, "sw-017")
            add_staff(session, CENTER, "mh-003")
            center_id = session.scalar(
                select(models.Partner.id).where(models.Partner.name == CENTER)
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as client:
            answer = await client.put(
                "/v1/webhooks/endpoint",
                json={"url": receiver_url},
                headers={"X-API-Key": center.clear},
            )
            secret: str = answer.json()["secret"]
            as_team = {"X-API-Key": team.clear, "Hanaro-Staff": "sw-017"}
            case = await client.post("/v1/cases", json=CASE, headers=as_team)
            assert case.status_code == 201, case.text
            referral = await client.post(
                f"/v1/cases/{case.json()['id']}/referrals",
                json={"to_agency_id": center_id, "service": "우울 선별검사와 상담 연계",
                      "due_on": "2026-12-12", "note": "홀로 지내며 외출이 줄었다고 함"},
                headers=as_team,
            )  # fmt: skip
            assert referral.status_code == 201, referral.text
        dispatcher = Dispatcher(sessions, data_cipher(settings), settings)
        dispatcher.deliver_due()
        dispatcher.close()
    return secret


def show(secret: str, got: Received) -> str:
    lines = [f"# endpoint secret: {secret}", f"POST {got.path} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in got.headers.items()]
    return "\n".join([*lines, "", got.body.decode("utf-8")])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, running_receiver() as receiver:
        secret = asyncio.run(deliver_one(Path(tmp), receiver.url))
        print(show(secret, receiver.requests[0]))


if __name__ == "__main__":
    main()
