"""The shared document dictionary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> Sequence[models.Document]:
        return self.session.scalars(select(models.Document).order_by(models.Document.id)).all()

    def upsert(self, document_id: str, spec: dict[str, Any]) -> bool:
        """Insert or update; returns True when something changed."""
        row = self.session.get(models.Document, document_id)
        if row is None:
            self.session.add(models.Document(id=document_id, spec=spec))
            self.session.flush()
            return True
        if row.spec != spec:
            row.spec = spec
            self.session.flush()
            return True
        return False
