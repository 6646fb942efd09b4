"""Rendering: the Jinja2 environment, the pages' words per locale, and the plan's amounts.

Every word on a page is a message of the ``web`` catalogs (``app/text/locales/<tag>/web.po``) or
comes from the API's own localized answers (questions, options, reasons): the pages add no
language of their own. Templates are autoescaped; nothing a citizen typed is ever marked safe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.text.formats import day, money, money_short
from app.text.locales import registry
from app.text.messages import catalog, t, template

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
_PREFIX = "web."

# The kiosk asks for money in bands (DESIGN.md: "월 소득 200~300만원"): (min, max), KRW.
MONTHLY_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 0), (0, 500_000), (500_000, 1_000_000), (1_000_000, 2_000_000),
    (2_000_000, 3_000_000), (3_000_000, 5_000_000), (5_000_000, None),
)  # fmt: skip
STOCK_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 0), (0, 10_000_000), (10_000_000, 50_000_000), (50_000_000, 100_000_000),
    (100_000_000, 300_000_000), (300_000_000, None),
)  # fmt: skip


@cache
def environment() -> Environment:
    """The templates' environment (pure configuration: built once, never changed)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(name: str, locale: str, **context: Any) -> str:
    page = environment().get_template(name)
    return page.render(locale=locale, _=_translator(locale), **helpers(locale), **context)


def _translator(locale: str) -> Callable[..., str]:
    def translate(message_id: str, /, **args: Any) -> str:
        return t(locale, _PREFIX + message_id, **args)

    return translate


def helpers(locale: str) -> dict[str, Any]:
    return {
        "locales": [(tag, info.native_name) for tag, info in registry().items()],
        "amount": lambda value: amount_text(value, locale),
        "day": lambda value: day(date.fromisoformat(value), locale),
        "is_web_link": is_web_link,
    }


def is_web_link(url: object) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def amount_text(value: Mapping[str, int | None] | None, locale: str) -> str:
    """``349,700원``, ``1,000,000원~2,000,000원`` or ``50만원 이상``; empty when unknown."""
    if not value:
        return ""
    low, high = value.get("low"), value.get("high")
    if not low and not high:
        return ""  # nothing to count (0) is not an amount worth showing
    if low is not None and low == high:
        return money(low, locale)
    if low and high is not None:
        return t(
            locale, "web.kiosk.range.between", low=money(low, locale), high=money(high, locale)
        )
    if high is not None:
        return t(locale, "web.kiosk.range.below", high=money(high, locale))
    if low:
        return t(locale, "web.kiosk.range.above", low=money(low, locale))
    return ""


def band_label(low: int, high: int | None, locale: str) -> str:
    if high == 0:
        return t(locale, "web.kiosk.range.zero")
    if high is None:
        return t(locale, "web.kiosk.range.above", low=money_short(low, locale))
    if low == 0:
        return t(locale, "web.kiosk.range.below", high=money_short(high, locale))
    return t(
        locale,
        "web.kiosk.range.between",
        low=money_short(low, locale),
        high=money_short(high, locale),
    )


def _bands(bands: tuple[tuple[int, int | None], ...], locale: str) -> list[dict[str, Any]]:
    return [
        {"min": low, "max": high, "label": band_label(low, high, locale)} for low, high in bands
    ]


def kiosk_strings(locale: str) -> dict[str, Any]:
    """What the kiosk script shows in ``locale``: the ``web.*`` messages (templates, filled in
    the browser: ``{n}``), the language's name and the money bands."""
    korean = catalog("ko")
    words = {
        key.removeprefix(_PREFIX): template(locale, key)
        for key in korean
        if key.startswith(_PREFIX)
    }
    return {
        "words": words,
        "name": registry()[locale].native_name,
        "bands": {
            "monthly": _bands(MONTHLY_BANDS, locale),
            "stock": _bands(STOCK_BANDS, locale),
        },
    }


def all_kiosk_strings() -> dict[str, Any]:
    return {tag: kiosk_strings(tag) for tag in registry()}
