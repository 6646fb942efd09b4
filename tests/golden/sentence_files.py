"""Every sentence the golden personas' plans say, per locale, in ``tests/golden/sentences/``:
one file per locale for a reviewer to read at once, so that any change in wording shows in
the diff. ``test_sentences.py`` fails when a file is out of date; rewrite them with

    .venv/bin/python -m tests.golden.sentence_files

and read the diff before committing it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.catalog.loader import load_catalog
from app.matching.snapshot import CatalogSnapshot
from app.schemas.plans import PlanRequest
from app.services.plans import build_plan
from app.text.locales import supported

HERE = Path(__file__).parent
PERSONAS = sorted((HERE / "personas").glob("*.yaml"))
DIRECTORY = HERE / "sentences"
LOCALES = ("ko", "en", "vi", "zh-Hans")
LISTS = ("eligible", "needs_info", "ineligible", "excluded", "receiving")


@cache
def snapshot() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


def plan_of(path: Path, locale: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = {"profile": data["profile"], "as_of": data["as_of"], "max_items": 10_000}
    if data.get("needs"):
        body["needs"] = data["needs"]
    request = PlanRequest.model_validate_json(json.dumps(body, default=str))
    assert request.as_of is not None
    rendered, _core, _picks = build_plan(snapshot(), request, locale, request.as_of)
    return rendered.data


def lines(plan: dict[str, Any]) -> Iterator[str]:
    """The plan's sentences in reading order, each with where it comes from."""
    for key in LISTS:
        for item in plan[key]:
            yield f"[{key}] {item['name']}"
            for reason in item["reasons"]:
                yield f"  - {reason}"
            for member in item.get("members") or []:
                if member["reasons"] == item["reasons"]:
                    continue  # one member, said once
                yield f"  · {member['label']} ({member['status']})"
                for reason in member["reasons"]:
                    yield f"    - {reason}"
            for adjustment in item.get("adjustments") or []:
                yield f"  ± {adjustment['text']}"
    for place in plan["by_place"]:
        yield f"[place] {place['label']}: {place['summary']}"
    for question in plan["next_questions"]:
        yield f"[question] {question['text']}"
        for option in question["options"]:
            yield f"  ○ {option['label']}"
    for income in plan.get("income_recognition") or []:
        if "summary" in income:
            yield f"[income] {income['summary']}"
            for step in income["steps"]:
                yield f"  = {step['text']}"
    for birth in plan.get("expected_births") or []:
        yield f"[birth] {birth['label']}: {birth['note']}"
    for step in plan["first_steps"]:
        yield f"[step] {step}"


def render(locale: str) -> str:
    out = [f"# Every sentence of the golden personas' plans ({locale}); regenerate with"]
    out.append("# .venv/bin/python -m tests.golden.sentence_files")
    for path in PERSONAS:
        out.append("")
        out.append(f"## {path.stem}")
        out.extend(lines(plan_of(path, locale)))
    return "\n".join(out) + "\n"


def file_of(locale: str) -> Path:
    return DIRECTORY / f"{locale}.txt"


def main() -> int:
    DIRECTORY.mkdir(exist_ok=True)
    for locale in [tag for tag in LOCALES if tag in supported()]:
        file_of(locale).write_text(render(locale), encoding="utf-8")
        print(f"wrote {file_of(locale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
