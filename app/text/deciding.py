"""Which conditions a verdict rests on: the branch of an ``any`` that carried it, never its
siblings; for a failure, every failed branch; for an open verdict, what is still open.

A trace's paths (``eligibility.all[1].any[0]``) give the rule's shape; the shape of a path list
is built once and cached (a program's paths are the same for every household). Which entries are
chosen depends only on the paths, their outcomes and the verdict, and few outcome patterns occur
(a plan asks the same for each member and for ``coming_up``), so that choice is cached too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import attrgetter

from app.matching import FALSE, TRUE, UNKNOWN, ConditionResult, Truth

_NEGATE = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
_PATH = attrgetter("path")
_TRUTH = attrgetter("truth")


class Node:
    """One node of a rule's shape: ``all``/``any``/``not`` over children, or ``leaf``: the
    indices of the trace entries at that place."""

    __slots__ = ("children", "kind", "leaves")

    def __init__(self, kind: str, children: tuple[Node, ...], leaves: tuple[int, ...]) -> None:
        self.kind, self.children, self.leaves = kind, children, leaves


def deciding(trace: Sequence[ConditionResult], target: Truth) -> list[ConditionResult]:
    """The conditions a verdict of ``target`` rests on, in rule order: for TRUE every met
    condition of the branch that carried each ``any`` (a sibling branch is never cited); for
    FALSE the failed conditions (all branches of a failed ``any``); for UNKNOWN the open ones."""
    chosen = _chosen(tuple(map(_PATH, trace)), tuple(map(_TRUTH, trace)), target)
    return [trace[i] for i in chosen]


@lru_cache(maxsize=16384)
def _chosen(paths: tuple[str, ...], truths: tuple[Truth, ...], target: Truth) -> tuple[int, ...]:
    """The indices of the deciding entries (see ``deciding``)."""
    chosen: list[int] = []
    _select(_shape(paths), target, truths, {}, chosen)
    return tuple(chosen)


@lru_cache(maxsize=8192)
def _shape(paths: tuple[str, ...]) -> Node:
    """The rule tree the paths describe; the top level (eligibility, who, regions, effective)
    is an ``all``."""
    root = _Draft("all")
    for index, path in enumerate(paths):
        parts = path.split(".")
        node = root.child(parts[0])
        for part in parts[1:]:
            name = part.partition("[")[0]
            if name not in ("all", "any", "not"):
                break
            node.kind = name
            node = node.child(part)
        node.leaves.append(index)
    return root.freeze()


class _Draft:
    def __init__(self, kind: str = "leaf") -> None:
        self.kind = kind
        self.children: dict[str, _Draft] = {}
        self.leaves: list[int] = []

    def child(self, name: str) -> _Draft:
        return self.children.setdefault(name, _Draft())

    def freeze(self) -> Node:
        children = tuple(c.freeze() for c in self.children.values())
        return Node(self.kind, children, tuple(self.leaves))


def _truth(node: Node, truths: Sequence[Truth], memo: dict[int, Truth]) -> Truth:
    found = memo.get(id(node))
    if found is not None:
        return found
    if node.kind == "leaf":
        values = [truths[i] for i in node.leaves]
        value = FALSE if FALSE in values else UNKNOWN if UNKNOWN in values else TRUE
    else:
        values = [_truth(c, truths, memo) for c in node.children]
        if node.kind == "not":
            value = _NEGATE[values[0]]
        elif node.kind == "any":
            value = TRUE if TRUE in values else UNKNOWN if UNKNOWN in values else FALSE
        else:
            value = FALSE if FALSE in values else UNKNOWN if UNKNOWN in values else TRUE
    memo[id(node)] = value
    return value


def _select(
    node: Node, target: Truth, truths: Sequence[Truth], memo: dict[int, Truth], out: list[int]
) -> None:
    if node.kind == "leaf":
        out.extend(i for i in node.leaves if truths[i] is target)
        return
    if node.kind == "not":
        for child in node.children:
            _select(child, _NEGATE[target], truths, memo, out)
        return
    if node.kind == "any" and target is TRUE:
        chosen = next((c for c in node.children if _truth(c, truths, memo) is TRUE), None)
        if chosen is not None:
            _select(chosen, TRUE, truths, memo, out)
        return
    for child in node.children:
        if _truth(child, truths, memo) is target:
            _select(child, target, truths, memo, out)
