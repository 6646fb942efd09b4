"""Readiness: the database answers and this worker holds a compiled catalog."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.repositories.catalog_state import CatalogStateRepository


@dataclass(frozen=True)
class Readiness:
    database: bool
    catalog_loaded: bool
    catalog_version: str | None

    @property
    def is_ready(self) -> bool:
        return self.database and self.catalog_loaded


def check_readiness(session: Session, catalog_version: str | None) -> Readiness:
    try:
        CatalogStateRepository(session).ping()
    except SQLAlchemyError:
        return Readiness(database=False, catalog_loaded=False, catalog_version=catalog_version)
    return Readiness(
        database=True, catalog_loaded=catalog_version is not None, catalog_version=catalog_version
    )
