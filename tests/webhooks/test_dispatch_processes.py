"""The dispatcher as it runs for real, on a database whose commits are real (a scratch database
of the test backend): the workers' thread started by the app's lifespan, ``hanaro webhooks
deliver --once``, and two dispatchers side by side claiming each event once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.cli import main
from app.crypto import data_cipher
from app.db.session import make_engine, make_sessionmaker
from app.main import create_app
from app.migrate import upgrade
from app.webhooks.dispatcher import Dispatcher
from tests.conftest import make_settings
from tests.webhooks.conftest import DATA_KEY, HOOK_SETTINGS, add_event, make_agency
from tests.webhooks.receiver import Receiver, signature_is_valid

REPO_ROOT = Path(__file__).resolve().parents[2]
QUICK = HOOK_SETTINGS | {
    "webhook_poll_seconds": 0.05,
    "webhook_retry_base_seconds": 0.05,
    "webhook_retry_max_seconds": 0.1,
}


async def _settled(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> Any:
    """The deliveries page once ``count`` events are delivered (bounded wait)."""
    for _ in range(200):
        page = (await client.get("/v1/webhooks/deliveries", headers=headers)).json()
        if sum(item["status"] == "delivered" for item in page["items"]) >= count:
            return page
        await asyncio.sleep(0.05)
    raise AssertionError(f"not delivered: {page}")


async def test_the_workers_thread_and_the_cli_deliver_committed_events(
    scratch_url: str, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    upgrade(scratch_url)
    app = create_app(make_settings(scratch_url, **QUICK))
    async with app.router.lifespan_context(app):
        sessions: sessionmaker[Session] = app.state.sessionmaker
        with sessions() as session:
            agency = make_agency(session, "Invented Live Agency")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as client:
            put = await client.put(
                "/v1/webhooks/endpoint", json={"url": receiver.url}, headers=agency.headers
            )
            secret = put.json()["secret"]
            receiver.answer_with(503)  # the thread retries after a (tiny) backoff
            with sessions() as session:
                uid = add_event(session, agency)
            page = await _settled(client, agency.headers, 1)
    [item] = page["items"]
    assert [(t["attempt"], t["outcome"]) for t in item["tries"]] == [
        (1, "failed"),
        (2, "delivered"),
    ]
    assert [r.webhook_id for r in receiver.requests] == [uid, uid]
    assert all(signature_is_valid(secret, r.headers, r.body) for r in receiver.requests)

    engine = make_engine(scratch_url)
    with Session(engine) as session:
        later = add_event(session, agency, "referral.closed")
    engine.dispose()
    monkeypatch.setenv("HANARO_DATABASE_URL", scratch_url)
    monkeypatch.setenv("HANARO_DATA_KEYS", json.dumps([DATA_KEY]))
    assert main(["webhooks", "deliver", "--once"]) == 0
    assert capsys.readouterr().out.strip() == "1 tries"
    assert receiver.requests[-1].webhook_id == later
    assert signature_is_valid(secret, receiver.requests[-1].headers, receiver.requests[-1].body)

    # without --once: the same loop as the workers', until SIGTERM
    with Session(make_engine(scratch_url)) as session:
        last = add_event(session, agency, "referral.completed")
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "app.cli", "webhooks", "deliver"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    try:
        assert receiver.wait_for(4, timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert receiver.requests[-1].webhook_id == last


async def test_two_dispatchers_side_by_side_send_each_event_once(
    scratch_url: str, receiver: Receiver
) -> None:
    upgrade(scratch_url)
    settings = make_settings(scratch_url, **QUICK)
    engine = make_engine(scratch_url)
    sessions = make_sessionmaker(engine)
    app = create_app(settings)
    with sessions() as session:
        agency = make_agency(session, "Invented Busy Agency")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as client:
            await client.put(
                "/v1/webhooks/endpoint", json={"url": receiver.url}, headers=agency.headers
            )
    with sessions() as session:
        made = {add_event(session, agency) for _ in range(30)}
    dispatchers = [Dispatcher(sessions, data_cipher(settings), settings) for _ in range(2)]
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda d=d: counts.append(d.deliver_due())) for d in dispatchers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for dispatcher in dispatchers:
        dispatcher.close()
    engine.dispose()
    assert sorted(r.webhook_id for r in receiver.requests) == sorted(made)  # each once
    assert sum(counts) == 30
