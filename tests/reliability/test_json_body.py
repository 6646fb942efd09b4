"""Duplicate keys and the UTF-8 BOM in JSON request bodies (app/hardening.py).

Duplicate keys: Python's parser keeps the last of two equal keys, so a resident number in the
first one, or a fact the citizen corrected, would slip past the checks or be silently replaced.
Every object with a repeated key (also one that only repeats after NFC normalization) is a 422
`unsafe-input` problem pointing at the repeated key.

BOM: one leading UTF-8 BOM is accepted and stripped before anything else reads the body (RFC 8259
says a parser MAY ignore it; Windows tools add it). The body must otherwise be UTF-8: a UTF-16 or
UTF-32 body, which Python's parser would silently decode, or a second BOM, is a 422.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

from app.hardening import HardenedRoute

FAKE_RRN = "900101-1234567"  # obviously invented: matches the shape only
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def echo_app(app: FastAPI) -> FastAPI:
    hardened = APIRouter(route_class=HardenedRoute)

    @hardened.post("/test-echo")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    @app.post("/test-raw")
    async def raw(request: Request) -> dict[str, Any]:
        body = await request.body()
        return {"starts": body[:3].hex(), "length": len(body)}

    app.include_router(hardened)
    return app


async def post(client: httpx.AsyncClient, raw: bytes, path: str = "/test-echo") -> httpx.Response:
    return await client.post(path, content=raw, headers={"Content-Type": "application/json"})


def assert_refused(response: httpx.Response, pointer: str, type_: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:hanaro:problem:{type_}"
    assert body["errors"][0]["pointer"] == pointer
    return body


async def test_duplicate_key_is_refused_at_its_pointer(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    raw = b'{"profile": {"applicant": {"age": 30, "age": 70}}}'
    body = assert_refused(await post(client, raw), "/profile/applicant/age", "unsafe-input")
    assert "70" not in body["detail"] and "30" not in body["detail"]


async def test_duplicate_key_at_the_top_and_in_arrays_is_refused(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    assert_refused(await post(client, b'{"a": 1, "a": 1}'), "/a", "unsafe-input")
    assert_refused(await post(client, b'{"m": [{}, {"x": 1, "x": 2}]}'), "/m/1/x", "unsafe-input")


async def test_resident_number_in_the_first_duplicate_does_not_slip_through(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    raw = f'{{"note": "{FAKE_RRN}", "note": "hello"}}'.encode()
    response = await post(client, raw)
    assert response.status_code == 422
    assert FAKE_RRN not in response.text
    assert response.json()["type"] in {
        "urn:hanaro:problem:resident-number",
        "urn:hanaro:problem:unsafe-input",
    }


async def test_keys_equal_after_nfc_are_duplicates(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    nfc, nfd = "\uac00", unicodedata.normalize("NFD", "\uac00")  # 가 composed and decomposed
    assert nfc != nfd
    raw = f'{{"{nfc}": 1, "{nfd}": 2}}'.encode()
    assert_refused(await post(client, raw), f"/{nfc}", "unsafe-input")


async def test_duplicate_in_a_real_plan_request_is_refused_in_english(
    client: httpx.AsyncClient,
) -> None:
    raw = b'{"profile": {"household": {"single_parent": true, "single_parent": false}}}'
    response = await client.post(
        "/v1/plans",
        content=raw,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )
    body = assert_refused(response, "/profile/household/single_parent", "unsafe-input")
    assert response.headers["content-language"] == "en"
    assert "more than once" in body["errors"][0]["detail"]


async def test_distinct_keys_still_pass(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await post(client, b'{"a": {"x": 1}, "b": {"x": 2}}')
    assert response.status_code == 200, response.text[:500]
    assert response.json() == {"a": {"x": 1}, "b": {"x": 2}}


async def test_leading_bom_is_accepted(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await post(client, BOM + b'{"a": "\xea\xb0\x80"}')
    assert response.status_code == 200, response.text[:500]
    assert response.json() == {"a": "\uac00"}


async def test_leading_bom_is_stripped_before_the_app_reads_the_body(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await post(client, BOM + b'{"a": 1}', path="/test-raw")
    assert response.status_code == 200, response.text[:500]
    assert response.json() == {"starts": b'{"a'.hex(), "length": 8}


async def test_bom_plan_request_plans_like_the_plain_one(client: httpx.AsyncClient) -> None:
    raw = b'{"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"}'
    headers = {"Content-Type": "application/json"}
    plain = await client.post("/v1/plans", content=raw, headers=headers)
    with_bom = await client.post("/v1/plans", content=BOM + raw, headers=headers)
    assert plain.status_code == with_bom.status_code == 200, with_bom.text[:500]
    assert with_bom.json()["counts"] == plain.json()["counts"]


async def test_resident_number_behind_a_bom_is_refused(
    echo_app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await post(client, BOM + f'{{"note": "{FAKE_RRN}"}}'.encode())
    assert_refused(response, "/note", "resident-number")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
async def test_json_not_in_utf8_is_refused(
    echo_app: FastAPI, client: httpx.AsyncClient, encoding: str
) -> None:
    assert_refused(await post(client, '{"a": 1}'.encode(encoding)), "", "unsafe-input")


async def test_second_bom_is_refused(echo_app: FastAPI, client: httpx.AsyncClient) -> None:
    assert_refused(await post(client, BOM + BOM + b'{"a": 1}'), "", "unsafe-input")
