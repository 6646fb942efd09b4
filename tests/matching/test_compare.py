"""Comparisons with a band (``Range``) or a set of options on one side: TRUE when every value in
the band passes, FALSE when none does, UNKNOWN otherwise.

The tables put band edges exactly on, one below and one above the threshold (100); each expected
verdict is read off the band by hand ("50..100 le 100: every value is at most 100 → true"). The
property test checks every operator against an oracle that tries the band's values one by one
with Python's own operators."""

from __future__ import annotations

import operator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.matching.compare import COMPARATORS, MAX_ENUMERATED_SPAN
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from app.matching.values import OneOf, Range

T = 100
R = Range


def verdict(op: str, value: Any, threshold: Any = T) -> Truth:
    return COMPARATORS[op](value, threshold)


@pytest.mark.parametrize(
    ("op", "band", "expected"),
    [
        # ge 100
        ("ge", R(100, 200), TRUE), ("ge", R(101, 200), TRUE), ("ge", R(99, 200), UNKNOWN),
        ("ge", R(50, 100), UNKNOWN), ("ge", R(50, 99), FALSE), ("ge", R(None, 99), FALSE),
        ("ge", R(100, None), TRUE), ("ge", R(None, 100), UNKNOWN), ("ge", R(None, None), UNKNOWN),
        # gt 100
        ("gt", R(101, 200), TRUE), ("gt", R(100, 200), UNKNOWN), ("gt", R(50, 101), UNKNOWN),
        ("gt", R(50, 100), FALSE), ("gt", R(None, 100), FALSE), ("gt", R(101, None), TRUE),
        ("gt", R(100, None), UNKNOWN), ("gt", R(None, None), UNKNOWN),
        # le 100
        ("le", R(50, 100), TRUE), ("le", R(50, 99), TRUE), ("le", R(50, 101), UNKNOWN),
        ("le", R(100, 200), UNKNOWN), ("le", R(101, 200), FALSE), ("le", R(101, None), FALSE),
        ("le", R(None, 100), TRUE), ("le", R(100, None), UNKNOWN), ("le", R(None, None), UNKNOWN),
        # lt 100
        ("lt", R(50, 99), TRUE), ("lt", R(50, 100), UNKNOWN), ("lt", R(99, 200), UNKNOWN),
        ("lt", R(100, 200), FALSE), ("lt", R(100, None), FALSE), ("lt", R(None, 99), TRUE),
        ("lt", R(None, 100), UNKNOWN), ("lt", R(None, None), UNKNOWN),
        # eq 100
        ("eq", R(100, 100), TRUE), ("eq", R(99, 101), UNKNOWN), ("eq", R(100, 200), UNKNOWN),
        ("eq", R(50, 100), UNKNOWN), ("eq", R(101, 200), FALSE), ("eq", R(50, 99), FALSE),
        ("eq", R(None, 99), FALSE), ("eq", R(101, None), FALSE), ("eq", R(None, 100), UNKNOWN),
        ("eq", R(100, None), UNKNOWN), ("eq", R(None, None), UNKNOWN),
        # ne 100: the opposite of eq
        ("ne", R(100, 100), FALSE), ("ne", R(99, 101), UNKNOWN), ("ne", R(101, 200), TRUE),
        ("ne", R(50, 99), TRUE), ("ne", R(None, 99), TRUE), ("ne", R(None, None), UNKNOWN),
    ],
)  # fmt: skip
def test_a_band_against_a_threshold(op: str, band: Range, expected: Truth) -> None:
    assert verdict(op, band) is expected


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("ge", 100, TRUE), ("ge", 99, FALSE), ("ge", 101, TRUE),
        ("gt", 100, FALSE), ("gt", 101, TRUE), ("gt", 99, FALSE),
        ("le", 100, TRUE), ("le", 101, FALSE), ("le", 99, TRUE),
        ("lt", 100, FALSE), ("lt", 99, TRUE), ("lt", 101, FALSE),
        ("eq", 100, TRUE), ("eq", 99, FALSE), ("eq", 101, FALSE),
        ("ne", 100, FALSE), ("ne", 99, TRUE),
    ],
)  # fmt: skip
def test_an_exact_value_at_and_beside_the_threshold(op: str, value: int, expected: Truth) -> None:
    assert verdict(op, value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, TRUE), (200, TRUE), (150, TRUE), (99, FALSE), (201, FALSE),
        (R(100, 200), TRUE), (R(120, 180), TRUE), (R(99, 200), UNKNOWN), (R(100, 201), UNKNOWN),
        (R(0, 100), UNKNOWN), (R(200, 300), UNKNOWN), (R(0, 99), FALSE), (R(201, 300), FALSE),
        (R(None, 99), FALSE), (R(201, None), FALSE), (R(None, 150), UNKNOWN),
        (R(150, None), UNKNOWN), (R(None, None), UNKNOWN),
    ],
)  # fmt: skip
def test_between_includes_both_ends(value: Any, expected: Truth) -> None:
    assert verdict("between", value, (100, 200)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, TRUE), (4, FALSE),
        (R(1, 3), TRUE),  # 1, 2 and 3 are all listed
        (R(2, 2), TRUE), (R(1, 4), UNKNOWN), (R(0, 1), UNKNOWN), (R(4, 9), FALSE),
        (R(None, 0), FALSE), (R(None, 1), UNKNOWN), (R(3, None), UNKNOWN),
        (R(1.5, 2.5), UNKNOWN),  # 2 is listed, 1.5 is not
        (R(3.5, 3.9), FALSE),
    ],
)  # fmt: skip
def test_in_a_list_of_numbers(value: Any, expected: Truth) -> None:
    listed = frozenset({1, 2, 3})
    assert verdict("in", value, listed) is expected
    opposite = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}[expected]
    assert verdict("not_in", value, listed) is opposite


