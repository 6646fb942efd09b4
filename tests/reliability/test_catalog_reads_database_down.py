"""Anonymous reads while the database is down (#12): everything that the in-memory catalog
snapshot can answer still answers 200, one program and one parameter included, with the same
ETag (``"<id>.v<version>"``) and the same body as when the database was up; what only the
database knows (version history, admin writes) is a quick 503 problem with Retry-After. Never a
500, never a hang."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.reliability.conftest import Live
from tests.reliability.test_database_down import take_database_away

PROFILE = {"applicant": {"age": 71}, "household": {"size": 2}}
# (method, path, JSON body) of every anonymous operation the snapshot can serve alone
FROM_MEMORY: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/health", None),
    ("GET", "/v1/facts", None),
    ("GET", "/v1/programs?q=연금&limit=5", None),
    ("GET", "/v1/programs/basic-pension", None),
    ("GET", "/v1/parameters", None),
    ("GET", "/v1/parameters/median_income.base", None),
    ("POST", "/v1/plans", {"profile": PROFILE, "as_of": "2026-03-02"}),
    ("POST", "/v1/plans/validate", {"profile": PROFILE, "as_of": "2026-03-02"}),
    ("POST", "/v1/questions/next", {"profile": PROFILE}),
    ("POST", "/v1/programs/basic-pension/eligibility", {"profile": PROFILE}),
    ("POST", "/v1/income-recognition", {"profile": PROFILE, "as_of": "2026-03-02"}),
]
ONLY_IN_THE_DATABASE = [
    "/v1/programs/basic-pension/versions",
    "/v1/parameters/median_income.base/versions",
]


def call(client: TestClient, method: str, path: str, body: dict[str, Any] | None) -> Any:
    return client.request(method, path, json=body)


def test_every_anonymous_read_the_snapshot_can_serve_answers_200_with_the_database_down(
    live: Live, tmp_path: Path
) -> None:
    before = [call(live.client, *request) for request in FROM_MEMORY]
    assert [r.status_code for r in before] == [200] * len(FROM_MEMORY)
    take_database_away(live, tmp_path)

    started = time.monotonic()
    after = [call(live.client, *request) for request in FROM_MEMORY]
    assert time.monotonic() - started < 10

    assert [r.status_code for r in after] == [200] * len(FROM_MEMORY)
    for was, now in zip(before, after, strict=True):
        assert now.headers.get("etag") == was.headers.get("etag")
        if "/plans" not in str(now.request.url):  # a plan carries its own request id
            assert now.json() == was.json()


@pytest.mark.parametrize(
    ("path", "etag", "version"),
    [
        ("/v1/programs/basic-pension", '"basic-pension.v1"', 1),
        ("/v1/parameters/median_income.base", '"median_income.base.v1"', None),
    ],
)
def test_one_program_or_parameter_keeps_its_etag_while_the_database_is_down(
    live: Live, tmp_path: Path, path: str, etag: str, version: int | None
) -> None:
    take_database_away(live, tmp_path)

    started = time.monotonic()
    response = live.client.get(path, headers={"Accept-Language": "en"})

    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert response.headers["etag"] == etag
    assert response.headers["content-language"] == "en"
    if version is not None:
        assert response.json()["version"] == version


def test_after_an_edit_the_snapshot_serves_the_new_version_and_its_etag_without_the_database(
    live: Live, tmp_path: Path
) -> None:
    body = {"spec": live.spec("invented-outage-reading"), "change_reason": "시험용 사업"}
    created = live.client.post("/v1/admin/programs", json=body, headers=live.headers)
    assert created.status_code == 201
    body["spec"]["name"] = {"ko": "고친 이름", "en": "Edited name"}
    edited = live.client.put(
        "/v1/admin/programs/invented-outage-reading",
        json=body,
        headers=live.headers | {"If-Match": created.headers["etag"]},
    )
    assert edited.headers["etag"] == '"invented-outage-reading.v2"'
    take_database_away(live, tmp_path)

    response = live.client.get(
        "/v1/programs/invented-outage-reading", headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"invented-outage-reading.v2"'
    assert response.json()["version"] == 2
    assert response.json()["name"] == "Edited name"


def test_an_unknown_program_or_parameter_is_still_404_with_the_database_down(
    live: Live, tmp_path: Path
) -> None:
    take_database_away(live, tmp_path)

    program = live.client.get("/v1/programs/invented-no-such-program")
    parameter = live.client.get("/v1/parameters/invented.no_such_parameter")

    assert (program.status_code, parameter.status_code) == (404, 404)
    assert program.json()["type"] == "urn:hanaro:problem:program-not-found"
    assert parameter.json()["type"] == "urn:hanaro:problem:parameter-not-found"


@pytest.mark.parametrize("path", ONLY_IN_THE_DATABASE)
def test_version_history_is_a_quick_503_problem_with_retry_after_when_the_database_is_down(
    live: Live, tmp_path: Path, path: str
) -> None:
    assert live.client.get(path).status_code == 200
    take_database_away(live, tmp_path)

    started = time.monotonic()
    response = live.client.get(path, headers={"Accept-Language": "en"})

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "2"
    assert response.json()["type"] == "urn:hanaro:problem:database-unavailable"
    assert response.json()["title"] == "The database is temporarily unavailable"


def test_an_admin_write_by_a_verified_key_is_a_503_problem_when_the_database_is_down(
    live: Live, tmp_path: Path
) -> None:
    assert live.client.get("/v1/programs", headers=live.headers).status_code == 200  # verified
    take_database_away(live, tmp_path)
    body = {"spec": live.spec("invented-outage-write"), "change_reason": "시험용 사업"}

    started = time.monotonic()
    response = live.client.post("/v1/admin/programs", json=body, headers=live.headers)

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "2"
    assert response.json()["type"] == "urn:hanaro:problem:database-unavailable"


def test_a_read_after_an_edit_through_another_worker_shows_the_edit_under_its_etag(
    live: Live,
) -> None:
    """The database path: this worker's snapshot is behind (no polling in tests), so the read
    catches up first; the body, ``version`` and ETag all name the edited version."""
    settings = live.client.app.state.settings  # type: ignore[attr-defined]
    body = {"spec": live.spec("invented-other-worker"), "change_reason": "시험용 사업"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as other:
        created = other.post("/v1/admin/programs", json=body, headers=live.headers)
        body["spec"]["name"] = {"ko": "다른 작업자가 고침", "en": "Edited elsewhere"}
        edited = other.put(
            "/v1/admin/programs/invented-other-worker",
            json=body,
            headers=live.headers | {"If-Match": created.headers["etag"]},
        )
        assert edited.status_code == 200

    response = live.client.get(
        "/v1/programs/invented-other-worker", headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"invented-other-worker.v2"'
    assert (response.json()["version"], response.json()["name"]) == (2, "Edited elsewhere")
    listed = live.client.get("/v1/programs?q=elsewhere").json()["items"]
    assert [item["id"] for item in listed] == ["invented-other-worker"]
