"""The renderer's sentence caches are keyed by what a condition says, citizens' values included,
so a worker that plans for many households must not keep every sentence it ever made: past the
bound the caches are emptied before the next plan, and the answers stay the same."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from app.catalog.loader import load_catalog
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services import plans
from app.text import plan_base

ROOT = Path(__file__).resolve().parents[2]


def held() -> int:
    return sum(len(c[0]) + len(c[2]) for c in plan_base._RENDER_CACHES.values())


def test_the_sentence_caches_stay_bounded_over_many_households(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    snapshot = CatalogSnapshot.build(*load_catalog())
    body = json.loads((ROOT / "docs/examples/household-daegu.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(plan_base, "_RENDER_CACHES", {})
    monkeypatch.setattr(plan_base, "_SENTENCE_CACHE_LIMIT", 600)

    def plan(age: int) -> bytes:
        changed: dict[str, Any] = copy.deepcopy(body)
        changed["profile"]["applicant"]["age"] = age  # every age says new sentences
        request = PlanRequest.model_validate(changed)
        assert request.as_of is not None
        return plans.build_plan(snapshot, request, "ko", request.as_of)[0].json()

    first = plan(30)
    most = 0
    for age in range(31, 45):
        plan(age)
        most = max(most, held())
    # one plan adds about 200 here: never much past the bound, though 15 households passed
    assert 0 < most <= 600 + 400
    assert plan(30) == first  # emptied caches change no answer
