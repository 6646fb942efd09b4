from __future__ import annotations

import httpx


async def test_health_is_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["x-request-id"]


async def test_ready_reports_database_and_catalog(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["database"] is True
    assert body["catalog_loaded"] is True
    assert len(body["catalog_version"]) == 16


async def test_ready_is_503_before_any_catalog_is_loaded(
    client: httpx.AsyncClient, db_session: object
) -> None:
    from app.db import models

    assert hasattr(db_session, "execute")
    db_session.execute(models.CatalogState.__table__.delete())  # type: ignore[attr-defined]
    client_app = client._transport.app  # type: ignore[attr-defined]
    client_app.state.catalog._loaded = None
    response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json()["catalog_loaded"] is False
