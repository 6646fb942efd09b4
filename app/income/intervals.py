"""KRW intervals: an amount known exactly, as a range, or not at all (issue #11).

``Amount(low, high)`` is the closed interval ``[low, high]`` of non-negative whole won; ``high``
``None`` means unbounded. The helpers are the monotone steps the income rules use; each returns the
tightest interval of the step's possible results.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Rate = float | int | Decimal


def round_half_up(value: Decimal) -> int:
    """``value`` rounded half up to the won."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def scale_won(value: int, rate: Rate, divisor: int = 1) -> int:
    """``round_half_up(value × rate ÷ divisor)``, computed exactly (monotone in ``value``)."""
    return round_half_up(Decimal(value) * Decimal(str(rate)) / Decimal(divisor))


@dataclass(frozen=True, slots=True)
class Amount:
    """A KRW interval, inclusive; ``high`` ``None`` = unbounded."""

    low: int
    high: int | None

    def __post_init__(self) -> None:
        if self.low < 0:
            raise ValueError(f"an amount is not negative: low {self.low}")
        if self.high is not None and self.high < self.low:
            raise ValueError(f"empty interval [{self.low}, {self.high}]")

    @classmethod
    def exact(cls, n: int) -> Amount:
        return cls(n, n)

    @classmethod
    def unknown(cls) -> Amount:
        """A non-negative amount nobody gave: ``[0, ∞)``."""
        return cls(0, None)

    @classmethod
    def range(cls, low: int, high: int | None) -> Amount:
        return cls(low, high)

    @property
    def is_exact(self) -> bool:
        return self.high == self.low

    @property
    def is_bounded(self) -> bool:
        return self.high is not None

    @property
    def width(self) -> int | None:
        """``high − low`` (``None`` if unbounded)."""
        return None if self.high is None else self.high - self.low

    def contains(self, n: int) -> bool:
        return self.low <= n and (self.high is None or n <= self.high)

    def within(self, other: Amount) -> bool:
        """Is this interval inside ``other``?"""
        if self.low < other.low:
            return False
        if other.high is None:
            return True
        return self.high is not None and self.high <= other.high

    def hull(self, other: Amount) -> Amount:
        """The smallest interval holding both."""
        high = None if self.high is None or other.high is None else max(self.high, other.high)
        return Amount(min(self.low, other.low), high)

    def __add__(self, other: Amount) -> Amount:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Amount(self.low + other.low, high)

    def minus(self, other: Amount) -> Amount:
        """``max(0, self − other)`` for every pair: the floored difference."""
        low = 0 if other.high is None else max(self.low - other.high, 0)
        high = None if self.high is None else max(self.high - other.low, 0)
        return Amount(low, high)

    def deduct(self, deduction: int) -> Amount:
        """``max(0, x − deduction)``."""
        return self.minus(Amount.exact(deduction))

    def cap(self, limit: int) -> Amount:
        """``min(x, limit)``."""
        return Amount(min(self.low, limit), limit if self.high is None else min(self.high, limit))

    def excess(self, limit: int) -> Amount:
        """``max(x − limit, 0)``: what a cap moves elsewhere."""
        return self.deduct(limit)

    def scale(self, rate: Rate, divisor: int = 1) -> Amount:
        """``round_half_up(x × rate ÷ divisor)`` (rate ≥ 0)."""
        high = None if self.high is None else scale_won(self.high, rate, divisor)
        return Amount(scale_won(self.low, rate, divisor), high)

    def __str__(self) -> str:
        if self.is_exact:
            return f"{self.low:,}"
        if self.high is None:
            return f"{self.low:,}+"
        return f"{self.low:,}–{self.high:,}"


ZERO = Amount.exact(0)
