"""``hanaro screen`` end to end: CSV, Parquet and JSON Lines in, CSV and Parquet out, the
aggregate with small cells shown as ``<k``, refused input (exit 2, the column named, the value
never echoed), and the same files from PostgreSQL when HANARO_TEST_DATABASE_URL names one.

Hand-worked: two 70-year-old veterans in 종로구 (11110). h1 names a crisis (job_loss), h2
already receives 참전명예수당. So h1 comes first and has 참전명예수당 likely at 480,000 × 12
= 5,760,000 a year; h2 does not have it; in the aggregate 11110 × 참전명예수당 counts 1 (h1):
shown as ``<5``, and as 1 with ``--min-cell 1``.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from app.cli import main
from tests.screening.conftest import _pg_url

VETERANS = "veterans-war-honor-allowance"
HOUSEHOLDS = [
    {"household_id": "h1", "size": 1, "sigungu": "11110", "crisis": ["job_loss"]},
    {"household_id": "h2", "size": 1, "sigungu": "11110", "receives": [VETERANS]},
]
PERSONS = [
    {"household_id": "h1", "person_index": 0, "age_min": 70, "age_max": 70, "veteran": True},
    {"household_id": "h2", "person_index": 0, "age_min": 70, "age_max": 70, "veteran": True},
]
HOUSEHOLDS_CSV = """household_id,size,sigungu,crisis,receives
h1,1,11110,[job_loss],
h2,1,11110,,[veterans-war-honor-allowance]
"""
PERSONS_CSV = """household_id,person_index,age_min,age_max,veteran
h1,0,70,70,true
h2,0,70,70,true
"""


def _csv_input(folder: Path, households: str = HOUSEHOLDS_CSV, persons: str = PERSONS_CSV) -> Path:
    folder.mkdir()
    (folder / "households.csv").write_text(households, encoding="utf-8")
    (folder / "persons.csv").write_text(persons, encoding="utf-8")
    return folder


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _screen(*argv: str | Path) -> int:
    return main(["screen", *map(str, argv), "--as-of", "2026-03-02"])


def test_a_csv_folder_screened_to_csv_with_the_aggregate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _csv_input(tmp_path / "in")
    out, agg = tmp_path / "out.csv", tmp_path / "agg.csv"
    assert _screen(source, "--out", out, "--aggregate", agg) == 0
    rows = _rows(out)
    assert rows[0] == {
        "household_rank": "1", "household_id": "h1", "area": "11110", "crisis": "job_loss",
        "program_rank": "1", "program_id": VETERANS, "verdict": "likely",
        "value_low": "5760000", "value_high": "5760000", "per_person": "true", "confirm": "",
    }  # fmt: skip
    assert {r["household_id"] for r in rows if r["program_id"] == VETERANS} == {"h1"}
    assert {r["household_rank"] for r in rows if r["household_id"] == "h2"} == {"2"}
    cell = next(a for a in _rows(agg) if a["program_id"] == VETERANS)
    assert cell == {
        "area": "11110", "area_level": "sigungu", "program_id": VETERANS,
        "households": "<5", "likely": "<5", "possible": "<5", "total": "<5",
    }  # fmt: skip
    err = capsys.readouterr().err
    assert "[1/7] reading and checking the input" in err and "[7/7] writing" in err
    assert "screened 2 households (2 persons) on 2026-03-02" in err

    assert _screen(source, "--out", out, "--aggregate", agg, "--min-cell", "1") == 0
    cell = next(a for a in _rows(agg) if a["program_id"] == VETERANS)
    assert (cell["households"], cell["likely"], cell["possible"]) == ("2", "1", "<1")


def test_jsonl_and_parquet_inputs_give_the_same_output(tmp_path: Path) -> None:
    from_csv = tmp_path / "from_csv.csv"
    assert _screen(_csv_input(tmp_path / "in"), "--out", from_csv) == 0
    households = _jsonl(tmp_path / "households.jsonl", HOUSEHOLDS)
    persons = _jsonl(tmp_path / "persons.jsonl", PERSONS)
    from_jsonl = tmp_path / "from_jsonl.csv"
    assert _screen(households, persons, "--out", from_jsonl) == 0
    assert from_jsonl.read_text() == from_csv.read_text()

    folder = tmp_path / "pq"
    folder.mkdir()
    for name, path in (("households", households), ("persons", persons)):
        duckdb.sql(f"COPY (FROM read_json_auto('{path}')) TO '{folder / name}.parquet'")
    out = tmp_path / "out.parquet"
    assert _screen(folder, "--out", out) == 0
    back = tmp_path / "back.csv"
    duckdb.sql(f"COPY (FROM read_parquet('{out}')) TO '{back}' (HEADER)")
    assert back.read_text() == from_csv.read_text()
    types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE FROM read_parquet('{out}')").fetchall()}
    assert (types["value_low"], types["per_person"]) == ("BIGINT", "BOOLEAN")


def test_a_name_column_is_refused_by_name_never_by_value(tmp_path: Path) -> None:
    households = "household_id,name,sigungu\nh1,Kim Minsu,11110\n"
    source = _csv_input(tmp_path / "in", households=households)
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "screen", str(source), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2
    assert "households.name: not a screening column" in done.stderr
    assert "Kim" not in done.stderr + done.stdout
    assert not out.exists()


def test_bad_values_are_counted_per_column_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    households = "household_id,housing\nh1,castle\nh2,owner\nh3,owner\n"
    persons = "household_id,person_index,age_min,age_max\nh1,0,seventy,70\nh2,1,40,40\n"
    source = _csv_input(tmp_path / "in", households, persons)
    assert _screen(source, "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    assert "households.housing: 1 row(s) not one of the options" in err
    assert "persons.age_min: 1 row(s) not double" in err
    assert "castle" not in err and "seventy" not in err

    persons = "household_id,person_index,age_min,age_max\nh1,0,70,70\nh2,1,40,40\nh9,0,1,1\n"
    source = _csv_input(tmp_path / "keys", households.replace("castle", "owner"), persons)
    assert _screen(source, "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    assert "persons.household_id: 1 row(s) empty or naming no household" in err
    assert "persons.person_index: 2 household(s) without the applicant (person_index 0)" in err


def test_refused_input_is_listed_in_english_lines_naming_paths_columns_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The operator's lines stay English (the HTTP answer is localized instead): a folder
    without a persons file, a file that is not there, then a size of 1.5, an age_min of -1 and
    an age_min of 80 over its age_max of 70."""
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "households.csv").write_text(HOUSEHOLDS_CSV, encoding="utf-8")
    assert _screen(folder, "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [
        "hanaro screen: input refused:",
        f"  {folder}: needs exactly one of persons.parquet, persons.pq, persons.csv, "
        "persons.jsonl, persons.ndjson, persons.json",
    ]
    missing = tmp_path / "persons.csv"
    assert _screen(folder / "households.csv", missing, "--out", tmp_path / "out.csv") == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"  {missing}: no such file"

    households = "household_id,size\nh1,1.5\n"
    persons = "household_id,person_index,age_min,age_max\nh1,0,-1,70\nh1,1,80,70\n"
    source = _csv_input(tmp_path / "values", households, persons)
    assert _screen(source, "--out", tmp_path / "out.csv") == 2
    assert capsys.readouterr().err.splitlines()[-4:] == [
        "hanaro screen: input refused:",
        "  households.size: 1 row(s) not a whole number",
        "  persons.age_min: 1 row(s) below 0",
        "  persons.age_min: 1 row(s) above age_max",
    ]


