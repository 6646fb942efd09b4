"""Plan latency for the README's example households, in process (no HTTP).

Run: ``.venv/bin/python -m bench.household [--runs N] [--programs N] [FILE ...]``
(default: ``docs/examples/household-daegu.json`` and ``docs/examples/three-generations.json``;
``--programs 500`` pads the shipped catalog with ``bench/engine.py``'s synthetic programs, as
``bench.http.inprocess`` does). The garbage collector is tuned and the catalog frozen out of its
way, as in the service.

Times what a worker does for ``POST /v1/plans`` minus HTTP, per request: ``PlanRequest``
validation, ``check_profile``, ``build_plan`` on the shipped catalog and the JSON encoding of the
answer. Reports p50/p90/mean in ms over ``--runs`` runs after 20 warm-up runs, the CPU time per
plan (``time.process_time``, the mean over the same runs: steadier than wall time on a loaded
machine) and the answer's size. A file the code at hand cannot read (an older schema) is
reported as such, so the same script measures an older commit for a before/after comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import ValidationError

from app.catalog.loader import load_catalog
from app.main import tune_garbage_collector
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services import plans
from app.services.catalog_store import settle_garbage_collector

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = (
    ROOT / "docs" / "examples" / "household-daegu.json",
    ROOT / "docs" / "examples" / "three-generations.json",
)


def measure(snapshot: CatalogSnapshot, body: dict[str, object], runs: int) -> dict[str, float]:
    def once() -> int:
        request = PlanRequest.model_validate(body)
        assert request.as_of is not None
        plans.check_profile(request.profile, request.as_of)
        rendered, _core, _picks = plans.build_plan(snapshot, request, "ko", request.as_of)
        return len(rendered.json())

    for _ in range(20):
        size = once()
    times = []
    cpu_start = time.process_time()
    for _ in range(runs):
        start = time.perf_counter_ns()
        once()
        times.append((time.perf_counter_ns() - start) / 1e6)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / runs
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "cpu_ms": round(cpu_ms, 2),
        "response_kb": round(size / 1024, 1),
    }


def _snapshot(size: int) -> CatalogSnapshot:
    programs, parameters, documents = load_catalog()
    if size <= len(programs):
        return CatalogSnapshot.build(programs, parameters, documents)
    from bench import engine  # the synthetic programs, only when asked for

    known = {p.id for p in parameters}
    extra = [p for p in engine.parameters() if p.id not in known]
    synthetic = [engine.program(i) for i in range(size - len(programs))]
    return CatalogSnapshot.build([*programs, *synthetic], [*parameters, *extra], documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT))
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--programs", type=int, default=0, help="pad the catalog to N programs")
    args = parser.parse_args(argv)
    snapshot = _snapshot(args.programs)
    tune_garbage_collector()
    settle_garbage_collector()
    print(f"programs in catalog: {len(snapshot.programs)}")
    for path in args.files:
        body = json.loads(path.read_text(encoding="utf-8"))
        try:
            figures = measure(snapshot, body, args.runs)
        except ValidationError as error:
            print(f"{path.name}: not readable by this code ({error.error_count()} errors)")
            continue
        print(f"{path.name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
