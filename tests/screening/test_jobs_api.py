"""Screening jobs over HTTP: upload → poll → download, the same files as ``hanaro screen``;
refused input (422, nothing kept); object-level authorization; cancel; retention purge; a job
whose worker died resumes in a new app, or fails visibly; PostgreSQL tables as the input.

The input is test_cli's two invented veterans in 종로구 (11110): h1 (job_loss) with 참전명예수당
likely, h2 already receiving it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from app.cli import main
from app.db import models
from tests.screening.jobs_support import issue_key, jobs_app, serve, upload, wait_for
from tests.screening.test_cli import HOUSEHOLDS_CSV, PERSONS_CSV, VETERANS, _csv_input

AS_OF = "2026-03-02"


def _cli(tmp_path: Path, fmt: str) -> tuple[Path, Path]:
    source = _csv_input(tmp_path / f"cli-{fmt}")
    out, agg = tmp_path / f"cli-out.{fmt}", tmp_path / f"cli-agg.{fmt}"
    argv = ["screen", str(source), "--out", str(out), "--aggregate", str(agg)]
    assert main([*argv, "--min-cell", "1", "--as-of", AS_OF]) == 0
    return out, agg


def _audit(engine: Engine, target: str) -> list[models.AuditEntry]:
    with Session(engine) as session:
        query = select(models.AuditEntry).where(models.AuditEntry.target == target)
        return list(session.scalars(query.order_by(models.AuditEntry.id)))


def _set(engine: Engine, job_id: str, **values: Any) -> None:
    with Session(engine) as session, session.begin():
        job = models.ScreeningJob
        session.execute(update(job).where(job.id == _uuid(job_id)).values(**values))


def _uuid(job_id: str) -> Any:
    import uuid

    return uuid.UUID(job_id)


async def test_an_upload_is_screened_to_the_same_files_as_the_cli(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    owner = issue_key(jobs_engine, "Invented Jongno Welfare Office")
    body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF, format="csv", min_cell="1")
    async with serve(jobs_app(jobs_url, tmp_path / "data")) as client:
        created = await client.post("/v1/screenings", headers=owner, **body)
        assert created.status_code == 202, created.text
        job_id = created.json()["id"]
        assert created.headers["location"] == f"/v1/screenings/{job_id}"
        assert created.json()["status"] == "queued"
        job = await wait_for(client, job_id, owner)
        assert job["status"] == "succeeded", job
        assert job["counts"] == {
            "households": 2,
            "persons": 2,
            "programs": job["counts"]["programs"],
            "not_compiled": job["counts"]["not_compiled"],
            "rows": job["counts"]["rows"],
        }
        assert job["progress"] == 1.0 and job["stage"]["index"] == job["stage"]["count"] == 7
        kept = datetime.fromisoformat(job["expires_at"]) - datetime.fromisoformat(
            job["finished_at"]
        )
        assert kept == timedelta(days=7)  # screening_retention_days
        results = await client.get(f"/v1/screenings/{job_id}/results", headers=owner)
        aggregate = await client.get(f"/v1/screenings/{job_id}/aggregate", headers=owner)
        as_parquet = await client.get(
            f"/v1/screenings/{job_id}/results", params={"format": "parquet"}, headers=owner
        )
        listed = (await client.get("/v1/screenings", headers=owner)).json()["items"]
    assert results.status_code == 200 and results.headers["content-type"].startswith("text/csv")
    assert results.headers["cache-control"] == "no-store"
    cli_out, cli_agg = _cli(tmp_path, "csv")
    assert results.text == cli_out.read_text()
    assert aggregate.text == cli_agg.read_text()
    assert job["counts"]["rows"] == len(results.text.splitlines()) - 1
    assert f"1,h1,11110,job_loss,1,{VETERANS},likely" in results.text
    (tmp_path / "api.parquet").write_bytes(as_parquet.content)  # converted: the same rows
    back = tmp_path / "back.csv"
    duckdb.sql(f"COPY (FROM read_parquet('{tmp_path / 'api.parquet'}')) TO '{back}' (HEADER)")
    assert back.read_text() == cli_out.read_text()
    assert [item["id"] for item in listed] == [job_id]
    actions = [e.action for e in _audit(jobs_engine, f"screening:{job_id}")]
    assert actions == ["screening.create", *["screening.download"] * 3]
    folder = tmp_path / "data" / "screenings" / job_id
    assert sorted(p.name for p in folder.iterdir()) == [
        "aggregate.csv", "results.csv", "results.parquet"
    ]  # the input is gone once the job ended  # fmt: skip


async def test_only_the_owner_sees_a_job(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    owner = issue_key(jobs_engine, "Invented Owner Office")
    other = issue_key(jobs_engine, "Invented Other Office")
    planner = issue_key(jobs_engine, "Invented Planner", scopes="plans")
    app = jobs_app(jobs_url, tmp_path / "data", screening_poll_seconds=0)
    async with serve(app) as client:
        body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF)
        assert (await client.post("/v1/screenings", **body)).status_code == 401
        assert (await client.post("/v1/screenings", headers=planner, **body)).status_code == 403
        job_id = (await client.post("/v1/screenings", headers=owner, **body)).json()["id"]
        for method, path in (
            ("GET", ""), ("POST", "/cancel"), ("GET", "/results"), ("GET", "/aggregate")
        ):  # fmt: skip
            answer = await client.request(method, f"/v1/screenings/{job_id}{path}", headers=other)
            assert answer.status_code == 404, (method, path)
            assert answer.json()["type"] == "urn:hanaro:problem:screening-not-found"
        assert (await client.get("/v1/screenings", headers=other)).json()["items"] == []
        mine = await client.get(f"/v1/screenings/{job_id}", headers=owner)
        assert mine.json()["status"] == "queued"
        early = await client.get(f"/v1/screenings/{job_id}/results", headers=owner)
        assert early.status_code == 409


async def test_refused_input_is_a_localized_422_listing_problems_and_keeps_nothing(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    owner = issue_key(jobs_engine, "Invented Strict Office")
    data = tmp_path / "data"
    households = "household_id,name,sigungu,housing\nh1,Kim Minsu,11110,castle\n"
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        named = await client.post(
            "/v1/screenings", headers={**owner, "Accept-Language": "en"},
            **upload(households, PERSONS_CSV),
        )  # fmt: skip
        korean = await client.post(
            "/v1/screenings", headers=owner, **upload(households, PERSONS_CSV)
        )
        values = "household_id,housing\nh1,castle\nh2,owner\n"
        bad_values = await client.post(
            "/v1/screenings", headers=owner, **upload(values, PERSONS_CSV)
        )
        resident = "household_id,size\n900101-1234567,1\n"
        rrn = await client.post("/v1/screenings", headers=owner, **upload(resident, PERSONS_CSV))
        bad_option = await client.post(
            "/v1/screenings", headers=owner, **upload(HOUSEHOLDS_CSV, PERSONS_CSV, format="xlsx")
        )
        listed = (await client.get("/v1/screenings", headers=owner)).json()["items"]
    assert named.status_code == 422
    problem = named.json()
    assert problem["type"] == "urn:hanaro:problem:screening-input"
    assert problem["title"] == "Screening input refused"
    assert {"pointer": "/households", "detail": "households.name: not a screening column"} in (
        problem["errors"]
    )
    assert korean.json()["title"] == "발굴 입력을 받을 수 없습니다"
    assert "Kim" not in named.text + korean.text
    details = [e["detail"] for e in bad_values.json()["errors"]]
    assert "households.housing: 1개 행의 값이 정해진 선택지에 없습니다" in details
    assert "castle" not in bad_values.text
    assert rrn.status_code == 422
    assert rrn.json()["type"] == "urn:hanaro:problem:resident-number"
    assert "1234567" not in rrn.text
    assert bad_option.status_code == 422 and bad_option.json()["errors"][0]["pointer"] == "/format"
    assert listed == []
    assert not list((data / "screenings").glob("*")) if (data / "screenings").exists() else True


# Two refused uploads: unknown columns and a missing key column (refused before any value is
# read); then bad values: households.size "two" and "1.5", housing "castle" and "palace";
# persons.age_min "seventy", 130 (over 120) and 50 over its age_max 40; age_max 140 and 150.
UNKNOWN_COLUMNS = (
    "household_id,nickname,sigungu\nh1,Invented Nick,11110\n",
    "household_id,favourite_colour\nh1,teal\n",
)
BAD_VALUES = (
    "household_id,size,housing\nh1,1.5,castle\nh2,two,palace\nh3,3,owner\n",
    "household_id,person_index,age_min,age_max\nh1,0,seventy,70\nh2,0,130,140\nh3,0,50,40\n"
    "h3,1,20,150\n",
)
COLUMN_POINTERS = ["/households", "/persons", "/persons"]
VALUE_POINTERS = ["/households"] * 3 + ["/persons"] * 4
REFUSED_SAID = {
    "ko": (
        [
            "households.nickname: 발굴 입력에 쓸 수 있는 열이 아닙니다",
            "persons.favourite_colour: 발굴 입력에 쓸 수 있는 열이 아닙니다",
            "persons.person_index: 꼭 있어야 하는 열인데 없습니다",
        ],
        [
            "households.size: 1개 행의 값을 정수로 읽을 수 없습니다",
            "households.size: 1개 행의 값이 정수가 아닌 소수입니다",
            "households.housing: 2개 행의 값이 정해진 선택지에 없습니다",
            "persons.age_min: 1개 행의 값을 숫자로 읽을 수 없습니다",
            "persons.age_min: 1개 행의 값이 120보다 큽니다",
            "persons.age_min: 1개 행의 값이 age_max 값보다 큽니다",
            "persons.age_max: 2개 행의 값이 120보다 큽니다",
        ],
    ),
    "en": (
        [
            "households.nickname: not a screening column",
            "persons.favourite_colour: not a screening column",
            "persons.person_index: required",
        ],
        [
            "households.size: 1 row(s) not an integer",
            "households.size: 1 row(s) not a whole number",
            "households.housing: 2 row(s) not one of the options",
            "persons.age_min: 1 row(s) not a number",
            "persons.age_min: 1 row(s) above 120",
            "persons.age_min: 1 row(s) above age_max",
            "persons.age_max: 2 row(s) above 120",
        ],
    ),
    "vi": (
        [
            "households.nickname: không phải là cột dùng cho sàng lọc",
            "persons.favourite_colour: không phải là cột dùng cho sàng lọc",
            "persons.person_index: thiếu cột bắt buộc này",
        ],
        [
            "households.size: 1 dòng có giá trị không đọc được thành số nguyên",
            "households.size: 1 dòng có giá trị là số thập phân, không phải số nguyên",
            "households.housing: 2 dòng có giá trị không nằm trong các lựa chọn",
            "persons.age_min: 1 dòng có giá trị không đọc được thành số",
            "persons.age_min: 1 dòng có giá trị lớn hơn 120",
            "persons.age_min: 1 dòng có giá trị lớn hơn giá trị của age_max",
            "persons.age_max: 2 dòng có giá trị lớn hơn 120",
        ],
    ),
    "zh-Hans": (
        [
            "households.nickname：不是筛查使用的列",
            "persons.favourite_colour：不是筛查使用的列",
            "persons.person_index：缺少此必需列",
        ],
        [
            "households.size：有 1 行的值无法读作整数",
            "households.size：有 1 行的值是小数而不是整数",
            "households.housing：有 2 行的值不在可选项中",
            "persons.age_min：有 1 行的值无法读作数字",
            "persons.age_min：有 1 行的值大于 120",
            "persons.age_min：有 1 行的值大于 age_max 的值",
            "persons.age_max：有 2 行的值大于 120",
        ],
    ),
}


@pytest.mark.parametrize(
    ("accept_language", "tag"),
    [(None, "ko"), ("en", "en"), ("vi-VN, en;q=0.5", "vi"), ("zh-Hans", "zh-Hans")],
)
async def test_each_refused_input_problem_is_said_in_the_request_language(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path, accept_language: str | None, tag: str
) -> None:
    owner = issue_key(jobs_engine, "Invented Multilingual Office")
    headers = owner if accept_language is None else {**owner, "Accept-Language": accept_language}
    async with serve(jobs_app(jobs_url, tmp_path / "data", screening_poll_seconds=0)) as client:
        columns = await client.post("/v1/screenings", headers=headers, **upload(*UNKNOWN_COLUMNS))
        values = await client.post("/v1/screenings", headers=headers, **upload(*BAD_VALUES))
    said_columns, said_values = REFUSED_SAID[tag]
    for answer, pointers, said in (
        (columns, COLUMN_POINTERS, said_columns), (values, VALUE_POINTERS, said_values)
    ):  # fmt: skip
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-language"] == tag
        assert answer.json()["type"] == "urn:hanaro:problem:screening-input"
        assert answer.json()["errors"] == [
            {"pointer": pointer, "detail": detail}
            for pointer, detail in zip(pointers, said, strict=True)
        ]
    for value in ("Invented Nick", "teal", "castle", "palace", "seventy"):
        assert value not in columns.text + values.text


async def test_an_upload_over_its_own_limit_is_413_and_other_routes_keep_theirs(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    owner = issue_key(jobs_engine, "Invented Large Office")
    app = jobs_app(
        jobs_url, tmp_path / "data", screening_poll_seconds=0, screening_max_upload_bytes=300 * 1024
    )
    rows = [f"h{i},1,11110,,\n" for i in range(3, 20_000)]  # 19 bytes a row
    async with serve(app) as client:
        within = await client.post(  # ~270 KB: over max_body_bytes (256 KB), under 300 KB
            "/v1/screenings", headers=owner,
            **upload(HOUSEHOLDS_CSV + "".join(rows[:14_000]), PERSONS_CSV),
        )  # fmt: skip
        over = await client.post(
            "/v1/screenings", headers=owner, **upload(HOUSEHOLDS_CSV + "".join(rows), PERSONS_CSV)
        )
        json_body = await client.post(
            "/v1/plans", content=b'{"profile": {"applicant": {}}, "x": "' + b"a" * 300_000 + b'"}',
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
    # over 256 KB yet within the upload limit: read whole, and refused for its content (the
    # households without their applicant), not its size
    assert within.status_code == 422, within.text
    assert "persons.person_index: 가구 14000개에 신청인(person_index 0)이 없습니다" in within.text
    assert over.status_code == 413
    assert json_body.status_code == 413
    assert not any((tmp_path / "data" / "screenings").glob("*"))


async def test_cancel_is_idempotent_and_leaves_no_files(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    owner = issue_key(jobs_engine, "Invented Cancelling Office")
    data = tmp_path / "data"
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF)
        job_id = (await client.post("/v1/screenings", headers=owner, **body)).json()["id"]
        assert (data / "screenings" / job_id / "input").is_dir()
        first = await client.post(f"/v1/screenings/{job_id}/cancel", headers=owner)
        again = await client.post(f"/v1/screenings/{job_id}/cancel", headers=owner)
        results = await client.get(f"/v1/screenings/{job_id}/results", headers=owner)
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == "cancelled"
    assert first.json()["finished_at"] == again.json()["finished_at"]
    assert results.status_code == 409
    assert not (data / "screenings" / job_id).exists()
    audited = _audit(jobs_engine, f"screening:{job_id}")
    assert [(e.action, e.detail.get("status")) for e in audited[1:]] == [
        ("screening.cancel", "queued"), ("screening.cancel", "cancelled")
    ]  # fmt: skip


async def test_a_cancel_request_stops_a_running_job(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    """The job is made running by hand (as if a worker held it); the cancel request is seen by
    the recovery of a new worker: a running job asked to stop is never run again."""
    owner = issue_key(jobs_engine, "Invented Impatient Office")
    data = tmp_path / "data"
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF)
        job_id = (await client.post("/v1/screenings", headers=owner, **body)).json()["id"]
        _set(jobs_engine, job_id, status="running", worker="gone:1:x", attempts=1,
             heartbeat_at=datetime.now(UTC) - timedelta(hours=1))  # fmt: skip
        asked = (await client.post(f"/v1/screenings/{job_id}/cancel", headers=owner)).json()
    assert (asked["status"], asked["cancel_requested"]) == ("running", True)
    async with serve(jobs_app(jobs_url, data)) as client:
        job = await wait_for(client, job_id, owner)
    assert job["status"] == "cancelled"
    assert not (data / "screenings" / job_id).exists()


async def test_results_are_purged_after_retention_and_the_record_stays(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job is made succeeded by hand (files and all): a run costs seconds and the other
    tests run real ones; ``expires_at`` is what a worker sets when it ends one."""
    owner = issue_key(jobs_engine, "Invented Tidy Office")
    data = tmp_path / "data"
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF)
        job_id = (await client.post("/v1/screenings", headers=owner, **body)).json()["id"]
    folder = data / "screenings" / job_id
    (folder / "results.parquet").write_bytes(b"PAR1")
    (folder / "aggregate.parquet").write_bytes(b"PAR1")
    now = datetime.now(UTC)
    counts = {"households": 2, "persons": 2, "programs": 1, "not_compiled": 0, "rows": 1}
    _set(jobs_engine, job_id, status="succeeded", finished_at=now, counts=counts,
         expires_at=now + timedelta(days=7), results_path=f"screenings/{job_id}/results.parquet",
         aggregate_path=f"screenings/{job_id}/aggregate.parquet")  # fmt: skip
    monkeypatch.setenv("HANARO_DATABASE_URL", jobs_url)
    monkeypatch.setenv("HANARO_DATA_DIR", str(data))
    assert main(["screenings", "purge"]) == 0  # nothing expired yet
    assert (data / "screenings" / job_id / "results.parquet").exists()
    _set(jobs_engine, job_id, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert main(["screenings", "purge"]) == 0
    assert not (data / "screenings" / job_id).exists()
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        gone = await client.get(f"/v1/screenings/{job_id}/results", headers=owner)
        job = (await client.get(f"/v1/screenings/{job_id}", headers=owner)).json()
    assert gone.status_code == 410
    assert job["status"] == "purged" and job["counts"]["households"] == 2
    actions = [e.action for e in _audit(jobs_engine, f"screening:{job_id}")]
    assert actions[-1] == "screening.purge" and actions.count("screening.purge") == 1


@pytest.mark.parametrize(("attempts", "ends"), [(1, "succeeded"), (2, "failed")])
async def test_a_job_whose_worker_died_resumes_in_a_new_app_or_fails_visibly(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path, attempts: int, ends: str
) -> None:
    owner = issue_key(jobs_engine, f"Invented Resilient Office {attempts}")
    data = tmp_path / "data"
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF, format="csv")
        job_id = (await client.post("/v1/screenings", headers=owner, **body)).json()["id"]
    # its worker claimed it, ran a stage or two, and died: the heartbeat stopped an hour ago
    _set(jobs_engine, job_id, status="running", worker="dead-host:4242:abcdef", attempts=attempts,
         stage="verdicts", stage_index=3, stage_count=7, started_at=datetime.now(UTC),
         heartbeat_at=datetime.now(UTC) - timedelta(hours=1))  # fmt: skip
    async with serve(jobs_app(jobs_url, data, screening_max_attempts=2)) as client:
        job = await wait_for(client, job_id, owner)
        results = await client.get(f"/v1/screenings/{job_id}/results", headers=owner)
    assert job["status"] == ends, job
    if ends == "succeeded":
        assert results.text.startswith("household_rank,household_id")
        with Session(jobs_engine) as session:
            row = session.get(models.ScreeningJob, _uuid(job_id))
            assert row is not None and row.attempts == 2 and row.worker != "dead-host:4242:abcdef"
    else:
        assert job["error"]["code"] == "worker_lost"
        assert results.status_code == 409
        assert not (data / "screenings" / job_id).exists()


