"""The committed OpenAPI document (what partners generate clients from) matches the app.

On failure, regenerate it with ``make openapi`` and commit ``openapi/openapi.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from app.hardening import MAX_MAGNITUDE


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


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_operation_ids_are_the_handlers_names_in_camel_case(app: FastAPI) -> None:
    spec = app.openapi()
    ids = {(method, path): op["operationId"] for path, method, op in _operations(spec)}
    assert ids[("post", "/v1/plans")] == "createPlan"
    assert ids[("post", "/v1/questions/next")] == "nextQuestions"
    assert ids[("get", "/v1/programs")] == "listPrograms"
    assert ids[("get", "/v1/programs/{program_id}")] == "getProgram"
    assert ids[("get", "/v1/audit")] == "readAudit"
    assert len(set(ids.values())) == len(ids), "operationIds must be unique"
    for operation_id in ids.values():
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", operation_id), operation_id


def test_title_is_ascii_so_generated_client_names_are_valid(app: FastAPI) -> None:
    info = app.openapi()["info"]
    assert info["title"].isascii(), info["title"]
    assert "하나로" in info["description"]


KEYED = [{"BearerKey": []}, {"ApiKeyHeader": []}]
ANONYMOUS_OR_KEYED = [{}, *KEYED]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/v1/plans"),
        ("post", "/v1/plans/validate"),
        ("post", "/v1/questions/next"),
        ("post", "/v1/programs/{program_id}/eligibility"),
        ("get", "/v1/programs"),
        ("get", "/v1/programs/{program_id}"),
        ("get", "/v1/facts"),
        ("get", "/v1/parameters"),
        ("get", "/health"),
        ("get", "/ready"),
    ],
)
def test_open_endpoints_declare_that_a_key_is_optional(
    app: FastAPI, method: str, path: str
) -> None:
    assert app.openapi()["paths"][path][method]["security"] == ANONYMOUS_OR_KEYED


def test_admin_and_audit_endpoints_require_a_key(app: FastAPI) -> None:
    keyed = [
        (method, path)
        for path, method, op in _operations(app.openapi())
        if path.startswith(("/v1/admin", "/v1/audit"))
    ]
    assert len(keyed) >= 6
    for method, path in keyed:
        operation = app.openapi()["paths"][path][method]
        assert operation["security"] == KEYED, f"{method.upper()} {path}"


def test_security_follows_the_scope_check_of_every_route(app: FastAPI) -> None:
    """Every operation is either open (anonymous allowed) or keyed; nothing else."""
    for path, method, op in _operations(app.openapi()):
        assert op["security"] in (KEYED, ANONYMOUS_OR_KEYED), f"{method.upper()} {path}"


def _request_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema a request may carry (parameters and bodies), following ``$ref``s once each."""
    components = spec["components"]["schemas"]
    seen: set[str] = set()

    def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item, where)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    yield from walk(components[name], name)
                return
            yield where, node
            for key, value in node.items():
                yield from walk(value, f"{where}.{key}")

    for path, method, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            yield from walk(parameter["schema"], f"{method.upper()} {path} {parameter['name']}")
        for content in operation.get("requestBody", {}).get("content", {}).values():
            yield from walk(content["schema"], f"{method.upper()} {path} body")


def test_every_request_number_states_the_bound_the_server_enforces(app: FastAPI) -> None:
    """``Hardening`` refuses any JSON number over 15 digits or 1e15, in every body: an integer or
    number the schema leaves unbounded (a parameter value, a rule's threshold) would let a
    generated client send what the server then rejects."""
    unbounded = [
        where
        for where, schema in _request_schemas(app.openapi())
        if schema.get("type") in ("integer", "number")
        and not (
            schema.get("minimum", schema.get("exclusiveMinimum", -math.inf)) >= -MAX_MAGNITUDE
            and schema.get("maximum", schema.get("exclusiveMaximum", math.inf)) <= MAX_MAGNITUDE
        )
    ]
    assert unbounded == []


def _pointed(spec: dict[str, Any], schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The schema of the value ``pointer`` (``/items/0/id``) selects in an instance of
    ``schema``; ``KeyError`` when the schema has no such place."""
    components = spec["components"]["schemas"]
    for segment in pointer.strip("/").split("/"):
        while "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        schema = schema["items"] if segment.isdigit() else schema["properties"][segment]
    return schema


def test_every_link_names_an_answer_field_and_a_parameter_of_its_target(app: FastAPI) -> None:
    """A link (followed by partners' tools and by the stateful phase of test_schemathesis.py)
    whose pointer or parameter is misspelt would silently never be followed."""
    spec = app.openapi()
    by_id = {op["operationId"]: op for _, _, op in _operations(spec)}
    checked = 0
    for path, method, operation in _operations(spec):
        for status, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                where = f"{method.upper()} {path} {status} {name}"
                target = by_id[link["operationId"]]
                declared = {f"{p['in']}.{p['name']}" for p in target.get("parameters", [])}
                for parameter, expression in link["parameters"].items():
                    assert parameter in declared, where
                    if expression == "$response.header.ETag":
                        assert "ETag" in response["headers"], where
                    else:
                        body = response["content"]["application/json"]["schema"]
                        pointer = expression.removeprefix("$response.body#")
                        assert _pointed(spec, body, pointer)["type"] == "string", where
                checked += 1
    assert checked >= 20


def test_a_created_program_links_to_editing_it_with_its_etag(app: FastAPI) -> None:
    created = app.openapi()["paths"]["/v1/admin/programs"]["post"]["responses"]["201"]
    update = created["links"]["UpdateProgram"]
    assert update["operationId"] == "updateProgram"
    assert update["parameters"] == {
        "path.program_id": "$response.body#/program_id",
        "header.If-Match": "$response.header.ETag",
    }
