"""The screening output on every backend: which programs per household (likely/possible, not
received), their yearly value, the facts a visit must confirm, the order, and the aggregate's
small-cell suppression. Expected values worked out by hand from the catalog YAML:

- 참전명예수당 (veterans-war-honor-allowance): who age ≥ 65, veteran is_true; 480,000/month
  (veterans.war_honor_allowance 2026) → 5,760,000 a year, per person.
- 평생교육이용권 (lifelong-voucher-senior / -digital): who age ≥ 65 / ≥ 30, no condition;
  350,000 yearly, per person.
- 자립수당 (self-reliance-allowance): age 15-30 and care_leaver; 500,000/month → 6,000,000.
- 생계급여 (basic-livelihood): max(0, 32% of 기준 중위소득 − income); 1 person 2026:
  round(2,564,238 × 0.32) = 820,556/month, so 0 to 9,846,672 a year with income unknown.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.matching.facts import Profile
from app.matching.snapshot import CatalogSnapshot
from app.screening.output import screen
from app.screening.screen import Screening, compile_screening
from app.screening.tables import profile_rows
from tests.screening.conftest import AS_OF, Backend

VETERANS = "veterans-war-honor-allowance"
_SCREENING: list[Screening] = []


def _screening(snapshot: CatalogSnapshot) -> Screening:
    if not _SCREENING:
        _SCREENING.append(compile_screening(snapshot, AS_OF))
    return _SCREENING[0]


def _run(
    backend: Backend,
    snapshot: CatalogSnapshot,
    profiles: dict[str, Profile],
    min_cell: int = 5,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    households, persons = [], []
    for household_id, profile in profiles.items():
        row, people = profile_rows(profile, household_id)
        households.append(row)
        persons += people
    backend.load(households, persons)
    return screen(backend.cursor, snapshot, _screening(snapshot), backend.name, min_cell)


def _senior(veteran: bool | None = None, **household: Any) -> Profile:
    applicant: dict[str, Any] = {"age": 70}
    if veteran is not None:
        applicant["veteran"] = veteran
    return Profile(applicant=applicant, household=household)


def _by(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["household_id"], r["program_id"]): r for r in rows}


def test_likely_possible_received_value_and_what_to_confirm(
    backend: Backend, catalog_snapshot: CatalogSnapshot
) -> None:
    rows, _ = _run(
        backend,
        catalog_snapshot,
        {
            "vet": _senior(True),
            "unsure": _senior(None),
            "paid": _senior(True, receives={VETERANS}),
            "young": Profile(applicant={"age": 20}),
        },
    )
    found = _by(rows)
    assert found[("vet", VETERANS)] | {"household_rank": 0, "program_rank": 0} == {
        "household_rank": 0, "household_id": "vet", "area": None, "crisis": None,
        "program_rank": 0, "program_id": VETERANS, "verdict": "likely",
        "value_low": 5_760_000, "value_high": 5_760_000, "per_person": True, "confirm": None,
    }  # fmt: skip
    unsure = found[("unsure", VETERANS)]
    assert (unsure["verdict"], unsure["confirm"]) == ("possible", "person.veteran")
    assert ("paid", VETERANS) not in found  # already received: not a 사각지대
    assert found[("paid", "lifelong-voucher-senior")]["verdict"] == "likely"
    assert ("young", VETERANS) not in found  # 20: not 65, FALSE
    young = found[("young", "self-reliance-allowance")]
    assert (young["verdict"], young["confirm"]) == ("possible", "person.care_leaver")
    assert (young["value_low"], young["value_high"]) == (6_000_000, 6_000_000)
    livelihood = found[("young", "basic-livelihood")]
    assert (livelihood["value_low"], livelihood["value_high"]) == (0, 9_846_672)
    assert "household.income_recognized_monthly" in livelihood["confirm"].split("; ")
    # every row is a TRUE or NULL verdict of a program nobody in the household receives
    assert {r["verdict"] for r in rows} == {"likely", "possible"}
    assert all((r["confirm"] is None) == (r["verdict"] == "likely") for r in rows)


def test_crisis_first_then_value_then_likely_before_possible(
    backend: Backend, catalog_snapshot: CatalogSnapshot
) -> None:
    """A crisis household comes first though worth less; a veteran (5,760,000 more, likely)
    before the same senior without the fact; within a household likely rows by value, then
    ties by id, then the possible ones."""
    rows, _ = _run(
        backend,
        catalog_snapshot,
        {
            "c-plain": _senior(None),
            "a-crisis": _senior(None, crisis={"utility_cutoff", "job_loss"}),
            "b-veteran": _senior(True),
        },
    )
    order = list(dict.fromkeys(r["household_id"] for r in rows))
    assert order == ["a-crisis", "b-veteran", "c-plain"]
    assert [r["household_rank"] for r in rows] == sorted(r["household_rank"] for r in rows)
    crisis = [r for r in rows if r["household_id"] == "a-crisis"]
    assert {r["crisis"] for r in crisis} == {"job_loss; utility_cutoff"}  # registry order
    veteran = [r for r in rows if r["household_id"] == "b-veteran"]
    assert [r["program_rank"] for r in veteran] == list(range(1, len(veteran) + 1))
    assert [r["program_id"] for r in veteran[:3]] == [
        VETERANS, "lifelong-voucher-digital", "lifelong-voucher-senior"
    ]  # fmt: skip
    verdicts = [r["verdict"] for r in veteran]
    assert verdicts == sorted(verdicts)  # "likely" < "possible": every likely row first


def test_the_aggregate_hides_cells_under_k_and_a_total_that_would_reveal_one(
    backend: Backend, catalog_snapshot: CatalogSnapshot
) -> None:
    """11110: 5 veterans (likely) and 2 unsure (possible); 11140: 3 veterans; 26 (시도 only):
    1 veteran. With k = 5: 5 is shown, 3 and 2 are not, and the 11110 total (7) is hidden
    because 7 − 5 would give the hidden 2 away."""
    profiles = {f"v{i}": _senior(True, sigungu="11110") for i in range(5)}
    profiles |= {f"u{i}": _senior(None, sigungu="11110") for i in range(2)}
    profiles |= {f"w{i}": _senior(True, sigungu="11140") for i in range(3)}
    profiles |= {"busan": _senior(True, region="26")}
    _, aggregate = _run(backend, catalog_snapshot, profiles)
    cells = {(a["area"], a["program_id"]): a for a in aggregate}
    assert cells[("11110", VETERANS)] == {
        "area": "11110", "area_level": "sigungu", "program_id": VETERANS,
        "households": 7, "likely": 5, "possible": None, "total": None,
    }  # fmt: skip
    assert cells[("11140", VETERANS)] | {"area_level": None} == {
        "area": "11140", "area_level": None, "program_id": VETERANS,
        "households": None, "likely": None, "possible": None, "total": None,
    }  # fmt: skip
    assert cells[("26", VETERANS)]["area_level"] == "sido"
    senior = cells[("11110", "lifelong-voucher-senior")]  # all 7 likely
    assert (senior["likely"], senior["possible"], senior["total"]) == (7, None, None)
    # every area x compiled program is a row, so a row's presence tells nothing
    programs = {c.program_id for c in _screening(catalog_snapshot).compiled}
    assert {p for a, p in cells if a == "11140"} == programs
    assert len(aggregate) == 3 * len(programs)

    _, shown = _run(backend, catalog_snapshot, profiles, min_cell=2)
    cells = {(a["area"], a["program_id"]): a for a in shown}
    assert (cells[("11110", VETERANS)]["possible"], cells[("11110", VETERANS)]["total"]) == (2, 7)
    assert cells[("11140", VETERANS)]["likely"] == 3
    assert cells[("26", VETERANS)]["likely"] is None


@pytest.mark.parametrize(("size", "high"), [(1, 9_846_672), (2, 16_125_276)])
def test_a_value_that_depends_on_the_household_is_its_range_for_the_size(
    backend: Backend, catalog_snapshot: CatalogSnapshot, size: int, high: int
) -> None:
    """생계급여 with income unknown: 0 to 12 × 32% of 기준 중위소득 for the size
    (2 persons: round(4,199,292 × 0.32) = 1,343,773 a month)."""
    rows, _ = _run(
        backend, catalog_snapshot, {"h": Profile(applicant={"age": 40}, household={"size": size})}
    )
    found = _by(rows)[("h", "basic-livelihood")]
    assert (found["verdict"], found["value_low"], found["value_high"]) == ("possible", 0, high)
