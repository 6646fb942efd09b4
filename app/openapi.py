"""The OpenAPI document as a contract: readable operation ids and honest security.

- ``operation_id``: the camelCase of the handler's name (``create_plan`` -> ``createPlan``), so
  generated clients get ``create_plan``/``createPlan`` rather than
  ``create_plan_v1_plans_post``. It depends on nothing but the name, so ids are stable.
- ``openapi_builder``: ``app.openapi``. FastAPI lists the key schemes on every operation (the
  application-wide rate limit reads the key), which reads as "a key is required". Here each
  operation says what the server does: a route behind a keyed ``require_scope`` needs a key;
  every other route is open, a key being optional (``security: [{}, {BearerKey: []}, ...]``).
  Numbers carry the bounds ``Hardening`` enforces on every body (``bound_numbers``).
- ``declare_links``: OpenAPI links (``LINKS``) say where an answer's ids and ETag lead (a created
  program's id and ETag to reading, editing and retiring it), for partners and for the stateful
  phase of tests/test_schemathesis.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.deps import KEY_SCHEMES, ScopeCheck
from app.hardening import MAX_DIGITS, MAX_MAGNITUDE
from app.routing import flat_routes

LARGEST_INTEGER = 10**MAX_DIGITS - 1


def operation_id(route: APIRoute) -> str:
    """``create_plan`` -> ``createPlan``."""
    head, *rest = route.name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def openapi_builder(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The function to install as ``app.openapi``: FastAPI's document (cached by FastAPI), each
    operation's ``security`` set from its route's scope check, every number bounded."""
    generate = app.openapi

    def build() -> dict[str, Any]:
        spec = generate()
        declare_security(app, spec)
        bound_numbers(spec)
        declare_links(spec)
        return spec

    return build


def bound_numbers(node: Any) -> None:
    """``Hardening`` refuses any JSON number over 15 digits or 1e15 in magnitude, in every body;
    say so on every integer and number schema that does not already say less."""
    if isinstance(node, list):
        for item in node:
            bound_numbers(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in ("integer", "number"):
        limit = LARGEST_INTEGER if kind == "integer" else MAX_MAGNITUDE
        if "maximum" not in node and "exclusiveMaximum" not in node:
            node["maximum"] = limit
        if "minimum" not in node and "exclusiveMinimum" not in node:
            node["minimum"] = -limit
    for value in node.values():
        bound_numbers(value)


def declare_security(app: FastAPI, spec: dict[str, Any]) -> None:
    routes = [r for r in flat_routes(app.routes) if isinstance(r.original_route, APIRoute)]
    _check_unique([route.unique_id for route in routes if route.include_in_schema])
    keyed: list[dict[str, list[str]]] = [{scheme: []} for scheme in KEY_SCHEMES]
    for route in routes:
        security = keyed if _needs_key(route.dependant) else [{}, *keyed]
        for operation in spec["paths"].get(route.path_format, {}).values():
            if operation.get("operationId") == route.unique_id:
                operation["security"] = security


def _check_unique(ids: list[str]) -> None:
    duplicated = sorted(name for name, count in Counter(ids).items() if count > 1)
    if duplicated:
        raise ValueError(f"two routes share an operationId (rename a handler): {duplicated}")


def _needs_key(dependant: Dependant) -> bool:
    return any(
        isinstance(dep.call, ScopeCheck) and not dep.call.anonymous for dep in _walk(dependant)
    )


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    for dep in dependant.dependencies:
        yield dep
        yield from _walk(dep)


def _link(operation: str, description: str, **parameters: str) -> dict[str, Any]:
    """A link to ``operation`` whose path parameters take the given runtime expressions."""
    located = {f"path.{name}": value for name, value in parameters.items()}
    return {"operationId": operation, "description": description, "parameters": located}


def _edit(operation: str, description: str, **parameters: str) -> dict[str, Any]:
    """A link to an edit, its ``If-Match`` taken from the answer's ``ETag``."""
    link = _link(operation, description, **parameters)
    link["parameters"]["header.If-Match"] = "$response.header.ETag"
    return link


def _program_links(program_id: str) -> dict[str, dict[str, Any]]:
    """Where a program's id (and the ETag of its current version) lead."""
    return {
        "GetProgram": _link("getProgram", "The program now", program_id=program_id),
        "ProgramVersions": _link("programVersions", "Its versions", program_id=program_id),
        "ProgramEligibility": _link(
            "programEligibility", "One household against it", program_id=program_id
        ),
        "UpdateProgram": _edit("updateProgram", "Its next version", program_id=program_id),
        "RetireProgram": _edit("retireProgram", "Retire it", program_id=program_id),
    }


def _parameter_links(parameter_id: str) -> dict[str, dict[str, Any]]:
    return {
        "GetParameter": _link("getParameter", "The parameter now", parameter_id=parameter_id),
        "ParameterVersions": _link("parameterVersions", "Its versions", parameter_id=parameter_id),
        "PutParameter": _edit("putParameter", "Its next version", parameter_id=parameter_id),
    }


_FIRST_UNDECIDED = "$response.body#/needs_info/0/program_id"
# (operationId, status) -> the links of that answer
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("listPrograms", "200"): {
        "GetFirstProgram": _link(
            "getProgram", "The page's first program", program_id="$response.body#/items/0/id"
        )
    },
    ("getProgram", "200"): _program_links("$response.body#/id"),
    ("createProgram", "201"): _program_links("$response.body#/program_id"),
    ("updateProgram", "200"): _program_links("$response.body#/program_id"),
    ("retireProgram", "200"): {  # a retired program is 404 to read: its history stays
        "ProgramVersions": _link(
            "programVersions", "Its versions", program_id="$response.body#/program_id"
        )
    },
    ("programVersions", "200"): {
        "GetProgram": _link(
            "getProgram", "The program now", program_id="$response.body#/0/program_id"
        )
    },
    ("listParameters", "200"): {
        "GetFirstParameter": _link(
            "getParameter", "The first parameter", parameter_id="$response.body#/items/0/id"
        )
    },
    ("getParameter", "200"): _parameter_links("$response.body#/id"),
    ("putParameter", "200"): _parameter_links("$response.body#/parameter_id"),
    ("parameterVersions", "200"): {
        "GetParameter": _link(
            "getParameter", "The parameter now", parameter_id="$response.body#/0/parameter_id"
        )
    },
    ("createPlan", "200"): {
        "GetUndecidedProgram": _link(
            "getProgram", "The first program needing more facts", program_id=_FIRST_UNDECIDED
        ),
        "CheckUndecidedProgram": _link(
            "programEligibility", "Its full trace for this household", program_id=_FIRST_UNDECIDED
        ),
    },
}


def declare_links(spec: dict[str, Any]) -> None:
    """Put ``LINKS`` on the answers they belong to."""
    operations = {
        operation["operationId"]: operation
        for path_item in spec["paths"].values()
        for operation in path_item.values()
    }
    for (source, status), links in LINKS.items():
        missing = {link["operationId"] for link in links.values()} - set(operations)
        if missing or source not in operations:
            raise ValueError(f"a link names an operation the document lacks: {source}, {missing}")
        operations[source]["responses"][status]["links"] = links
