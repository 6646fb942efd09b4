"""Screening jobs (``/v1/screenings``): the table-source request, the job and its list."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import IsoDate, UtcDatetime

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled", "purged"]
ResultFormat = Literal["parquet", "csv"]
Engine = Literal["duckdb", "postgres"]
TABLE_NAME = r"^[a-z_][a-z0-9_]{0,62}\.[a-z_][a-z0-9_]{0,62}$"
TableName = Annotated[
    str,
    Field(
        pattern=TABLE_NAME,
        max_length=127,
        description="`schema.table`, lower-case letters, digits and `_` only; the schema must be "
        "one the service allows (`HANARO_SCREENING_SOURCE_SCHEMAS`)",
        examples=["screening_input.households_2026q1"],
    ),
]
MinCell = Annotated[int, Field(ge=1, le=1000)]


class ScreeningTablesRequest(BaseModel):
    """Screen tables already in the service's PostgreSQL database (their columns are those of
    the upload files: `app/screening/columns.py`). The screening runs in the database."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "households_table": "screening_input.households_2026q1",
                "persons_table": "screening_input.persons_2026q1",
                "as_of": "2026-03-02",
                "format": "parquet",
                "min_cell": 5,
            }
        },
    )

    households_table: TableName
    persons_table: TableName
    as_of: IsoDate | None = Field(default=None, description="Default: today (Asia/Seoul)")
    format: ResultFormat = Field(default="parquet", description="Of the result files")
    min_cell: MinCell = Field(default=5, description="Aggregate counts under this are hidden")


class JobStage(BaseModel):
    index: int = Field(description="The stage running (or last run), from 1", examples=[3])
    count: int = Field(description="How many stages the job has", examples=[8])
    text: str = Field(examples=["verdicts: 120,000 households x 43 programs"])


class JobError(BaseModel):
    code: str = Field(
        description="`input_refused` (see `problems`), `worker_lost` (its worker stopped too "
        "often), `input_lost` (its input files are gone), `failed` (an error in a stage)",
        examples=["input_refused"],
    )
    message: str = Field(description="What happened; never a value from the input")
    problems: list[str] = Field(
        default_factory=list,
        description="Refused input: tables, columns and row counts, never values",
        examples=[["households.name: not a screening column"]],
    )


class JobCounts(BaseModel):
    households: int = Field(examples=[4])
    persons: int = Field(examples=[7])
    programs: int = Field(description="Programs screened", examples=[43])
    not_compiled: int = Field(description="Programs the screening cannot run yet", examples=[20])
    rows: int = Field(description="Rows of the results (household × program)", examples=[31])


class JobLinks(BaseModel):
    self: str = Field(examples=["/v1/screenings/0b6f6a1e-4f1e-4c53-9f77-2d7f3a1c9e10"])
    cancel: str
    results: str
    aggregate: str


class ScreeningJob(BaseModel):
    """One screening job: what it was asked, where it is, what came out."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "0b6f6a1e-4f1e-4c53-9f77-2d7f3a1c9e10",
                "status": "running",
                "source": "upload",
                "engine": "duckdb",
                "as_of": "2026-03-02",
                "format": "parquet",
                "min_cell": 5,
                "stage": {"index": 3, "count": 7, "text": "verdicts: 4 households x 43 programs"},
                "progress": 0.29,
                "cancel_requested": False,
                "created_at": "2026-03-02T09:15:00Z",
                "started_at": "2026-03-02T09:15:01Z",
                "finished_at": None,
                "expires_at": None,
                "error": None,
                "counts": None,
                "catalog_version": None,
                "links": {
                    "self": "/v1/screenings/0b6f6a1e-4f1e-4c53-9f77-2d7f3a1c9e10",
                    "cancel": "/v1/screenings/0b6f6a1e-4f1e-4c53-9f77-2d7f3a1c9e10/cancel",
                    "results": "/v1/screenings/0b6f6a1e-4f1e-4c53-9f77-2d7f3a1c9e10/results",
                    "aggregate": "/v1/screenings/0b6f6a1e-4f1e-4c53-9f77-2d7f3a1c9e10/aggregate",
                },
            }
        }
    )

    id: uuid.UUID
    status: JobStatus = Field(
        description="queued → running → succeeded | failed | cancelled; purged once its files "
        "are deleted after `expires_at`"
    )
    source: Literal["upload", "tables"]
    engine: Engine
    as_of: date
    format: ResultFormat
    min_cell: int
    stage: JobStage | None = Field(description="The stage running, or the last one run")
    progress: float = Field(ge=0, le=1, description="Stages done / stages", examples=[0.29])
    cancel_requested: bool = Field(description="Cancelled while running: it stops soon")
    created_at: UtcDatetime
    started_at: UtcDatetime | None
    finished_at: UtcDatetime | None
    expires_at: UtcDatetime | None = Field(description="When its files will be purged")
    error: JobError | None
    counts: JobCounts | None
    catalog_version: str | None = Field(description="The catalog the job screened with")
    links: JobLinks


class ScreeningJobList(BaseModel):
    items: list[ScreeningJob] = Field(description="The caller's jobs, newest first")