def test_in_enumerates_whole_number_bands_up_to_the_limit_only() -> None:
    # 0..64 has 65 values, all listed: decided by enumeration; 0..65 is past the limit (span 65)
    assert MAX_ENUMERATED_SPAN == 64
    listed = frozenset(range(0, 200))
    assert verdict("in", R(0, 64), listed) is TRUE
    assert verdict("in", R(0, 65), listed) is UNKNOWN
    assert verdict("in", R(10, 74), listed) is TRUE
    # a gap inside a short band is found
    assert verdict("in", R(0, 10), listed - {5}) is UNKNOWN


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"a"}, TRUE), ({"a", "b"}, TRUE), ({"a", "d"}, UNKNOWN), ({"d", "e"}, FALSE),
        ({"d"}, FALSE),
    ],
)  # fmt: skip
def test_one_of_several_options_in_a_list(options: set[str], expected: Truth) -> None:
    listed = frozenset({"a", "b", "c"})
    assert verdict("in", OneOf(frozenset(options)), listed) is expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [({"a"}, TRUE), ({"a", "b"}, UNKNOWN), ({"b", "c"}, FALSE)],
)
def test_one_of_several_options_equal_to_one(options: set[str], expected: Truth) -> None:
    assert verdict("eq", OneOf(frozenset(options)), "a") is expected
    assert verdict("ne", OneOf(frozenset(options)), "a") is {TRUE: FALSE, FALSE: TRUE}.get(
        expected, UNKNOWN
    )


def test_exact_enum_and_set_values() -> None:
    assert verdict("eq", "senior", "senior") is TRUE
    assert verdict("eq", "youth", "senior") is FALSE
    assert verdict("in", "27", frozenset({"27", "28"})) is TRUE
    assert verdict("in", "11", frozenset({"27", "28"})) is FALSE
    assert verdict("not_in", "11", frozenset({"27", "28"})) is TRUE
    assert verdict("contains", frozenset({"basic-pension"}), "basic-pension") is TRUE
    assert verdict("contains", frozenset({"basic-pension"}), "medical-aid") is FALSE
    assert verdict("contains", frozenset(), "medical-aid") is FALSE


def test_is_true_and_is_false_accept_only_the_boolean_itself() -> None:
    assert (verdict("is_true", True, None), verdict("is_true", False, None)) == (TRUE, FALSE)
    assert (verdict("is_false", False, None), verdict("is_false", True, None)) == (TRUE, FALSE)
    assert verdict("is_true", 1, None) is FALSE  # 1 is not "yes"
    assert verdict("is_false", 0, None) is FALSE  # 0 is not "no"


# -- the oracle: try the band's values one by one ----------------------------------------------

PYTHON_OPS = {
    "ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt,
    "eq": operator.eq, "ne": operator.ne,
}  # fmt: skip
OFFSETS = st.sampled_from([-3, -2, -1, 0, 1, 2, 3])  # band edges on and beside the threshold


def oracle(op: str, low: int | None, high: int | None, t: int) -> Truth:
    """The verdict by trying values: outcomes of these operators change only at ``t``, so the
    ends, ``t - 1``, ``t``, ``t + 1`` and a value far out on each open side are all it takes."""
    lo = t - 1000 if low is None else low
    hi = t + 1000 if high is None else high
    values = {v for v in (lo, hi, t - 1, t, t + 1) if lo <= v <= hi}
    outcomes = {PYTHON_OPS[op](v, t) for v in values}
    if outcomes == {True}:
        return TRUE
    return FALSE if outcomes == {False} else UNKNOWN


@given(
    op=st.sampled_from(sorted(PYTHON_OPS)),
    t=st.integers(-1_000_000, 10_000_000),
    low_offset=OFFSETS | st.integers(-500, 500),
    width=st.sampled_from([0, 1, 2, 3]) | st.integers(0, 800),
    open_low=st.booleans(),
    open_high=st.booleans(),
)
def test_every_operator_agrees_with_trying_each_value_of_the_band(
    op: str, t: int, low_offset: int, width: int, open_low: bool, open_high: bool
) -> None:
    low = t + low_offset
    high = low + width
    band = Range(None if open_low else low, None if open_high else high)
    expected = oracle(op, band.min, band.max, t)  # type: ignore[arg-type]
    assert verdict(op, band, t) is expected


@given(
    t_low=st.integers(-1000, 1000),
    t_width=st.integers(0, 50),
    low_offset=OFFSETS | st.integers(-100, 100),
    width=st.sampled_from([0, 1, 2]) | st.integers(0, 100),
)
def test_between_agrees_with_trying_each_value(
    t_low: int, t_width: int, low_offset: int, width: int
) -> None:
    t_high = t_low + t_width
    low = t_low + low_offset
    high = low + width
    outcomes = {t_low <= v <= t_high for v in range(low, high + 1)}
    expected = TRUE if outcomes == {True} else FALSE if outcomes == {False} else UNKNOWN
    assert verdict("between", Range(low, high), (t_low, t_high)) is expected
