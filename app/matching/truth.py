"""Three-valued (Kleene) truth: a condition is met, not met, or cannot be decided yet."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Truth(StrEnum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    def __invert__(self) -> Truth:
        return negate(self)


TRUE = Truth.TRUE
FALSE = Truth.FALSE
UNKNOWN = Truth.UNKNOWN


def all_of(values: Iterable[Truth]) -> Truth:
    """FALSE if any is FALSE, else UNKNOWN if any is UNKNOWN, else TRUE; empty: TRUE."""
    result = TRUE
    for value in values:
        if value is FALSE:
            return FALSE
        if value is UNKNOWN:
            result = UNKNOWN
    return result


def any_of(values: Iterable[Truth]) -> Truth:
    """Kleene OR: TRUE if any is TRUE, else UNKNOWN if any is UNKNOWN, else FALSE (empty: FALSE)."""
    result = FALSE
    for value in values:
        if value is TRUE:
            return TRUE
        if value is UNKNOWN:
            result = UNKNOWN
    return result


def negate(value: Truth) -> Truth:
    """Kleene NOT: swaps TRUE and FALSE; UNKNOWN stays UNKNOWN."""
    if value is TRUE:
        return FALSE
    if value is FALSE:
        return TRUE
    return UNKNOWN


def from_bool(value: bool) -> Truth:
    return TRUE if value else FALSE


def combine_candidates(values: Iterable[Truth]) -> Truth:
    """The verdict over possible worlds: TRUE if all TRUE, FALSE if all FALSE, else UNKNOWN."""
    seen_true = seen_false = False
    for value in values:
        if value is UNKNOWN:
            return UNKNOWN
        if value is TRUE:
            seen_true = True
        else:
            seen_false = True
        if seen_true and seen_false:
            return UNKNOWN
    if seen_true:
        return TRUE
    return FALSE if seen_false else UNKNOWN
