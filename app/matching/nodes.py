"""Run-time node closures built by the compiler: ``(env, person_index) -> (truth, missing)``.

``missing`` holds the fact references that could still change an UNKNOWN outcome; decided
outcomes return the shared empty tuple, so the common path allocates nothing but the trace entry.
"""

from __future__ import annotations

import sys
from itertools import product
from typing import Any

from app.matching.binding import (
    NO_REFS,
    Env,
    FactBinding,
    Node,
    Refs,
    Thresholds,
    is_exact,
    trace_ref,
)
from app.matching.compare import Comparator
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth, combine_candidates
from app.matching.values import Range

_entry = tuple.__new__  # builds a ConditionResult without the NamedTuple's Python __new__
_RESULT = ConditionResult


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
    """A comparison. A missing value is UNKNOWN and is never compared with anything.

    Specialized by the kind of threshold (constant or resolved) and, for constants, by the fact's
    scope, so the common case is one closure call that reads one dict and calls the comparator.
    Only household and applicant leaves trace: a person leaf runs inside ``count``/``per_member``.
    """
    get, refs, ref, key = fact.get, fact.refs, sys.intern(fact.ref), fact.key
    path, op = sys.intern(path), sys.intern(op)
    if not isinstance(thresholds, tuple):
        return _resolved_leaf(path, fact, op, compare, thresholds, param, percent)
    threshold = thresholds[0]
    if fact.scope == "household":
        known_refs: Refs = (ref,)  # what ``fact.refs`` gives for a household fact

        def household_leaf(env: Env, index: int) -> tuple[Truth, Refs]:
            value = env.household.get(key)
            if value is None:
                truth, missing = UNKNOWN, known_refs
            else:
                truth = compare(value, threshold)
                missing = known_refs if truth is UNKNOWN else NO_REFS
            trace = env.trace
            if trace is not None:
                trace.append(_entry(_RESULT, (path, ref, value, op, threshold, None, truth, None)))
            return truth, missing

        return household_leaf
    if fact.scope == "applicant":

        def applicant_leaf(env: Env, index: int) -> tuple[Truth, Refs]:
            value = env.applicant.get(key)
            if value is None:
                truth, missing = UNKNOWN, refs(env, index)
            else:
                truth = compare(value, threshold)
                missing = refs(env, index) if truth is UNKNOWN else NO_REFS
            trace = env.trace
            if trace is not None:
                trace.append(_entry(_RESULT, (path, ref, value, op, threshold, None, truth, None)))
            return truth, missing

        return applicant_leaf

    if fact.scope == "subject":  # the person a ``who`` program evaluates, read directly

        def person_leaf(env: Env, index: int) -> tuple[Truth, Refs]:
            ctx = env.ctx
            persons = ctx.persons
            value = persons[index].get(key) if index < len(persons) else None
            if value is None:
                truth, missing = UNKNOWN, refs(env, index)
            else:
                truth = compare(value, threshold)
                missing = refs(env, index) if truth is UNKNOWN else NO_REFS
            trace = env.trace
            if trace is not None:
                at = ctx.person_ref(index, key)
                trace.append(_entry(_RESULT, (path, at, value, op, threshold, None, truth, None)))
            return truth, missing

        return person_leaf

    traced = trace_ref(fact)
    if traced is not None:  # the spouse of the person evaluated by a ``who`` program

        def subject_leaf(env: Env, index: int) -> tuple[Truth, Refs]:
            value = get(env, index)
            if value is None:
                truth, missing = UNKNOWN, refs(env, index)
            else:
                truth = compare(value, threshold)
                missing = refs(env, index) if truth is UNKNOWN else NO_REFS
            trace = env.trace
            if trace is not None:
                at = traced(env, index)
                trace.append(_entry(_RESULT, (path, at, value, op, threshold, None, truth, None)))
            return truth, missing

        return subject_leaf

    def member_leaf(env: Env, index: int) -> tuple[Truth, Refs]:
        # person.* is read only inside count.member and per_member, which record no trace
        value = get(env, index)
        if value is None:
            return UNKNOWN, refs(env, index)
        truth = compare(value, threshold)
        return truth, (refs(env, index) if truth is UNKNOWN else NO_REFS)

    return member_leaf


def _resolved_leaf(
    path: str,
    fact: FactBinding,
    op: str,
    compare: Comparator,
    resolve: Thresholds,
    param: str | None,
    percent: float | None,
) -> Node:
    get, refs, ref = fact.get, fact.refs, fact.ref
    traced = trace_ref(fact)

    def resolved(env: Env, index: int) -> tuple[Truth, Refs]:
        value = get(env, index)
        candidates, key_missing = resolve(env, index)
        if value is None:
            truth = UNKNOWN
        elif len(candidates) == 1:
            truth = compare(value, candidates[0])
        else:
            truth = decide(compare, value, candidates)
        missing = NO_REFS
        if truth is UNKNOWN:
            missing = key_missing if is_exact(value) else refs(env, index) + key_missing
        trace = env.trace
        if trace is not None:
            threshold = candidates[0] if len(candidates) == 1 else shown(candidates)
            at = ref if traced is None else traced(env, index)
            trace.append(_entry(_RESULT, (path, at, value, op, threshold, param, truth, percent)))
        return truth, missing

    return resolved


def shared_node(inner: Node) -> Node:
    """``inner`` occurring in several programs: its result and trace entries are computed once
    per evaluation and person (kept in ``env.memo``) and replayed for every other program. Only
    used when the trace is recorded (the household's conditions, or a ``who`` program's for the
    person it decides); inside ``count``/``per_member`` (no trace) and without a memo it just
    runs ``inner``."""
    token = object()  # this node's key in ``env.memo`` (not the closure: no reference cycle)

    def node(env: Env, index: int) -> tuple[Truth, Refs]:
        trace, memo = env.trace, env.memo
        if memo is None or trace is None:
            return inner(env, index)
        key = (token, index) if index else token
        hit = memo.get(key)
        if hit is not None:
            result, entries = hit
            trace.extend(entries)
            return result  # type: ignore[no-any-return]
        start = len(trace)
        result = inner(env, index)
        memo[key] = (result, tuple(trace[start:]))
        return result

    return node


def count_node(
    path: str,
    member: Node,
    op: str,
    compare: Comparator,
    thresholds: Thresholds | tuple[Any, ...],
    param: str | None,
    percent: float | None,
    token: object | None = None,
) -> Node:
    """How many household members satisfy ``member`` (a range when some are unknown).

    With ``token`` (shared by every count over an equal ``member`` rule), the count is kept in
    ``env.memo``: it depends only on the household, not on where the count appears."""

    resolve = _constant(thresholds) if isinstance(thresholds, tuple) else thresholds

    def node(env: Env, index: int) -> tuple[Truth, Refs]:
        memo = env.memo
        if token is None or memo is None:
            count, refs = count_members(env, member)
        else:
            found = memo.get(token)
            if found is None:
                found = memo[token] = count_members(env, member)
            count, refs = found
        candidates, key_missing = resolve(env, index)
        truth = decide(compare, count, candidates)
        if env.trace is not None:
            env.trace.append(
                _entry(
                    _RESULT, (path, "count", count, op, shown(candidates), param, truth, percent)
                )
            )
        return truth, ((refs + key_missing) if truth is UNKNOWN else NO_REFS)

    return node


def _constant(thresholds: tuple[Any, ...]) -> Thresholds:
    def resolve(env: Env, index: int) -> tuple[tuple[Any, ...], Refs]:
        return thresholds, NO_REFS

    return resolve


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
