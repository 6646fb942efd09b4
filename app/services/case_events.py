"""Dated events that call for re-screening a case: someone in the household turning 65 (기초연금,
노인일자리), a child turning 24 months (부모급여·첫만남 bands, 가정양육), and a baby's due date
(출산 예정일). Computed from the household profile; pure, no clock."""

from __future__ import annotations

import calendar
from datetime import date

from app.schemas.profile import ProfileIn

AGES_YEARS = (65,)
AGES_MONTHS = (24,)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day (and the last
    representable day past year 9999)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def events(profile: ProfileIn) -> list[date]:
    """Every dated event of the profile, past or future."""
    found: list[date] = []
    for person in (profile.applicant, *profile.members):
        born = person.birth_date
        if born is not None:
            found += [add_months(born, 12 * years) for years in AGES_YEARS]
            found += [add_months(born, months) for months in AGES_MONTHS]
        if person.due_date is not None:
            found.append(person.due_date)
    return found


def next_event_on(profile: ProfileIn | None, after: date) -> date | None:
    """The first dated event strictly after ``after``, if any."""
    if profile is None:
        return None
    upcoming = [day for day in events(profile) if day > after]
    return min(upcoming) if upcoming else None
