"""Fact values as a citizen reads them: money, ages, counts, option labels, ranges, and the
lines they are compared with (``기준 중위소득 60%(321만원)``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.matching import (
    FactSpec,
    OneOf,
    ParameterSet,
    Range,
)
from app.text import formats
from app.text.facts import option_label
from app.text.messages import t

AGE_UNITS = ("years", "months")
ORDERED = ("ge", "gt", "le", "lt", "between")


def format_money(amount: int | float, locale: str) -> str:
    return formats.money(amount, locale)


def format_value(value: Any, spec: FactSpec | None, locale: str, short: bool = False) -> str:
    """A fact value as a citizen reads it: money, ages, counts, option labels, ranges."""
    if isinstance(value, Range):
        ends = [v for v in (value.min, value.max) if isinstance(v, int | float)]
        short = short and all(round(v) % 10_000 == 0 for v in ends)  # never 247만원~3,952,000원
        low = None if value.min is None else format_value(value.min, spec, locale, short)
        high = None if value.max is None else format_value(value.max, spec, locale, short)
        if low is not None and high is not None:
            return t(locale, "format.range", low=low, high=high)
        if low is not None:
            return t(locale, "format.at_least", value=low)
        return t(locale, "format.at_most", value=high)
    if isinstance(value, OneOf | frozenset | set | tuple | list):
        items = sorted(value.options if isinstance(value, OneOf) else value, key=str)
        return formats.join([format_value(v, spec, locale, short) for v in items], locale)
    if isinstance(value, bool):
        return t(locale, "format.yes" if value else "format.no")
    if isinstance(value, date):
        return formats.day(value, locale)
    if isinstance(value, str):
        return option_label(spec.id, value, locale) if spec is not None else value
    return _number(value, spec, locale, short)


def _number(value: int | float, spec: FactSpec | None, locale: str, short: bool) -> str:
    if spec is not None and spec.type == "money":
        return formats.money_short(value, locale) if short else formats.money(value, locale)
    unit = spec.unit if spec is not None else None
    if unit == "years" and not is_age(spec):
        unit = "duration_years"  # 입국 후 5년, not 5세
    if unit in ("years", "months", "persons", "percent", "duration_years"):
        return formats.unit(value, unit, locale)
    return formats.number(value, locale)


def threshold_text(
    threshold: Any,
    spec: FactSpec | None,
    param: str | None,
    percent: float | None,
    locale: str,
    parameters: ParameterSet | None = None,
) -> str:
    """What a value is compared with: ``65세``; ``기준 중위소득 60%(321만원)``. An age or count
    limit is its number alone; a money line keeps its name, because the name is what a citizen
    asks about at the office."""
    amount = None if threshold is None else format_value(threshold, spec, locale, short=True)
    if param is None or (amount is not None and (spec is None or spec.type != "money")):
        return amount or ""
    name = param_name(param, locale, parameters)
    if percent is not None:
        name = t(locale, "cond.percent_of", name=name, percent=formats.number(percent, locale))
    if amount is None:
        return name
    return t(locale, "cond.named_amount", name=name, amount=amount)


def param_name(param: str, locale: str, parameters: ParameterSet | None) -> str:
    if parameters is None or param not in parameters:
        return param
    text = re.sub(r"\s*\(100%\)$", "", parameters[param].description.get(locale))
    # "(이 금액 이하)", "（2024·2025年…）": a note, not the name
    text = re.sub(r"\s*[(（][^()（）]*[)）]$", "", text) or text
    return mid_sentence(text)


def mid_sentence(text: str) -> str:
    """A capitalized label as it reads inside a sentence ("Standard median income" → "standard
    median income"); a name whose every word is capitalized ("Basic Pension …") keeps its
    capitals, and scripts without case are unchanged."""
    words = text.split()
    proper = len(words) > 1 and words[1][:1].isupper()
    if text[:1].isupper() and text[1:2].islower() and not proper:
        return text[:1].lower() + text[1:]
    return text


def is_age(spec: FactSpec | None) -> bool:
    return spec is not None and spec.unit in AGE_UNITS and spec.name in ("age", "age_months")
