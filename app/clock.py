"""What day it is for Hanaro: the date in Asia/Seoul, whatever the server's time zone. Every
default ``as_of`` (plans, catalog reads, admin dry runs) is this one date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

SEOUL = timezone(timedelta(hours=9), "Asia/Seoul")  # no daylight saving since 1988


def today_in_seoul() -> date:
    return datetime.now(SEOUL).date()


def as_of_or_today(as_of: date | None) -> date:
    """The date a request asked for, else today in Seoul."""
    return as_of if as_of is not None else today_in_seoul()
