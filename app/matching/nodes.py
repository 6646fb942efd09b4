"""Run-time node closures built by the compiler: ``(env, person_index) -> (truth, missing)``.

``missing`` holds the fact references that could still change an UNKNOWN outcome; decided
outcomes return the shared empty tuple, so the common path allocates nothing but the trace entry.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from app.matching.binding import NO_REFS, Env, FactBinding, Node, Refs, Thresholds, is_exact
from app.matching.compare import Comparator
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth, combine_candidates
from app.matching.values import Range


def all_node(children: tuple[Node, ...]) -> Node:
    """Kleene AND. Every child runs (the trace shows every condition)."""

    def node(env: Env, index: int) -> tuple[Truth, Refs]:
        result, missing = TRUE, NO_REFS
        for child in children:
            truth, refs = child(env, index)
            if truth is FALSE:
                result = FALSE
            elif truth is UNKNOWN and result is not FALSE:
                result, missing = UNKNOWN, missing + refs
        return result, (missing if result is UNKNOWN else NO_REFS)

    return node


def any_node(children: tuple[Node, ...]) -> Node:
    """Kleene OR. Every child runs (the trace shows every condition)."""

    def node(env: Env, index: int) -> tuple[Truth, Refs]:
        result, missing = FALSE, NO_REFS
        for child in children:
            truth, refs = child(env, index)
            if truth is TRUE:
                result = TRUE
            elif truth is UNKNOWN and result is not TRUE:
                result, missing = UNKNOWN, missing + refs
        return result, (missing if result is UNKNOWN else NO_REFS)

    return node


def not_node(child: Node) -> Node:
    def node(env: Env, index: int) -> tuple[Truth, Refs]:
        truth, refs = child(env, index)
        if truth is UNKNOWN:
            return UNKNOWN, refs
        return (FALSE if truth is TRUE else TRUE), NO_REFS

    return node


def shown(candidates: tuple[Any, ...]) -> Any:
    """What the trace records as the threshold: the value, or the span of possible values."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    if all(isinstance(c, int | float) for c in candidates):
        return Range(min(candidates), max(candidates))
    return candidates


def decide(compare: Comparator, value: Any, candidates: tuple[Any, ...]) -> Truth:
    if len(candidates) == 1:
        return compare(value, candidates[0])
    if not candidates:
        return UNKNOWN
    return combine_candidates([compare(value, c) for c in candidates])


def leaf_node(
    path: str,
    fact: FactBinding,
    op: str,
    compare: Comparator,
    thresholds: Thresholds | tuple[Any, ...],
    param: str | None,
    percent: float | None,
) -> Node:
    """A comparison. A missing value is UNKNOWN and is never compared with anything."""
    get, refs, ref = fact.get, fact.refs, fact.ref
    if isinstance(thresholds, tuple):
        threshold = thresholds[0]

        def constant(env: Env, index: int) -> tuple[Truth, Refs]:
            value = get(env, index)
            if value is None:
                truth, missing = UNKNOWN, refs(env, index)
            else:
                truth = compare(value, threshold)
                missing = refs(env, index) if truth is UNKNOWN else NO_REFS
            if env.trace is not None:
                env.trace.append(ConditionResult(path, ref, value, op, threshold, None, truth))
            return truth, missing

        return constant
    resolve = thresholds

    def resolved(env: Env, index: int) -> tuple[Truth, Refs]:
        value = get(env, index)
        candidates, key_missing = resolve(env, index)
        truth = UNKNOWN if value is None else decide(compare, value, candidates)
        missing = NO_REFS
        if truth is UNKNOWN:
            missing = key_missing if is_exact(value) else refs(env, index) + key_missing
        if env.trace is not None:
            env.trace.append(
                ConditionResult(path, ref, value, op, shown(candidates), param, truth, percent)
            )
        return truth, missing

    return resolved


def count_node(
    path: str,
    member: Node,
    op: str,
    compare: Comparator,
    thresholds: Thresholds | tuple[Any, ...],
    param: str | None,
    percent: float | None,
) -> Node:
    """How many household members satisfy ``member`` (a range when some are unknown)."""

    def node(env: Env, index: int) -> tuple[Truth, Refs]:
        count, refs = count_members(env, member)
        candidates, key_missing = (
            (thresholds if isinstance(thresholds, tuple) else thresholds(env, index)),
            NO_REFS,
        )
        if not isinstance(thresholds, tuple):
            candidates, key_missing = thresholds(env, index)
        truth = decide(compare, count, candidates)
        if env.trace is not None:
            env.trace.append(
                ConditionResult(path, "count", count, op, shown(candidates), param, truth, percent)
            )
        return truth, ((refs + key_missing) if truth is UNKNOWN else NO_REFS)

    return node


def count_members(env: Env, member: Node) -> tuple[int | Range, Refs]:
    """Members for whom ``member`` is TRUE: exact, or a range when some are UNKNOWN."""
    ctx, saved = env.ctx, env.trace
    env.trace = None
    try:
        sure = maybe = 0
        missing: Refs = NO_REFS
        for index in range(len(ctx.persons)):
            truth, refs = member(env, index)
            if truth is TRUE:
                sure += 1
            elif truth is UNKNOWN:
                maybe, missing = maybe + 1, missing + refs
        high: int | None = sure + maybe
        if ctx.extra_max != 0:
            truth, refs = member(env, len(ctx.persons))
            if truth is TRUE:
                sure += ctx.extra_min
            if truth is not FALSE:
                high = None if ctx.extra_max is None or high is None else high + ctx.extra_max
                missing += refs
    finally:
        env.trace = saved
    return (sure if high == sure else Range(sure, high)), missing


def pair_resolver(low: Any, high: Any) -> Thresholds:
    """``between`` ends where one or both are parameters: every combination of their values."""

    def resolve_end(end: Any, env: Env, index: int) -> tuple[tuple[Any, ...], Refs]:
        return end(env, index) if callable(end) else ((end,), NO_REFS)

    def resolve(env: Env, index: int) -> tuple[tuple[Any, ...], Refs]:
        lows, low_missing = resolve_end(low, env, index)
        highs, high_missing = resolve_end(high, env, index)
        return tuple(product(lows, highs)), low_missing + high_missing

    return resolve
