from __future__ import annotations

import pytest

from app.matching.values import FactSpec, Range


@pytest.mark.parametrize(
    ("low", "high"), [(1, 2), (2, 2), (None, 2), (2, None), (None, None), (-1.5, -1.5)]
)
def test_a_range_may_be_a_point_or_open_at_either_end(
    low: float | None, high: float | None
) -> None:
    assert (Range(low, high).min, Range(low, high).max) == (low, high)


@pytest.mark.parametrize(("low", "high"), [(3, 2), (0.5, 0.25), (1, 0)])
def test_a_range_with_its_minimum_above_its_maximum_is_refused(low: float, high: float) -> None:
    with pytest.raises(ValueError, match=r"^range minimum above maximum$"):
        Range(low, high)


@pytest.mark.parametrize(
    ("value", "is_point"),
    [(Range(2, 2), True), (Range(0, 0), True), (Range(1, 2), False), (Range(None, None), False),
     (Range(2, None), False), (Range(None, 2), False)],
)  # fmt: skip
def test_only_a_band_with_equal_ends_is_a_point(value: Range, is_point: bool) -> None:
    assert value.is_point is is_point


def toy_spec(*options: str) -> FactSpec:
    return FactSpec("person.toy_colour", "enum", "person", options=options)


def test_a_spec_knows_its_option_values_in_order() -> None:
    spec = toy_spec("red", "blue")
    assert spec.options == ("red", "blue")
    assert spec.option_values == frozenset({"red", "blue"})
    assert spec.name == "toy_colour"


def test_a_spec_without_options_has_no_option_values() -> None:
    assert toy_spec().option_values == frozenset()
