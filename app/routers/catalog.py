"""Catalog read API: programs, the fact registry and dated parameters (anonymous allowed).

Everything is read from the in-memory compiled snapshot, so these reads answer while the database
is down; one program or parameter also asks the database, when it answers, whether the snapshot
is current (``app.services.catalog_versions``). Text follows ``?locale=`` or else
``Accept-Language`` (ko default).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.clock import as_of_or_today
from app.deps import CatalogReader, CatalogSourceDep, LocaleDep, SnapshotDep
from app.hardening import HardenedRoute
from app.locale import Locale, LocaleField
from app.matching import (
    Domain,
    RegionCode,
    Stage,
)
from app.preconditions import entity_tag
from app.schemas.common import etag_response, problem_responses
from app.schemas.programs import FactOut, ParameterList, ParameterOut, ProgramDetail, ProgramPage
from app.services import catalog_read, catalog_versions
from app.services.catalog_read import ProgramFilter

router = APIRouter(prefix="/v1", tags=["catalog"], route_class=HardenedRoute)


async def response_locale(
    request: Request,
    response: Response,
    negotiated: LocaleDep,
    locale: Annotated[
        LocaleField | None,
        Query(description="Response language; overrides `Accept-Language` (default ko)"),
    ] = None,
) -> Locale:
    """The response language; also used for this request's problem documents."""
    chosen: Locale = locale or negotiated
    request.state.locale = chosen
    response.headers["Content-Language"] = chosen
    return chosen


async def as_of_date(
    as_of: Annotated[
        date | None,
        Query(
            description="Date the catalog is read at (default: today in Asia/Seoul)",
            examples=["2026-03-02"],
        ),
    ] = None,
) -> date:
    return as_of_or_today(as_of)


async def program_filter(
    domain: Annotated[Domain | None, Query(description="Only this domain")] = None,
    stage: Annotated[Stage | None, Query(description="Only programs serving this stage")] = None,
    region: Annotated[
        RegionCode | None,
        Query(description="시도 code (`27` = 대구): its programs plus national ones (`KR`)"),
    ] = None,
    target: Annotated[
        str | None,
        Query(pattern=r"^[a-z0-9_]+$", max_length=40, description="Only programs for this group"),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Words to find in the Korean or English name or summary (any case)",
            examples=["연금"],
        ),
    ] = None,
) -> ProgramFilter:
    return ProgramFilter(domain=domain, stage=stage, region=region, target=target, q=q)


ResponseLocale = Annotated[Locale, Depends(response_locale)]
AsOf = Annotated[date, Depends(as_of_date)]
ProgramId = Annotated[
    str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80, examples=["basic-pension"])
]
ParameterId = Annotated[
    str, Path(pattern=r"^[a-z0-9_.]+$", max_length=120, examples=["median_income.base"])
]


@router.get(
    "/programs",
    summary="Programs in effect on `as_of`, filtered and paginated (ordered by id)",
    responses=problem_responses(503),
)
async def list_programs(
    _: CatalogReader,
    snapshot: SnapshotDep,
    locale: ResponseLocale,
    as_of: AsOf,
    filters: Annotated[ProgramFilter, Depends(program_filter)],
    limit: Annotated[int, Query(ge=1, le=100, description="Page size")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")] = 0,
) -> ProgramPage:
    return catalog_read.list_programs(snapshot, filters, as_of, locale, limit=limit, offset=offset)


@router.get(
    "/programs/{program_id}",
    summary="One program: criteria in words, benefit, where to apply, documents",
    responses=problem_responses(404, 503) | etag_response(200),
)
def get_program(
    program_id: ProgramId, _: CatalogReader, snapshot: SnapshotDep, locale: ResponseLocale,
    as_of: AsOf, source: CatalogSourceDep, response: Response,
) -> ProgramDetail:  # fmt: skip
    served = catalog_versions.program(source, snapshot, program_id)
    spec = catalog_read.require_program(served.snapshot, program_id)
    response.headers["ETag"] = entity_tag(program_id, served.version)
    return catalog_read.program_detail(served.snapshot, spec, as_of, locale, served.version)


@router.get(
    "/facts",
    summary="The fact registry: what rules read, how to ask it, where the answer goes",
)
async def list_facts(_: CatalogReader, locale: ResponseLocale) -> list[FactOut]:
    return catalog_read.list_facts(locale)


@router.get(
    "/parameters",
    summary="Dated parameters (기준 중위소득...) with every value and the one in force on `as_of`",
    responses=problem_responses(503),
)
async def list_parameters(
    _: CatalogReader, snapshot: SnapshotDep, locale: ResponseLocale, as_of: AsOf
) -> ParameterList:
    return catalog_read.list_parameters(snapshot, as_of, locale)


@router.get(
    "/parameters/{parameter_id}",
    summary="One dated parameter with every value and the one in force on `as_of`",
    responses=problem_responses(404, 503) | etag_response(200),
)
def get_parameter(
    parameter_id: ParameterId, _: CatalogReader, snapshot: SnapshotDep, locale: ResponseLocale,
    as_of: AsOf, source: CatalogSourceDep, response: Response,
) -> ParameterOut:  # fmt: skip
    served = catalog_versions.parameter(source, snapshot, parameter_id)
    response.headers["ETag"] = entity_tag(parameter_id, served.version)
    return catalog_read.get_parameter(served.snapshot, parameter_id, as_of, locale)
