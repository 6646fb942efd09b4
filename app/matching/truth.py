"""Three-valued (Kleene) truth: a condition is met, not met, or cannot be decided yet.

Kleene AND and OR live in the compiled nodes (``nodes.all_node``, ``nodes.any_node``), which
also collect the facts that could still decide; this module has the values, NOT and the verdict
over possible worlds."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Truth(StrEnum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


TRUE = Truth.TRUE
FALSE = Truth.FALSE
UNKNOWN = Truth.UNKNOWN


def negate(value: Truth) -> Truth:
    """Kleene NOT: swaps TRUE and FALSE; UNKNOWN stays UNKNOWN."""
    if value is TRUE:
        return FALSE
    if value is FALSE:
        return TRUE
    return UNKNOWN


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
