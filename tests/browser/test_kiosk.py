"""A whole kiosk session in Chromium: Korean with '모름', back, a money band and a choice, the
final plan, its print layout and QR code, the plan reopened on a phone; then English, and the
idle wipe. axe-core checks every screen (0 serious or critical violations)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import expect

from app.web.share import decode_fragment, qr_svg
from tests.browser.conftest import Pages

QUESTIONS = "/v1/questions/next"


def _first_question(server: str, locale: str) -> dict[str, Any]:
    body = {"profile": {}, "locale": locale}
    question: dict[str, Any] = httpx.post(server + QUESTIONS, json=body).json()["questions"][0]
    return question


def _step(page: Any, n: int) -> None:
    expect(page.locator("#progress-text")).to_have_text(f"{n}번째 질문")


def _eligible_names(page: Any, scope: str) -> list[str]:
    names: list[str] = page.locator(f"{scope} #plan-eligible ~ ul.items > li h3").all_inner_texts()
    return names


def _qr_path(svg: str) -> str:
    found = re.search(r'class="qrline"[^>]*\sd="([^"]+)"', svg) or re.search(
        r'\sd="([^"]+)"[^>]*class="qrline"', svg
    )
    assert found, svg[:200]
    return found.group(1)


def test_a_korean_session_answers_skips_goes_back_and_ends_with_a_plan_to_take_home(
    pages: Pages,
) -> None:
    first = _first_question(pages.server, "ko")
    page = pages.open("/kiosk")
    pages.check(page, "kiosk-1-start")

    page.click("#start")
    expect(page.locator("#question-text")).to_have_text(first["text"])
    _step(page, 1)
    # the step leaves the plan out (include_plan: false); the counts it shows are the full
    # answer's
    whole = httpx.post(pages.server + QUESTIONS, json={"profile": {}, "locale": "ko"}).json()
    total = sum(whole["plan"]["counts"].values())
    settled = total - whole["undecided"]
    expect(page.locator("#settled-text")).to_have_text(f"판단이 끝난 사업 {settled}/{total}")
    pages.check(page, "kiosk-2-question")
    assert first["type"] == "int", "the flow below answers the first question with a number"
    page.fill("#answer-input", "72")
    page.click("#next")
    _step(page, 2)
    second = page.locator("#question-text").inner_text()

    page.click("#unknown")  # 모름
    _step(page, 3)
    page.click("#back")
    _step(page, 2)
    expect(page.locator("#question-text")).to_have_text(second)
    page.click("#unknown")
    _step(page, 3)

    seen: set[str] = set()
    for n in range(3, 14):
        if page.locator(".bands").count() and "money" not in seen:
            seen.add("money")
            pages.check(page, "kiosk-3-question-money")
            page.locator(".bands .option").nth(2).click()
        elif page.locator("#next").is_hidden() and "choice" not in seen:
            seen.add("choice")
            pages.check(page, "kiosk-4-question-choice")
            page.locator("#answer .option").first.click()
        else:
            page.click("#unknown")
        _step(page, n + 1)
        if seen == {"money", "choice"}:
            break
    assert seen == {"money", "choice"}

    page.click("#finish")
    expect(page.locator("#plan-title")).to_be_visible()
    for heading in ("지금 받을 수 있어요", "먼저 갈 곳", "챙길 서류", "확인하면 받을 수도 있어요"):
        expect(page.locator("#screen-plan h2", has_text=heading)).to_be_visible()
    pages.check(page, "kiosk-5-plan", full_page=True)

    # the QR code: the request in the fragment only, and the code encodes exactly that URL
    share = page.locator("figure.qr").get_attribute("data-share-url")
    parts = urlsplit(share)
    assert (parts.path, parts.query) == ("/plan", "")
    assert "?" not in share
    request = decode_fragment(parts.fragment)
    assert request["profile"]["applicant"]["age"] == 72
    assert request["locale"] == "ko"
    assert _qr_path(page.locator(".qr-code").inner_html()) == _qr_path(qr_svg(share))

    # the plan shown is the API's plan for that request
    plan = httpx.post(pages.server + "/v1/plans", json=request).json()
    expected = [item["name"] for item in plan["eligible"]]
    assert _eligible_names(page, "#screen-plan") == expected

    page.emulate_media(media="print")
    expect(page.locator("header.bar")).to_be_hidden()
    expect(page.locator("#screen-plan .nav")).to_be_hidden()
    expect(page.locator("figure.qr")).to_be_visible()
    pages.screenshot(page, "kiosk-6-print", full_page=True)
    page.pdf(path=str(pages.shots / "kiosk-plan.pdf"), format="A4")
    page.emulate_media(media="screen")

    phone = pages.open(
        share.removeprefix(pages.server), viewport={"width": 390, "height": 844}, is_mobile=True
    )
    expect(phone.locator("#plan-title")).to_be_visible()
    assert _eligible_names(phone, "#plan-body") == expected
    expect(phone.locator("figure.qr")).to_have_count(0)
    pages.check(phone, "phone-plan", full_page=True)
    assert not any(parts.fragment in url for url in pages.watch.requested)


def test_an_english_session_is_wiped_when_left_idle(pages: Pages) -> None:
    first = _first_question(pages.server, "en")
    page = pages.open("/kiosk")
    page.click("button.lang[data-locale='en']")
    expect(page.locator("#start")).to_have_text("Start")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#start")
    expect(page.locator("#question-text")).to_have_text(first["text"])
    page.click("#unknown")
    expect(page.locator("#progress-text")).to_have_text("Question 2")
    asked = page.locator("#question-text").inner_text()
    pages.check(page, "kiosk-en-question")
    page.click("#contrast")
    page.click("#text-size")
    assert set(page.evaluate("[...document.body.classList]")) == {"kiosk", "large", "contrast"}
    pages.check(page, "kiosk-en-contrast-large")

    # a short idle time, set as the page's configuration; any key press re-arms the timers
    page.evaluate("document.body.dataset.idleSeconds = '3'")
    page.evaluate("document.body.dataset.idleWarningSeconds = '2'")
    page.keyboard.press("Shift")
    expect(page.locator("#idle-dialog")).to_be_visible(timeout=5000)
    pages.check(page, "kiosk-7-idle-warning")
    expect(page.locator("#screen-start")).to_be_visible(timeout=5000)
    expect(page.locator("#idle-dialog")).to_be_hidden()
    assert page.evaluate("document.documentElement.lang") == "ko"
    expect(page.locator("#start")).to_have_text("시작하기")
    assert asked not in page.locator("body").inner_text()
    assert page.evaluate("document.body.className") == "kiosk"  # the switches are reset too
    assert page.locator("#answer").inner_html() == ""
