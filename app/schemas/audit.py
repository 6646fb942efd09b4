"""Audit log read models (``GET /v1/audit``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import UtcDatetime


class AuditEntryOut(BaseModel):
    """One audited event. Never contains profile values."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": 42,
                "occurred_at": "2026-03-02T09:15:00Z",
                "actor": "key:ab12cd34",
                "partner_id": 3,
                "client_address": "203.0.113.7",
                "action": "program.update",
                "target": "program:seoul-youth-rent",
                "request_id": "3f0c2b6e9d1a4c5e8f7a6b5c4d3e2f1a",
                "detail": {"version": 2, "change_reason": "2026년 기준 중위소득 반영"},
            }
        }
    )

    id: int = Field(description="Entry id; also the pagination cursor", examples=[42])
    occurred_at: UtcDatetime = Field(description="When it happened (UTC)")
    actor: str = Field(description="`key:<prefix>`, `anonymous` or `cli:<user>`")
    partner_id: int | None = Field(description="The acting partner organization, if any")
    client_address: str | None = Field(description="Client IP address as seen by the service")
    action: str = Field(
        description="What was done, or refused: `admin.denied`/`audit.denied` (401, 403, 404), "
        "`admin.rejected` (409, 422 on an admin write; nothing was changed)",
        examples=["program.create", "plans.create", "key.create", "admin.denied"],
    )
    target: str | None = Field(
        description="What it was done to", examples=["program:basic-pension"]
    )
    request_id: str | None = Field(description="The request id (`X-Request-ID`)")
    detail: dict[str, Any] = Field(description="Version numbers, change reason; never citizen data")


class AuditPage(BaseModel):
    items: list[AuditEntryOut] = Field(description="Newest first")
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next (older) page; null on the last page",
        examples=["41"],
    )
