"""Dated events that call for re-screening a case: someone in the household turning 65 (기초연금,
노인일자리), a child turning 24 months (부모급여·첫만남 bands, 가정양육), and a baby's due date
(출산 예정일), and every day the plan's "coming up" names (a verdict changing on a birthday or a
catalog change). Computed from the household profile; pure, no clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.matching import anniversary
from app.schemas.profile import ProfileIn

AGES_YEARS = (65,)
AGES_MONTHS = (24,)


def events(profile: ProfileIn) -> list[date]:
    """Every dated event of the profile, past or future."""
    found: list[date] = []
    for person in (profile.applicant, *profile.members):
        born = person.birth_date
        if born is not None:
            # the day the engine's 만 나이 and month count reach it (29 Feb → 1 Mar)
            found += [anniversary(born, 12 * years) for years in AGES_YEARS]
            found += [anniversary(born, months) for months in AGES_MONTHS]
        if person.due_date is not None:
            found.append(person.due_date)
    return found


def next_event_on(
    profile: ProfileIn | None, after: date, coming_up: Iterable[date] = ()
) -> date | None:
    """The first dated event strictly after ``after``, if any; ``coming_up``: the days a plan
    for the profile named in its "coming up" section."""
    if profile is None:
        return None
    upcoming = [day for day in (*events(profile), *coming_up) if day > after]
    return min(upcoming) if upcoming else None
