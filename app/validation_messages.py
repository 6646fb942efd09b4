"""Field-level validation messages in Korean and English, keyed by pydantic error type.

Custom validators raise ``PydanticCustomError(<type>, <english template>, ctx)``; the Korean text
for that type lives here too, so every message exists in both languages. Submitted values are
never echoed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.locale import Locale

_KO: dict[str, str] = {
    "missing": "필수 항목입니다.",
    "extra_forbidden": "알 수 없는 항목입니다.",
    "int_parsing": "정수를 입력해 주세요.",
    "int_type": "정수를 입력해 주세요.",
    "int_from_float": "소수점 없는 정수를 입력해 주세요.",
    "float_parsing": "숫자를 입력해 주세요.",
    "float_type": "숫자를 입력해 주세요.",
    "finite_number": "유한한 숫자를 입력해 주세요.",
    "bool_parsing": "예(true) 또는 아니오(false)로 입력해 주세요.",
    "bool_type": "예(true) 또는 아니오(false)로 입력해 주세요.",
    "string_type": "문자열을 입력해 주세요.",
    "string_too_short": "{min_length}자 이상 입력해 주세요.",
    "string_too_long": "{max_length}자 이하로 입력해 주세요.",
    "string_pattern_mismatch": "형식이 올바르지 않습니다.",
    "date_parsing": "날짜를 YYYY-MM-DD 형식으로 입력해 주세요.",
    "date_from_datetime_parsing": "날짜를 YYYY-MM-DD 형식으로 입력해 주세요.",
    "date_type": "날짜를 YYYY-MM-DD 형식으로 입력해 주세요.",
    "greater_than": "{gt}보다 커야 합니다.",
    "greater_than_equal": "{ge} 이상이어야 합니다.",
    "less_than": "{lt}보다 작아야 합니다.",
    "less_than_equal": "{le} 이하여야 합니다.",
    "literal_error": "허용된 값이 아닙니다: {expected}",
    "enum": "허용된 값이 아닙니다: {expected}",
    "list_type": "목록(배열)을 입력해 주세요.",
    "dict_type": "객체를 입력해 주세요.",
    "model_type": "객체를 입력해 주세요.",
    "model_attributes_type": "객체를 입력해 주세요.",
    "too_short": "항목이 {min_length}개 이상이어야 합니다.",
    "too_long": "항목이 {max_length}개 이하여야 합니다.",
    "json_invalid": "JSON 형식이 올바르지 않습니다.",
    "json_type": "JSON 형식이 올바르지 않습니다.",
    "union_tag_invalid": "알 수 없는 종류입니다: {expected_tags}",
    "union_tag_not_found": "종류를 나타내는 항목이 없습니다.",
    "value_error": "값이 올바르지 않습니다.",
    "set_type": "목록(배열)을 입력해 주세요.",
    "frozen_set_type": "목록(배열)을 입력해 주세요.",
    # Hanaro's own validators
    "resident_number": "주민등록번호는 받지 않습니다. 지우고 다시 보내 주세요.",
    "unknown_fact_option": "허용된 값이 아닙니다: {expected}",
    "unknown_region": "알 수 없는 시도 코드입니다. 허용: {expected}",
    "unknown_sigungu": "알 수 없는 시군구 코드입니다 (행정표준코드 5자리, 예: 27110).",
    "sigungu_region": "시군구 코드가 입력한 시도(household.region)에 속하지 않습니다.",
    "impossible_age": "나이는 0세 이상 {maximum}세 이하여야 합니다.",
    "birth_date_future": "생년월일이 기준일(as_of)보다 늦습니다.",
    "age_mismatch": "나이가 기준일의 생년월일과 맞지 않습니다.",
    "income_year": "기준일(as_of)에 적용할 소득인정액 기준값이 없습니다 (2024-01-01 이후만).",
    "due_date_range": "출산 예정일은 기준일(as_of)부터 {days}일 안이어야 합니다.",
    "range_order": "범위의 최솟값이 최댓값보다 큽니다.",
    "negative_money": "금액은 0원 이상이어야 합니다.",
    "household_too_small": "가구원 수가 입력한 가구원 목록보다 적습니다.",
    "member_relation_missing": "가구원마다 관계(relation)를 입력해 주세요.",
    "applicant_relation": "신청인은 가구원 목록에 넣지 않습니다 (관계 self 불가).",
    "unsafe_text": "허용되지 않는 문자가 포함되어 있습니다.",
}


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


def _format(template: str, ctx: Mapping[str, Any]) -> str:
    try:
        return template.format(**{k: _ctx_value(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template


def _ctx_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def localize_validation_error(error: Mapping[str, Any], locale: Locale) -> dict[str, str]:
    """Turn one pydantic error into ``{pointer|parameter, detail}`` in the request's language."""
    key, where = _pointer(error.get("loc", ()))
    kind = str(error.get("type", "value_error"))
    ctx = error.get("ctx") or {}
    if locale == "ko" and kind in _KO:
        detail = _format(_KO[kind], ctx)
    else:
        detail = str(error.get("msg", "Invalid value"))
        if detail.startswith("Value error, "):
            detail = detail.removeprefix("Value error, ")
    return {key: where, "detail": detail}
