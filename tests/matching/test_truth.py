"""Kleene logic as the engine runs it: the compiled ``all``/``any``/``not`` nodes, NOT, and the
verdict over possible worlds. Expected values are the Kleene truth tables, written out by hand."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from app.matching.nodes import all_node, any_node, not_node
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth, combine_candidates, negate

ALL = (TRUE, FALSE, UNKNOWN)


def const(truth: Truth, *refs: str) -> Any:
    """A child node with a fixed outcome; ``refs`` are the facts it would still need."""
    return lambda env, index: (truth, refs)


def run(node: Any) -> tuple[Truth, tuple[str, ...]]:
    result: tuple[Truth, tuple[str, ...]] = node(None, 0)
    return result


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (TRUE, TRUE, TRUE), (TRUE, FALSE, FALSE), (TRUE, UNKNOWN, UNKNOWN),
        (FALSE, UNKNOWN, FALSE), (UNKNOWN, UNKNOWN, UNKNOWN), (FALSE, FALSE, FALSE),
    ],
)  # fmt: skip
def test_all_follows_the_kleene_truth_table(a: Truth, b: Truth, expected: Truth) -> None:
    assert run(all_node((const(a), const(b))))[0] is expected
    assert run(all_node((const(b), const(a))))[0] is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (TRUE, TRUE, TRUE), (TRUE, FALSE, TRUE), (TRUE, UNKNOWN, TRUE),
        (FALSE, UNKNOWN, UNKNOWN), (UNKNOWN, UNKNOWN, UNKNOWN), (FALSE, FALSE, FALSE),
    ],
)  # fmt: skip
def test_any_follows_the_kleene_truth_table(a: Truth, b: Truth, expected: Truth) -> None:
    assert run(any_node((const(a), const(b))))[0] is expected
    assert run(any_node((const(b), const(a))))[0] is expected


def test_empty_all_is_true_and_empty_any_is_false() -> None:
    assert run(all_node(())) == (TRUE, ())
    assert run(any_node(())) == (FALSE, ())


def test_all_needs_every_unknown_child_and_nothing_once_decided() -> None:
    unknown_a, unknown_b = const(UNKNOWN, "a"), const(UNKNOWN, "b")
    assert run(all_node((unknown_a, const(TRUE), unknown_b))) == (UNKNOWN, ("a", "b"))
    # one FALSE child decides: the unknown ones no longer matter, before or after it
    assert run(all_node((unknown_a, const(FALSE), unknown_b))) == (FALSE, ())
    assert run(all_node((const(FALSE), unknown_a))) == (FALSE, ())


def test_any_needs_every_unknown_child_and_nothing_once_decided() -> None:
    unknown_a, unknown_b = const(UNKNOWN, "a"), const(UNKNOWN, "b")
    assert run(any_node((unknown_a, const(FALSE), unknown_b))) == (UNKNOWN, ("a", "b"))
    assert run(any_node((unknown_a, const(TRUE), unknown_b))) == (TRUE, ())
    assert run(any_node((const(TRUE), unknown_a))) == (TRUE, ())


def test_not_swaps_true_and_false_and_keeps_what_an_unknown_needs() -> None:
    assert run(not_node(const(TRUE, "x"))) == (FALSE, ())
    assert run(not_node(const(FALSE))) == (TRUE, ())
    assert run(not_node(const(UNKNOWN, "x"))) == (UNKNOWN, ("x",))


def test_negate_swaps_true_and_false_and_keeps_unknown() -> None:
    assert (negate(TRUE), negate(FALSE), negate(UNKNOWN)) == (FALSE, TRUE, UNKNOWN)


def test_de_morgan_holds_for_every_pair_of_nodes() -> None:
    for a, b in itertools.product(ALL, repeat=2):
        left = run(not_node(all_node((const(a), const(b)))))[0]
        right = run(any_node((not_node(const(a)), not_node(const(b)))))[0]
        assert left is right, (a, b)


@pytest.mark.parametrize(
    ("worlds", "expected"),
    [
        ([TRUE, TRUE], TRUE), ([FALSE, FALSE], FALSE), ([TRUE, FALSE], UNKNOWN),
        ([FALSE, TRUE], UNKNOWN), ([TRUE, UNKNOWN], UNKNOWN), ([UNKNOWN, FALSE], UNKNOWN),
        ([FALSE, FALSE, TRUE], UNKNOWN), ([TRUE], TRUE), ([FALSE], FALSE), ([], UNKNOWN),
    ],
)  # fmt: skip
def test_a_verdict_over_possible_worlds_holds_only_when_every_world_agrees(
    worlds: list[Truth], expected: Truth
) -> None:
    assert combine_candidates(worlds) is expected


def test_truth_serializes_as_lowercase_words() -> None:
    assert [t.value for t in ALL] == ["true", "false", "unknown"]
