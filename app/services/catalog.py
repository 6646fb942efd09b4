"""Build the matching snapshot from the database (the source of truth for the catalog)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.repositories.documents import DocumentRepository
from app.db.repositories.parameters import ParameterRepository
from app.db.repositories.programs import ProgramRepository
from app.matching import (
    CatalogSnapshot,
    DocumentSpec,
    Parameter,
    ProgramSpec,
)


def load_snapshot(session: Session) -> CatalogSnapshot:
    """Compile the current version of every live program with the current parameters; the
    snapshot remembers each one's version number."""
    program_rows = ProgramRepository(session).current_versions()
    parameter_rows = ParameterRepository(session).current_versions()
    documents = [DocumentSpec.model_validate(row.spec) for row in DocumentRepository(session).all()]
    return CatalogSnapshot.build(
        [ProgramSpec.model_validate(row.spec) for row in program_rows],
        [Parameter.model_validate(row.spec) for row in parameter_rows],
        documents,
        program_versions={row.program_id: row.version for row in program_rows},
        parameter_versions={row.parameter_id: row.version for row in parameter_rows},
    )
