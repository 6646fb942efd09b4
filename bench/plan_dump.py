"""Dump whole plan answers, to check that an optimization changes no byte.

Run: ``PYTHONPATH=$PWD .venv/bin/python -m bench.plan_dump OUT`` at two commits, then
``cmp`` (or ``diff``) the two files. One line per plan: every golden persona's body
(``bench/http/bodies.py``; its own locale, then ``trace: "full"``) and the README's example
households in every locale, default and full trace. Each line is the answer ``POST /v1/plans``
serializes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalog.loader import load_catalog
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services import plans
from bench.http.bodies import plan_bodies

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("household-daegu.json", "three-generations.json")
LOCALES = ("ko", "en", "vi", "zh-Hans")


def bodies() -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = []
    for i, body in enumerate(plan_bodies()):
        found.append((f"persona {i}", body))
        found.append((f"persona {i} full", {**body, "trace": "full"}))
    for name in EXAMPLES:
        body = json.loads((ROOT / "docs" / "examples" / name).read_text(encoding="utf-8"))
        for locale in LOCALES:
            found.append((f"{name} {locale}", {**body, "locale": locale}))
            found.append((f"{name} {locale} full", {**body, "locale": locale, "trace": "full"}))
    return found


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:])[0])
    snapshot = CatalogSnapshot.build(*load_catalog())
    with out.open("wb") as sink:
        for label, body in bodies():
            request = PlanRequest.model_validate(body)
            as_of = request.as_of
            assert as_of is not None
            plans.check_profile(request.profile, as_of)
            locale = str(body.get("locale", "ko"))
            rendered, _core, _picks = plans.build_plan(snapshot, request, locale, as_of)  # type: ignore[arg-type]
            sink.write(label.encode() + b"\t" + rendered.json() + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
