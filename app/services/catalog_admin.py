"""Catalog writes: load the shipped YAML catalog into the database as program versions.

Idempotent: a program or parameter whose content is unchanged gets no new version; a changed one
gets a new version (never an overwrite). The catalog revision is bumped once per effective change,
so every worker rebuilds its snapshot. A program or parameter whose current version was made
through the admin API is left alone (a local edit is never reverted by a reload); the report
counts it as ``kept_local``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.catalog.loader import DEFAULT_ROOT, load_catalog, validate_catalog
from app.db.repositories.catalog_state import CatalogStateRepository
from app.db.repositories.documents import DocumentRepository
from app.db.repositories.parameters import ParameterRepository
from app.db.repositories.programs import ProgramRepository
from app.errors import InvalidRule, text
from app.matching import (
    DocumentSpec,
    Parameter,
    ProgramSpec,
)


@dataclass(frozen=True)
class LoadReport:
    programs_added: int
    programs_changed: int
    parameters_changed: int
    documents_changed: int
    kept_local: int
    revision: int

    @property
    def changed(self) -> bool:
        return bool(
            self.programs_added or self.programs_changed or self.parameters_changed
        ) or bool(self.documents_changed)


SHIPPED_REASON = "shipped catalog load"


def spec_hash(spec: dict[str, Any]) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def program_to_json(spec: ProgramSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", by_alias=True, exclude_none=True)


def parameter_to_json(parameter: Parameter) -> dict[str, Any]:
    return parameter.model_dump(mode="json", by_alias=True, exclude_none=True)


def document_to_json(document: DocumentSpec) -> dict[str, Any]:
    return document.model_dump(mode="json", by_alias=True, exclude_none=True)


def load_shipped_catalog(session: Session, *, actor: str, root: Path = DEFAULT_ROOT) -> LoadReport:
    """Validate the YAML catalog under ``root`` and upsert it. The caller owns the transaction."""
    problems = validate_catalog(root)
    if problems:
        raise InvalidRule(text("errors.catalog.load_invalid", problems="\n".join(problems)))
    programs, parameters, documents = load_catalog(root)
    documents_changed = sum(
        DocumentRepository(session).upsert(doc.id, document_to_json(doc)) for doc in documents
    )
    outcomes = [_upsert_parameter(session, p, actor) for p in parameters]
    parameters_changed = sum(o in ("added", "changed") for o in outcomes)
    repo = ProgramRepository(session)
    program_outcomes = [_upsert_program(repo, spec, actor) for spec in programs]
    added = program_outcomes.count("added")
    changed = program_outcomes.count("changed")
    kept_local = program_outcomes.count("kept_local") + outcomes.count("kept_local")
    state = CatalogStateRepository(session)
    revision = state.revision()
    if revision is None or added or changed or parameters_changed or documents_changed:
        revision = state.bump()
    return LoadReport(added, changed, parameters_changed, documents_changed, kept_local, revision)


def _outcome(current_hash: str | None, current_reason: str | None, digest: str) -> str | None:
    """None to write a new version, else why not."""
    if current_hash is None:
        return None
    if current_hash == digest:
        return "unchanged"
    if current_reason != SHIPPED_REASON:
        return "kept_local"
    return None


def _upsert_parameter(session: Session, parameter: Parameter, actor: str) -> str:
    repo = ParameterRepository(session)
    data = parameter_to_json(parameter)
    digest = spec_hash(data)
    current = repo.current_version(parameter.id)
    skip = _outcome(
        current.spec_hash if current else None, current.change_reason if current else None, digest
    )
    if skip:
        return skip
    repo.add_version(
        parameter_id=parameter.id, spec=data, spec_hash=digest, actor=actor, reason=SHIPPED_REASON
    )
    return "added" if current is None else "changed"


def _upsert_program(repo: ProgramRepository, spec: ProgramSpec, actor: str) -> str:
    data = program_to_json(spec)
    digest = spec_hash(data)
    current = repo.current_version(spec.id)
    skip = _outcome(
        current.spec_hash if current else None, current.change_reason if current else None, digest
    )
    if skip:
        return skip
    repo.add_version(
        program_id=spec.id,
        domain=str(spec.domain),
        spec=data,
        spec_hash=digest,
        effective_from=spec.effective_from,
        effective_to=spec.effective_to,
        actor=actor,
        reason=SHIPPED_REASON,
    )
    return "added" if current is None else "changed"
