# ruff: noqa: E501  (generator SQL: one column expression per line reads better unwrapped)
"""Screening benchmark (#14): N synthetic households x the compiled catalog, per backend.

    python -m bench.screening --households 1000000 [--engine duckdb spark] [--sample 2000]
        [--spark-households 200000] [--seed 7] [--as-of 2026-03-02]

Households are generated inside DuckDB (seeded): size 1-5 (single-person most common), ages by
role, a 소득인정액 that is exact, a band or unknown, assets, regions across the 시도, some
crisis signals and receipts. Reports, per backend, households/s of the verdict query (staging
+ every compiled program, the result materialized), the CPU seconds it used (all threads) and
the peak memory; and how many (household, program) pairs are eligible or undecided.

- duckdb: in process (``CREATE TEMP TABLE verdicts AS ...``); peak RSS of this process.
- spark: local[2] (``app.screening.spark``, codegen on), the same households handed over as
  Parquet; the verdicts written to Spark's ``noop`` sink (computed, not stored); time from the
  first step to the last (the JVM start is reported apart); peak RSS of the JVM (VmHWM).
  ``--spark-households`` runs Spark on the first N households only (the rate is per household).
- engine: the per-household engine (``CatalogSnapshot.evaluate``) on the first ``--sample``
  households read back as profiles, one at a time, with a check that its verdicts equal the
  batch's for the programs the batch compiles.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from app.catalog.loader import load_catalog
from app.matching.facts import Profile
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import Truth
from app.screening.columns import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, Column
from app.screening.screen import Screening, compile_screening
from app.screening.tables import ddl

SIDO = ["11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50"]


def generate(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> None:
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute(ddl("households"))
    con.execute(ddl("persons"))
    sido = "[" + ", ".join(f"'{s}'" for s in SIDO) + "]"
    con.execute(f"""
        CREATE TEMP TABLE g AS SELECT i, random() AS r1, random() AS r2, random() AS r3,
          CASE WHEN random() < 0.34 THEN 1 WHEN random() < 0.45 THEN 2 WHEN random() < 0.6 THEN 3
               WHEN random() < 0.85 THEN 4 ELSE 5 END AS size
        FROM range({n}) t(i)""")
    con.execute(f"""
        INSERT INTO households (household_id, size, region, income_recognized_monthly_min,
          income_recognized_monthly_max, assets_min, assets_max, housing, crisis, receives)
        SELECT 'h' || i, size, {sido}[1 + CAST(floor(r1 * 15) AS INTEGER)],
          CASE WHEN r2 < 0.6 THEN round(r3 * 6000000) WHEN r2 < 0.85 THEN floor(r3 * 6) * 1000000 END,
          CASE WHEN r2 < 0.6 THEN round(r3 * 6000000) WHEN r2 < 0.85 THEN floor(r3 * 6) * 1000000 + 1000000 END,
          CASE WHEN r1 < 0.7 THEN round(r2 * 400000000) END,
          CASE WHEN r1 < 0.7 THEN round(r2 * 400000000) END,
          CASE WHEN r3 < 0.55 THEN 'owner' WHEN r3 < 0.8 THEN 'renter_jeonse' ELSE 'renter_monthly' END,
          CASE WHEN r1 < 0.05 THEN ['job_loss'] WHEN r1 < 0.5 THEN []::VARCHAR[] END,
          CASE WHEN r2 < 0.03 THEN ['basic-livelihood'] WHEN r2 < 0.7 THEN []::VARCHAR[] END
        FROM g""")
    con.execute("""
        INSERT INTO persons (household_id, person_index, relation, age_min, age_max, sex,
          disability_registered, employment_status, pregnant)
        SELECT 'h' || i, k,
          CASE WHEN k = 0 THEN 'self' WHEN k = 1 AND size > 2 THEN 'spouse' ELSE 'child' END,
          a, a,
          CASE WHEN random() < 0.5 THEN 'female' ELSE 'male' END,
          CASE WHEN random() < 0.06 THEN TRUE WHEN random() < 0.5 THEN FALSE END,
          CASE WHEN a BETWEEN 19 AND 64 THEN
            (['employed', 'self_employed', 'unemployed', 'not_working'])[1 + CAST(floor(random() * 4) AS INTEGER)] END,
          CASE WHEN a BETWEEN 20 AND 45 AND random() < 0.03 THEN TRUE END
        FROM (SELECT i, size, k,
                CASE WHEN k < 2 THEN CAST(floor(CASE WHEN size = 1 THEN 20 + r1 * 70 ELSE 25 + r2 * 50 END) AS INTEGER)
                     ELSE CAST(floor(random() * 25) AS INTEGER) END AS a
              FROM g, range(size) t(k))""")


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def _totals(con: Any, table: str, screening: Screening) -> tuple[int, int, int]:
    columns = [c.column for c in screening.compiled]
    true = " + ".join(f"CAST(COALESCE({c}, FALSE) AS INTEGER)" for c in columns)
    unknown = " + ".join(f"CAST({c} IS NULL AS INTEGER)" for c in columns)
    row = con.execute(f"SELECT count(*), sum({true}), sum({unknown}) FROM {table}").fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def run_duckdb(con: Any, screening: Screening) -> dict[str, Any]:
    cpu, started = _cpu(), time.perf_counter()
    con.execute(f"CREATE TEMP TABLE verdicts AS {screening.verdict_sql()}")
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    n, eligible, undecided = _totals(con, "verdicts", screening)
    return {"households": n, "seconds": elapsed, "cpu": cpu, "eligible": eligible,
            "undecided": undecided, "peak_gb": _peak_rss_gb()}  # fmt: skip


def _jvm_peak_gb() -> float | None:
    """The peak RSS (VmHWM) of this process's java child, the Spark driver."""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ")[-1].split()
            if fields[1] != me or "java" not in (stat.parent / "comm").read_text():
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024 / 1024
        except OSError:
            continue
    return None


