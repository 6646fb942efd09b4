"""Benefit amounts (contract §3) as integer KRW ranges ``[low, high]`` (``None`` = unbounded).

Unknown inputs widen the range; a fact's registry minimum/maximum bound an unknown value. Ranges
combine by interval arithmetic, so terms may be negative (``product: [-1, x]`` subtracts ``x``):
``product`` takes the least and greatest of the corner products, ``sum`` adds ends, ``min``/``max``
take them end by end. ``None`` is an open end (-inf for ``low``, +inf for ``high``); zero times an
open end is zero (every actual value is finite). ``per_member`` counts members whose rule is TRUE
and, for members whose rule is UNKNOWN, between none and all of them. A table gives 0 outside its
bands. The engine does not clamp: a formula that could fall below zero says ``max: [0, ...]``
(the contract does not declare amounts non-negative).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.matching.binding import Binder, Env, FactBinding, Thresholds
from app.matching.compile import RuleCompiler
from app.matching.rules import (
    Amount,
    FactAmount,
    FixedAmount,
    MaxAmount,
    MinAmount,
    ParamRef,
    PerMemberAmount,
    ProductAmount,
    SumAmount,
    Table,
    TableAmount,
    WhenAmount,
)
from app.matching.truth import FALSE, TRUE
from app.matching.values import NUMERIC_TYPES, Range

Bound = int | float | None
Span = tuple[Bound, Bound]
AmountFn = Callable[[Env, int], Span]


@dataclass(frozen=True, slots=True)
class AmountRange:
    """An amount in KRW: ``low == high`` when exact; ``None`` is unbounded (unknown)."""

    low: int | None
    high: int | None

    @property
    def is_exact(self) -> bool:
        return self.low is not None and self.low == self.high


def round_won(value: Bound) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_range(span: Span) -> AmountRange:
    return AmountRange(round_won(span[0]), round_won(span[1]))


class AmountCompiler:
    def __init__(self, binder: Binder, rules: RuleCompiler) -> None:
        self.binder, self.rules = binder, rules

    def compile(self, amount: Amount, path: str, in_member: bool = False) -> AmountFn | None:
        if isinstance(amount, int | float):
            return _constant(amount)
        if isinstance(amount, FixedAmount):
            return _constant(amount.fixed)
        if isinstance(amount, ParamRef):
            resolver = self.binder.bind_param(amount, path, in_member)
            return None if resolver is None else _param_amount(resolver)
        if isinstance(amount, FactAmount):
            fact = self._numeric_fact(amount.fact, f"{path}.fact", in_member)
            return None if fact is None else _fact_amount(fact)
        if isinstance(amount, PerMemberAmount):
            return self._per_member(amount, path)
        if isinstance(amount, TableAmount):
            return self._table(amount.table, f"{path}.table", in_member)
        if isinstance(amount, WhenAmount):
            return self._when(amount, path, in_member)
        key, combine = _COMBINERS[type(amount)]
        parts = [
            self.compile(part, f"{path}.{key}[{i}]", in_member)
            for i, part in enumerate(getattr(amount, key))
        ]
        if any(p is None for p in parts):
            return None
        return _combined(tuple(p for p in parts if p is not None), combine)

    def _numeric_fact(self, ref: str, path: str, in_member: bool) -> FactBinding | None:
        fact = self.binder.bind_fact(ref, path, in_member)
        if fact is not None and fact.spec.type not in NUMERIC_TYPES:
            self.binder.problem(path, f"{ref} is not a number and cannot be an amount")
            return None
        return fact

    def _per_member(self, amount: PerMemberAmount, path: str) -> AmountFn | None:
        spec = amount.per_member
        member = self.rules.compile(spec.member, f"{path}.per_member.member", in_member=True)
        each = self.compile(spec.amount, f"{path}.per_member.amount", in_member=True)
        if member is None or each is None:
            return None

        def per_member(env: Env, index: int) -> Span:
            ctx, saved = env.ctx, env.trace
            env.trace = None
            low: Bound = 0
            high: Bound = 0
            try:
                people: list[tuple[int, int, int | None]] = [
                    (i, 1, 1) for i in range(len(ctx.persons))
                ]
                if ctx.extra_max != 0:
                    people.append((len(ctx.persons), ctx.extra_min, ctx.extra_max))
                for person, least, most in people:
                    truth, _ = member(env, person)
                    if truth is FALSE:
                        continue
                    many: Span = (least if truth is TRUE else 0, most)
                    part_low, part_high = _times(each(env, person), many)
                    low, high = _add(low, part_low), _add(high, part_high)
            finally:
                env.trace = saved
            return low, high

        return per_member

    def _when(self, amount: WhenAmount, path: str, in_member: bool) -> AmountFn | None:
        rule = self.rules.compile(amount.when, f"{path}.when", in_member)
        then = self.compile(amount.then, f"{path}.then", in_member)
        other = self.compile(amount.else_, f"{path}.else", in_member)
        if rule is None or then is None or other is None:
            return None

        def when(env: Env, index: int) -> Span:
            saved = env.trace
            env.trace = None  # an amount's condition is not an eligibility condition
            try:
                truth, _ = rule(env, index)
            finally:
                env.trace = saved
            if truth is TRUE:
                return then(env, index)
            if truth is FALSE:
                return other(env, index)
            return _min_low([then(env, index), other(env, index)]), _max_high(
                [then(env, index), other(env, index)]
            )

        return when

    def _table(self, table: Table, path: str, in_member: bool) -> AmountFn | None:
        fact = self._numeric_fact(table.fact, f"{path}.fact", in_member)
        bands = []
        for i, band in enumerate(table.bands):
            if band.from_ is not None and band.to is not None and band.from_ > band.to:
                self.binder.problem(f"{path}.bands[{i}]", "from is above to")
            fn = self.compile(band.amount, f"{path}.bands[{i}].amount", in_member)
            bands.append((band.from_, band.to, fn))
        if fact is None or any(fn is None for _, _, fn in bands):
            return None
        return _table_amount(fact, tuple(bands))  # type: ignore[arg-type]


def _constant(value: int | float) -> AmountFn:
    span: Span = (value, value)
    return lambda env, index: span


def _param_amount(resolver: Thresholds) -> AmountFn:
    def amount(env: Env, index: int) -> Span:
        candidates, _ = resolver(env, index)
        if not candidates:
            return None, None
        return min(candidates), max(candidates)

    return amount


def _fact_amount(fact: FactBinding) -> AmountFn:
    get, spec = fact.get, fact.spec

    def amount(env: Env, index: int) -> Span:
        value = get(env, index)
        if value is None:
            return spec.minimum, spec.maximum
        if type(value) is Range:
            return value.min, value.max
        return value, value

    return amount


def _table_amount(fact: FactBinding, bands: tuple[tuple[Bound, Bound, AmountFn], ...]) -> AmountFn:
    get, spec = fact.get, fact.spec
    step = 1 if spec.type in ("int", "money") else 0

    def amount(env: Env, index: int) -> Span:
        value = get(env, index)
        if value is not None and type(value) is not Range:
            for low, high, fn in bands:
                if (low is None or low <= value) and (high is None or value <= high):
                    return fn(env, index)
            return 0, 0
        wanted = (value.min, value.max) if value is not None else (spec.minimum, spec.maximum)
        hits = [
            (low, high, fn)
            for low, high, fn in bands
            if (low is None or wanted[1] is None or low <= wanted[1])
            and (high is None or wanted[0] is None or wanted[0] <= high)
        ]
        spans = [fn(env, index) for _, _, fn in hits]
        if not _covers(hits, wanted, step):
            spans.append((0, 0))
        return _min_low(spans), _max_high(spans)

    return amount


def _covers(bands: list[tuple[Bound, Bound, AmountFn]], wanted: Span, step: int) -> bool:
    """Whether the bands leave no gap over ``wanted`` (``step`` 1 for whole numbers)."""
    need = -math.inf if wanted[0] is None else wanted[0]  # the smallest value not yet covered
    top = math.inf if wanted[1] is None else wanted[1]
    for low, high, _ in sorted(bands, key=lambda b: -math.inf if b[0] is None else b[0]):
        if low is not None and low > need:
            return False
        if high is None:
            return True
        need = max(need, high + step)
    return need > top if step else need >= top


def _add(a: Bound, b: Bound) -> Bound:
    return None if a is None or b is None else a + b


def _times(a: Span, b: Span) -> Span:
    """Interval product: the least and greatest of the four corner products."""
    a_low, a_high = a
    b_low, b_high = b
    if (
        a_low is not None
        and a_high is not None
        and b_low is not None
        and b_high is not None
        and a_low >= 0
        and b_low >= 0
    ):
        return a_low * b_low, a_high * b_high  # the common case: both non-negative and bounded
    corners = [
        _corner(x, y)
        for x in (-math.inf if a_low is None else a_low, math.inf if a_high is None else a_high)
        for y in (-math.inf if b_low is None else b_low, math.inf if b_high is None else b_high)
    ]
    low, high = min(corners), max(corners)
    return (None if low == -math.inf else low), (None if high == math.inf else high)


def _corner(x: float, y: float) -> float:
    return 0 if x == 0 or y == 0 else x * y


def _min_low(spans: list[Span]) -> Bound:
    lows = [s[0] for s in spans]
    return None if not lows or any(v is None for v in lows) else min(lows)  # type: ignore[type-var]


def _max_high(spans: list[Span]) -> Bound:
    highs = [s[1] for s in spans]
    return None if not highs or any(v is None for v in highs) else max(highs)  # type: ignore[type-var]


def _sum(spans: list[Span]) -> Span:
    low: Bound = 0
    high: Bound = 0
    for span_low, span_high in spans:
        low, high = _add(low, span_low), _add(high, span_high)
    return low, high


def _product(spans: list[Span]) -> Span:
    result: Span = (1, 1)
    for span in spans:
        result = _times(result, span)
    return result


def _smallest(spans: list[Span]) -> Span:
    highs = [s[1] for s in spans if s[1] is not None]
    return _min_low(spans), (min(highs) if highs else None)


def _largest(spans: list[Span]) -> Span:
    lows = [s[0] for s in spans if s[0] is not None]
    return (max(lows) if lows else None), _max_high(spans)


_COMBINERS: dict[type, tuple[str, Callable[[list[Span]], Span]]] = {
    MinAmount: ("min", _smallest),
    MaxAmount: ("max", _largest),
    SumAmount: ("sum", _sum),
    ProductAmount: ("product", _product),
}


def _combined(parts: tuple[AmountFn, ...], combine: Callable[[list[Span]], Span]) -> AmountFn:
    def amount(env: Env, index: int) -> Span:
        return combine([part(env, index) for part in parts])

    return amount


__all__ = ["AmountCompiler", "AmountFn", "AmountRange", "round_won", "to_range"]
