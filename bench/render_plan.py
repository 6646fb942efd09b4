"""CPU µs per plan of the renderer alone (``app.text``), the engine's part untimed.

Run: ``PYTHONPATH=$PWD .venv/bin/python -m bench.render_plan FILE.json [RUNS] [LOCALE]``
(100 warm-up renders, then RUNS, default 1000; each figure is the best of ten blocks: the
machine is shared). Each render is what ``build_plan`` does after the engine: a new
``Renderer``, the plan, 소득인정액, expected births and ``coming_up``. The caches that outlive a
request (per catalog version and locale) stay warm, and the garbage collector is set up as in
the service (``tune_garbage_collector``, the snapshot frozen). The engine runs again before
each render (untimed): a new request's trace entries are equal to the cached ones, not the same
objects, and comparing them is part of the cost.

With ``RENDER_NO_GC=1`` the collector runs before each render and not during it (steadier
figures for an A/B comparison; the collector's share is then not counted).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections import defaultdict
from typing import Any

from app.catalog.loader import load_catalog
from app.locale import Locale
from app.main import tune_garbage_collector
from app.matching import (
    coming_up,
    compose,
    expected_births,
    pick_questions,
    profile_has_plain,
    resolve_facts,
)
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services import plans
from app.services.catalog_store import settle_garbage_collector

PHASES = ("new renderer", "plan", "incomes + births", "coming_up")


class Bench:
    def __init__(self, path: str, locale: Locale = "ko") -> None:
        self.snapshot = CatalogSnapshot.build(*load_catalog())
        tune_garbage_collector()  # the service's collector settings (app.main, catalog_store)
        settle_garbage_collector()
        with open(path, encoding="utf-8") as source:
            self.request = PlanRequest.model_validate(json.load(source))
        assert self.request.as_of is not None
        self.as_of = self.request.as_of
        self.locale = locale

    def engine(self) -> tuple[Any, ...]:
        """What the renderer is given, as in ``build_plan`` (but for open members' questions)."""
        snapshot, request, as_of = self.snapshot, self.request, self.as_of
        profile = request.profile.to_engine()
        core = compose(snapshot, profile, as_of, request.needs, ineligible_limit=request.max_items)
        has_plain = profile_has_plain(profile.applicant, profile.members, profile.household)
        resolved = resolve_facts(profile, as_of, snapshot.parameters)
        estimates = resolved.estimates if has_plain else {}
        redirect = plans.plain_first(profile, estimates, ())
        picks = pick_questions(
            core.needs_info[: plans.QUESTION_POOL],
            crisis=False,
            skip=(),
            askable=plans.askable,
            known=lambda path: plans._known(profile, path),
            limit=3,
            redirect=redirect,
        )
        traces = [(d.id, d.determination.trace) for d in core.decisions]
        used_by = {
            fact: [pid for pid, trace in traces if any(r.fact in refs for r in trace)]
            for fact, refs in plans._INCOME_READS.items()
        }
        births = expected_births(snapshot, profile, as_of)
        coming = coming_up(snapshot, profile, as_of)
        stated = plans._stated_income(profile)
        return profile, core, estimates, redirect, picks, used_by, births, coming, stated

    def render(self, given: tuple[Any, ...]) -> tuple[float, ...]:
        """One render; the CPU seconds of each of ``PHASES``."""
        profile, core, estimates, redirect, picks, used_by, births, coming, stated = given
        clock = time.process_time
        s = clock()
        renderer = plans._renderer(self.snapshot, self.locale, profile, self.as_of)
        renderer.settle_with(redirect, estimates, plans._INCOME_READS)
        a = clock()
        renderer.plan(core, picks, self.request.trace == "full", self.request.max_items)
        b = clock()
        renderer.incomes(stated, used_by, estimates)
        renderer.births(births)
        c = clock()
        renderer.coming_up(coming)
        d = clock()
        return a - s, b - a, c - b, d - c


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 1000
    bench = Bench(argv[0], argv[2] if len(argv) > 2 else "ko")
    quiet = os.environ.get("RENDER_NO_GC") == "1"

    def once(acc: dict[str, float]) -> None:
        given = bench.engine()
        if quiet:
            gc.collect()
            gc.disable()
        for name, spent in zip(PHASES, bench.render(given), strict=True):
            acc[name] += spent
        gc.enable()

    for _ in range(100):
        once(defaultdict(float))
    blocks: list[dict[str, float]] = []
    for _ in range(10):
        acc: dict[str, float] = defaultdict(float)
        for _ in range(runs // 10):
            once(acc)
        blocks.append({name: value * 1e6 / (runs // 10) for name, value in acc.items()})
    for name in PHASES:
        print(f"  {name:20s} {min(b[name] for b in blocks):8.1f} µs")
    print(f"  {'total':20s} {min(sum(b.values()) for b in blocks):8.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
