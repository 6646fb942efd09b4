# ruff: noqa: E501  (generator SQL: one column expression per line reads better unwrapped)
"""Screening benchmark (#14): N synthetic households x the compiled catalog on DuckDB.

    python bench/screening.py --households 100000 [--seed 7] [--as-of 2026-03-02]

Households are generated inside DuckDB (seeded): size 1-5 (single-person most common), ages by
role, a 소득인정액 that is exact, a band or unknown, assets, regions across the 시도, some
crisis signals and receipts. Reports households/s of the verdict query (staging + every
compiled program) and how many (household, program) pairs are eligible or undecided.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import duckdb

from app.catalog.loader import load_catalog
from app.matching.snapshot import CatalogSnapshot
from app.screening.screen import compile_screening
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 3, 2))
    args = parser.parse_args()
    snapshot = CatalogSnapshot.build(*load_catalog())
    screening = compile_screening(snapshot, args.as_of)
    con = duckdb.connect()
    started = time.perf_counter()
    generate(con, args.households, args.seed)
    generated = time.perf_counter() - started
    sql = screening.verdict_sql()
    started = time.perf_counter()
    con.execute(f"CREATE TEMP TABLE verdicts AS {sql}")
    elapsed = time.perf_counter() - started
    columns = [c.column for c in screening.compiled]
    true = " + ".join(f"CAST(COALESCE({c}, FALSE) AS INTEGER)" for c in columns)
    unknown = " + ".join(f"CAST({c} IS NULL AS INTEGER)" for c in columns)
    row = con.execute(f"SELECT count(*), sum({true}), sum({unknown}) FROM verdicts").fetchone()
    assert row is not None
    print(
        f"households={row[0]} programs={len(columns)} (not compiled: {len(screening.not_compiled)}) "
        f"generate={generated:.1f}s screen={elapsed:.2f}s rate={row[0] / elapsed:,.0f} households/s "
        f"eligible_pairs={row[1]} undecided_pairs={row[2]}"
    )


if __name__ == "__main__":
    main()
