"""Security headers on real responses: nosniff and no-referrer everywhere, no-store where a
citizen's facts travel (problems included), a strict CSP on the documentation pages, whose assets
the service serves itself (no CDN)."""

from __future__ import annotations

import re

import httpx
import pytest

PLAN = {"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"}
BAD_PLAN = {"profile": {"applicant": {"age": "70"}}}


def assert_baseline(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/health", None),
        ("GET", "/v1/programs", None),
        ("GET", "/v1/facts", None),
        ("GET", "/openapi.json", None),
        ("GET", "/no-such-page", None),
        ("POST", "/v1/plans", PLAN),
        ("POST", "/v1/plans", BAD_PLAN),
        ("DELETE", "/health", None),
    ],
)
async def test_every_response_has_nosniff_and_no_referrer(
    client: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    assert_baseline(await client.request(method, path, json=body))


async def test_body_cap_problem_has_the_headers_too(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/plans", content=b"{}", headers={"Content-Length": str(10**9)})
    assert response.status_code == 413
    assert_baseline(response)
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/plans", PLAN, 200),
        ("/v1/plans", BAD_PLAN, 422),
        ("/v1/plans", {"profile": {"applicant": {"note": "900101-1234567"}}}, 422),
        ("/v1/plans/validate", PLAN, 200),
        ("/v1/questions/next", PLAN, 200),
        ("/v1/questions/next", BAD_PLAN, 422),
        ("/v1/programs/basic-pension/eligibility", PLAN, 200),
        ("/v1/programs/basic-pension/eligibility", BAD_PLAN, 422),
    ],
)
async def test_citizen_facts_are_never_cached(
    client: httpx.AsyncClient, path: str, body: object, status: int
) -> None:
    response = await client.post(path, json=body)
    assert response.status_code == status, response.text[:300]
    assert response.headers["cache-control"] == "no-store"


async def test_catalog_reads_are_not_marked_no_store(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/programs")
    assert response.status_code == 200
    assert response.headers.get("cache-control") != "no-store"


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in policy.split(";") if d.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_have_a_strict_policy(client: httpx.AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert_baseline(response)
    policy = _directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no CDN
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    every_source = " ".join(" ".join(v) for v in policy.values())
    assert "unsafe-eval" not in every_source
    assert "http" not in every_source and "*" not in every_source


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_everything_from_the_service(
    client: httpx.AsyncClient, page: str
) -> None:
    html = (await client.get(page)).text
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts), "an inline script"
    links = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)
    assert links
    assert not [u for u in links if "//" in u or not u.startswith("/")], links
    for url in links:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
        assert_baseline(asset)
        if url.endswith(".js"):
            assert asset.headers["content-type"].startswith("text/javascript"), url
        if url.endswith(".css"):
            assert asset.headers["content-type"].startswith("text/css"), url


async def test_swagger_ui_is_the_real_bundle(client: httpx.AsyncClient) -> None:
    bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert b"SwaggerUIBundle" in bundle.content
    init = await client.get("/docs/assets/swagger-init.js")
    assert b"validatorUrl: null" in init.content


async def test_api_responses_forbid_framing_and_loading(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/programs")
    policy = _directives(response.headers["content-security-policy"])
    assert policy == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
