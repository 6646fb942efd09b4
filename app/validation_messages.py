"""Field-level validation messages in the request's language, keyed by pydantic error type.

Each error type has a message ``errors.validation.<type>`` in the text layer
(``app/text/locales/<tag>/errors.po``), filled with the error's context (``{ge}``,
``{min_length}``, ``{expected}`` ...); a type without one gets ``errors.validation.value_error``.
Custom validators raise ``PydanticCustomError(<type>, <english template>, ctx)`` and add the
message ``errors.validation.<type>`` in every locale; the template is for Python callers only.
Submitted values are never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from app.locale import Locale
from app.text.formats import join, number
from app.text.locales import DEFAULT
from app.text.messages import has, t

PREFIX = "errors.validation."
FALLBACK = PREFIX + "value_error"
# context fields pydantic fills with a list of allowed values written as Python literals:
# ``'income', 'care' or 'emergency'``; said again as a list in the request's language
_CHOICES = frozenset({"expected", "expected_tags"})
_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s,]+")


_UNION_TAGS = frozenset({"exact", "range"})


def _is_field(part: int | str) -> bool:
    """Drop pydantic's union-member segments (tags, ``constrained-int``, ``function-...``)."""
    if isinstance(part, int):
        return True
    return part not in _UNION_TAGS and not any(c in part for c in "[-") and part.islower()


def _pointer(loc: Sequence[int | str]) -> tuple[str, str]:
    """JSON pointer for body errors; ``query``/``path``/``header`` names for the rest."""
    parts = [p for p in loc if _is_field(p)]
    where = str(parts[0]) if parts else "body"
    rest = parts[1:] if where in {"body", "query", "path", "header", "cookie"} else parts
    if where == "body":
        escaped = [str(p).replace("~", "~0").replace("/", "~1") for p in rest]
        return "pointer", "/" + "/".join(escaped)
    return "parameter", ".".join(str(p) for p in rest) or where


def _choices(value: Any, locale: Locale) -> str:
    """``'a', 'b' or 'c'`` (pydantic's English) as ``'a', 'b' 또는 'c'`` / ``'a'、'b'或'c'``."""
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = [token for token in _LITERAL.findall(str(value)) if token != "or"]
    return join(items, locale, style="or") if items else str(value)


def _ctx_value(name: str, value: Any, locale: Locale) -> str:
    if name in _CHOICES:
        return _choices(value, locale)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return number(float(value) if isinstance(value, Decimal) else value, locale)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return join([str(v) for v in value], locale)
    return str(value)


def validation_message(kind: str, ctx: Mapping[str, Any], locale: Locale) -> str:
    """The message for one pydantic error type in ``locale``, filled from its context."""
    message_id = PREFIX + kind if has(DEFAULT, PREFIX + kind) else FALLBACK
    args = {name: _ctx_value(name, value, locale) for name, value in ctx.items()}
    try:
        return t(locale, message_id, **args)
    except (KeyError, IndexError, ValueError):  # a context field the error did not carry
        return t(locale, FALLBACK)


def localize_validation_error(error: Mapping[str, Any], locale: Locale) -> dict[str, str]:
    """Turn one pydantic error into ``{pointer|parameter, detail}`` in the request's language."""
    key, where = _pointer(error.get("loc", ()))
    kind = str(error.get("type", "value_error"))
    return {key: where, "detail": validation_message(kind, error.get("ctx") or {}, locale)}
