"""The README's webhook verification snippet verifies the README's sample request and a fresh
real delivery, and refuses a changed body or a stale timestamp."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.webhooks.dispatcher import Dispatcher
from tests.webhooks.conftest import FakeClock, add_event, make_agency
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import register

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
Verify = Callable[..., bool]


def _snippet() -> Verify:
    [code] = re.findall(r"```python\n(# verify a Hanaro webhook.*?)```", README, re.S)
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    verify: Verify = namespace["verify"]
    return verify


def _sample() -> tuple[str, dict[str, str], bytes]:
    [block] = re.findall(r"```http\n(.*?)\n```", README, re.S)
    head, body = block.split("\n\n", 1)
    first, _, *fields = head.splitlines()
    secret = first.removeprefix("# endpoint secret: ")
    headers = dict(field.split(": ", 1) for field in fields)
    return secret, headers, body.encode("utf-8")


def test_the_snippet_verifies_the_readme_sample_and_refuses_changes() -> None:
    verify = _snippet()
    secret, headers, body = _sample()
    sent_at = int(headers["webhook-timestamp"])
    assert int(headers["content-length"]) == len(body)
    assert verify(secret, headers, body, now=sent_at + 10)
    tampered = body.replace(b'"to_agency_id":', b'"to_agency_id":9')  # sent to someone else
    assert tampered != body
    assert not verify(secret, headers, tampered, now=sent_at)
    assert not verify(secret, headers, body, now=sent_at + 3600)  # too old: a replayed request
    other = "whsec_" + "A" * 43 + "="
    assert not verify(other, headers, body, now=sent_at)


async def test_the_snippet_verifies_a_fresh_delivery(
    client: httpx.AsyncClient,
    db_session: Session,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: FakeClock,
) -> None:
    agency = make_agency(db_session, "Invented Verifying Agency")
    secret = await register(client, agency, receiver.url)
    add_event(db_session, agency, "referral.completed")
    dispatcher.deliver_due()
    [got] = receiver.requests
    assert _snippet()(secret, got.headers, got.body, now=clock.now.timestamp())
