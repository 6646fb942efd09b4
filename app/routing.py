"""Every route of an application, including those of included routers.

Recent FastAPI keeps an included router as one entry of ``app.routes`` and exposes its routes
through ``fastapi.routing.iter_route_contexts``; older releases copied them into ``app.routes``.
The 405 ``Allow`` header (``app.errors``) and the OpenAPI security (``app.openapi``) both need the
flat list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import routing
from starlette.routing import BaseRoute, compile_path


def flat_routes(routes: Sequence[BaseRoute]) -> Iterator[Any]:
    """Each route (or FastAPI's view of it inside an included router): ``path_format``,
    ``methods``, ``original_route``, and for API routes ``dependant`` and ``unique_id``."""
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:  # pragma: no cover - FastAPI before included-router contexts
        for route in routes:
            yield _Plain(route)
        return
    yield from contexts(routes)


def methods_at(routes: Sequence[BaseRoute], path: str) -> set[str]:
    """Every method some route answers at ``path`` (empty when no route has that path)."""
    allowed: set[str] = set()
    for route in flat_routes(routes):
        path_format, methods = route.path_format, route.methods
        if path_format is None or not methods:
            continue
        regex, _format, _convertors = compile_path(path_format)
        if regex.match(path):
            allowed |= set(methods)
    return allowed


class _Plain:
    def __init__(self, route: BaseRoute) -> None:
        self.original_route = route

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original_route, name, None)
