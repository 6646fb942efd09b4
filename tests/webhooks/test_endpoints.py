"""PUT/GET/DELETE /v1/webhooks/endpoint and rotate-secret: scope, the secret shown once and
stored encrypted, URL rules."""

from __future__ import annotations

import base64

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crypto import data_cipher
from app.db import models
from app.errors import InvalidRequest
from app.settings import Settings
from app.webhooks.endpoints import check_url
from tests.conftest import make_settings
from tests.webhooks.conftest import make_agency

URL = "https://referrals.example-agency.test/hooks"


async def test_registering_returns_a_whsec_secret_once(
    client: httpx.AsyncClient, db_session: Session, settings: Settings
) -> None:
    agency = make_agency(db_session, "Invented Care Center")
    body = {"url": URL, "event_types": ["referral.closed", "referral.sent"]}
    created = await client.put("/v1/webhooks/endpoint", json=body, headers=agency.headers)
    assert created.status_code == 201
    answer = created.json()
    secret = answer["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert answer["url"] == URL and answer["enabled"] is True
    assert answer["event_types"] == ["referral.sent", "referral.closed"]  # registry order

    shown = await client.get("/v1/webhooks/endpoint", headers=agency.headers)
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert shown.json()["url"] == URL

    changed = await client.put(
        "/v1/webhooks/endpoint", json={"url": URL + "/v2"}, headers=agency.headers
    )
    assert changed.status_code == 200
    assert changed.json()["secret"] is None  # a change keeps the secret and does not show it
    assert changed.json()["event_types"] is None

    with db_session.begin():
        stored = db_session.scalar(
            select(models.WebhookEndpoint).where(
                models.WebhookEndpoint.partner_id == agency.partner_id
            )
        )
        assert stored is not None
        assert secret not in stored.secret_encrypted
        assert data_cipher(settings).decrypt(stored.secret_encrypted) == secret


async def test_rotation_makes_a_new_secret_and_delete_disables(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    agency = make_agency(db_session, "Invented Youth Center")
    rotate = "/v1/webhooks/endpoint/rotate-secret"
    assert (await client.post(rotate, headers=agency.headers)).status_code == 404
    first = (
        await client.put("/v1/webhooks/endpoint", json={"url": URL}, headers=agency.headers)
    ).json()["secret"]
    rotated = await client.post(rotate, headers=agency.headers)
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != first

    assert (await client.delete("/v1/webhooks/endpoint", headers=agency.headers)).status_code == 204
    shown = await client.get("/v1/webhooks/endpoint", headers=agency.headers)
    assert shown.json()["enabled"] is False
    again = await client.put("/v1/webhooks/endpoint", json={"url": URL}, headers=agency.headers)
    assert again.status_code == 200
    assert again.json()["enabled"] is True
    assert again.json()["secret"] not in (None, first, rotated.json()["secret"])


async def test_endpoints_need_the_referrals_receive_scope(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    planner = make_agency(db_session, "Invented Planner", scopes="plans,cases:read")
    for method, path in [
        ("PUT", "/v1/webhooks/endpoint"),
        ("GET", "/v1/webhooks/endpoint"),
        ("DELETE", "/v1/webhooks/endpoint"),
        ("POST", "/v1/webhooks/endpoint/rotate-secret"),
        ("GET", "/v1/webhooks/deliveries"),
    ]:
        body = {"url": URL} if method == "PUT" else None
        anonymous = await client.request(method, path, json=body)
        assert anonymous.status_code == 401, path
        keyed = await client.request(method, path, json=body, headers=planner.headers)
        assert keyed.status_code == 403, path
        assert keyed.json()["type"] == "urn:hanaro:problem:scope-required"


async def test_one_agency_never_sees_anothers_endpoint(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    first = make_agency(db_session, "Invented Agency One")
    second = make_agency(db_session, "Invented Agency Two")
    await client.put("/v1/webhooks/endpoint", json={"url": URL}, headers=first.headers)
    assert (await client.get("/v1/webhooks/endpoint", headers=second.headers)).status_code == 404
    assert (await client.delete("/v1/webhooks/endpoint", headers=second.headers)).status_code == 404
    assert (await client.get("/v1/webhooks/endpoint", headers=first.headers)).json()["enabled"]


BAD_URLS = [
    ("http://referrals.example-agency.test/hooks", "https://"),
    ("https://user:pw@referrals.example-agency.test/hooks", "password"),
    ("ftp://referrals.example-agency.test/hooks", "https://"),
    ("/relative/hooks", "absolute"),
    ("https://referrals.example-agency.test:99999/hooks", "absolute"),
]


async def test_a_url_the_dispatcher_may_not_post_to_is_a_422(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    agency = make_agency(db_session, "Invented Agency Three")
    headers = agency.headers | {"Accept-Language": "en"}
    for url, message in BAD_URLS:
        refused = await client.put("/v1/webhooks/endpoint", json={"url": url}, headers=headers)
        assert refused.status_code == 422, url
        [error] = refused.json()["errors"]
        assert error["pointer"] == "/url"
        assert message in error["detail"], url
    assert (await client.get("/v1/webhooks/endpoint", headers=headers)).status_code == 404


def test_http_is_for_loopback_outside_production_only() -> None:
    development = make_settings("sqlite://", environment="development")
    assert check_url("http://127.0.0.1:8080/hooks", development) == "http://127.0.0.1:8080/hooks"
    assert check_url("http://[::1]:8080/h#frag", development) == "http://[::1]:8080/h"
    assert check_url("http://localhost/h", development) == "http://localhost/h"
    # localhost however written is localhost, here as for the private-address guard
    assert check_url("http://LocalHost./h", development) == "http://LocalHost./h"
    with pytest.raises(InvalidRequest):
        check_url("http://192.0.2.10/h", development)
    opened = make_settings("sqlite://", environment="development", webhook_allow_http=True)
    assert check_url("http://192.0.2.10/h", opened) == "http://192.0.2.10/h"
    production = make_settings(
        "sqlite://", environment="production", webhook_allow_http=True, data_keys=["x"]
    )
    with pytest.raises(InvalidRequest):
        check_url("http://127.0.0.1/h", production)
    assert check_url("https://192.0.2.10/h", opened) == "https://192.0.2.10/h"
    with pytest.raises(InvalidRequest):  # nor loopback over https: tests/webhooks/test_addresses
        check_url("https://127.0.0.1/h", production)