def run_spark(con: Any, screening: Screening, limit: int | None) -> dict[str, Any]:
    from app.screening import spark as backend

    with tempfile.TemporaryDirectory(prefix="bench-spark-") as name:
        folder = Path(name)
        keep = (
            ""
            if limit is None
            else f" WHERE household_id IN (SELECT household_id FROM households LIMIT {limit})"
        )
        for table in ("households", "persons"):
            con.execute(
                f"COPY (SELECT * FROM {table}{keep}) TO '{folder / table}.parquet' (FORMAT PARQUET)"
            )
        started = time.perf_counter()
        spark = backend.session(threads=2, memory=os.environ.get("HANARO_SPARK_MEMORY", "6g"))
        jvm = time.perf_counter() - started
        cursor = backend.SparkCursor(spark)
        for table in ("households", "persons"):
            cursor.load_parquet(table, folder / f"{table}.parquet")
        sql = screening.verdict_sql("spark")
        cpu, started = _cpu(), time.perf_counter()
        frame = cursor.frame(sql)
        frame.write.format("noop").mode("overwrite").save()
        elapsed = time.perf_counter() - started
        frame.write.mode("overwrite").parquet(str(folder / "verdicts"))
        con.execute(
            f"CREATE TEMP TABLE spark_verdicts AS FROM read_parquet('{folder}/verdicts/*.parquet')"
        )
        n, eligible, undecided = _totals(con, "spark_verdicts", screening)
        peak = _jvm_peak_gb()
        spark.stop()
    return {"households": n, "seconds": elapsed, "cpu": None, "eligible": eligible,
            "undecided": undecided, "peak_gb": peak, "jvm_start": jvm,
            "python_cpu": _cpu() - cpu}  # fmt: skip


def _whole(value: Any, col: Column) -> Any:
    """An int fact as an int (the input columns are DOUBLE; the engine takes 43, not 43.0)."""
    return int(value) if col.spec.type == "int" and isinstance(value, float) else value


