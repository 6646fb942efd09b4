"""The OpenAPI document with its recursive schemas unrolled to a fixed depth, for generating
requests only (tests/test_schemathesis.py).

The rule language is recursive (a rule holds rules; an amount holds amounts and, through ``when``
and ``per_member``, rules), and the published document says so with reference cycles. Schemathesis
walks every path through those cycles to collect examples and coverage cases, which never ends,
and drawing a body from them exceeds the recursion limit. Here every schema in a cycle becomes
``depth`` copies (``AllRule_L0`` ... ``AllRule_L<depth-1>``): a reference that is one alternative
of a ``oneOf``/``anyOf`` (a nested rule or amount) points one level down, and at the last level
those alternatives are left out, so only leaves (a comparison, a number, a parameter...) remain.
A reference that is not an alternative (``CountRule.count`` -> ``CountSpec``) stays on its level.

Every body this schema admits is valid under the published one; the deeper bodies it leaves out
are tested by hand (tests/routers/test_admin.py, tests/catalog). The published document stays
recursive: the catalog itself nests rules six levels and amounts nine, which no useful fixed
unrolling of the document could publish.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

PREFIX = "#/components/schemas/"
_REFERENCE = re.compile(r'"\$ref": "#/components/schemas/([^"]+)"')


def bound_recursion(document: dict[str, Any], depth: int) -> dict[str, Any]:
    """A copy of ``document`` whose reference cycles are unrolled ``depth`` levels deep."""
    document = copy.deepcopy(document)
    schemas: dict[str, Any] = document["components"]["schemas"]
    cyclic = recursive_schemas(schemas)
    for key, value in document.items():
        if key != "components":
            document[key] = _unrolled(value, cyclic, -1, depth)
    levels = {
        _name(name, level): _unrolled(schemas[name], cyclic, level, depth)
        for level in range(depth)
        for name in sorted(cyclic)
    }
    for name in list(schemas):
        if name in cyclic:
            del schemas[name]
        else:
            schemas[name] = _unrolled(schemas[name], cyclic, -1, depth)
    schemas.update(levels)
    return document


def recursive_schemas(schemas: dict[str, Any]) -> set[str]:
    """The names of the component schemas that can reach themselves through references."""
    edges = {name: set(_REFERENCE.findall(json.dumps(schema))) for name, schema in schemas.items()}
    found = set()
    for start in edges:
        seen, todo = set(), list(edges[start])
        while todo:
            name = todo.pop()
            if name == start:
                found.add(start)
                break
            if name not in seen and name in edges:
                seen.add(name)
                todo.extend(edges[name])
    return found


def recursive_operations(document: dict[str, Any]) -> list[str]:
    """The operationIds whose request body reaches a recursive schema, sorted."""
    schemas = document["components"]["schemas"]
    cyclic = recursive_schemas(schemas)
    found = []
    for path_item in document["paths"].values():
        for operation in path_item.values():
            todo = set(_REFERENCE.findall(json.dumps(operation.get("requestBody", {}))))
            seen: set[str] = set()
            while todo and not todo & cyclic:
                seen |= todo
                todo = {
                    name
                    for reached in todo
                    for name in _REFERENCE.findall(json.dumps(schemas.get(reached, {})))
                } - seen
            if todo & cyclic:
                found.append(operation["operationId"])
    return sorted(found)


def _name(name: str, level: int) -> str:
    return f"{name}_L{level}"


def _target(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        return ref.removeprefix(PREFIX) if ref.startswith(PREFIX) else None
    return None


def _unrolled(node: Any, cyclic: set[str], level: int, depth: int) -> Any:
    """``node`` on ``level`` (-1: outside every cycle, where the first nested rule is level 0)."""
    if isinstance(node, list):
        return [_unrolled(item, cyclic, level, depth) for item in node]
    if not isinstance(node, dict):
        return node
    target = _target(node)
    if target in cyclic:
        return {**node, "$ref": PREFIX + _name(target, max(level, 0))}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("oneOf", "anyOf") and isinstance(value, list):
            out[key] = [
                _alternative(item, cyclic, level, depth)
                for item in value
                if _target(item) not in cyclic or level + 1 < depth
            ]
        else:
            out[key] = _unrolled(value, cyclic, level, depth)
    return out


def _alternative(item: Any, cyclic: set[str], level: int, depth: int) -> Any:
    target = _target(item)
    if target in cyclic:
        return {**item, "$ref": PREFIX + _name(target, level + 1)}
    return _unrolled(item, cyclic, level, depth)
