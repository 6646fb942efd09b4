"""Every error is RFC 9457 problem+json in the request's language, with no stack or values."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import exc as sa_exc


async def test_unknown_path_is_problem_json_in_korean_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["title"] == "찾을 수 없습니다"
    assert body["status"] == 404
    assert body["instance"].startswith("urn:hanaro:request:")


async def test_accept_language_english_gives_english_titles(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-thing", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.json()["title"] == "Not Found"
    assert response.headers["content-language"] == "en"


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/health")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        # Two routes share this path (update, retire): Allow must list both.
        ("POST", "/v1/admin/programs/invented-program", "DELETE, PUT"),
        ("PATCH", "/v1/admin/programs/invented-program", "DELETE, PUT"),
        ("GET", "/v1/plans", "POST"),
        ("DELETE", "/v1/programs/basic-pension", "GET"),
        ("PUT", "/health", "GET"),
        ("POST", "/openapi.json", "GET, HEAD"),
    ],
)
async def test_405_allow_lists_every_method_of_the_path(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    """(No path of this API has both GET and POST; the admin program path has PUT and DELETE.)"""
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.json()["type"] == "about:blank"


async def test_oversized_body_is_413_before_parsing(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/health", content=b"x" * (300 * 1024), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["type"] == "urn:hanaro:problem:payload-too-large"


async def test_request_id_is_echoed_when_safe(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "kiosk-0001-abcdef"})
    assert response.headers["x-request-id"] == "kiosk-0001-abcdef"
    hostile = await client.get("/health", headers={"X-Request-ID": "<script>"})
    assert hostile.headers["x-request-id"] != "<script>"


async def test_unexpected_exception_is_500_with_request_id_only(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail SELECT * FROM citizens")

    response = await client.get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    text = response.text
    assert "secret" not in text and "SELECT" not in text and "Traceback" not in text
    body = response.json()
    assert body["title"] == "Internal server error"
    assert body["instance"].endswith(response.headers["x-request-id"])


@pytest.mark.parametrize(
    "error",
    [
        sa_exc.OperationalError("SELECT 1", {}, Exception("connection refused")),
        sa_exc.InterfaceError("SELECT 1", {}, Exception("connection closed")),
        sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"),
    ],
    ids=["operational", "interface", "pool-timeout"],
)
async def test_a_database_that_does_not_answer_is_503_with_retry_after_never_500(
    app: FastAPI, client: httpx.AsyncClient, error: Exception
) -> None:
    @app.get("/needs-the-database")
    def needs_the_database() -> None:
        raise error

    response = await client.get("/needs-the-database", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "2"
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:database-unavailable"
    assert "QueuePool" not in response.text and "refused" not in response.text