# the tables ``_tables`` makes, as a job's input
TABLES_BODY = {
    "households_table": "screening_input.households",
    "persons_table": "screening_input.persons",
    "as_of": AS_OF,
    "format": "csv",
    "min_cell": 1,
}


async def test_tables_as_input_are_screened_in_postgresql_or_refused_elsewhere(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    owner = issue_key(jobs_engine, "Invented Database Office")
    app = jobs_app(jobs_url, tmp_path / "data")
    if jobs_engine.dialect.name != "postgresql":
        async with serve(app) as client:
            refused = await client.post("/v1/screenings", headers=owner, json=TABLES_BODY)
        assert refused.status_code == 422
        assert refused.json()["type"] == "urn:hanaro:problem:screening-source"
        return
    _tables(jobs_engine)
    async with serve(app) as client:
        elsewhere = {**TABLES_BODY, "households_table": "public.api_key"}
        not_allowed = await client.post("/v1/screenings", headers=owner, json=elsewhere)
        quoted = {**TABLES_BODY, "persons_table": 'screening_input."persons"; --'}
        bad_name = await client.post("/v1/screenings", headers=owner, json=quoted)
        created = await client.post("/v1/screenings", headers=owner, json=TABLES_BODY)
        assert created.status_code == 202, created.text
        job = await wait_for(client, created.json()["id"], owner)
        results = await client.get(f"/v1/screenings/{job['id']}/results", headers=owner)
    assert not_allowed.status_code == 422 and "screening_input" in not_allowed.text
    assert bad_name.status_code == 422
    assert (job["status"], job["engine"], job["source"]) == ("succeeded", "postgres", "tables")
    lines = results.text.splitlines()
    assert lines[1].startswith(f"1,h1,11110,job_loss,1,{VETERANS},likely,5760000,5760000,true")
    assert not [line for line in lines if ",h2," in line and VETERANS in line]
    assert job["counts"]["rows"] == len(lines) - 1


def _tables(engine: Engine) -> None:
    from sqlalchemy import text

    from app.screening.tables import ddl

    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS screening_input CASCADE"))
        conn.execute(text("CREATE SCHEMA screening_input"))
        for table in ("households", "persons"):
            create = ddl(table, "postgres").replace(
                "CREATE TABLE ", "CREATE TABLE screening_input.", 1
            )
            conn.execute(text(create))
        conn.execute(text(
            "INSERT INTO screening_input.households (household_id, size, sigungu, crisis, "
            "receives) VALUES ('h1', 1, '11110', ARRAY['job_loss'], NULL), "
            f"('h2', 1, '11110', NULL, ARRAY['{VETERANS}'])"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO screening_input.persons (household_id, person_index, age_min, age_max, "
            "veteran) VALUES ('h1', 0, 70, 70, true), ('h2', 0, 70, 70, true)"
        ))  # fmt: skip


async def test_a_refused_job_says_its_problems_in_the_request_language(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    """A job whose input the worker refused keeps its problems as data and says them in the
    language of whoever reads the job; a line kept by an older version is shown as it is."""
    owner = issue_key(jobs_engine, "Invented Multilingual Office")
    data = tmp_path / "data"
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        body = upload(HOUSEHOLDS_CSV, PERSONS_CSV, as_of=AS_OF)
        job_id = (await client.post("/v1/screenings", headers=owner, **body)).json()["id"]
    kept = [
        {"code": "above_other", "table": "persons", "column": "age_min", "count": 3,
         "other": "age_max"},
        "households.name: not a screening column",
    ]  # fmt: skip
    _set(jobs_engine, job_id, status="failed", finished_at=datetime.now(UTC),
         error_code="input_refused", error_message="the input was refused: see problems",
         problems=kept)  # fmt: skip
    async with serve(jobs_app(jobs_url, data, screening_poll_seconds=0)) as client:
        url = f"/v1/screenings/{job_id}"
        korean = (await client.get(url, headers=owner)).json()["error"]
        english = (await client.get(url, headers=owner | {"Accept-Language": "en"})).json()
    assert korean["code"] == "input_refused"
    assert korean["problems"] == [
        "persons.age_min: 3개 행의 값이 age_max 값보다 큽니다",
        "households.name: not a screening column",
    ]
    assert korean["message"].startswith("입력에 문제가 2건 있어")
    assert english["error"]["problems"][0] == "persons.age_min: 3 row(s) above age_max"
    assert english["error"]["message"].startswith("The input has 2 problem(s)")


async def test_tables_the_worker_refuses_fail_the_job_with_problems_in_korean(
    jobs_url: str, jobs_engine: Engine, tmp_path: Path
) -> None:
    """Tables pass the column check when the job is made; their values are checked when the
    worker reads them. One person with age_min 80 over age_max 70: the job fails, and its
    problem is said in the reader's language."""
    if jobs_engine.dialect.name != "postgresql":
        pytest.skip("tables as input are PostgreSQL's")
    from sqlalchemy import text

    owner = issue_key(jobs_engine, "Invented Careless Office")
    _tables(jobs_engine)
    with jobs_engine.begin() as conn:
        conn.execute(
            text("UPDATE screening_input.persons SET age_min = 80 WHERE household_id = 'h2'")
        )
    async with serve(jobs_app(jobs_url, tmp_path / "data")) as client:
        created = await client.post("/v1/screenings", headers=owner, json=TABLES_BODY)
        assert created.status_code == 202, created.text
        job = await wait_for(client, created.json()["id"], owner)
        english = await client.get(
            f"/v1/screenings/{job['id']}", headers=owner | {"Accept-Language": "en"}
        )
    assert (job["status"], job["error"]["code"]) == ("failed", "input_refused")
    assert job["error"]["problems"] == ["persons.age_min: 1개 행의 값이 age_max 값보다 큽니다"]
    assert english.json()["error"]["problems"] == ["persons.age_min: 1 row(s) above age_max"]
