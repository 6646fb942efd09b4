"""Which conditions a verdict rests on: the branch of an ``any`` that carried it, never its
siblings; for a failure, every failed branch; for an open verdict, what is still open."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.matching import (
    FALSE,
    TRUE,
    UNKNOWN,
    ConditionResult,
    Truth,
)

_NEGATE = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}


@dataclass
class _Node:
    kind: str = "leaf"  # all, any, not, leaf
    children: dict[str, _Node] = field(default_factory=dict)
    results: list[ConditionResult] = field(default_factory=list)

    def truth(self) -> Truth:
        if self.kind == "leaf":
            return _kleene_all([r.truth for r in self.results])
        values = [c.truth() for c in self.children.values()]
        if self.kind == "not":
            return _NEGATE[values[0]]
        return _kleene_any(values) if self.kind == "any" else _kleene_all(values)


def _kleene_all(values: Iterable[Truth]) -> Truth:
    found = list(values)
    return FALSE if FALSE in found else UNKNOWN if UNKNOWN in found else TRUE


def _kleene_any(values: Iterable[Truth]) -> Truth:
    found = list(values)
    return TRUE if TRUE in found else UNKNOWN if UNKNOWN in found else FALSE


def _tree(trace: Sequence[ConditionResult]) -> _Node:
    root = _Node("all")
    for result in trace:
        node = root
        parts = result.path.split(".")
        node = node.children.setdefault(parts[0], _Node())
        for part in parts[1:]:
            name, _, _ = part.partition("[")
            if name not in ("all", "any", "not"):
                break
            node.kind = name
            node = node.children.setdefault(part, _Node())
        node.results.append(result)
    return root


def deciding(trace: Sequence[ConditionResult], target: Truth) -> list[ConditionResult]:
    """The conditions a verdict of ``target`` rests on, in rule order: for TRUE every met
    condition of the branch that carried each ``any`` (a sibling branch is never cited); for
    FALSE the failed conditions (all branches of a failed ``any``); for UNKNOWN the open ones."""
    found: list[ConditionResult] = []
    _select(_tree(trace), target, found)
    return found


def _select(node: _Node, target: Truth, out: list[ConditionResult]) -> None:
    if node.kind == "leaf":
        out.extend(r for r in node.results if r.truth is target)
        return
    if node.kind == "not":
        for child in node.children.values():
            _select(child, _NEGATE[target], out)
        return
    children = list(node.children.values())
    if node.kind == "any" and target is TRUE:
        chosen = next((c for c in children if c.truth() is TRUE), None)
        if chosen is not None:
            _select(chosen, TRUE, out)
        return
    for child in children:
        if child.truth() is target:
            _select(child, target, out)
