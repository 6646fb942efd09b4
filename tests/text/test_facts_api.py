"""GET /v1/facts speaks the citizen's language: questions, labels and option labels."""

from __future__ import annotations

from typing import Any

import httpx


async def facts(client: httpx.AsyncClient, accept_language: str) -> tuple[str, dict[str, Any]]:
    response = await client.get("/v1/facts", headers={"Accept-Language": accept_language})
    assert response.status_code == 200, response.text
    return response.headers["Content-Language"], {f["id"]: f for f in response.json()}


def labels(fact: dict[str, Any]) -> dict[str, str]:
    return {o["value"]: o["label"] for o in fact["options"]}


async def test_facts_in_vietnamese(client: httpx.AsyncClient) -> None:
    language, found = await facts(client, "vi-VN,vi;q=0.9,en;q=0.5")
    assert language == "vi"
    age = found["person.age"]
    assert age["label"] == "tuổi"
    assert age["question"] == "Bạn bao nhiêu tuổi (tính theo tuổi tròn)?"
    assert found["household.sigungu"]["question"] == (
        "Bạn sống ở thành phố, huyện hoặc quận (시·군·구) nào?"
    )
    assert labels(found["person.stage"])["senior"] == "Người cao tuổi (từ 65 tuổi)"
    assert labels(found["household.receives"])["near-poverty"] == "Hộ cận nghèo (차상위계층)"
    assert labels(found["household.sigungu"])["11110"] == "Jongno-gu, Seoul"


async def test_facts_in_simplified_chinese(client: httpx.AsyncClient) -> None:
    language, found = await facts(client, "zh-CN")
    assert language == "zh-Hans"
    assert found["person.age"]["question"] == "您的周岁年龄是多少？"
    assert found["household.housing"]["label"] == "居住形态"
    assert labels(found["household.housing"])["renter_jeonse"] == "全租（전세）"
    assert labels(found["household.region"])["27"] == "大邱广域市"
    assert labels(found["household.sigungu"])["11110"] == "首尔特别市钟路区"


async def test_facts_in_korean_by_default(client: httpx.AsyncClient) -> None:
    language, found = await facts(client, "fr")
    assert language == "ko"
    assert found["person.age"]["question"] == "만 나이가 어떻게 되세요?"
    assert labels(found["household.sigungu"])["11110"] == "서울특별시 종로구"
    assert labels(found["household.sigungu"])["36110"] == "세종특별자치시"