def _facts(row: dict[str, Any], columns: tuple[Column, ...]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for col in columns:
        scope, _, name = col.fact.partition(".")
        if col.is_number:
            low, high = (_whole(row.get(f"{col.name}_{end}"), col) for end in ("min", "max"))
            if low is None and high is None:
                continue
            value: Any = low if low == high else {"min": low, "max": high}
        else:
            value = row.get(col.name)
            if value is None:
                continue
        found.setdefault(scope, {})[name] = value
    return found


def profiles(con: Any, n: int) -> dict[str, Profile]:
    """The first ``n`` households of the input tables as engine profiles."""

    def rows(query: str) -> list[dict[str, Any]]:
        result = con.execute(query)
        names = [d[0] for d in result.description]
        return [dict(zip(names, r, strict=True)) for r in result.fetchall()]

    households = rows(f"SELECT * FROM households ORDER BY household_id LIMIT {n}")
    ids = ", ".join(f"'{h['household_id']}'" for h in households)
    persons: dict[str, list[dict[str, Any]]] = {}
    for person in rows(f"SELECT * FROM persons WHERE household_id IN ({ids}) "
                       "ORDER BY household_id, person_index"):  # fmt: skip
        persons.setdefault(person["household_id"], []).append(person)
    found = {}
    for household in households:
        facts = _facts(household, HOUSEHOLD_COLUMNS)
        if household["size"] is not None:
            facts.setdefault("household", {})["size"] = household["size"]
        people = [
            _facts(p, PERSON_COLUMNS).get("person", {}) for p in persons[household["household_id"]]
        ]
        found[household["household_id"]] = Profile(
            people[0], people[1:], facts.get("household", {}), facts.get("pension_unit", {}),
            facts.get("parents", {}),
        )  # fmt: skip
    return found


def run_engine(con: Any, snapshot: CatalogSnapshot, screening: Screening, as_of: date,
               n: int) -> dict[str, Any]:  # fmt: skip
    sample = profiles(con, n)
    started = time.perf_counter()
    decided = {hid: {d.program_id: d.truth for d in snapshot.evaluate(p, as_of)}
               for hid, p in sample.items()}  # fmt: skip
    elapsed = time.perf_counter() - started
    ids = ", ".join(f"'{h}'" for h in sample)
    columns = ", ".join(c.column for c in screening.compiled)
    batch = con.execute(
        f"SELECT household_id, {columns} FROM verdicts WHERE household_id IN ({ids})"
    ).fetchall()
    as_truth = {True: Truth.TRUE, False: Truth.FALSE, None: Truth.UNKNOWN}
    differ = sum(
        as_truth[v] is not decided[row[0]][c.program_id]
        for row in batch
        for c, v in zip(screening.compiled, row[1:], strict=True)
    )
    return {"households": len(sample), "seconds": elapsed, "differ": differ,
            "pairs": len(batch) * len(screening.compiled)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--engine", nargs="+", choices=("duckdb", "spark"), default=["duckdb"])
    parser.add_argument("--spark-households", type=int, default=None)
    parser.add_argument("--sample", type=int, default=0, help="per-household engine sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 3, 2))
    args = parser.parse_args()
    snapshot = CatalogSnapshot.build(*load_catalog())
    screening = compile_screening(snapshot, args.as_of)
    con = duckdb.connect()
    started = time.perf_counter()
    generate(con, args.households, args.seed)
    generated = time.perf_counter() - started
    print(
        f"households={args.households:,} programs={len(screening.compiled)} (not compiled: "
        f"{len(screening.not_compiled)}) generate={generated:.1f}s "
        f"load_average={os.getloadavg()[0]:.2f}"
    )
    if "duckdb" in args.engine or args.sample:
        r = run_duckdb(con, screening)
        print(
            f"duckdb: screen={r['seconds']:.2f}s cpu={r['cpu']:.1f}s "
            f"rate={r['households'] / r['seconds']:,.0f} households/s "
            f"peak_rss={r['peak_gb']:.2f}GB (process, generation included) "
            f"eligible_pairs={r['eligible']} undecided_pairs={r['undecided']}"
        )
    if "spark" in args.engine:
        r = run_spark(con, screening, args.spark_households)
        peak = "?" if r["peak_gb"] is None else f"{r['peak_gb']:.2f}GB"
        print(
            f"spark local[2]: households={r['households']:,} screen={r['seconds']:.2f}s "
            f"rate={r['households'] / r['seconds']:,.0f} households/s jvm_start={r['jvm_start']:.1f}s "
            f"peak_rss={peak} (JVM) eligible_pairs={r['eligible']} undecided_pairs={r['undecided']}"
        )
    if args.sample:
        r = run_engine(con, snapshot, screening, args.as_of, args.sample)
        print(
            f"engine (per household, 1 thread): households={r['households']:,} "
            f"time={r['seconds']:.2f}s rate={r['households'] / r['seconds']:,.0f} households/s "
            f"(all {len(snapshot.in_effect(args.as_of))} programs in effect) "
            f"differ_from_batch={r['differ']} of {r['pairs']} pairs"
        )
    print(f"load_average_after={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
