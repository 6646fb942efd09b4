"""Browser tests: Debian's Chromium, driven by Playwright, against a real server on a loopback
port, with axe-core checking every screen.

- The server is this process's app under uvicorn in a thread, on its own SQLite database with the
  shipped catalog (not the ``database_url`` fixture: these tests judge pages, not databases, so the
  PostgreSQL pass skips them).
- Chromium is ``/usr/bin/chromium`` (``HANARO_CHROMIUM`` overrides); ``make browser`` installs it
  and axe-core. Without them the tests skip, except in CI (``CI=true``), where they fail.
- Every page is watched: a request to any host but the test server is aborted and fails the test
  (the pages must work on a closed network), and so does a Content-Security-Policy violation.
- Screenshots of each screen go to a temporary folder; with ``HANARO_SCREENSHOTS=<dir>`` (``make
  screenshots``) also to that folder (``docs/screenshots`` for the README).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from sqlalchemy.orm import Session

from app.db.session import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.services.catalog_admin import load_shipped_catalog
from app.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("HANARO_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
BLOCKING = ("serious", "critical")


def _missing(what: str) -> None:
    message = f"{what} (run `make browser`)"
    if IN_CI:
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)


# Package scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is started, and pytest-asyncio cannot run the async tests of later packages under it.
@pytest.fixture(scope="package")
def playwright_api() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM}")
    if not AXE.exists():
        _missing(f"no axe-core at {AXE}")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="package")
def browser(playwright_api: Any) -> Iterator[Any]:
    chromium = playwright_api.chromium.launch(
        executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
    )
    yield chromium
    chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="package")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free loopback port (its own database, the shipped catalog)."""
    folder = tmp_path_factory.mktemp("browser-server")
    url = f"sqlite:///{folder / 'hanaro.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        load_shipped_catalog(session, actor="tests")
    engine.dispose()
    settings = Settings(
        database_url=url,
        data_dir=folder,
        environment="test",
        log_level="WARNING",
        catalog_refresh_seconds=0,
        audit_spool_drain_seconds=0,
        rate_limit_anonymous_per_minute=100_000,
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="package")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-screenshots")


@dataclass
class Watch:
    """What the pages did that they must not: outside requests, CSP violations, script errors."""

    server: str
    outside: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url = route.request.url
        self.requested.append(url)
        if url.startswith(("data:", "blob:")) or _origin(url) == _origin(self.server):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused" in text):
            self.violations.append(text)

    def page_error(self, error: Any) -> None:
        self.violations.append(f"script error: {error}")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


@dataclass
class Pages:
    """Opens watched pages and checks screens (axe, screenshots)."""

    browser: Any
    server: str
    shots: Path
    watch: Watch
    contexts: list[Any] = field(default_factory=list)

    def open(self, path: str, **context_options: Any) -> Any:
        options = {"viewport": {"width": 1080, "height": 1350}, "locale": "ko-KR"}
        context = self.browser.new_context(**(options | context_options))
        context.add_init_script(path=str(AXE))  # via the protocol: the page's CSP does not apply
        context.route("**/*", self.watch.route)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self.watch.console)
        page.on("pageerror", self.watch.page_error)
        page.goto(self.server + path)
        return page

    def check(self, page: Any, name: str, full_page: bool = False) -> None:
        """axe-core (WCAG 2.1 A and AA rules): no serious or critical violation; then a
        screenshot named ``name``."""
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {runOnly: {type: "tag",
                    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
            }"""
        )
        blocking = [v for v in result if v["impact"] in BLOCKING]
        assert blocking == [], f"{name}: axe found {blocking}"
        self.screenshot(page, name, full_page)

    def screenshot(self, page: Any, name: str, full_page: bool = False) -> None:
        """The whole page to the test's folder; with ``HANARO_SCREENSHOTS``, the first screen of
        it (what the citizen sees, and small enough to keep in the repository) to that folder."""
        path = self.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        publish = os.environ.get("HANARO_SCREENSHOTS")
        if publish:
            target = REPO_ROOT / publish
            target.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target / path.name), animations="disabled")


@pytest.fixture
def pages(browser: Any, server_url: str, shots: Path) -> Iterator[Pages]:
    watch = Watch(server_url)
    opened = Pages(browser, server_url, shots, watch)
    yield opened
    for context in opened.contexts:
        context.close()
    assert watch.outside == [], f"requests left the service: {watch.outside}"
    assert watch.violations == [], f"the page broke its rules: {watch.violations}"
