"""The depth-bounded copy of the OpenAPI document that Schemathesis generates from
(tests/bounded_schema.py): no reference cycles left, every reference resolves, rules nest exactly
as deep as asked, and what it admits the published document admits too."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema_rs
import pytest

from app.main import create_app
from tests.bounded_schema import bound_recursion, recursive_operations, recursive_schemas
from tests.conftest import make_settings

PUBLISHED = create_app(make_settings("sqlite://")).openapi()
TEXT = {"ko": "지어낸 사업", "en": "Invented program"}
SPEC = {  # an invented program; its rule is what the tests vary
    "id": "invented-nesting",
    "name": TEXT,
    "summary": TEXT,
    "domain": "welfare",
    "agency": TEXT,
    "effective_from": "2026-01-01",
    "verification": "unverified",
    "benefit": {"kind": "service", "description": TEXT},
    "apply": [{"channel": "community_center"}],
}


def _leaf(age: int) -> dict[str, Any]:
    return {"fact": "applicant.age", "op": "ge", "value": age}


def _nested(levels: int) -> dict[str, Any]:
    """A rule whose combinators nest ``levels`` deep (``0``: a bare comparison)."""
    rule = _leaf(65)
    for level in range(levels):
        rule = {"all": [rule]} if level % 2 else {"any": [rule, _leaf(level)]}
    return rule


def _accepts(document: dict[str, Any], component: str, instance: Any) -> bool:
    root = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return bool(jsonschema_rs.validator_for(root).is_valid(instance))


def test_the_published_rule_schemas_are_recursive_and_only_three_operations_carry_them() -> None:
    assert {"AllRule", "AnyRule", "NotRule", "CountRule", "WhenAmount"} <= recursive_schemas(
        PUBLISHED["components"]["schemas"]
    )
    assert recursive_operations(PUBLISHED) == ["createProgram", "updateProgram", "validateRule"]


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_the_bounded_copy_has_no_cycles_and_every_reference_resolves(depth: int) -> None:
    bounded = bound_recursion(PUBLISHED, depth)
    schemas = bounded["components"]["schemas"]
    assert recursive_schemas(schemas) == set()
    named = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(bounded)))
    assert named <= set(schemas)
    cyclic = recursive_schemas(PUBLISHED["components"]["schemas"])
    assert PUBLISHED["components"]["schemas"].keys() - schemas.keys() == cyclic


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_rules_nest_exactly_as_deep_as_asked_and_the_published_schema_accepts_them(
    depth: int,
) -> None:
    bounded = bound_recursion(PUBLISHED, depth)
    for levels, admitted in ((depth, True), (depth + 1, False)):
        spec = SPEC | {"eligibility": _nested(levels)}
        assert _accepts(bounded, "ProgramSpec", spec) is admitted, levels
        assert _accepts(PUBLISHED, "ProgramSpec", spec)
