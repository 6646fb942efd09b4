"""The catalog revision row: bumped on every catalog write so every worker can notice."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import models

_ROW_ID = 1


class CatalogStateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def revision(self) -> int | None:
        row = self.session.scalar(
            select(models.CatalogState.revision).where(models.CatalogState.id == _ROW_ID)
        )
        return row

    def bump(self) -> int:
        """Increase the revision (creating the row on first load) and return the new value."""
        state = self.session.get(models.CatalogState, _ROW_ID, with_for_update=True)
        now = datetime.now(UTC)
        if state is None:
            state = models.CatalogState(id=_ROW_ID, revision=1, updated_at=now)
            self.session.add(state)
        else:
            state.revision += 1
            state.updated_at = now
        self.session.flush()
        return state.revision

    def ping(self) -> None:
        self.session.execute(text("SELECT 1"))
