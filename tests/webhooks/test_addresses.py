"""In production, webhooks go to public addresses only, or into the networks the operator names:
never to the service's own loopback, the cloud metadata address or another private host
(server-side request forgery); outside production, local receivers keep working."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from app.crypto import data_cipher
from app.errors import InvalidRequest
from app.webhooks.dispatcher import Claim, Dispatcher
from app.webhooks.endpoints import check_url
from tests.conftest import make_settings

KEY = Fernet.generate_key().decode()


def production(**overrides: Any) -> Any:
    return make_settings("sqlite://", environment="production", data_keys=[KEY], **overrides)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",  # the service itself
        "https://localhost:8443/hooks",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",  # loopback written as IPv6
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://10.0.0.7/hooks",
        "https://192.168.1.20/hooks",
        "https://172.16.0.1/hooks",
        "https://100.64.0.1/hooks",  # carrier-grade NAT
        "https://0.0.0.0/hooks",
        "https://[fd00::1]/hooks",
    ],
)
def test_production_refuses_to_register_a_private_or_loopback_address(url: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_url(url, production())
    [error] = refused.value.errors
    assert error["pointer"] == "/url"
    said = {locale: error["detail"].in_(locale) for locale in ("ko", "en", "vi", "zh-Hans")}
    assert "공용 인터넷" in said["ko"] and "public internet" in said["en"], said
    assert "Internet công cộng" in said["vi"] and "公共互联网" in said["zh-Hans"], said


def test_a_public_address_or_a_named_private_network_is_accepted_in_production() -> None:
    assert check_url("https://8.8.8.8/hooks", production()) == "https://8.8.8.8/hooks"
    assert check_url("https://hooks.example.org/h", production()) == "https://hooks.example.org/h"
    intranet = production(webhook_private_networks=["10.20.0.0/16"])
    assert check_url("https://10.20.3.4/hooks", intranet) == "https://10.20.3.4/hooks"
    with pytest.raises(InvalidRequest):
        check_url("https://10.21.0.1/hooks", intranet)  # next door is still refused
    with pytest.raises(InvalidRequest):
        check_url("https://127.0.0.1/hooks", intranet)


def test_outside_production_loopback_and_private_receivers_are_accepted() -> None:
    development = make_settings("sqlite://", environment="development")
    assert check_url("https://10.0.0.7/hooks", development) == "https://10.0.0.7/hooks"
    assert check_url("http://127.0.0.1:9000/h", development) == "http://127.0.0.1:9000/h"


def test_a_network_that_is_not_cidr_is_a_configuration_error() -> None:
    with pytest.raises(ValidationError, match="CIDR"):
        production(webhook_private_networks=["intranet"])


def claim(url: str, secret: str) -> Claim:
    return Claim(1, "msg_test", "referral.sent", datetime.now(UTC), {}, 1, "token", 1, url, secret)


def test_a_name_resolving_to_a_private_address_is_not_sent_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The name passed registration (it is not an address); before the delivery it resolves
    to the metadata address, so nothing is sent and the try fails as BlockedAddress."""
    resolved: list[str] = []

    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        resolved.append(host)
        address = "169.254.169.254" if host == "hooks.agency.example" else "93.184.216.34"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    settings = production()
    secret = data_cipher(settings).encrypt("whsec_" + "A" * 43)
    client = httpx.Client(transport=httpx.MockTransport(answer))
    dispatcher = Dispatcher(lambda: None, data_cipher(settings), settings, client=client)  # type: ignore[arg-type, return-value]
    blocked = dispatcher.send(claim("https://hooks.agency.example/h", secret))
    assert (blocked.status_code, blocked.error, blocked.is_delivered) == (
        None,
        "BlockedAddress",
        False,
    )
    assert sent == [] and resolved == ["hooks.agency.example"]

    public = dispatcher.send(claim("https://public.agency.example/h", secret))
    assert public.status_code == 204 and len(sent) == 1
