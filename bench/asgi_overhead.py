"""What the HTTP stack costs around a plan: the whole ASGI app driven in process (#17).

Run (from the repository, against a migrated database with the catalog loaded)::

    export HANARO_DATABASE_URL=sqlite:////tmp/bench/db.sqlite
    .venv/bin/hanaro migrate && .venv/bin/hanaro catalog load
    .venv/bin/python -m bench.asgi_overhead [--runs N] [--path /v1/plans] [--profile MODE]
        [--kiosk] [FILE]

Sends ``FILE`` (default: the README's Daegu household) to the application's ASGI callable as an
anonymous ``POST`` (no network, no uvicorn: the ASGI messages are built here) and reports the CPU
time per request (``time.process_time``, mean over ``--runs`` after 30 warm-ups) in three modes:

- ``real``: the application as it is: every middleware and dependency, and the plan itself;
- ``precomputed``: the same application with the plan replaced by its answer bytes, computed once
  (``services.plans.build_plan`` / ``next_questions`` return a cached answer): what the stack
  costs around a plan -- routing, middleware, dependencies (rate limit, audit), body hardening,
  request validation, ``check_profile``, the response;
- ``floor``: ``bench.http.floor``, a bare FastAPI app validating the same body with the same
  request model and answering the same bytes (the transfer floor of ``bench.http.transfer``).

``--kiosk`` sends ``questions/next`` as a kiosk step (``include_plan: false``).

``precomputed - floor`` is the overhead of the service's own stack. The rate limit is raised so
the runs are not refused; the count is still made, in the default store (the database) or in
Redis when ``HANARO_REDIS_URL`` is set: that is part of the cost, most of what is left of it on
SQLite (a write transaction in a worker thread). ``--profile precomputed`` prints a cProfile of
that mode (cumulative time, 40 lines; the rate-limit count runs in a worker thread, which
cProfile does not see).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.main import create_app
from app.services import plans
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BODY = ROOT / "docs" / "examples" / "household-daegu.json"
PATHS = ("/v1/plans", "/v1/questions/next")
MODES = ("real", "precomputed", "floor")
WARMUP = 30

ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[dict[str, Any]]],
        Callable[[dict[str, Any]], Awaitable[None]],
    ],
    Awaitable[None],
]


class _Answer:
    """A ``Rendered`` whose bytes are computed once."""

    def __init__(self, rendered: plans.Rendered) -> None:
        self.data = rendered.data
        self._bytes = rendered.json()

    def json(self) -> bytes:
        return self._bytes


def precompute_plans() -> Callable[[], None]:
    """Make ``build_plan`` and ``next_questions`` answer their first result again; returns the
    undo."""
    originals = plans.build_plan, plans.next_questions
    cached: dict[str, Any] = {}

    def build_plan(*args: Any, **kwargs: Any) -> Any:
        if "plan" not in cached:
            rendered, core, picks = originals[0](*args, **kwargs)
            cached["plan"] = (_Answer(rendered), core, picks)
        return cached["plan"]

    def next_questions(*args: Any, **kwargs: Any) -> Any:
        if "questions" not in cached:
            cached["questions"] = _Answer(originals[1](*args, **kwargs))
        return cached["questions"]

    plans.build_plan, plans.next_questions = build_plan, next_questions  # type: ignore[assignment]

    def undo() -> None:
        plans.build_plan, plans.next_questions = originals

    return undo


def scope_of(path: str, body: bytes) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


async def call(app: ASGIApp, path: str, body: bytes) -> bytes:
    """One request; the answer's body (the status must be 200)."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # a client that stays connected
        raise AssertionError("unreachable")

    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope_of(path, body), receive, send)
    assert messages[0]["status"] == 200, messages
    return b"".join(m.get("body", b"") for m in messages[1:])


async def cpu_ms(app: ASGIApp, path: str, body: bytes, runs: int) -> float:
    for _ in range(WARMUP):
        await call(app, path, body)
    started = time.process_time()
    for _ in range(runs):
        await call(app, path, body)
    return (time.process_time() - started) * 1000 / runs


async def measure(path: str, body: bytes, runs: int, profile: str | None) -> dict[str, float]:
    settings = Settings(rate_limit_anonymous_per_minute=10**9)
    app = create_app(settings)
    figures: dict[str, float] = {}
    async with app.router.lifespan_context(app):
        figures["real"] = await cpu_ms(app, path, body, runs)
        answer = await call(app, path, body)
        undo = precompute_plans()
        try:
            figures["precomputed"] = await cpu_ms(app, path, body, runs)
            if profile == "precomputed":
                await print_profile(app, path, body, runs)
        finally:
            undo()
    figures["floor"] = await _floor(path, body, answer, runs)
    return figures


async def _floor(path: str, body: bytes, answer: bytes, runs: int) -> float:
    from bench.http import floor

    kiosk = path == "/v1/questions/next" and json.loads(body).get("include_plan") is False
    floor._ANSWERS[path + (floor.KIOSK if kiosk else "")] = answer
    return await cpu_ms(floor.app, path, body, runs)


async def print_profile(app: ASGIApp, path: str, body: bytes, runs: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        await call(app, path, body)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_BODY)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--path", choices=PATHS, action="append")
    parser.add_argument("--profile", choices=("precomputed",))
    parser.add_argument(
        "--kiosk", action="store_true", help="questions/next as a kiosk step (include_plan false)"
    )
    args = parser.parse_args(argv)
    data = json.loads(args.file.read_text(encoding="utf-8"))
    if args.kiosk:
        data["include_plan"] = False
    body = json.dumps(data).encode()
    for path in ["/v1/questions/next"] if args.kiosk else args.path or PATHS:
        figures = asyncio.run(measure(path, body, args.runs, args.profile))
        line = "  ".join(f"{mode} {figures[mode]:6.2f}" for mode in MODES)
        stack = figures["precomputed"] - figures["floor"]
        print(f"{path:<20} cpu ms per request: {line}  (stack overhead {stack:.2f})")


if __name__ == "__main__":
    main()
