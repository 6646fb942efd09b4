"""Deliver one webhook for real and print what the agency's receiver got (README, Webhooks):

    PYTHONPATH=$PWD .venv/bin/python docs/examples/webhook_sample.py

A scratch SQLite database in a temporary folder, the app in process, an agency's key and
endpoint made through the API, one ``referral.accepted`` event put in the outbox as the referral
code does, and the dispatcher sending it to the test receiver on 127.0.0.1. The secret printed is
that throwaway endpoint's, so the sample can be checked by hand (tests/webhooks checks it too).
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import httpx
from sqlalchemy import select

from app.crypto import data_cipher
from app.db import models
from app.main import create_app
from app.migrate import upgrade
from app.services.keys import create_key
from app.settings import Settings
from app.webhooks.dispatcher import Dispatcher
from app.webhooks.outbox import enqueue
from tests.webhooks.receiver import Received, running_receiver

AGENCY = "Invented Care Agency"
PAYLOAD = {"referral_id": "ref_5c0f2a9e", "case_id": "case_7b1d44e0", "status": "accepted"}


async def deliver_one(tmp: Path, receiver_url: str) -> str:
    url = f"sqlite:///{tmp}/sample.db"
    upgrade(url)
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
            key = create_key(session, partner=AGENCY, scopes=["referrals:receive"])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as client:
            answer = await client.put(
                "/v1/webhooks/endpoint",
                json={"url": receiver_url},
                headers={"X-API-Key": key.clear},
            )
        secret: str = answer.json()["secret"]
        with sessions() as session, session.begin():
            partner = session.scalar(select(models.Partner.id).where(models.Partner.name == AGENCY))
            assert partner is not None
            enqueue(session, partner_id=partner, event_type="referral.accepted", payload=PAYLOAD)
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
