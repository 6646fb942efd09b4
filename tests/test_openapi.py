"""The committed OpenAPI document (what partners generate clients from) matches the app.

On failure, regenerate it with ``make openapi`` and commit ``openapi/openapi.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI


def test_committed_openapi_matches_the_app(app: FastAPI, repo_root: Path) -> None:
    committed = repo_root / "openapi" / "openapi.json"
    assert committed.exists(), "openapi/openapi.json is missing: run `make openapi`"
    live = json.loads(json.dumps(app.openapi(), ensure_ascii=False))
    assert json.loads(committed.read_text(encoding="utf-8")) == live, (
        "openapi/openapi.json is out of date: run `make openapi` and commit the result"
    )


def test_every_operation_documents_problems_and_security(app: FastAPI) -> None:
    spec = app.openapi()
    schemes = spec["components"]["securitySchemes"]
    assert {"BearerKey", "ApiKeyHeader"} <= set(schemes)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            problem = operation["responses"].get("422", {}).get("content", {})
            assert "application/problem+json" in problem, f"{method.upper()} {path}"
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def test_admin_schemas_carry_examples(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["AuditEntryOut"].get("example")
    assert schemas["RuleCheck"].get("example")
    assert schemas["ProgramVersionOut"]["properties"]["change_reason"].get("examples")
