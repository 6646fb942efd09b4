"""Builders for engine tests: obviously invented programs, parameters and households."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.matching.facts import Profile
from app.matching.parameters import Parameter
from app.matching.programs import ProgramSpec
from app.matching.snapshot import CatalogSnapshot

MEDIAN_2025 = {"1": 2392013, "2": 3932658, "3": 5025353, "4": 6097773, "5": 7108192,
               "6": 8064805, "7": 8988428}  # fmt: skip
MEDIAN_2026 = {"1": 2564238, "2": 4199292, "3": 5359036, "4": 6494738, "5": 7556719,
               "6": 8555952, "7": 9515150}  # fmt: skip
AS_OF = date(2026, 3, 1)


def median_income(**overrides: Any) -> Parameter:
    data: dict[str, Any] = {
        "id": "median_income.base",
        "unit": "KRW_monthly",
        "description": {"ko": "기준 중위소득 (100%)", "en": "Standard median income (100%)"},
        "reference": {"ko": "보건복지부 고시", "en": "MOHW notice"},
        "verification": "verified",
        "key": "household.size",
        "extrapolate": "last_step",
        "values": [
            {"effective_from": "2025-01-01", "value": MEDIAN_2025},
            {"effective_from": "2026-01-01", "value": MEDIAN_2026},
        ],
    }
    return Parameter.model_validate(data | overrides)


def scalar_parameter(parameter_id: str, values: list[tuple[str, int | None]]) -> Parameter:
    return Parameter.model_validate(
        {
            "id": parameter_id,
            "unit": "KRW_monthly",
            "description": {"ko": "시험용 금액", "en": "Test amount"},
            "values": [{"effective_from": d, "value": v} for d, v in values],
        }
    )


def couple_threshold() -> Parameter:
    return Parameter.model_validate(
        {
            "id": "toy_pension.threshold",
            "unit": "KRW_monthly",
            "description": {"ko": "선정기준액", "en": "Selection threshold"},
            "key": "pension_unit.is_couple",
            "values": [
                {"effective_from": "2025-01-01", "value": {"false": 2_000_000, "true": 3_200_000}}
            ],
        }
    )


def program(eligibility: Any, **overrides: Any) -> ProgramSpec:
    data: dict[str, Any] = {
        "id": "toy-program",
        "name": {"ko": "시험 사업", "en": "Toy program"},
        "summary": {"ko": "시험용", "en": "For tests"},
        "domain": "welfare",
        "agency": {"ko": "시험부", "en": "Ministry of Tests"},
        "regions": ["KR"],
        "effective_from": "2020-01-01",
        "verification": "verified",
        "eligibility": eligibility,
        "benefit": {"kind": "service", "description": {"ko": "서비스", "en": "A service"}},
        "apply": [{"channel": "community_center"}],
        "sources": [{"url": "https://example.invalid/toy", "title": "toy"}],
    }
    return ProgramSpec.model_validate(data | overrides)


def snapshot(*programs: ProgramSpec) -> CatalogSnapshot:
    params = [
        median_income(),
        couple_threshold(),
        scalar_parameter("toy.amount", [("2025-01-01", 100_000)]),
    ]
    return CatalogSnapshot.build(programs, params, [])


def judge(eligibility: Any, profile: Profile, as_of: date = AS_OF, **overrides: Any) -> Any:
    """The determination of one toy program for ``profile``."""
    snap = snapshot(program(eligibility, **overrides))
    return snap.evaluate_one(profile, as_of, overrides.get("id", "toy-program"))


def fact(ref: str, op: str, value: Any = None) -> dict[str, Any]:
    node: dict[str, Any] = {"fact": ref, "op": op}
    if value is not None:
        node["value"] = value
    return node
