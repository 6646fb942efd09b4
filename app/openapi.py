"""The OpenAPI document as a contract: readable operation ids and honest security.

- ``operation_id``: the camelCase of the handler's name (``create_plan`` -> ``createPlan``), so
  generated clients get ``create_plan``/``createPlan`` rather than
  ``create_plan_v1_plans_post``. It depends on nothing but the name, so ids are stable.
- ``openapi_builder``: ``app.openapi``. FastAPI lists the key schemes on every operation (the
  application-wide rate limit reads the key), which reads as "a key is required". Here each
  operation says what the server does: a route behind a keyed ``require_scope`` needs a key;
  every other route is open, a key being optional (``security: [{}, {BearerKey: []}, ...]``).
  Numbers carry the bounds ``Hardening`` enforces on every body (``bound_numbers``).
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
