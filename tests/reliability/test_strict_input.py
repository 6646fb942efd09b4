"""Strict eligibility facts: no silent coercion of ages, money, booleans or dates in a profile.

`true` is not an age, `"12"` is not 12, `"yes"` is not a boolean and `0` is not a date. JSON has
one number type, so a whole number written as `1.0` or `1e3` is that integer; `1.5` is refused.
Each refusal is a 422 problem naming the field by JSON pointer, in the request's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

PLAN = "/v1/plans"


def _with(path: str, value: Any) -> dict[str, Any]:
    """A minimal plan request with ``value`` at ``path`` (``applicant.age``...)."""
    section, field = path.split(".")
    return {"profile": {section: {field: value}}, "as_of": "2026-03-02"}


def _problem(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("path", "value", "pointer"),
    [
        ("applicant.age", True, "/profile/applicant/age"),
        ("applicant.age", "12", "/profile/applicant/age"),
        ("applicant.age", 12.5, "/profile/applicant/age"),
        ("applicant.age_months", False, "/profile/applicant/age_months"),
        ("applicant.pregnant", "yes", "/profile/applicant/pregnant"),
        ("applicant.pregnant", 1, "/profile/applicant/pregnant"),
        ("applicant.pregnant", "true", "/profile/applicant/pregnant"),
        ("applicant.birth_date", 0, "/profile/applicant/birth_date"),
        ("applicant.birth_date", "19580514", "/profile/applicant/birth_date"),
        ("household.size", "3", "/profile/household/size"),
        ("household.income_recognized_monthly", "1500000",
         "/profile/household/income_recognized_monthly"),
        ("household.single_parent", 0, "/profile/household/single_parent"),
        ("household.region", 27, "/profile/household/region"),
        ("pension_unit.is_couple", "no", "/profile/pension_unit/is_couple"),
    ],
)  # fmt: skip
async def test_coercible_fact_is_refused_with_its_pointer(
    client: httpx.AsyncClient, path: str, value: Any, pointer: str
) -> None:
    body = _problem(await client.post(PLAN, json=_with(path, value)))
    assert [e["pointer"] for e in body["errors"]] == [pointer]


async def test_range_bounds_are_strict_too(client: httpx.AsyncClient) -> None:
    request = _with("household.income_recognized_monthly", {"min": "1", "max": True})
    body = _problem(await client.post(PLAN, json=request))
    pointers = sorted(e["pointer"] for e in body["errors"])
    assert pointers == [
        "/profile/household/income_recognized_monthly/max",
        "/profile/household/income_recognized_monthly/min",
    ]


@pytest.mark.parametrize(
    ("locale", "detail"),
    [("ko", "정수를 입력해 주세요."), ("en", "Input should be a valid integer")],
)
async def test_refusal_speaks_the_request_language(
    client: httpx.AsyncClient, locale: str, detail: str
) -> None:
    response = await client.post(
        PLAN, json=_with("applicant.age", "12"), headers={"Accept-Language": locale}
    )
    body = _problem(response)
    assert response.headers["content-language"] == locale
    assert body["errors"][0]["detail"] == detail
    assert "12" not in body["errors"][0]["detail"]  # the value is never echoed


async def test_request_fields_around_the_profile_are_strict(client: httpx.AsyncClient) -> None:
    request = {"profile": {}, "as_of": 20260302, "max_items": "5"}
    body = _problem(await client.post(PLAN, json=request))
    assert sorted(e["pointer"] for e in body["errors"]) == ["/as_of", "/max_items"]


async def test_whole_numbers_written_with_a_fraction_are_integers(
    client: httpx.AsyncClient,
) -> None:
    exact = {"profile": {"applicant": {"age": 70}, "household": {"size": 1}}}
    written = {"profile": {"applicant": {"age": 70.0}, "household": {"size": 1e0}}}
    plain = await client.post("/v1/plans/validate", json=exact)
    fractional = await client.post("/v1/plans/validate", json=written)
    assert plain.status_code == fractional.status_code == 200, fractional.text[:500]
    assert fractional.json()["request"]["profile"] == plain.json()["request"]["profile"]


async def test_iso_dates_and_booleans_still_work(client: httpx.AsyncClient) -> None:
    request = {
        "profile": {
            "applicant": {"birth_date": "1958-05-14", "pregnant": False},
            "household": {"single_parent": True, "income_recognized_monthly": {"min": 0}},
        },
        "as_of": "2026-03-02",
    }
    response = await client.post(PLAN, json=request)
    assert response.status_code == 200, response.text[:500]


@pytest.mark.parametrize("example", ["household-daegu.json", "three-generations.json"])
async def test_readme_walk_through_requests_still_plan(
    client: httpx.AsyncClient, repo_root: Path, example: str
) -> None:
    body = (repo_root / "docs" / "examples" / example).read_text(encoding="utf-8").rstrip()
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert f"```json\n{body}\n```" in readme, f"the README no longer shows {example} as it is"
    response = await client.post(
        PLAN, content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text[:500]
