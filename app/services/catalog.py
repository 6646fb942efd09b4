"""Build the matching snapshot from the database (the source of truth for the catalog)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.repositories.documents import DocumentRepository
from app.db.repositories.parameters import ParameterRepository
from app.db.repositories.programs import ProgramRepository
from app.matching.parameters import Parameter
from app.matching.programs import DocumentSpec, ProgramSpec
from app.matching.snapshot import CatalogSnapshot


def load_snapshot(session: Session) -> CatalogSnapshot:
    """Compile the current version of every live program with the current parameters."""
    programs = [
        ProgramSpec.model_validate(row.spec)
        for row in ProgramRepository(session).current_versions()
    ]
    parameters = [
        Parameter.model_validate(row.spec)
        for row in ParameterRepository(session).current_versions()
    ]
    documents = [DocumentSpec.model_validate(row.spec) for row in DocumentRepository(session).all()]
    return CatalogSnapshot.build(programs, parameters, documents)
