"""The portal in Chromium: the household form, then the full plan (reasons, per-member items,
amounts, links to apply); and the API documentation pages, which load nothing from outside."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Pages

PROFILE = {
    "applicant": {"age": 72, "sex": "female"},
    "household": {"region": "11", "income_recognized_monthly": 900_000},
    "members": [{"relation": "spouse", "age": 70}],
}


def _plan_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [*plan["eligible"], *plan["needs_info"], *plan["excluded"], *plan["receiving"]]


def test_the_household_form_gives_the_full_plan(pages: Pages) -> None:
    page = pages.open("/")
    pages.check(page, "portal-1-form", full_page=True)
    page.fill("[name='applicant.age']", "72")
    page.select_option("[name='applicant.sex']", "female")
    page.select_option("[name='household.region']", "11")
    page.fill("[name='household.income_recognized_monthly']", "900,000")
    page.select_option("[name='members.0.relation']", "spouse")
    page.fill("[name='members.0.age']", "70")
    page.click("form#household-form button[type=submit]")
    expect(page.locator("#plan-title")).to_be_visible()

    plan = httpx.post(pages.server + "/v1/plans", json={"profile": PROFILE}).json()
    eligible = page.locator("#plan-eligible ~ ul.items > li h3").all_inner_texts()
    assert eligible == [item["name"] for item in plan["eligible"]]
    with_members = [item for item in _plan_items(plan) if item["members"]]
    assert with_members, "the persona should have a program decided per person"
    for item in with_members:
        card = page.locator(f"li.item[data-program='{item['program_id']}']").first
        labels = card.locator("ul.members > li strong").all_inner_texts()
        assert labels == [member["label"] for member in item["members"]]
    urls = {o["url"] for item in _plan_items(plan) for o in item["apply"] if o["url"]}
    links = set(page.locator("#plan a[href^='http']").evaluate_all("as => as.map(a => a.href)"))
    assert urls and {url.rstrip("/") for url in urls} == {link.rstrip("/") for link in links}
    first = plan["eligible"][0]
    card = page.locator(f"li.item[data-program='{first['program_id']}']").first
    expect(card.locator(".reasons li").first).to_have_text(first["reasons"][0])
    # what was typed stays in the form, the plan follows it
    expect(page.locator("[name='applicant.age']")).to_have_value("72")
    page.locator("#plan").scroll_into_view_if_needed()
    pages.check(page, "portal-2-plan", full_page=True)


def test_the_api_documentation_pages_need_no_outside_network(pages: Pages) -> None:
    """Swagger UI renders in Chromium from the service's own assets (the fixture fails any
    request to another host). ReDoc's page is checked without rendering: every script it loads
    is one of the service's own assets (in Chromium 156 ReDoc spends minutes of CPU on this
    spec until the tab crashes: a ReDoc problem, reported, not a network one)."""
    docs = pages.open("/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("Hanaro")
    html = httpx.get(pages.server + "/redoc").text
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert sources == ["/docs/assets/redoc.standalone.js"]
    assert "<script>" not in html
    assert httpx.get(pages.server + sources[0]).status_code == 200
