"""Audit log read (scope ``audit:read``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import AuditReader, SessionDep
from app.hardening import HardenedRoute
from app.schemas.audit import AuditPage
from app.schemas.common import problem_responses
from app.services.audit import list_entries

router = APIRouter(prefix="/v1/audit", tags=["audit"], route_class=HardenedRoute)


@router.get(
    "",
    summary="Audit entries, newest first (keyset pagination with `cursor`)",
    responses=problem_responses(403),
)
def read_audit(
    _: AuditReader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    cursor: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="`next_cursor` of the previous page")
    ] = None,
    action: Annotated[str | None, Query(max_length=64, examples=["program.update"])] = None,
    actor: Annotated[str | None, Query(max_length=160, examples=["key:ab12cd34"])] = None,
    since: Annotated[datetime | None, Query(description="Only entries at or after")] = None,
) -> AuditPage:
    return list_entries(
        session, limit=limit, cursor=cursor, action=action, actor=actor, since=since
    )
