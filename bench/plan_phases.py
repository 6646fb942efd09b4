"""CPU ms per plan per phase (``time.process_time``), by wrapping what ``build_plan`` calls.

Run: ``PYTHONPATH=$PWD .venv/bin/python -m bench.plan_phases FILE.json 200 [PROGRAMS]``
(20 warm-up plans, then the given number; the garbage collector tuned and the catalog frozen out
of its way, as in the service). "other" is build_plan's own glue (resolving the
estimates, the income sections' bookkeeping).
"""

import json
import sys
import time
from collections import defaultdict

from app.catalog.loader import load_catalog
from app.main import tune_garbage_collector
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services import plans
from app.services.catalog_store import settle_garbage_collector
from app.text import plan as text_plan

if len(sys.argv) > 3:  # a catalog padded to that many programs (bench.household --programs)
    from bench.household import _snapshot

    snap = _snapshot(int(sys.argv[3]))
else:
    snap = CatalogSnapshot.build(*load_catalog())
# the collector as the service sets it (app.main's lifespan, then after each catalog load)
tune_garbage_collector()
settle_garbage_collector()
acc = defaultdict(float)


def wrap(owner, name, label):
    fn = getattr(owner, name)

    def timed(*a, **k):
        s = time.process_time()
        r = fn(*a, **k)
        acc[label] += time.process_time() - s
        return r

    setattr(owner, name, timed)


wrap(plans, "compose", "compose (evaluate + plan)")
wrap(plans, "coming_up", "coming_up (engine)")
wrap(plans, "expected_births", "expected_births")
wrap(plans, "pick_questions", "questions")
cls = text_plan.Renderer
for name, label in (
    ("plan", "render items"),
    ("coming_up", "render coming_up"),
    ("incomes", "render incomes"),
    ("births", "render births"),
):
    wrap(cls, name, label)
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
with open(sys.argv[1], encoding="utf-8") as source:
    body = json.load(source)


def once():
    s = time.process_time()
    request = PlanRequest.model_validate(body)
    plans.check_profile(request.profile, request.as_of)
    acc["validate"] += time.process_time() - s
    rendered, _c, _p = plans.build_plan(snap, request, "ko", request.as_of)
    s = time.process_time()
    rendered.json()
    acc["json"] += time.process_time() - s


for _ in range(20):
    once()
acc.clear()
s = time.process_time()
for _ in range(runs):
    once()
total = time.process_time() - s
for k, v in acc.items():
    print(f"  {k:28s} {v * 1000 / runs:6.2f}")
print(f"  {'other (build_plan glue)':28s} {(total - sum(acc.values())) * 1000 / runs:6.2f}")
print(f"  {'total':28s} {total * 1000 / runs:6.2f}")
