"""A client generated from the committed ``openapi/openapi.json`` with openapi-python-client
drives a real plan against the app served by uvicorn on 127.0.0.1: the document is a contract a
partner can build on, not only a description.

The generated package goes to a temporary directory and onto ``sys.path`` (no install). The
server reads the test database's shipped catalog; anonymous plans write nothing. Outside CI the
test is skipped when the generator is not installed (``pip install -e '.[dev]'``); in CI
(``CI=true``) a missing generator fails.
"""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import uvicorn
from sqlalchemy import Engine

from app.main import create_app
from tests.conftest import make_settings

PACKAGE = "hanaro_generated_client"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _generator() -> Path:
    script = Path(sys.executable).with_name("openapi-python-client")
    if script.exists():
        return script
    if IN_CI:
        pytest.fail("openapi-python-client is not installed (it is in the dev extras)")
    pytest.skip("openapi-python-client is not installed: pip install -e '.[dev]'")


@pytest.fixture
def client_package(repo_root: Path, tmp_path: Path) -> Iterator[ModuleType]:
    generator = _generator()
    output = tmp_path / PACKAGE
    env = {**os.environ, "PATH": f"{generator.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(repo_root / "openapi" / "openapi.json"),
            "--meta",
            "none",
            "--output-path",
            str(output),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def base_url(database_url: str, engine: Engine) -> Iterator[str]:
    """The app under uvicorn on a free port of 127.0.0.1, in a thread; stopped after the test."""
    app = create_app(make_settings(database_url, log_level="CRITICAL"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_generated_client_drives_a_plan_against_the_served_app(
    client_package: ModuleType, base_url: str
) -> None:
    plans = importlib.import_module(f"{PACKAGE}.api.plans.create_plan")
    programs = importlib.import_module(f"{PACKAGE}.api.catalog.list_programs")
    models = importlib.import_module(f"{PACKAGE}.models")
    body = models.PlanRequest.from_dict(
        {
            "profile": {
                "applicant": {"age": 67},
                "household": {"size": 1, "region": "27", "income_recognized_monthly": 900_000},
            },
            "needs": ["income"],
            "as_of": "2026-03-02",
            "locale": "en",
        }
    )
    with client_package.Client(base_url=base_url, timeout=30) as client:
        response = plans.sync_detailed(client=client, body=body)
        assert response.status_code == 200, response.content
        plan = response.parsed
        assert isinstance(plan, models.Plan)
        assert str(plan.as_of) == "2026-03-02"
        assert plan.locale == "en"
        decided = [*plan.eligible, *plan.needs_info]
        assert "basic-pension" in {item.program_id for item in decided}

        page = programs.sync(client=client, limit=5)
        assert isinstance(page, models.ProgramPage)
        assert len(page.items) == 5
