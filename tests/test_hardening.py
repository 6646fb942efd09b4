"""Request hardening: depth, NaN/Infinity, big numbers, NUL, lone surrogates, NFC, resident
numbers in body/query/path (never echoed or logged), CORS allow-list, every route hardened."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from app.hardening import HardenedRoute, parse_body
from app.main import create_app
from app.settings import Settings

FAKE_RRN = "900101-1234567"  # obviously invented: matches the shape only
FAKE_RRN_DIGITS = "9001011234567"


@pytest.fixture
def echo_app(app: FastAPI) -> FastAPI:
    router = APIRouter(route_class=HardenedRoute)

    @router.post("/test-echo")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    app.include_router(router)
    return app


async def post_raw(client: httpx.AsyncClient, raw: str | bytes, **headers: str) -> httpx.Response:
    content = raw.encode() if isinstance(raw, str) else raw
    return await client.post(
        "/test-echo", content=content, headers={"Content-Type": "application/json", **headers}
    )


@pytest.fixture
def service_log(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> Iterator[pytest.LogCaptureFixture]:
    """The service's own loggers (``hanaro.*`` do not propagate) at DEBUG, into caplog."""
    logger = logging.getLogger("hanaro")
    level = logger.level
    logger.addHandler(caplog.handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the service logged (messages and extra fields), not the test client's lines."""
    records = [r for r in caplog.records if r.name.startswith("hanaro")]
    assert records, "the service logged nothing: is the handler attached?"
    return "\n".join(str(r.__dict__) for r in records)


def assert_unsafe(response: httpx.Response, pointer: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["errors"][0]["pointer"] == pointer
    return body


async def test_depth_over_the_cap_is_refused(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    deep = '{"a":' * 40 + "1" + "}" * 40
    body = assert_unsafe(await post_raw(client, deep), "/a" * 32)
    assert body["type"] == "urn:hanaro:problem:unsafe-input"


async def test_pathological_depth_does_not_crash(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await post_raw(client, "[" * 50_000 + "]" * 50_000)
    assert response.status_code == 422


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
async def test_non_finite_numbers_are_refused(
    echo_app: FastAPI, client: httpx.AsyncClient, literal: str
) -> None:
    assert_unsafe(await post_raw(client, f'{{"income": {literal}}}'), "/income")


@pytest.mark.parametrize("number", ["1234567890123456", "1e16", "-2e300", "1e999"])
async def test_oversized_numbers_are_refused(
    echo_app: FastAPI, client: httpx.AsyncClient, number: str
) -> None:
    assert_unsafe(await post_raw(client, f'{{"list": [1, {number}]}}'), "/list/1")


async def test_fifteen_digit_numbers_pass(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await post_raw(client, '{"n": 999999999999999, "f": 0.5}')
    assert response.status_code == 200
    assert response.json() == {"n": 999999999999999, "f": 0.5}


async def test_nul_is_refused_in_values_and_keys(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    assert_unsafe(await post_raw(client, '{"name": "a\\u0000b"}'), "/name")
    assert_unsafe(await post_raw(client, '{"x": {"a\\u0000": 1}}'), "/x")


async def test_lone_surrogate_is_refused(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    assert_unsafe(await post_raw(client, '{"name": ["ok", "\\ud800"]}'), "/name/1")


async def test_paired_surrogates_are_fine(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await post_raw(client, '{"emoji": "\\ud83d\\ude00"}')
    assert response.status_code == 200
    assert response.json() == {"emoji": "😀"}


async def test_strings_are_normalized_to_nfc(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    decomposed = unicodedata.normalize("NFD", "한글 café")
    assert decomposed != "한글 café"
    response = await client.post("/test-echo", json={"name": decomposed, decomposed: 1})
    assert response.status_code == 200
    assert response.json() == {"name": "한글 café", "한글 café": 1}


async def test_unhardened_routes_still_get_nfc_bodies(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.post("/test-plain")
    async def plain(body: dict[str, Any]) -> dict[str, Any]:
        return body

    response = await client.post("/test-plain", json={"n": unicodedata.normalize("NFD", "한")})
    assert response.json() == {"n": "한"}


@pytest.mark.parametrize(
    "text", [FAKE_RRN, "900101 1234567", FAKE_RRN_DIGITS, f"주민번호는 {FAKE_RRN}입니다"]
)
async def test_resident_number_in_body_is_refused_without_echo(
    echo_app: FastAPI, client: httpx.AsyncClient, text: str, service_log: pytest.LogCaptureFixture
) -> None:
    response = await client.post("/test-echo", json={"applicant": {"note": text}})
    body = assert_unsafe(response, "/applicant/note")
    assert body["type"] == "urn:hanaro:problem:resident-number"
    assert body["title"] == "주민등록번호는 받지 않습니다"
    assert "1234567" not in response.text
    assert "1234567" not in server_log(service_log)


async def test_resident_number_as_integer_is_refused(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    assert_unsafe(await post_raw(client, f'{{"id": {FAKE_RRN_DIGITS}}}'), "/id")


async def test_resident_number_in_broken_json_is_refused(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await post_raw(client, f'{{"id": "{FAKE_RRN}"')
    assert response.status_code == 422
    assert response.json()["type"] == "urn:hanaro:problem:resident-number"


async def test_other_digit_runs_are_not_resident_numbers(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    for text in ("900101-9234567", "12900101-12345678", "010-1234-5678"):
        assert (await client.post("/test-echo", json={"t": text})).status_code == 200


async def test_resident_number_in_query_is_refused_and_not_logged(
    client: httpx.AsyncClient, service_log: pytest.LogCaptureFixture
) -> None:
    response = await client.get(
        "/v1/programs/basic-pension/versions",
        params={"q": FAKE_RRN},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"parameter": "q", "detail": body["errors"][0]["detail"]}]
    assert body["title"] == "Resident registration numbers are not accepted"
    assert "1234567" not in response.text
    assert "1234567" not in server_log(service_log)


async def test_resident_number_in_path_is_refused_and_redacted_in_logs(
    client: httpx.AsyncClient, service_log: pytest.LogCaptureFixture
) -> None:
    response = await client.get(f"/v1/programs/{FAKE_RRN}/versions")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "path"
    assert "1234567" not in server_log(service_log)
    assert any(getattr(r, "path", None) == "/[redacted]" for r in service_log.records)


def test_parse_body_walks_once_and_reports_changes() -> None:
    value, changed = parse_body(b'{"a": ["x", {"b": 1.5}]}', max_depth=8)
    assert value == {"a": ["x", {"b": 1.5}]}
    assert changed is False


def test_every_api_route_is_hardened(app: FastAPI) -> None:
    """Routers must use ``APIRouter(route_class=HardenedRoute)`` so bodies are parsed once."""
    plain = [
        r.path for r in app.routes if isinstance(r, APIRoute) and not isinstance(r, HardenedRoute)
    ]
    health = {"/health", "/ready"}
    assert set(plain) <= health, f"use route_class=HardenedRoute in the routers of {plain}"


async def test_cors_allows_only_listed_origins(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        environment="test",
        catalog_refresh_seconds=0,
        cors_allow_origins=["https://kiosk.example.go.kr"],
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as client:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = await client.options(
            "/v1/admin/rules/validate",
            headers={"Origin": "https://kiosk.example.go.kr", **preflight},
        )
        assert allowed.headers["access-control-allow-origin"] == "https://kiosk.example.go.kr"
        denied = await client.options(
            "/v1/admin/rules/validate", headers={"Origin": "https://evil.example", **preflight}
        )
        assert "access-control-allow-origin" not in denied.headers
