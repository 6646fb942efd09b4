"""The ``locale`` query parameter of catalog reads is one of the supported tags (422 otherwise,
never a 500 from an unsendable header), and picks the response language over Accept-Language."""

from __future__ import annotations

import httpx


async def test_an_unsupported_locale_parameter_is_a_422_naming_the_supported_ones(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/v1/programs/basic-pension",
        params={"locale": "\x96pk2"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"] == [
        {"parameter": "locale", "detail": "Unsupported locale; expected ko, en, vi, or zh-Hans"}
    ]


async def test_the_locale_parameter_wins_over_accept_language(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/v1/programs/basic-pension", params={"locale": "vi"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert response.headers["content-language"] == "vi"
    assert response.json()["name"] == "Lương hưu cơ bản (기초연금)"
