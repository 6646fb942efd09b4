"""Property-based API test: Schemathesis generates requests for every operation of the app's own
OpenAPI document and sends them to the in-process ASGI app, with a key holding every scope.

Checks (``CHECKS``), in every phase: no 5xx, only documented status codes and content types, and
every documented response matches its schema. Which phases run where:

- examples, fuzzing: every operation (``MAX_EXAMPLES`` fuzzed cases each).
- coverage (every boundary, enum value, missing and wrong value the schema defines): every
  operation but those whose body repeats the profile (``PROFILE_AGAIN``: createPlan and
  createCase enumerate it). For the three whose body holds rules (``RULE_OPERATIONS``:
  createProgram, updateProgram, validateRule) it runs separately on a schema whose rules nest
  one level (``COVERAGE_DEPTH``), positive and negative cases for createProgram, positive ones
  for the other two (their negative cases are createProgram's body again, and /v1/plans'
  profile).
- stateful: scenarios of up to ``STATEFUL_STEPS`` calls following the document's links (a
  listed or created program's id and ETag into reading, editing, retiring it; a plan into its
  programs; parameters likewise), plus the links Schemathesis infers.

The published document is recursive (rules hold rules; amounts hold amounts and rules), which
Schemathesis cannot walk to an end; requests are generated from a copy unrolled to a fixed depth
(``tests/bounded_schema.py``: two levels, one for coverage), every body of which the published
schema admits. Deeper rules (the catalog's go six levels deep) are tested by hand in
tests/routers/test_admin.py and tests/catalog.

Everything runs in the test's rolled-back transaction, so generated programs never outlive the
test. (The schema is built from ``app.openapi()`` at import, which touches no database;
requests go to ``_CurrentApp``, which forwards to the app of the running test, because
Schemathesis' lazy ``from_fixture`` loader does not work with pytest 9.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Receive, Scope, Send

from app.main import create_app
from app.security import SCOPES
from app.services.keys import create_key
from app.settings import Settings
from tests.bounded_schema import bound_recursion, recursive_operations
from tests.conftest import make_settings

MAX_EXAMPLES = 6
GENERATION_DEPTH = 2  # rule and amount nesting drawn by examples, fuzzing and stateful
COVERAGE_DEPTH = 1  # the coverage phase enumerates every case: one nesting level
STATEFUL_SCENARIOS = 60
STATEFUL_STEPS = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class _CurrentApp:
    """ASGI app forwarding to the test's app; answers lifespan events itself."""

    def __init__(self) -> None:
        self.target: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                kind = message["type"].rsplit(".", 1)[-1]
                await send({"type": f"lifespan.{kind}.complete"})
                if kind == "shutdown":
                    return
        assert self.target is not None, "use the fuzzed_app fixture"
        await self.target(scope, receive, send)


def _settings(database_url: str) -> Settings:
    return make_settings(
        database_url,
        log_level="CRITICAL",
        rate_limit_anonymous_per_minute=1_000_000,
        rate_limit_key_per_minute=1_000_000,
    )


CURRENT = _CurrentApp()
DOCUMENT = create_app(_settings("sqlite://")).openapi()
RULE_OPERATIONS = recursive_operations(DOCUMENT)  # createProgram, updateProgram, validateRule
PROFILE_AGAIN = [
    "validatePlan",
    "programEligibility",
    "nextQuestions",
    "incomeRecognition",
    "savePlan",
]
_EVERY_PHASE = {name: {"enabled": True} for name in ("examples", "coverage", "fuzzing")}
schema = schemathesis.openapi.from_dict(
    bound_recursion(DOCUMENT, GENERATION_DEPTH),
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {
            "phases": _EVERY_PHASE,
            "operations": [
                {
                    "include-operation-id": RULE_OPERATIONS,
                    "phases": {"coverage": {"enabled": False}},  # see ``shallow``
                },
                {
                    # their bodies hold the citizen's profile: its every boundary is enumerated
                    # once, for createPlan (and createCase, whose consent is its own); these
                    # still get examples and fuzzing (CI time: #15 added two such operations)
                    "include-operation-id": PROFILE_AGAIN,
                    "phases": {"coverage": {"enabled": False}},
                },
            ],
        }
    ),
)
schema.app = CURRENT
# The stateful phase walks the operations the document links (catalog, parameters, plans); the
# case, referral, webhook and screening operations declare no links, and with them in the draw
# the scenarios reached too few links (their own tests cover their sequences)
linked = schemathesis.openapi.from_dict(
    bound_recursion(DOCUMENT, GENERATION_DEPTH),
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {
            "phases": _EVERY_PHASE,
            "operations": [
                {
                    "include-path-regex": "^/v1/(cases|referrals|webhooks|screenings)",
                    "enabled": False,
                }
            ],
        }
    ),
)
linked.app = CURRENT
shallow = schemathesis.openapi.from_dict(
    bound_recursion(DOCUMENT, COVERAGE_DEPTH),
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": False},
            },
            "operations": [
                # (``schema.include`` is ignored once the config names operations)
                {"exclude-operation-id": RULE_OPERATIONS, "enabled": False},
                {
                    "include-operation-id": ["updateProgram", "validateRule"],
                    "phases": {"coverage": {"generation": {"mode": "positive"}}},
                },
            ],
        }
    ),
)
shallow.app = CURRENT


@pytest.fixture
def fuzzed_app(database_url: str, session_factory: sessionmaker[Session]) -> Iterator[FastAPI]:
    app = create_app(_settings(database_url))
    with TestClient(app):  # runs the lifespan: engine, catalog snapshot
        app.state.sessionmaker = session_factory
        CURRENT.target = app
        try:
            yield app
        finally:
            CURRENT.target = None


@pytest.fixture
def every_scope(db_session: Session) -> dict[str, str]:
    key = create_key(db_session, partner="Invented Fuzzing Lab", scopes=SCOPES, is_national=True)
    return {"X-API-Key": key.clear}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errors_and_matches_its_schema(
    case: schemathesis.Case, fuzzed_app: FastAPI, every_scope: dict[str, str]
) -> None:
    case.call_and_validate(headers=every_scope, checks=CHECKS)


@shallow.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit],
    suppress_health_check=list(HealthCheck),
)
def test_every_coverage_case_of_a_rule_body_is_answered_per_the_schema(
    case: schemathesis.Case, fuzzed_app: FastAPI, every_scope: dict[str, str]
) -> None:
    case.call_and_validate(headers=every_scope, checks=CHECKS)


def test_linked_operations_never_error_and_match_their_schema(
    fuzzed_app: FastAPI, every_scope: dict[str, str]
) -> None:
    """The stateful phase; also that the document's own links are followed with the values
    they name (a link that names a missing field or parameter never is)."""
    followed: Counter[str] = Counter()

    class Linked(linked.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": every_scope}

        def step(self, input: StepInput) -> StepOutput:
            link = input.transition
            if link is not None and input.is_applied and not link.is_inferred:
                followed[link.id.split("] ", 1)[1].split(" -> ", 1)[0]] += 1
            return super().step(input)

        def validate_response(
            self, response: Any, case: schemathesis.Case, additional_checks: Any = None, **kw: Any
        ) -> None:
            case.validate_response(
                response, checks=CHECKS, transport_kwargs=kw or None, recorder=self.recorder
            )

    Linked.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    assert len(followed) >= 3, f"too few of the document's links were followed: {followed}"
