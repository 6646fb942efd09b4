"""Fact values and fact specifications.

A fact is unknown (absent), exact (``bool``/``int``/``float``/``str``/``date``/``frozenset``), a
``Range`` (inclusive, either end open) or, for derived enum facts, a ``OneOf`` (one of a few
possible options, e.g. a stage implied by an age band).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FactType = Literal["bool", "int", "money", "number", "date", "enum", "set"]
Scope = Literal["person", "household"]
Number = int | float
NUMERIC_TYPES = frozenset({"int", "money", "number"})
ORDERED_TYPES = NUMERIC_TYPES | {"date"}


@dataclass(frozen=True, slots=True)
class Range:
    """An inclusive band of numbers; ``None`` leaves that end open."""

    min: Number | None = None
    max: Number | None = None

    def __post_init__(self) -> None:
        low, high = self.min, self.max
        if low is not None and high is not None and low > high:
            raise ValueError("range minimum above maximum")

    @property
    def is_point(self) -> bool:
        return self.min is not None and self.min == self.max


@dataclass(frozen=True, slots=True)
class OneOf:
    """One of several options of an enum fact, not yet known which."""

    options: frozenset[str]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One input a rule may read. ``id`` is ``person.<name>``, ``household.<name>``,
    ``parents.<name>`` or ``pension_unit.<name>``; ``options`` are the values of an enum or set
    fact, in the order a kiosk offers them. No text: labels, questions and option labels are
    messages of the text layer (``app.text.facts``)."""

    id: str
    type: FactType
    scope: Scope
    options: tuple[str, ...] = ()
    unit: str | None = None
    is_sensitive: bool = False
    is_derived: bool = False
    asked_as: str | None = None
    minimum: Number | None = None
    maximum: Number | None = None
    option_values: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "option_values", frozenset(self.options))

    @property
    def name(self) -> str:
        """The id without its prefix: the key in a ``Profile`` mapping."""
        return self.id.split(".", 1)[1]
