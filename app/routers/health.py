"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.deps import SessionDep
from app.schemas.health import Liveness, ReadinessReport
from app.services.health import check_readiness

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness", response_model=Liveness)
async def health() -> Liveness:
    return Liveness(status="ok")


@router.get(
    "/ready",
    summary="Readiness: database reachable and catalog loaded",
    response_model=ReadinessReport,
    responses={503: {"model": ReadinessReport, "description": "Not ready"}},
)
def ready(request: Request, session: SessionDep, response: Response) -> ReadinessReport:
    readiness = check_readiness(session, request.app.state.catalog)
    if not readiness.is_ready:
        response.status_code = 503
    return ReadinessReport(
        status="ready" if readiness.is_ready else "not_ready",
        database=readiness.database,
        catalog_loaded=readiness.catalog_loaded,
        catalog_version=readiness.catalog_version,
    )
