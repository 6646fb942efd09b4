# ruff: noqa: E501  (synthetic catalog tables read better unwrapped)
"""Engine benchmark: evaluate one realistic household against synthetic catalogs.

Run: ``.venv/bin/python -m bench.engine`` (or ``.venv/bin/python bench/engine.py``).
Prints the median (and 90th percentile) time per evaluation (all programs, facts resolved once)
and per program, over many runs measured with ``time.perf_counter_ns``, twice per catalog:
``shared`` is the normal build (conditions that several programs repeat are evaluated once per
household) and ``none`` compiles and evaluates every program on its own, which is what a catalog
without any repeated condition costs. ``distinct`` is the share of condition occurrences that
are distinct (path and rule). The last row evaluates the shipped catalog for every golden
persona. Figures go in ``bench/README.md``.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.matching.binding import Sharing
from app.matching.compile import count_subtrees
from app.matching.evaluate import compile_programs, region_rule
from app.matching.facts import Profile, Range
from app.matching.parameters import Parameter, ParameterSet
from app.matching.programs import ProgramSpec
from app.matching.rules import Comparison, CountRule
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


def eligibility(i: int, varied: bool = False) -> dict[str, Any]:
    """One of several realistic shapes, varied by ``i``. The default (``repeated``) catalog cycles
    through a few thresholds per shape, so conditions repeat a lot; ``varied`` draws each
    program's thresholds from realistic spans (ages 50–75, 30–180 % of the median income, …), so
    whole rules rarely repeat and single conditions repeat less."""
    if varied:
        rnd = random.Random(i)
        age, percent, child = rnd.randint(50, 75), rnd.randrange(30, 181, 5), rnd.randint(1, 18)
        young, ratio, receives = (
            rnd.randint(29, 39),
            rnd.randrange(40, 151, 10),
            rnd.choice(RECEIVES),
        )
    else:
        age, percent, child = 60 + i % 10, 30 + i % 7 * 10, 6 + i % 12
        young, ratio, receives = 34 + i % 5, 50 + i % 5 * 10, RECEIVES[i % 4]
    income = {
        "fact": "household.income_recognized_monthly",
        "op": "le",
        "value": {"param": "median_income.base", "key": "household.size", "percent": percent},
    }
    shapes: list[dict[str, Any]] = [
        {"all": [{"fact": "applicant.age", "op": "ge", "value": age}, income]},
        {"all": [income, {"count": {"member": {"fact": "person.age", "op": "lt", "value": child}},
                          "op": "ge", "value": 1}]},
        {"all": [{"fact": "applicant.age", "op": "between", "value": [19, young]},
                 {"fact": "applicant.employment_status", "op": "in", "value": ["unemployed", "not_working"]},
                 {"not": {"fact": "household.receives", "op": "contains", "value": receives}}]},
        {"any": [{"fact": "household.receives", "op": "contains", "value": receives},
                 {"all": [income, {"fact": "household.single_parent", "op": "is_true"}]}]},
        {"all": [{"fact": "applicant.disability_registered", "op": "is_true"},
                 {"fact": "household.median_income_ratio", "op": "le", "value": ratio}]},
    ]  # fmt: skip
    return shapes[i % len(shapes)]


def program(i: int, varied: bool = False) -> ProgramSpec:
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
         "verification": "verified", "eligibility": eligibility(i, varied),
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


def build(specs: list[ProgramSpec], params: list[Parameter], share: bool) -> CatalogSnapshot:
    """``CatalogSnapshot.build``, or the same compiled without sharing."""
    if share:
        return CatalogSnapshot.build(specs, params)
    parameter_set = ParameterSet(params)
    compiled = compile_programs(sorted(specs, key=lambda p: p.id), parameter_set, share=False)
    return CatalogSnapshot(MappingProxyType(compiled), parameter_set, MappingProxyType({}), "-")


def distinct_share(specs: list[ProgramSpec]) -> float:
    """Distinct conditions (path + rule) / condition occurrences, over the traced conditions."""
    sharing = Sharing()
    for spec in specs:
        count_subtrees(spec.eligibility, "eligibility", sharing)
        if not spec.is_national:
            count_subtrees(region_rule(spec), "regions", sharing)
    leaves = {
        key: n
        for key, n in sharing.counts.items()
        if key[1].startswith((Comparison.__name__ + "(", CountRule.__name__ + "("))
    }
    return len(leaves) / sum(leaves.values())


def timed(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 90th percentile µs of ``run``."""
    gc.collect()  # drop the previous catalog (closures form cycles) before measuring
    run()  # warm the parameter caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        run()
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    return statistics.median(samples) / 1_000, samples[int(len(samples) * 0.9)] / 1_000


def measure(size: int, runs: int, share: bool = True, varied: bool = False) -> tuple[float, float]:
    """Median and p90 µs per evaluation for a catalog of ``size`` programs."""
    snap = build([program(i, varied) for i in range(size)], parameters(), share)
    profile = household()
    return timed(lambda: snap.evaluate(profile, AS_OF, share=share), runs)


def measure_shipped(runs: int) -> tuple[int, float, float]:
    """The shipped catalog: median and p90 µs over the golden personas, every one ``runs``
    times."""
    import yaml

    from app.catalog.loader import load_catalog

    snap = CatalogSnapshot.build(*load_catalog())
    personas = []
    for path in sorted(
        (Path(__file__).resolve().parent.parent / "tests/golden/personas").glob("*.yaml")
    ):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        given = data.get("profile") or {}
        profile = Profile(
            applicant=given.get("applicant") or {}, members=given.get("members") or [],
            household=given.get("household") or {}, pension_unit=given.get("pension_unit") or {},
        )  # fmt: skip
        personas.append((profile, data["as_of"]))
    gc.collect()
    samples = []
    for profile, as_of in personas:
        snap.evaluate(profile, as_of)
        for _ in range(runs):
            start = time.perf_counter_ns()
            snap.evaluate(profile, as_of)
            samples.append(time.perf_counter_ns() - start)
    samples.sort()
    median, p90 = statistics.median(samples) / 1_000, samples[int(len(samples) * 0.9)] / 1_000
    return len(snap.programs), median, p90


def main() -> None:
    print(
        f"{'programs':>9} {'catalog':>8} {'sharing':>7} {'distinct':>8} {'runs':>5} {'µs p50':>8} {'µs p90':>8} {'µs/program':>11}"
    )
    for size in SIZES:
        runs = max(20, 20_000 // size)
        for varied, share in ((False, True), (True, True), (True, False)):
            distinct = distinct_share([program(i, varied) for i in range(size)])
            median, p90 = measure(size, runs, share, varied)
            kind, sharing = "varied" if varied else "repeated", "on" if share else "off"
            print(
                f"{size:>9} {kind:>8} {sharing:>7} {distinct:>8.1%} {runs:>5} {median:>8,.0f} {p90:>8,.0f} {median / size:>11.2f}"
            )
    count, median, p90 = measure_shipped(50)
    print(
        f"{count:>9} {'shipped':>8} {'on':>7} {'':>8} {50:>5} {median:>8,.0f} {p90:>8,.0f} {median / count:>11.2f}  (per persona, 64 personas)"
    )


if __name__ == "__main__":
    main()
