"""Shared schema pieces: the problem document (for ``responses=``), the change reason, and the
strict request types (``WholeNumber``, ``IsoDate``) for facts that must not be coerced."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from app.errors import PROBLEM_MEDIA_TYPE


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
"""An aware datetime; naive values (SQLite drops the zone) are UTC, as every write stores."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _whole_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _iso_date_text(value: Any) -> Any:
    if isinstance(value, date):  # Python callers (tests, services) pass dates
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date written as YYYY-MM-DD")


WHOLE_FLOAT_AS_INT = BeforeValidator(_whole_number)
"""Goes after an int's constraints (`Annotated[int, Strict(), Field(ge=0), WHOLE_FLOAT_AS_INT]`)
so that they stay in the JSON schema. JSON has one number type, so a whole number written ``1.0`` or
``1e3`` is that integer (as JSON Schema's ``integer`` counts it); ``1.5`` is refused."""

WholeNumber = Annotated[int, Strict(), WHOLE_FLOAT_AS_INT]
"""An integer, strictly: ``true`` and ``"12"`` are refused, ``1.0`` is 1, ``1.5`` is refused.
Constrain it as above, not with ``Field(ge=...)`` on the field, or the JSON schema loses them."""

IsoDate = Annotated[date, Strict(False), BeforeValidator(_iso_date_text)]
"""A date as JSON carries one: a ``YYYY-MM-DD`` string (never a number or a timestamp)."""

ChangeReason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=500),
    Field(
        description="Why this change is made; kept with the version and in the audit log",
        examples=["2026년 기준 중위소득 고시 반영"],
    ),
]


class ProblemItem(BaseModel):
    """One located problem: a JSON ``pointer`` into the body or a ``parameter`` name."""

    model_config = ConfigDict(extra="allow")

    pointer: str | None = Field(default=None, examples=["/spec/eligibility/all/1/value"])
    parameter: str | None = Field(default=None, examples=["limit"])
    location: str | None = Field(
        default=None,
        description="Where in a program a rule problem is",
        examples=["eligibility.all[1].value"],
    )
    detail: str = Field(examples=["입력값을 확인해 주세요."])


class Problem(BaseModel):
    """RFC 9457 problem details. ``title`` is stable per ``type`` and localized."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "type": "urn:hanaro:problem:scope-required",
                "title": "이 작업을 할 권한이 없습니다",
                "status": 403,
                "detail": "필요한 권한: catalog:write",
                "instance": "urn:hanaro:request:3f0c2b6e9d1a4c5e8f7a6b5c4d3e2f1a",
            }
        }
    )

    type: str = Field(description="`urn:hanaro:problem:<slug>` or `about:blank`")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    instance: str | None = Field(default=None, description="`urn:hanaro:request:<request id>`")
    errors: list[ProblemItem] | None = None


_DESCRIPTIONS = {
    400: "The body could not be read (not UTF-8 JSON)",
    401: "No valid API key (missing where required, unknown or revoked)",
    403: "The key lacks the scope, or the partner may not do this",
    404: "Not found (or not visible to this key)",
    409: "Conflicts with the catalog",
    412: "If-Match names a version that is no longer current (the response's ETag is current)",
    413: "Request body too large",
    422: "Request not valid (located errors)",
    428: "No If-Match header: send the ETag of your last read",
    429: "Rate limit exceeded; see Retry-After",
    503: "Temporarily unavailable (the database did not answer, or no catalog is loaded yet); "
    "see Retry-After",
}


def common_problems() -> dict[int | str, dict[str, Any]]:
    """Problems any operation may answer (set app-wide in ``create_app``): unreadable body,
    bad key, body too large, validation, rate limit, and a key that cannot be checked while the
    database is down (or an operation that needs the database then)."""
    return problem_responses(400, 401, 413, 422, 429, 503)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries documenting problem+json answers for the given statuses."""
    return {
        status: {
            "description": _DESCRIPTIONS.get(status, "Problem"),
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


# --- Optimistic concurrency headers (see app/preconditions.py) ---------------------------------

ETAG_EXAMPLE = '"basic-pension.v3"'


def etag_response(status: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entry declaring the ``ETag`` header of a successful answer."""
    header = {
        "description": "Strong entity tag of the current version: send it in `If-Match` to edit",
        "schema": {"type": "string", "example": ETAG_EXAMPLE},
    }
    return {status: {"headers": {"ETag": header}}}


def if_match_parameter(*, required: bool = True) -> dict[str, Any]:
    """The ``If-Match`` header as an OpenAPI parameter (read by ``deps.get_precondition``)."""
    return {
        "name": "If-Match",
        "in": "header",
        "required": required,
        "description": (
            "The `ETag` of your last read of this resource (`GET`, or an admin answer). "
            "Missing: 428; no longer current (someone else edited it): 412"
        ),
        "schema": {"type": "string", "example": ETAG_EXAMPLE},
    }


IF_NONE_MATCH_PARAMETER: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "`*` to create a parameter that must not exist yet (412 if it does)",
    "schema": {"type": "string", "example": "*"},
}
