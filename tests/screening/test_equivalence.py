"""Equivalence is the contract: every compiled program's verdict per household equals the
per-household engine's ``Determination.truth`` (golden personas, generated households)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.matching.facts import Profile
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import Truth
from app.screening.columns import UNSUPPORTED
from app.screening.screen import Screening, compile_screening
from app.screening.tables import profile_rows
from tests.screening.conftest import AS_OF, Backend

PERSONAS = sorted((Path(__file__).parents[1] / "golden" / "personas").glob("*.yaml"))
_SCREENINGS: dict[date, Screening] = {}  # compiled once per date (the snapshot is the same)
AS_TRUTH = {True: Truth.TRUE, False: Truth.FALSE, None: Truth.UNKNOWN}


def _screenable(facts: dict[str, Any], scope: str) -> dict[str, Any]:
    """The facts the screening takes (the others left out)."""
    return {k: v for k, v in facts.items() if f"{scope}.{k}" not in UNSUPPORTED}


def persona_profile(data: dict[str, Any]) -> tuple[Profile, bool]:
    """The persona's profile as the screening takes it, and whether anything was left out."""
    profile = data.get("profile") or {}
    applicant = _screenable(profile.get("applicant") or {}, "person")
    members = [_screenable(m, "person") for m in profile.get("members") or []]
    household = _screenable(profile.get("household") or {}, "household")
    pension_unit = _screenable(profile.get("pension_unit") or {}, "pension_unit")
    parents = _screenable(profile.get("parents") or {}, "parents")
    reduced = Profile(applicant, members, household, pension_unit, parents)
    original_sizes = [len(profile.get(k) or {}) for k in ("household", "pension_unit", "parents")]
    dropped = [len(household), len(pension_unit), len(parents)] != original_sizes or any(
        len(s) < len(m)
        for m, s in zip(
            [profile.get("applicant") or {}, *(profile.get("members") or [])],
            [applicant, *members],
            strict=True,
        )
    )
    return reduced, dropped


def _engine(snapshot: CatalogSnapshot, profile: Profile, as_of: date) -> dict[str, Truth]:
    return {d.program_id: d.truth for d in snapshot.evaluate(profile, as_of)}


def _mismatches(
    backend: Backend, snapshot: CatalogSnapshot, profiles: dict[str, Profile], as_of: date
) -> tuple[list[str], int]:
    screening = _SCREENINGS.get(as_of)
    if screening is None:
        screening = _SCREENINGS[as_of] = compile_screening(snapshot, as_of)
    households, persons = [], []
    for household_id, profile in profiles.items():
        row, people = profile_rows(profile, household_id)
        households.append(row)
        persons += people
    backend.load(households, persons)
    found = backend.verdicts(screening)
    assert set(found) == set(profiles)
    problems, compared = [], 0
    for household_id, profile in profiles.items():
        engine = _engine(snapshot, profile, as_of)
        for program_id, verdict in found[household_id].items():
            compared += 1
            if AS_TRUTH[verdict] is not engine[program_id]:
                problems.append(
                    f"{household_id} {program_id}: engine {engine[program_id].value}, "
                    f"sql {AS_TRUTH[verdict].value}"
                )
    return problems, compared


def test_every_golden_persona_screens_as_the_engine_decides(
    backend: Backend, catalog_snapshot: CatalogSnapshot
) -> None:
    by_date: dict[date, dict[str, Profile]] = defaultdict(dict)
    for path in PERSONAS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        profile, _ = persona_profile(data)
        by_date[data["as_of"]][path.stem] = profile
    problems, compared = [], 0
    for as_of, profiles in sorted(by_date.items()):
        found, count = _mismatches(backend, catalog_snapshot, profiles, as_of)
        problems += found
        compared += count
    assert len(PERSONAS) >= 90
    assert compared > 90 * 30  # every persona x every compiled program
    assert not problems, "\n".join(problems)


# -- generated households -------------------------------------------------------------------


def _number(low: int, high: int) -> st.SearchStrategy[Any]:
    """Unknown, exact, or a band (either end may be open)."""
    value = st.integers(low, high)
    band = st.tuples(st.none() | value, st.none() | value).filter(
        lambda b: b != (None, None) and (None in b or b[0] <= b[1])  # type: ignore[operator]
    )
    return st.none() | value | band.map(lambda b: {"min": b[0], "max": b[1]})


