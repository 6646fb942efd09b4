"""The transfer floor (#17): a bare FastAPI app that does what a plan request costs minus the
plan itself, so the plan's own cost is what the ratio measures.

It answers ``POST /v1/plans`` and ``POST /v1/questions/next`` by validating the body with the
same pydantic request models the service uses, then returning the answer bytes the real service
gave for that household, precomputed (``HANARO_FLOOR_ANSWERS``: a JSON file mapping endpoint path
-> the answer text). Same uvicorn, same worker count, same request and answer sizes.

Run (``bench/http/transfer.py`` does): ``HANARO_FLOOR_ANSWERS=answers.json uvicorn
bench.http.floor:app --workers 2``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response

from app.schemas.plans import PlanRequest, QuestionsRequest

_ANSWERS: dict[str, bytes] = {
    path: text.encode("utf-8")
    for path, text in json.loads(
        Path(os.environ.get("HANARO_FLOOR_ANSWERS", "/dev/null")).read_text() or "{}"
    ).items()
}

KIOSK = "#kiosk"  # the answers' key suffix for a kiosk step
app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.post("/v1/plans")
async def plans(body: PlanRequest) -> Response:  # FastAPI parses and validates, as the service
    return Response(_ANSWERS["/v1/plans"], media_type="application/json")


@app.post("/v1/questions/next")
async def questions(body: QuestionsRequest) -> Response:
    # a kiosk step (include_plan false) has its own, much smaller answer
    key = "/v1/questions/next" + ("" if body.include_plan else KIOSK)
    return Response(_ANSWERS[key], media_type="application/json")


@app.get("/ready")
async def ready() -> dict[str, str]:
    return {"status": "ready"}
