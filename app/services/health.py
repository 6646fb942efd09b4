"""Readiness: the database answers and this worker holds a compiled catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.repositories.catalog_state import CatalogStateRepository
from app.services.catalog_store import CatalogStore


@dataclass(frozen=True)
class Readiness:
    database: bool
    catalog_loaded: bool
    catalog_version: str | None

    @property
    def is_ready(self) -> bool:
        return self.database and self.catalog_loaded


def check_readiness(session: Session, catalog: CatalogStore[Any]) -> Readiness:
    """Refresh the catalog if due and ping the database. A database that cannot be reached (or
    fails) makes ``database`` false, never an exception: the probe answers 503, not 500. The
    worker keeps serving the snapshot it holds, so ``catalog_loaded`` still says whether it has
    one."""
    try:
        loaded = catalog.refresh_if_stale(session)
        CatalogStateRepository(session).ping()
    except SQLAlchemyError:
        held = catalog.current
        return Readiness(
            database=False,
            catalog_loaded=held is not None,
            catalog_version=held.snapshot.catalog_version if held else None,
        )
    version = loaded.snapshot.catalog_version if loaded else None
    return Readiness(database=True, catalog_loaded=version is not None, catalog_version=version)
