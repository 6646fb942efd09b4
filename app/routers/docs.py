"""The API documentation pages, served entirely by the service (no CDN: a closed government
network cannot reach one, and the pages' Content-Security-Policy allows only this origin).

Swagger UI (``/docs``) and ReDoc (``/redoc``) come from the ``fastapi-offline`` package's
``static/`` folder; ``app/static/docs/swagger-init.js`` starts Swagger UI, so neither page has an
inline script. ReDoc starts itself from the ``<redoc spec-url>`` element. Everything is under
``/docs/assets/``. No OAuth2 redirect page: the API uses API keys.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
_OWN_ASSETS = Path(__file__).resolve().parent.parent / "static" / "docs"

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title} - Swagger UI</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""

_REDOC = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title} - ReDoc</title>
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<redoc spec-url="{openapi}"></redoc>
<script src="{assets}/redoc.standalone.js"></script>
</body>
</html>
"""


def _page(template: str, request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return HTMLResponse(
        template.format(
            title=html.escape(request.app.title),
            assets=html.escape(root + ASSETS),
            openapi=html.escape(root + (request.app.openapi_url or "/openapi.json")),
        )
    )


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    return _page(_SWAGGER, request)


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return _page(_REDOC, request)


def install_docs(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets (create the app with ``docs_url=None``,
    ``redoc_url=None``, so FastAPI's CDN pages are off)."""
    app.include_router(router)
    assets = StaticFiles(directory=_OWN_ASSETS, packages=[("fastapi_offline", "static")])
    app.mount(ASSETS, assets, name="docs-assets")
