# ruff: noqa: E501  (synthetic catalog tables read better unwrapped)
"""Engine benchmark: evaluate one realistic household against synthetic catalogs.

Run: ``.venv/bin/python -m bench.engine`` (or ``.venv/bin/python bench/engine.py``).
Prints the median time per plan (all programs, facts resolved once) and per program, over many
runs measured with ``time.perf_counter_ns``. Figures go in ``bench/README.md``.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.matching.facts import Profile, Range
from app.matching.parameters import Parameter
from app.matching.programs import ProgramSpec
from app.matching.snapshot import CatalogSnapshot

AS_OF = date(2026, 3, 1)
SIZES = (60, 500, 5_000)
REGIONS = ["11", "26", "27", "28", "41", "47"]
RECEIVES = ["basic-livelihood", "near-poverty", "basic-pension", "housing-benefit"]
MEDIAN = {"1": 2564238, "2": 4199292, "3": 5359036, "4": 6494738, "5": 7556719,
          "6": 8555952, "7": 9515150}  # fmt: skip


def parameters() -> list[Parameter]:
    text = {"ko": "기준 중위소득 (100%)", "en": "Standard median income (100%)"}
    return [
        Parameter.model_validate(
            {"id": "median_income.base", "unit": "KRW_monthly", "description": text,
             "key": "household.size", "extrapolate": "last_step",
             "values": [{"effective_from": "2026-01-01", "value": MEDIAN}]}
        ),
        Parameter.model_validate(
            {"id": "toy.amount", "unit": "KRW_monthly", "description": text,
             "values": [{"effective_from": "2020-01-01", "value": 100_000}]}
        ),
    ]  # fmt: skip


def eligibility(i: int) -> dict[str, Any]:
    """One of several realistic shapes, varied by ``i``."""
    income = {
        "fact": "household.income_recognized_monthly",
        "op": "le",
        "value": {
            "param": "median_income.base",
            "key": "household.size",
            "percent": 30 + i % 7 * 10,
        },
    }
    shapes: list[dict[str, Any]] = [
        {"all": [{"fact": "applicant.age", "op": "ge", "value": 60 + i % 10}, income]},
        {"all": [income, {"count": {"member": {"fact": "person.age", "op": "lt", "value": 6 + i % 12}},
                          "op": "ge", "value": 1}]},
        {"all": [{"fact": "applicant.age", "op": "between", "value": [19, 34 + i % 5]},
                 {"fact": "applicant.employment_status", "op": "in", "value": ["unemployed", "not_working"]},
                 {"not": {"fact": "household.receives", "op": "contains", "value": RECEIVES[i % 4]}}]},
        {"any": [{"fact": "household.receives", "op": "contains", "value": RECEIVES[i % 4]},
                 {"all": [income, {"fact": "household.single_parent", "op": "is_true"}]}]},
        {"all": [{"fact": "applicant.disability_registered", "op": "is_true"},
                 {"fact": "household.median_income_ratio", "op": "le", "value": 50 + i % 5 * 10}]},
    ]  # fmt: skip
    return shapes[i % len(shapes)]


def program(i: int) -> ProgramSpec:
    text = {"ko": f"시험 사업 {i}", "en": f"Test program {i}"}
    amount: Any = (
        {
            "per_member": {
                "member": {"fact": "person.age", "op": "lt", "value": 8},
                "amount": 100_000,
            }
        }
        if i % 3 == 0
        else {"param": "toy.amount"}
    )
    return ProgramSpec.model_validate(
        {"id": f"bench-{i}", "name": text, "summary": text, "domain": "welfare", "agency": text,
         "regions": ["KR"] if i % 4 else [REGIONS[i % len(REGIONS)]], "effective_from": "2020-01-01",
         "verification": "verified", "eligibility": eligibility(i),
         "benefit": {"kind": "cash_monthly", "amount": amount, "description": text},
         "apply": [{"channel": "community_center"}],
         "sources": [{"url": "https://example.invalid/bench", "title": "bench"}]}
    )  # fmt: skip


def household() -> Profile:
    """An invented four-person household with some facts given as bands and some unknown."""
    return Profile(
        applicant={"age": 41, "employment_status": "unemployed", "disability_registered": False},
        members=[
            {"relation": "spouse", "age": 39},
            {"relation": "child", "age": 7},
            {"relation": "child"},
        ],
        household={
            "region": "27",
            "income_recognized_monthly": Range(2_000_000, 3_000_000),
            "receives": ["near-poverty"],
        },
    )


def measure(size: int, runs: int) -> tuple[float, float]:
    """Median µs per plan and per program for a catalog of ``size`` programs."""
    snap = CatalogSnapshot.build([program(i) for i in range(size)], parameters())
    profile = household()
    snap.evaluate(profile, AS_OF)  # warm the parameter caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        snap.evaluate(profile, AS_OF)
        samples.append(time.perf_counter_ns() - start)
    per_plan = statistics.median(samples) / 1_000
    return per_plan, per_plan / size


def main() -> None:
    print(f"{'programs':>9} {'runs':>5} {'µs/plan (median)':>17} {'µs/program':>11}")
    for size in SIZES:
        runs = max(20, 20_000 // size)
        per_plan, per_program = measure(size, runs)
        print(f"{size:>9} {runs:>5} {per_plan:>17,.0f} {per_program:>11.2f}")


if __name__ == "__main__":
    main()
