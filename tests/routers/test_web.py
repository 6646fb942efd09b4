"""The kiosk and portal pages over HTTP (no browser): strict pages, no caching, forms that become
plans, a QR code whose URL carries the request only in its fragment, nothing logged."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.main import create_app
from app.schemas.plans import PlanRequest
from app.text.locales import supported
from app.web.share import decode_fragment, encode_fragment, qr_svg, shared_request
from tests.conftest import make_settings

PAGES = ["/kiosk", "/", "/plan"]
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _policy(response: httpx.Response) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in response.headers["content-security-policy"].split(";"))
    return {name: values for name, *values in parts if name}


@pytest.mark.parametrize("path", PAGES)
async def test_pages_are_strict_uncached_and_load_only_their_own_assets(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert _policy(response)["script-src"] == ["'self'"]
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assets = re.findall(r'(?:src|href)="(/web/static/[^"]+)"', response.text)
    assert assets
    for asset in assets:
        assert (await client.get(asset)).status_code == 200, asset
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', response.text)


async def test_the_pages_are_not_in_the_api_document(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not {"/", "/kiosk", "/plan", "/web/plan"} & set(paths)


async def test_the_kiosk_offers_every_locale_and_carries_their_words(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/kiosk")).text
    assert re.findall(r'data-locale="([^"]+)"', html) == list(supported())
    block = re.search(r'<script type="application/json" id="kiosk-strings">(.*?)</script>', html)
    assert block
    strings = json.loads(block.group(1))
    assert list(strings) == list(supported())
    assert strings["ko"]["words"]["unknown"] == "모름"
    assert strings["en"]["words"]["unknown"] == "Don't know"
    assert [b["min"] for b in strings["ko"]["bands"]["monthly"]][:3] == [0, 0, 500_000]


async def test_the_page_language_follows_lang_then_accept_language(
    client: httpx.AsyncClient,
) -> None:
    assert '<html lang="ko">' in (await client.get("/")).text
    assert '<html lang="en">' in (await client.get("/?lang=en")).text
    vietnamese = await client.get("/kiosk", headers={"Accept-Language": "vi-VN,vi;q=0.9"})
    assert '<html lang="vi">' in vietnamese.text
    assert '<html lang="ko">' in (await client.get("/?lang=xx")).text


async def test_the_portal_form_becomes_the_full_plan(client: httpx.AsyncClient) -> None:
    fields = {
        "lang": "en",
        "applicant.age": "72",
        "household.region": "11",
        "household.income_recognized_monthly": "900,000",
        "members.0.relation": "spouse",
        "members.0.age": "70",
    }
    response = await client.post("/", content=urlencode(fields), headers=FORM)
    assert response.status_code == 200
    profile = {
        "applicant": {"age": 72},
        "household": {"region": "11", "income_recognized_monthly": 900_000},
        "members": [{"relation": "spouse", "age": 70}],
    }
    plan = (await client.post("/v1/plans", json={"profile": profile, "locale": "en"})).json()
    shown = re.findall(r'<li class="item item-eligible" data-program="([^"]+)"', response.text)
    assert shown[: len(plan["eligible"])] == [item["program_id"] for item in plan["eligible"]]
    assert 'value="72"' in response.text  # the form keeps what was typed


async def test_a_bad_field_is_named_and_nothing_is_matched(client: httpx.AsyncClient) -> None:
    fields = {"lang": "en", "applicant.age": "seventy", "household.region": "99"}
    response = await client.post("/", content=urlencode(fields), headers=FORM)
    assert response.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S)
    assert summary
    assert re.findall(r"<li>(.*?)</li>", summary.group(0)) == ["Age", "Region"]
    assert 'id="plan-title"' not in response.text


async def test_a_member_needs_a_relation(client: httpx.AsyncClient) -> None:
    fields = {"lang": "en", "members.1.age": "9"}
    response = await client.post("/", content=urlencode(fields), headers=FORM)
    assert response.status_code == 422
    assert "<li>Relation to the applicant</li>" in response.text


async def test_a_resident_number_in_the_form_is_refused(client: httpx.AsyncClient) -> None:
    body = urlencode({"applicant.age": "900101-1234567"})
    response = await client.post("/", content=body, headers=FORM)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "1234567" not in response.text


async def test_the_kiosk_plan_has_a_qr_code_of_the_request_in_a_fragment(
    client: httpx.AsyncClient,
) -> None:
    request = {"profile": {"applicant": {"age": 67}, "household": {"receives": []}}}
    body = {"request": {**request, "locale": "ko"}, "view": "kiosk"}
    response = await client.post("/web/plan", json=body)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    found = re.search(r'data-share-url="([^"]+)"', response.text)
    assert found
    url = found.group(1)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.query) == (
        "http",
        "hanaro.test",
        "/plan",
        "",
    )
    assert decode_fragment(parts.fragment) == {**request, "locale": "ko"}
    assert qr_svg(url)[:200] in response.text  # the code on the page is the code of that URL


async def test_the_full_plan_view_has_no_qr_code(client: httpx.AsyncClient) -> None:
    body = {"request": {"profile": {"applicant": {"age": 30}}}, "view": "full"}
    response = await client.post("/web/plan", json=body, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "data-share-url" not in response.text
    assert "Your plan" in response.text


async def test_the_plan_fragment_refuses_a_request_that_is_not_a_plan_request(
    client: httpx.AsyncClient,
) -> None:
    body = {"request": {"profile": {"applicant": {"age": "old"}}}, "view": "kiosk"}
    response = await client.post("/web/plan", json=body)
    assert response.status_code == 422


@pytest.fixture
async def public_client(
    database_url: str, session_factory: sessionmaker[Session]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(database_url, public_url="https://hanaro.example.go.kr"))
    async with app.router.lifespan_context(app):
        app.state.sessionmaker = session_factory
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://10.0.0.7") as c:
            yield c


async def test_the_qr_code_uses_the_public_url_when_one_is_set(
    public_client: httpx.AsyncClient,
) -> None:
    body = {"request": {"profile": {}}, "view": "kiosk"}
    response = await public_client.post("/web/plan", json=body)
    found = re.search(r'data-share-url="([^"]+)"', response.text)
    assert found
    assert found.group(1).startswith("https://hanaro.example.go.kr/plan#p1.")


async def test_no_profile_value_reaches_the_logs(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fields = {"applicant.age": "83", "household.income_recognized_monthly": "7654321"}
    await client.post("/", content=urlencode(fields), headers=FORM)
    body = {"request": {"profile": {"household": {"assets": 7654321}}}, "view": "kiosk"}
    await client.post("/web/plan", json=body)
    assert "7654321" not in caplog.text


def test_the_shared_request_keeps_answers_and_drops_only_empty_objects() -> None:
    request = PlanRequest.model_validate(
        {
            "profile": {
                "applicant": {"age": {"min": 65, "max": 69}},
                "household": {"receives": []},
                "pension_unit": {},
            },
            "needs": [],
            "as_of": "2026-03-02",
            "max_items": 5,
        }
    )
    shared = shared_request(request)
    assert shared == {
        "profile": {"applicant": {"age": {"min": 65, "max": 69}}, "household": {"receives": []}}
    }
    assert decode_fragment(encode_fragment(shared)) == shared
    assert PlanRequest.model_validate(shared).profile == request.profile


def test_every_locale_has_every_page_word_with_the_same_placeholders() -> None:
    from app.text.messages import catalog

    def placeholders(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)", text))

    korean = {k: v for k, v in catalog("ko").items() if k.startswith("web.")}
    assert len(korean) > 50
    for tag in supported():
        words = {k: v for k, v in catalog(tag).items() if k.startswith("web.")}
        assert set(words) == set(korean), tag
        assert {k: placeholders(v) for k, v in words.items()} == {
            k: placeholders(v) for k, v in korean.items()
        }, tag
