"""``coming_up`` against the engine itself: over generated households, every change of a
program's verdict between today and a later day is announced on or before that day, and each
announced day is the first day of the new verdict."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.loader import load_catalog
from app.matching import CatalogSnapshot, Profile, coming_up
from app.matching.truth import FALSE
from app.matching.upcoming import anniversary

AS_OF = date(2026, 12, 5)
END = date(2029, 12, 5)  # 36 months


@cache
def shipped() -> CatalogSnapshot:
    return CatalogSnapshot.build(*load_catalog())


def verdicts(profile: Profile, on: date) -> dict[tuple[str, int | None], bool]:
    """Eligible-or-may-be (True) or not (False) per program, per member for per-person ones."""
    found: dict[tuple[str, int | None], bool] = {}
    for det in shipped().evaluate(profile, on):
        if det.persons:
            found.update({(det.program_id, p.person): p.truth is not FALSE for p in det.persons})
        found[(det.program_id, None)] = det.truth is not FALSE and not det.persons
    return found


births = st.one_of(
    st.dates(min_value=date(1940, 1, 1), max_value=date(2026, 12, 1)),
    # turning 35 or 65 within the horizon: the 소득인정액 estimate's youth deduction ends after
    # 34 (2026), its elderly one starts at 65
    st.dates(min_value=date(1991, 12, 6), max_value=date(1994, 12, 5)),
    st.dates(min_value=date(1961, 12, 6), max_value=date(1964, 12, 5)),
)
child_births = st.dates(min_value=date(2012, 1, 1), max_value=date(2026, 12, 1))


@st.composite
def households(draw: st.DrawFn) -> Profile:
    applicant = {
        "birth_date": draw(births),
        "sex": draw(st.sampled_from(["female", "male"])),
        "nationality": "KR",
        "public_pension": False,
        "married": False,
        "couple_income_recognized_monthly": draw(st.sampled_from([0, 800_000, 3_000_000])),
    }
    members = [
        {"relation": "child", "birth_date": draw(child_births), "nationality": "KR"}
        for _ in range(draw(st.integers(0, 2)))
    ]
    household = {"size": 1 + len(members), "region": draw(st.sampled_from(["27", "28"])),
                 "receives": []}  # fmt: skip
    if draw(st.booleans()):  # came to the region lately: residence periods still to come
        household["residence_since"] = draw(
            st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 5))
        )
    earned = draw(st.sampled_from([None, 0, 1_200_000, 2_000_000]))
    if earned is not None:  # plain figures instead of a 소득인정액: the engine estimates it
        applicant |= {"earned_income_monthly": earned, "business_income_monthly": 0,
                      "pension_income_monthly": 0, "other_income_monthly": 0,
                      "student": "none", "disability_registered": False}  # fmt: skip
        for member in members:
            member |= {"earned_income_monthly": 0, "business_income_monthly": 0,
                       "pension_income_monthly": 0, "other_income_monthly": 0}  # fmt: skip
        household |= {"housing": "renter_monthly", "rent_deposit": 0, "rent_monthly": 300_000,
                      "other_property": 0, "financial_assets": 0, "debts": 0,
                      "private_transfers_monthly": 0, "car": "none"}  # fmt: skip
    return Profile(applicant=applicant, members=members, household=household)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=households(), offset=st.integers(1, (END - AS_OF).days))
def test_every_change_up_to_a_day_is_announced_on_or_before_it(
    profile: Profile, offset: int
) -> None:
    later = AS_OF + timedelta(days=offset)
    items = coming_up(shipped(), profile, AS_OF)
    announced = {(i.program_id, i.person, i.change): i.on for i in items}
    today, then = verdicts(profile, AS_OF), verdicts(profile, later)
    for key in today.keys() | then.keys():
        was, now = today.get(key, False), then.get(key, False)  # a member not considered: no
        if was == now:
            continue
        change = "starts" if now else "ends"
        on = announced.get((*key, change))
        assert on is not None and on <= later, (key, change, later, items)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=households())
def test_each_announced_day_is_the_first_of_the_new_verdict(profile: Profile) -> None:
    for item in coming_up(shipped(), profile, AS_OF):
        key = (item.program_id, item.person)
        before = verdicts(profile, item.on - timedelta(days=1)).get(key, False)
        after = verdicts(profile, item.on).get(key, False)
        assert (before, after) == ((False, True) if item.change == "starts" else (True, False))


def test_anniversaries_follow_the_month_count_of_the_engine() -> None:
    assert anniversary(date(2025, 6, 2), 24) == date(2027, 6, 2)
    assert anniversary(date(2024, 1, 31), 1) == date(2024, 3, 1)  # February has no 31st
    assert anniversary(date(1964, 2, 29), 65 * 12) == date(2029, 3, 1)
    assert anniversary(date(2026, 12, 5), -12 * 64) == date(1962, 12, 5)
    assert anniversary(date(2024, 2, 29), 12) == date(2025, 3, 1)
