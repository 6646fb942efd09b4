"""Helpers of the screening job tests (their database: ``jobs_url`` in this folder's conftest):
apps with their own data folder and a quick worker, keys, multipart bodies, polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.main import create_app
from app.services.keys import create_key
from tests.conftest import make_settings

FINAL = {"succeeded", "failed", "cancelled", "purged"}


def issue_key(engine: Engine, partner: str, scopes: str = "screenings") -> dict[str, str]:
    with Session(engine) as session:
        key = create_key(session, partner=partner, scopes=scopes.split(","))
    return {"X-API-Key": key.clear}


def jobs_app(url: str, data_dir: Path, **overrides: Any) -> FastAPI:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "screening_poll_seconds": 0.05,
        "screening_heartbeat_seconds": 0.2,
        "screening_stale_seconds": 1.0,
    }
    return create_app(make_settings(url, **(values | overrides)))


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as c:
            yield c


async def wait_for(
    client: httpx.AsyncClient, job_id: str, headers: dict[str, str], seconds: float = 60.0
) -> dict[str, Any]:
    """Poll the job until it has ended (or ``seconds`` have passed: then its last state)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        job: dict[str, Any] = (await client.get(f"/v1/screenings/{job_id}", headers=headers)).json()
        if job["status"] in FINAL or loop.time() > deadline:
            return job
        await asyncio.sleep(0.05)


def upload(
    households: str,
    persons: str,
    suffix: str = ".csv",
    **fields: str,
) -> dict[str, Any]:
    """httpx ``files=``/``data=`` of a multipart upload."""
    return {
        "files": {
            "households": (f"households{suffix}", households.encode(), "text/csv"),
            "persons": (f"persons{suffix}", persons.encode(), "text/csv"),
        },
        "data": fields,
    }