_BOOL = st.none() | st.booleans()
# around as_of's day and month (birthdays just before, on and after it) and across years
_DAY = st.dates(date(1925, 1, 1), date(2026, 12, 31)) | st.builds(
    date, st.integers(2016, 2026), st.sampled_from([1, 2, 3, 12]), st.sampled_from([1, 2, 3, 28])
)
# household- and person-level programs (a person-level one named for the household goes to the
# first member its ``who`` holds for; 기초연금 settles nationality and public pension)
_RECEIPTS = st.lists(
    st.sampled_from(
        ["basic-livelihood", "medical-aid", "near-poverty", "housing-benefit", "basic-pension",
         "disability-pension", "child-allowance", "national-employment-support-1",
         "senior-jobs-social-service", "unemployment-benefit"]
    ),
    max_size=3,
)  # fmt: skip
_PERSON = st.fixed_dictionaries(
    {},
    optional={
        "age": _number(0, 100),
        "birth_date": _DAY,
        "age_months": _number(0, 240),
        "sex": st.sampled_from(["female", "male"]),
        "pregnant": _BOOL,
        "disability_registered": _BOOL,
        "disability_severe": _BOOL,
        "long_term_care_grade": _BOOL,
        "employment_status": st.sampled_from(
            ["employed", "self_employed", "unemployed", "not_working"]
        ),
        "student": st.sampled_from(["none", "elementary", "middle", "high", "university"]),
        "marriage_immigrant": _BOOL,
        "veteran": _BOOL,
        "military_service_months": _number(0, 40),
        "involuntary_job_loss": _BOOL,
        "employment_insurance": _BOOL,
        "childcare": st.sampled_from(["home", "daycare", "kindergarten"]),
        "out_of_school": _BOOL,
        "nationality": st.sampled_from(["KR", "foreign"]),
        "public_pension": _BOOL,
        "receives": _RECEIPTS,
    },
)
_MEMBER = st.tuples(
    st.sampled_from(["spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"]),
    _PERSON,
).map(lambda t: {**t[1], "relation": t[0]})
_HOUSEHOLD = st.fixed_dictionaries(
    {},
    optional={
        "region": st.sampled_from(["11", "26", "27", "28", "41", "44", "48"]),
        "income_recognized_monthly": _number(0, 8_000_000),
        "assets": _number(0, 500_000_000),
        "single_parent": _BOOL,
        "housing": st.sampled_from(["owner", "renter_monthly", "renter_jeonse", "public_rental"]),
        "no_home": _BOOL,
        "obligor_high_means": _BOOL,
        "obligor_can_support": _BOOL,
        "crisis": st.lists(
            st.sampled_from(["job_loss", "serious_illness", "eviction"]), max_size=2
        ),
        "receives": _RECEIPTS,
        "urban_class": st.sampled_from(["metropolitan", "small_city", "rural"]),
        "residence_months": _number(0, 40),
        "residence_since": _DAY,
    },
)


@st.composite
def households(draw: st.DrawFn) -> Profile:
    members = draw(st.lists(_MEMBER, max_size=4))
    household = {k: v for k, v in draw(_HOUSEHOLD).items() if v is not None}
    if draw(st.booleans()):  # the size given, possibly with unlisted members
        household["size"] = len(members) + 1 + draw(st.integers(0, 1))
    pension = draw(
        st.fixed_dictionaries({}, optional={"income_recognized_monthly": _number(0, 3_000_000)})
    )
    clean = [{k: v for k, v in m.items() if v is not None} for m in [draw(_PERSON), *members]]
    return Profile(
        clean[0], clean[1:], household, {k: v for k, v in pension.items() if v is not None}
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(households(), min_size=1, max_size=16))
def test_generated_households_screen_as_the_engine_decides(
    backend: Backend, catalog_snapshot: CatalogSnapshot, batch: list[Profile]
) -> None:
    profiles = {f"h{i}": p for i, p in enumerate(batch)}
    problems, _ = _mismatches(backend, catalog_snapshot, profiles, AS_OF)
    assert not problems, "\n".join(problems)
