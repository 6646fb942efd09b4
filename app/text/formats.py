"""Numbers, money, dates and lists as each locale writes them (CLDR through Babel). The money
pattern and the units are messages: Korean citizens read ``1,234원``, not ``₩1,234``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from babel.core import Locale as BabelLocale
from babel.dates import format_date
from babel.numbers import format_decimal

from app.text.locales import DEFAULT, registry
from app.text.messages import grammar, has, t


def _babel(tag: str) -> BabelLocale:
    found = registry().get(tag) or registry()[DEFAULT]
    return found.babel


# a plan writes the same few numbers and dates many times, and Babel formats slowly; typed, so
# that 2, 2.0 and Decimal("2.5") vs 2.5 are never confused
@lru_cache(maxsize=4096, typed=True)
def number(value: int | float, tag: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        return str(format_decimal(round(value, 1), format="#,##0.#", locale=_babel(tag)))
    return str(format_decimal(int(value), locale=_babel(tag)))


def money(amount: int | float, tag: str) -> str:
    """``1,234원`` / ``KRW 1,234`` / ``1.234 won`` / ``1,234韩元``."""
    return t(tag, "format.money", amount=number(round(amount), tag))


def money_short(amount: int | float, tag: str) -> str:
    """A round sum the short way where the locale has one (``247만원``), else ``money``."""
    whole = round(amount)
    if whole >= 10_000 and whole % 10_000 == 0 and has(tag, "format.money.ten_thousands"):
        return t(tag, "format.money.ten_thousands", amount=number(whole // 10_000, tag))
    return money(amount, tag)


@lru_cache(maxsize=1024, typed=True)
def day(value: date, tag: str) -> str:
    """``2026년 9월 14일`` / ``September 14, 2026`` / ``14 tháng 9, 2026`` / ``2026年9月14日``."""
    return str(format_date(value, format="long", locale=_babel(tag)))


def unit(value: int | float, unit_name: str, tag: str) -> str:
    """``72세`` / ``72 years``; ``unit.<name>`` with plural forms chosen by ``one``/``other``."""
    count = number(value, tag)
    form = "one" if value == 1 and has(tag, f"unit.{unit_name}.one") else "other"
    return t(tag, f"unit.{unit_name}.{form}", n=count)


def join(items: Sequence[str], tag: str, style: str = "standard") -> str:
    """``a, b 및 c`` / ``a, b, and c``; ``style="or"`` for alternatives."""
    if len(items) == 1:
        return items[0]
    return _joined(tuple(items), tag, style)


@lru_cache(maxsize=4096)
def _joined(items: tuple[str, ...], tag: str, style: str) -> str:
    """Babel lists slowly, and a plan joins the same program names in every request."""
    return grammar(tag).join(items, style)
