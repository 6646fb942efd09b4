"""An admin update in the middle of plan traffic never yields a plan mixing two catalog versions.

The age line of 기초연금 is flipped between 65 and 70 by an administrator while plans for a
67-year-old are requested concurrently. Every plan names the catalog version it was computed
from; the rule it applied must be the one of that version, and its verdict must follow from it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.ratelimit import MemoryCounters, RateLimiter
from app.settings import Settings
from tests.conftest import make_settings
from tests.routers.test_admin import NATIONAL, catalog_version, current_spec, issue

BODY = {
    "profile": {
        "applicant": {"age": 67, "nationality": "KR", "public_pension": False},
        "household": {"size": 1, "region": "11"},
        "pension_unit": {"income_recognized_monthly": 1_000_000, "is_couple": False},
    },
    "as_of": "2026-03-02",
    "trace": "full",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The citizens below send plans as fast as they can: lift the anonymous rate limit."""
    return make_settings(database_url, rate_limit_anonymous_per_minute=1_000_000)


def _age_line(plan: dict[str, Any]) -> tuple[str, int]:
    for status in ("eligible", "needs_info", "ineligible"):
        for item in plan[status]:
            if item["program_id"] == "basic-pension":
                age = next(c for c in item["trace"] if c["fact"] == "applicant.age")
                return status, 70 if "70" in age["sentence"] else 65
    raise AssertionError("basic-pension missing from the plan")


async def test_plans_during_admin_updates_each_use_one_catalog_version(
    app: FastAPI, client: httpx.AsyncClient, db_session: Session
) -> None:
    # The concurrent requests share this test's one database connection; counting their hits
    # there would interleave savepoints across threads. Rate limits are not the subject here.
    app.state.rate_limiter = RateLimiter(MemoryCounters(), anonymous_limit=10**6, key_limit=10**6)
    headers = issue(db_session, NATIONAL, "catalog:write", national=True)
    headers["If-Match"] = '"basic-pension.v1"'  # the shipped catalog's first version
    line_of: dict[str, int] = {catalog_version(app): 65}
    base = current_spec(db_session, "basic-pension")

    finished = asyncio.Event()

    async def administrator() -> None:
        for line in (70, 65, 70, 65, 70):
            spec = dict(base)
            # 기초연금 is decided per person: the age line is its `who`
            assert base["who"]["fact"] == "person.age"
            spec["who"] = {**base["who"], "value": line}
            body = {"spec": spec, "change_reason": f"age line {line} (consistency test)"}
            response = await client.put(
                "/v1/admin/programs/basic-pension", json=body, headers=headers
            )
            assert response.status_code == 200, response.text
            headers["If-Match"] = response.headers["etag"]
            line_of[response.json()["catalog_version"]] = line
            await asyncio.sleep(0)
        finished.set()

    async def citizen() -> list[dict[str, Any]]:
        plans = []
        while not finished.is_set() or len(plans) < 8:
            response = await client.post("/v1/plans", json=BODY)
            assert response.status_code == 200, response.text
            plans.append(response.json())
            await asyncio.sleep(0)
        response = await client.post("/v1/plans", json=BODY)  # one more after the last update
        plans.append(response.json())
        return plans

    results = await asyncio.gather(administrator(), *(citizen() for _ in range(4)))
    plans = [plan for batch in results[1:] for plan in batch]  # type: ignore[union-attr]
    seen = set()
    for plan in plans:
        status, applied = _age_line(plan)
        version = plan["catalog_version"]
        assert version in line_of, "a plan names a catalog version that never existed"
        assert applied == line_of[version], "the plan's rule is not its catalog version's rule"
        assert status == ("eligible" if applied == 65 else "ineligible")
        seen.add(version)
    assert len(plans) >= 36
    assert len(seen) >= 2, "the updates did not overlap the plans"
