"""Dated parameters (contract §4): amounts and thresholds that change by date, maybe keyed.

``Parameter.at(as_of)`` is the latest value with ``effective_from <= as_of``; a ``null`` value ends
the parameter; none raises ``NoParameterValue``. Tables have string keys (``"1"``..``"7"``,
``"true"``/``"false"``); ``extrapolate: last_step`` extends an integer-keyed table past its last
row by the last step: ``value(n) = value(K) + (value(K) - value(K-1)) * (n - K)``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.matching.errors import NoParameterValue
from app.matching.text import LocalizedText

Scalar = int | float
TableValue = dict[str, Scalar]
ParameterPayload = Scalar | TableValue


def key_text(value: object) -> str:
    """The table key for a fact value: ``True`` -> ``"true"``, ``3`` -> ``"3"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def scale_percent(value: Scalar, percent: Scalar) -> int:
    """``round_half_up(value * percent / 100)`` to the won, computed exactly."""
    exact = Decimal(str(value)) * Decimal(str(percent)) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class ParameterValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    effective_from: date
    value: ParameterPayload | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _string_keys(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {key_text(k): v for k, v in value.items()}
        return value


class Parameter(BaseModel):
    """One parameter; ``id`` is ``<group>.<name>`` from its file path."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$")
    unit: str
    description: LocalizedText
    reference: LocalizedText | None = None
    source_url: str | None = None
    verification: Literal["verified", "partial", "unverified"] = "unverified"
    key: str | None = None
    extrapolate: Literal["last_step"] | None = None
    values: tuple[ParameterValue, ...] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _sorted(cls, values: tuple[ParameterValue, ...]) -> tuple[ParameterValue, ...]:
        ordered = tuple(sorted(values, key=lambda v: v.effective_from))
        dates = [v.effective_from for v in ordered]
        if len(set(dates)) != len(dates):
            raise ValueError("two values share one effective_from date")
        return ordered

    @model_validator(mode="after")
    def _tables_need_a_key(self) -> Parameter:
        is_table = any(isinstance(v.value, dict) for v in self.values)
        if is_table and self.key is None:
            raise ValueError("a table parameter needs `key` (the fact that selects the row)")
        if not is_table and self.key is not None:
            raise ValueError("`key` is only for table values")
        if self.extrapolate and not is_table:
            raise ValueError("`extrapolate` is only for table values")
        return self

    def at(self, as_of: date) -> ParameterPayload:
        """The value in force on ``as_of``."""
        index = bisect.bisect_right([v.effective_from for v in self.values], as_of) - 1
        if index < 0:
            raise NoParameterValue(self.id, f"no value in force on {as_of.isoformat()}")
        value = self.values[index].value
        if value is None:
            raise NoParameterValue(self.id, f"ended before {as_of.isoformat()}")
        return value

    def lookup(self, as_of: date, key: object = None) -> Scalar:
        """The scalar in force on ``as_of``; for a table, the row for the fact value ``key``."""
        value = self.at(as_of)
        if not isinstance(value, dict):
            return value
        if key is None:
            raise NoParameterValue(self.id, "a table needs a key")
        return self.row(value, key_text(key))

    def row(self, table: Mapping[str, Scalar], key: str) -> Scalar:
        if key in table:
            return table[key]
        if self.extrapolate == "last_step" and key.isdigit():
            numeric = sorted(int(k) for k in table if k.isdigit())
            if len(numeric) >= 2 and int(key) > numeric[-1]:
                last, before = table[str(numeric[-1])], table[str(numeric[-2])]
                return last + (last - before) * (int(key) - numeric[-1])
        raise NoParameterValue(self.id, f"no row for key {key!r}")


class ParameterSet(Mapping[str, Parameter]):
    """An immutable id -> ``Parameter`` mapping."""

    __slots__ = ("_by_id",)

    def __init__(self, parameters: Iterable[Parameter] = ()) -> None:
        by_id: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.id in by_id:
                raise ValueError(f"duplicate parameter id {parameter.id}")
            by_id[parameter.id] = parameter
        self._by_id = by_id

    def __getitem__(self, parameter_id: str) -> Parameter:
        return self._by_id[parameter_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def value(self, parameter_id: str, as_of: date, key: object = None) -> Scalar:
        """``parameter_id``'s value on ``as_of`` (row ``key`` for a table)."""
        parameter = self._by_id.get(parameter_id)
        if parameter is None:
            raise NoParameterValue(parameter_id, "unknown parameter")
        return parameter.lookup(as_of, key)
