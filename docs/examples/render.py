"""Render an example household's plan the way the README shows it (abridged).

    .venv/bin/python docs/examples/render.py docs/examples/three-generations.json

The plan is built by the same function ``POST /v1/plans`` uses, on the shipped catalog; the
output keeps each list's first items and each item's main fields, and says what it left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from app.catalog.loader import load_catalog
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services.plans import build_plan

ITEM_FIELDS = (
    "program_id", "name", "status", "reasons", "missing_facts", "members", "after", "benefit",
    "counted", "adjustments", "excluded_by",
)  # fmt: skip


def _item(item: dict[str, Any]) -> dict[str, Any]:
    kept = {k: item[k] for k in ITEM_FIELDS if k in item and item[k] not in (None, [], {})}
    if "benefit" in kept:
        kept["benefit"] = {"kind": item["benefit"]["kind"], "amount": item["benefit"]["amount"]}
    if "members" in kept:
        kept["members"] = [
            {k: m[k] for k in ("label", "status", "amount", "after") if m.get(k) not in (None, [])}
            for m in item["members"]
        ]
    return kept


def abridged(plan: dict[str, Any], keep: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: plan[k] for k in ("as_of", "locale", "catalog_version", "emergency_first")
    }
    for key in ("eligible", "needs_info", "receiving", "excluded"):
        if plan[key]:
            out[key] = [_item(i) for i in plan[key][:keep]]
    out["counts"] = plan["counts"]
    out["totals"] = plan["totals"]
    if plan["next_questions"]:
        question = dict(plan["next_questions"][0])
        question["options"] = question["options"][:3]
        out["next_questions"] = [
            {k: question[k] for k in ("fact", "text", "type", "options") if k in question}
        ]
    if plan.get("expected_births"):
        out["expected_births"] = plan["expected_births"]
    out["first_steps"] = plan["first_steps"]
    return out


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    keep = int(argv[2]) if len(argv) > 2 else 3
    request = PlanRequest.model_validate(json.loads(path.read_text(encoding="utf-8")))
    snapshot = CatalogSnapshot.build(*load_catalog())
    assert request.as_of is not None, "give the example an as_of so the output can be replayed"
    rendered, _core, _picks = build_plan(snapshot, request, request.locale or "ko", request.as_of)
    print(json.dumps(abridged(rendered.data, keep), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
