"""Locale negotiation for HTTP: ``ko`` (default) or ``en``."""

from __future__ import annotations

from typing import Literal

Locale = Literal["ko", "en"]
SUPPORTED: tuple[Locale, ...] = ("ko", "en")


def negotiate_locale(accept_language: str | None, default: Locale = "ko") -> Locale:
    """Pick ``ko`` or ``en`` from an Accept-Language header, honouring q-values."""
    if not accept_language:
        return default
    best: tuple[float, int, Locale] | None = None
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary in SUPPORTED and quality > 0:
            candidate = (quality, -position, primary)
            if best is None or candidate > best:
                best = candidate
    return best[2] if best else default
