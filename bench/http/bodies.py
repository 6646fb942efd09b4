"""Request bodies for the HTTP and in-process benchmarks, built from the golden personas.

Each persona gives a ``profile`` and an ``as_of`` date; the mix adds a locale (ko for most,
en for every fourth) and a rotation of needs, so the bodies look like a day of kiosk traffic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = ROOT / "tests" / "golden" / "personas"
NEEDS: tuple[list[str], ...] = (
    [],
    ["income"],
    ["care", "health"],
    [],
    ["jobs"],
    ["housing", "income"],
    ["childcare", "education"],
    ["health"],
)


def personas(root: Path = PERSONAS) -> list[dict[str, Any]]:
    """Every golden persona (name, as_of, profile), in file order."""
    found: list[dict[str, Any]] = []
    for path in sorted(root.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("profile"), dict):
            found.append(data)
    if not found:
        raise SystemExit(f"no personas under {root}")
    return found


def plan_bodies(root: Path = PERSONAS) -> list[dict[str, Any]]:
    """One ``POST /v1/plans`` body per persona (JSON-ready: dates as ISO strings)."""
    bodies: list[dict[str, Any]] = []
    for i, persona in enumerate(personas(root)):
        body = {
            "profile": persona["profile"],
            "needs": NEEDS[i % len(NEEDS)],
            "as_of": persona["as_of"],
            "locale": "en" if i % 4 == 3 else "ko",
        }
        bodies.append(json.loads(json.dumps(body, default=str, ensure_ascii=False)))
    return bodies


def question_bodies(root: Path = PERSONAS) -> list[dict[str, Any]]:
    """``POST /v1/questions/next`` bodies: the plan bodies plus ``limit`` 1 (one kiosk step)."""
    return [{**body, "limit": 1} for body in plan_bodies(root)]


def write_jsonl(bodies: list[dict[str, Any]], path: Path) -> Path:
    """One compact JSON document per line (the format ``plans.lua`` reads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in bodies]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
