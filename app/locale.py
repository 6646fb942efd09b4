"""Locale negotiation for HTTP, over the text layer's registry (``app.text.locales``).

``Locale`` is a BCP 47 tag the registry knows (``ko``, ``en``, ``vi``, ``zh-Hans``, or any locale
added as files); ``LocaleField`` is the same for request bodies, with the supported tags as the
OpenAPI enum and a 422 for any other.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from app.text.locales import DEFAULT, is_supported, negotiate, supported

Locale = str


def negotiate_locale(accept_language: str | None, default: Locale = DEFAULT) -> Locale:
    """The best supported locale for an Accept-Language header, honouring q-values."""
    return negotiate(accept_language, default)


def _check(tag: str) -> str:
    if not is_supported(tag):
        raise PydanticCustomError(
            "unsupported_locale",
            "unsupported locale; supported: {expected}",
            {"expected": ", ".join(supported())},
        )
    return tag


LocaleField = Annotated[
    str,
    AfterValidator(_check),
    WithJsonSchema({"type": "string", "enum": list(supported())}),
]

__all__ = ["DEFAULT", "Locale", "LocaleField", "negotiate_locale", "supported"]
