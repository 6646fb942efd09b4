"""Liveness and readiness bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Liveness(BaseModel):
    status: Literal["ok"] = Field(description="Always `ok` while the process serves requests")


class ReadinessReport(BaseModel):
    status: Literal["ready", "not_ready"] = Field(examples=["ready"])
    database: bool = Field(description="The database answered a query", examples=[True])
    catalog_loaded: bool = Field(
        description="This worker holds a compiled program catalog", examples=[True]
    )
    catalog_version: str | None = Field(
        description="Hash of the catalog this worker matches against", examples=["3f2a9c1d0b7e4a55"]
    )
