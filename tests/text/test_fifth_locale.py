"""Adding a locale is adding catalog files (#13): a Japanese catalog written here, in a directory
named by ``HANARO_LOCALE_PATH``, is negotiated and speaks in a plan, with no code change.
Whatever it does not translate falls back to Korean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.text import locales, messages

HEADER = 'msgid ""\nmsgstr ""\n"Language: ja\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
JAPANESE = {
    "format.money": "{amount}ウォン",
    "plan.step.call_129": "ご不明な点は保健福祉相談センター☎129にお電話ください。",
    "member.role.self": "ご本人",
    "member.with_age": "{role}（{age}歳）",
}
SENIOR = {
    "profile": {
        "applicant": {"age": 70, "sex": "female", "nationality": "KR", "public_pension": False},
        "household": {"size": 1, "region": "11", "receives": []},
        "pension_unit": {"income_recognized_monthly": 1_000_000, "is_couple": False},
    },
    "as_of": "2026-03-02",
}


def _clear() -> None:
    for cached in (locales.registry, locales._match, messages.catalog, messages.grammar):
        cached.cache_clear()


@pytest.fixture
def japanese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    directory = tmp_path / "ja"
    directory.mkdir()
    entries = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in JAPANESE.items())
    (directory / "plan.po").write_text(HEADER + entries, encoding="utf-8")
    monkeypatch.setenv(locales.ENV_PATH, str(tmp_path))
    _clear()
    yield
    monkeypatch.delenv(locales.ENV_PATH)
    _clear()


async def test_a_locale_added_as_files_renders_a_plan(
    japanese: None, client: httpx.AsyncClient
) -> None:
    assert "ja" in locales.supported()
    response = await client.post("/v1/plans", json=SENIOR, headers={"Accept-Language": "ja"})
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == "ja"
    plan = response.json()
    assert plan["locale"] == "ja"
    steps = plan["first_steps"]
    assert "ご不明な点は保健福祉相談センター☎129にお電話ください。" in steps
    # untranslated messages and program names fall back to Korean, and the plan says so
    pension = next(i for i in plan["eligible"] if i["program_id"] == "basic-pension")
    assert pension["name"] == "기초연금"
    assert pension["untranslated"] == ["name", "summary"]


async def test_without_the_files_the_same_request_is_answered_in_korean(
    client: httpx.AsyncClient,
) -> None:
    assert "ja" not in locales.supported()
    response = await client.post("/v1/plans", json=SENIOR, headers={"Accept-Language": "ja"})
    assert response.headers["content-language"] == "ko"
