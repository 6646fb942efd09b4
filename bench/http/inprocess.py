"""In-process scaling of the plan path: the real catalog and catalogs of 500 and 5,000 programs.

Run: ``.venv/bin/python -m bench.http.inprocess [--quick] [--profile real|500|5000]``.

Times what a worker does for ``POST /v1/plans`` minus HTTP: ``PlanRequest.model_validate(body)``,
``check_profile``, ``build_plan(snapshot, request, locale, as_of)`` and ``plan.model_dump_json()``,
over the golden-persona mix (``bodies.py``); and the same for the kiosk step
``POST /v1/questions/next`` (``next_questions``). The synthetic catalogs are the shipped catalog
padded with the synthetic programs of ``bench/engine.py`` (``program(i)``), so every persona
still meets its real programs and the renderer still has real documents and channels.
``--profile`` runs pyinstrument over the plan path of one catalog and writes an HTML profile to
``bench/results/``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.catalog.loader import load_catalog
from app.main import tune_garbage_collector
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest, QuestionsRequest
from app.services import plans
from app.services.catalog_store import settle_garbage_collector
from bench import engine
from bench.http.bodies import ROOT, plan_bodies, question_bodies
from bench.http.openloop import percentile

SIZES = (500, 5_000)
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Figure:
    catalog: str
    programs: int
    path: str
    runs: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    response_kb: float


def snapshot(name: str) -> CatalogSnapshot:
    """``real``: the shipped catalog; ``<n>``: the shipped catalog padded with synthetic programs
    to ``n`` programs (built one at a time: a worker holds one snapshot, and a 5,000-program one
    alive beside the others would make the garbage collector slower for all of them)."""
    programs, parameters, documents = load_catalog()
    if name == "real":
        return CatalogSnapshot.build(programs, parameters, documents)
    known = {p.id for p in parameters}
    extra_params = [p for p in engine.parameters() if p.id not in known]
    synthetic = [engine.program(i) for i in range(max(0, int(name) - len(programs)))]
    return CatalogSnapshot.build([*programs, *synthetic], [*parameters, *extra_params], documents)


def plan_once(snapshot: CatalogSnapshot, body: dict[str, Any]) -> str:
    """The worker's plan path for one body, without HTTP: the response JSON."""
    request = PlanRequest.model_validate(body)
    as_of: date = request.as_of or plans.today_in_seoul()
    plans.check_profile(request.profile, as_of)
    plan, _core, _picks = plans.build_plan(snapshot, request, request.locale or "ko", as_of)
    return plan.model_dump_json()


def question_once(snapshot: CatalogSnapshot, body: dict[str, Any]) -> str:
    """The kiosk step for one body, without HTTP: the response JSON."""
    request = QuestionsRequest.model_validate(body)
    as_of: date = request.as_of or plans.today_in_seoul()
    plans.check_profile(request.profile, as_of)
    return plans.next_questions(snapshot, request, request.locale or "ko", as_of).model_dump_json()


def timed(
    name: str,
    snapshot: CatalogSnapshot,
    path: str,
    run: Callable[[CatalogSnapshot, dict[str, Any]], str],
    bodies: list[dict[str, Any]],
    rounds: int,
) -> Figure:
    sizes = [len(run(snapshot, body)) for body in bodies]  # warm: caches, sentence tables
    samples: list[float] = []
    for _ in range(rounds):
        for body in bodies:
            start = time.perf_counter_ns()
            run(snapshot, body)
            samples.append((time.perf_counter_ns() - start) / 1e6)
    ordered = sorted(samples)
    return Figure(
        catalog=name,
        programs=len(snapshot.programs),
        path=path,
        runs=len(samples),
        p50_ms=round(percentile(ordered, 50), 3),
        p90_ms=round(percentile(ordered, 90), 3),
        p99_ms=round(percentile(ordered, 99), 3),
        mean_ms=round(statistics.fmean(ordered), 3),
        response_kb=round(statistics.fmean(sizes) / 1024, 1),
    )


def profile(snapshot: CatalogSnapshot, name: str, bodies: list[dict[str, Any]]) -> Path:
    """pyinstrument over the plan path; writes HTML to bench/results and prints the text tree."""
    from pyinstrument import Profiler

    for body in bodies:
        plan_once(snapshot, body)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        for body in bodies:
            plan_once(snapshot, body)
    profiler.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"inprocess-profile-{name}.html"
    out.write_text(profiler.output_html(), encoding="utf-8")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return out


def table(figures: list[Figure]) -> str:
    lines = [
        "| catalog | programs | path | runs | p50 ms | p90 ms | p99 ms | mean ms | response KB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        lines.append(
            f"| {f.catalog} | {f.programs:,} | {f.path} | {f.runs} | {f.p50_ms:.2f} "
            f"| {f.p90_ms:.2f} | {f.p99_ms:.2f} | {f.mean_ms:.2f} | {f.response_kb:.0f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.http.inprocess", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one round per catalog")
    parser.add_argument("--profile", choices=["real", *map(str, SIZES)], help="pyinstrument")
    args = parser.parse_args(argv)
    plan_mix, question_mix = plan_bodies(), question_bodies()
    if args.profile:
        written = profile(snapshot(args.profile), args.profile, plan_mix)
        print(f"profile written to {written}")
        return 0
    figures: list[Figure] = []
    for name in ["real", *map(str, SIZES)]:
        snap = snapshot(name)
        tune_garbage_collector()  # what the server does at startup
        settle_garbage_collector()  # and after loading a snapshot
        rounds = 1 if args.quick else max(1, 2_000 // len(snap.programs))
        for path, run, mix in (
            ("plans", plan_once, plan_mix),
            ("questions/next", question_once, question_mix),
        ):
            figures.append(timed(name, snap, path, run, mix, rounds))
            print(f"  {name:>5} {path:<15} p50 {figures[-1].p50_ms:.2f} ms", flush=True)
        del snap
        gc.unfreeze()
    print()
    print(table(figures))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"inprocess-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps([asdict(f) for f in figures], indent=2) + "\n", encoding="utf-8")
    print(f"\nraw results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