def test_an_output_that_is_not_parquet_or_csv_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _screen(_csv_input(tmp_path / "in"), "--out", tmp_path / "out.xlsx") == 2
    assert "must end in .parquet or .csv" in capsys.readouterr().err


@pytest.mark.database
def test_postgres_writes_the_same_files(tmp_path: Path) -> None:
    url = _pg_url()
    if url is None:
        pytest.skip("HANARO_TEST_DATABASE_URL does not name PostgreSQL")
    source = _csv_input(tmp_path / "in")
    files = {}
    for engine in ("duckdb", "postgres"):
        out, agg = tmp_path / f"{engine}.parquet", tmp_path / f"{engine}-agg.csv"
        argv = [source, "--out", out, "--aggregate", agg, "--engine", engine]
        assert _screen(*argv, "--database-url", url, "--min-cell", "1") == 0
        rows = duckdb.sql(f"FROM read_parquet('{out}')").fetchall()
        files[engine] = (rows, agg.read_text())
    assert files["postgres"] == files["duckdb"]
    assert files["duckdb"][0][0][5] == VETERANS


def test_spark_writes_the_same_files(tmp_path: Path) -> None:
    if os.environ.get("HANARO_TEST_SPARK") != "1":
        pytest.skip("Spark runs with HANARO_TEST_SPARK=1 (make test-spark)")
    pytest.importorskip("pyspark")
    source = _csv_input(tmp_path / "in")
    files = {}
    for engine in ("duckdb", "spark"):
        out, agg = tmp_path / f"{engine}.parquet", tmp_path / f"{engine}-agg.csv"
        argv = [source, "--out", out, "--aggregate", agg, "--engine", engine]
        assert _screen(*argv, "--min-cell", "1") == 0
        rows = duckdb.sql(f"FROM read_parquet('{out}')").fetchall()
        files[engine] = (rows, agg.read_text())
    assert files["spark"] == files["duckdb"]
    assert files["duckdb"][0][0][5] == VETERANS
