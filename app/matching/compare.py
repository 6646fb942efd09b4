"""Operators over fact values: exact, ``Range`` (TRUE if every value passes, FALSE if none does)
and ``OneOf`` (the same over the possible options). Each comparator is ``(value, threshold) ->
Truth`` and never sees a missing value (the caller reports those as UNKNOWN)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth, negate
from app.matching.values import OneOf, Range

Comparator = Callable[[Any, Any], Truth]
MAX_ENUMERATED_SPAN = 64


def _ge(value: Any, t: Any) -> Truth:
    if type(value) is Range:
        if value.min is not None and value.min >= t:
            return TRUE
        return FALSE if value.max is not None and value.max < t else UNKNOWN
    return TRUE if value >= t else FALSE


def _gt(value: Any, t: Any) -> Truth:
    if type(value) is Range:
        if value.min is not None and value.min > t:
            return TRUE
        return FALSE if value.max is not None and value.max <= t else UNKNOWN
    return TRUE if value > t else FALSE


def _le(value: Any, t: Any) -> Truth:
    if type(value) is Range:
        if value.max is not None and value.max <= t:
            return TRUE
        return FALSE if value.min is not None and value.min > t else UNKNOWN
    return TRUE if value <= t else FALSE


def _lt(value: Any, t: Any) -> Truth:
    if type(value) is Range:
        if value.max is not None and value.max < t:
            return TRUE
        return FALSE if value.min is not None and value.min >= t else UNKNOWN
    return TRUE if value < t else FALSE


def _eq(value: Any, t: Any) -> Truth:
    kind = type(value)
    if kind is Range:
        if value.min == t and value.max == t:
            return TRUE
        outside = (value.min is not None and value.min > t) or (
            value.max is not None and value.max < t
        )
        return FALSE if outside else UNKNOWN
    if kind is OneOf:
        if t not in value.options:
            return FALSE
        return TRUE if len(value.options) == 1 else UNKNOWN
    return TRUE if value == t else FALSE


def _ne(value: Any, t: Any) -> Truth:
    return negate(_eq(value, t))


def _between(value: Any, t: Any) -> Truth:
    low, high = t
    if type(value) is Range:
        if (
            value.min is not None
            and value.max is not None
            and value.min >= low
            and value.max <= high
        ):
            return TRUE
        outside = (value.max is not None and value.max < low) or (
            value.min is not None and value.min > high
        )
        return FALSE if outside else UNKNOWN
    return TRUE if low <= value <= high else FALSE


def _in(value: Any, t: Any) -> Truth:
    kind = type(value)
    if kind is Range:
        return _range_in(value, t)
    if kind is OneOf:
        if value.options <= t:
            return TRUE
        return FALSE if value.options.isdisjoint(t) else UNKNOWN
    return TRUE if value in t else FALSE


def _range_in(value: Range, t: Any) -> Truth:
    low, high = value.min, value.max
    inside = [item for item in t if (low is None or item >= low) and (high is None or item <= high)]
    if not inside:
        return FALSE
    if (
        isinstance(low, int)
        and isinstance(high, int)
        and high - low <= MAX_ENUMERATED_SPAN
        and all(n in t for n in range(low, high + 1))
    ):
        return TRUE
    return UNKNOWN


def _not_in(value: Any, t: Any) -> Truth:
    return negate(_in(value, t))


def _contains(value: Any, t: Any) -> Truth:
    return TRUE if t in value else FALSE


def _is_true(value: Any, _: Any) -> Truth:
    return TRUE if value is True else FALSE


def _is_false(value: Any, _: Any) -> Truth:
    return TRUE if value is False else FALSE


COMPARATORS: dict[str, Comparator] = {
    "eq": _eq,
    "ne": _ne,
    "lt": _lt,
    "le": _le,
    "gt": _gt,
    "ge": _ge,
    "between": _between,
    "in": _in,
    "not_in": _not_in,
    "contains": _contains,
    "is_true": _is_true,
    "is_false": _is_false,
}

OPS_BY_TYPE: dict[str, frozenset[str]] = {
    "bool": frozenset({"eq", "ne", "is_true", "is_false"}),
    "int": frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in"}),
    "money": frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in"}),
    "number": frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in"}),
    "date": frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between"}),
    "enum": frozenset({"eq", "ne", "in", "not_in"}),
    "set": frozenset({"contains"}),
}
