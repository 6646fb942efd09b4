"""Rewrite the README's abridged responses from the example requests (run after a change that
alters what a plan says; review the diff):

    .venv/bin/python docs/examples/update_readme.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from app.catalog.loader import load_catalog
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services.plans import build_plan
from docs.examples.render import abridged

ROOT = Path(__file__).resolve().parents[2]
# the command shown before each block, and the block after it
BLOCK = re.compile(
    r"(render\.py docs/examples/(?P<name>[a-z-]+)\.json (?P<keep>\d+)`.*?\n```json\n)"
    r"(?P<body>.*?)(\n```)",
    re.S,
)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    snapshot = CatalogSnapshot.build(*load_catalog())

    def replace(match: re.Match[str]) -> str:
        path = ROOT / "docs" / "examples" / f"{match['name']}.json"
        request = PlanRequest.model_validate(json.loads(path.read_text(encoding="utf-8")))
        assert request.as_of is not None
        plan, _, _ = build_plan(snapshot, request, request.locale or "ko", request.as_of)
        body = json.dumps(abridged(plan.data, int(match["keep"])), ensure_ascii=False, indent=2)
        return match.group(1) + body + match.group(5)

    updated, count = BLOCK.subn(replace, text)
    readme.write_text(updated, encoding="utf-8")
    print(f"rewrote {count} abridged responses in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
