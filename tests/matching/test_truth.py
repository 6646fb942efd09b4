from __future__ import annotations

import itertools

import pytest

from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth, all_of, any_of, negate

ALL = (TRUE, FALSE, UNKNOWN)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (TRUE, TRUE, TRUE), (TRUE, FALSE, FALSE), (TRUE, UNKNOWN, UNKNOWN),
        (FALSE, UNKNOWN, FALSE), (UNKNOWN, UNKNOWN, UNKNOWN), (FALSE, FALSE, FALSE),
    ],
)  # fmt: skip
def test_all_of_follows_the_kleene_truth_table(a: Truth, b: Truth, expected: Truth) -> None:
    assert all_of([a, b]) is expected
    assert all_of([b, a]) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (TRUE, TRUE, TRUE), (TRUE, FALSE, TRUE), (TRUE, UNKNOWN, TRUE),
        (FALSE, UNKNOWN, UNKNOWN), (UNKNOWN, UNKNOWN, UNKNOWN), (FALSE, FALSE, FALSE),
    ],
)  # fmt: skip
def test_any_of_follows_the_kleene_truth_table(a: Truth, b: Truth, expected: Truth) -> None:
    assert any_of([a, b]) is expected
    assert any_of([b, a]) is expected


def test_empty_all_is_true_and_empty_any_is_false() -> None:
    assert all_of([]) is TRUE
    assert any_of([]) is FALSE


def test_negate_swaps_true_and_false_and_keeps_unknown() -> None:
    assert (negate(TRUE), negate(FALSE), negate(UNKNOWN)) == (FALSE, TRUE, UNKNOWN)
    assert ~TRUE is FALSE


def test_de_morgan_holds_for_every_pair() -> None:
    for a, b in itertools.product(ALL, repeat=2):
        assert negate(all_of([a, b])) is any_of([negate(a), negate(b)])


def test_truth_serializes_as_lowercase_words() -> None:
    assert [t.value for t in ALL] == ["true", "false", "unknown"]
