"""Localized catalog text: a map from BCP 47 locale tag to text, Korean required.

The catalog (program names, summaries, notes, parameter descriptions) says what it says in as
many languages as its authors wrote; ``get`` falls back to Korean, and ``has`` tells the text
layer when it did, so that a plan can mark a name shown in Korean.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

SOURCE = "ko"  # the catalog is written in Korean: every text has it, the others fall back to it
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$")


class LocalizedText(BaseModel):
    """``{ko: 기초연금, en: Basic Pension, vi: …, zh-Hans: …}``: Korean, and any other locale."""

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        json_schema_extra={
            "additionalProperties": {"type": "string", "minLength": 1},
            "propertyNames": {"pattern": _TAG.pattern},
        },
    )

    ko: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _check_locales(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, value in data.items():
                if key == SOURCE:
                    continue
                if not isinstance(key, str) or not _TAG.match(key):
                    raise PydanticCustomError(
                        "locale_tag",
                        "{key} is not a locale tag (ko, en, vi, zh-Hans, …)",
                        {"key": key},
                    )
                if not isinstance(value, str) or not value.strip():
                    raise PydanticCustomError(
                        "locale_text", "the {key} text must be a non-empty string", {"key": key}
                    )
        return data

    def has(self, locale: str) -> bool:
        return locale == SOURCE or bool((self.model_extra or {}).get(locale))

    def get(self, locale: str) -> str:
        if locale == SOURCE:
            return self.ko
        found = (self.model_extra or {}).get(locale)
        return found if isinstance(found, str) and found else self.ko

    def locales(self) -> tuple[str, ...]:
        return (SOURCE, *sorted(self.model_extra or {}))
