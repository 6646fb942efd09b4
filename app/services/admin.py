"""Admin catalog use cases: create, update (as a new version), retire, parameter versions, history.

Every write runs in one transaction with its audit entry and a catalog revision bump; after the
commit this worker's snapshot is rebuilt at once (other workers notice the revision by polling).
A change is answered as made once it has committed: if the database fails after the commit, the
answer carries ``catalog_version: null`` (the snapshot is rebuilt by the next poll) rather than a
503 that would invite a retry of a change already made.
Ownership: a partner edits only its own organization's programs; national programs (no owner)
only national partners. A program the key may not edit answers 404, as if it did not exist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.catalog.links import program_link_problems, reason_id
from app.db import models
from app.db.outage import DATABASE_DOWN
from app.db.repositories.catalog_state import CatalogStateRepository
from app.db.repositories.parameters import ParameterRepository
from app.db.repositories.programs import ProgramRepository
from app.db.session import write_transaction
from app.errors import (
    CatalogConflict,
    ErrorItem,
    InvalidRequest,
    InvalidRule,
    NationalPartnerRequired,
    ParameterNotFound,
    ProgramNotFound,
    text,
)
from app.matching import (
    CatalogSnapshot,
    CompileError,
    Parameter,
    ParameterSet,
    ProgramSpec,
    check_program,
)
from app.preconditions import Precondition, created_meanwhile, entity_tag
from app.schemas.admin import (
    ParameterChangeResult,
    ParameterVersionOut,
    ProgramChangeResult,
    ProgramVersionOut,
)
from app.security import Principal
from app.services.audit import AuditContext, record
from app.services.catalog import load_snapshot
from app.services.catalog_admin import parameter_to_json, program_to_json, spec_hash
from app.services.catalog_store import CatalogStore
from app.services.idempotency import Answer, IdempotencyKey, amend, claim, fingerprint, remember
from app.services.rule_checks import DOES_NOT_COMPILE, located

log = logging.getLogger("hanaro.admin")


@dataclass(frozen=True)
class Change:
    """Who changes the catalog, from where, and why."""

    ctx: AuditContext
    reason: str

    @property
    def principal(self) -> Principal:
        return self.ctx.principal

    @property
    def author(self) -> str:
        partner = self.principal.partner_name or ""
        return f"{self.principal.actor} {partner}".strip()[:120]


Store = CatalogStore[CatalogSnapshot]


@dataclass(frozen=True)
class Created:
    """A create's answer; ``is_replay`` when it is the stored answer to an earlier request with
    the same ``Idempotency-Key``."""

    result: ProgramChangeResult
    status: int = 201
    is_replay: bool = False


def create_program(
    session: Session,
    store: Store,
    spec: ProgramSpec,
    change: Change,
    once: IdempotencyKey | None = None,
) -> Created:
    """Version 1 of a new program. With ``once`` (an ``Idempotency-Key``), a retry of the same
    request replays the first answer and creates nothing."""
    request = fingerprint("program.create", [program_to_json(spec), change.reason])
    try:
        with write_transaction(session):
            replay = claim(session, once, request) if once is not None else None
            if replay is not None:
                result = ProgramChangeResult.model_validate(replay.body)
                return Created(result, replay.status, is_replay=True)
            row = _create(session, spec, change)
            if once is not None:
                remember(session, once, Answer(201, _version_body(row, None)))
    except IntegrityError:
        # Another writer created the id after our check (PostgreSQL: the primary key decides).
        raise CatalogConflict(_ID_TAKEN, errors=[_TAKEN]) from None
    result = _program_result(row, store, session)
    if once is not None and result.catalog_version is not None:
        # the catalog version is known only now, after the commit; the answer remembered with
        # the create (version null) stands if the database fails meanwhile
        try:
            amend(session, once, Answer(201, result.model_dump(mode="json")))
        except DATABASE_DOWN as error:
            _after_commit(error)
    return Created(result)


def _create(session: Session, spec: ProgramSpec, change: Change) -> models.ProgramVersion:
    repo = ProgramRepository(session)
    if repo.get(spec.id) is not None:
        raise CatalogConflict(_ID_TAKEN, errors=[_TAKEN])
    _check_regions(spec, change.principal)
    _check_links(spec)
    _compile(session, spec)
    owner = None if change.principal.is_national else change.principal.partner_id
    row = _write(repo, spec, change, owner=owner, is_new=True)
    _audit(session, change, "program.create", f"program:{spec.id}", row)
    return row


def update_program(
    session: Session,
    store: Store,
    program_id: str,
    spec: ProgramSpec,
    change: Change,
    precondition: Precondition,
) -> ProgramChangeResult:
    """A new version, only if ``precondition`` names the current one (no lost updates)."""
    with write_transaction(session):
        repo = ProgramRepository(session)
        _current(_editable(repo.get(program_id, for_update=True), change.principal), precondition)
        if spec.id != program_id:
            raise InvalidRule(_ID_MISMATCH, errors=[_NOT_THE_PATH_ID])
        _check_regions(spec, change.principal)
        _check_links(spec)
        _compile(session, spec)
        row = _write(repo, spec, change)
        _audit(session, change, "program.update", f"program:{program_id}", row)
    return _program_result(row, store, session)


def retire_program(
    session: Session, store: Store, program_id: str, change: Change, precondition: Precondition
) -> ProgramChangeResult:
    """Append a retirement version (same spec, ``retires``) and flag the program; nothing is
    deleted, and the next version (an update) brings it back."""
    with write_transaction(session):
        repo = ProgramRepository(session)
        program = _editable(repo.get(program_id, for_update=True), change.principal)
        _current(program, precondition)
        if program.is_retired:
            raise CatalogConflict(_ALREADY_RETIRED)
        current = repo.current_version(program_id)
        assert current is not None  # a program always has a version
        spec = ProgramSpec.model_validate(current.spec)
        row = _write(repo, spec, change)
        row.retires = True
        repo.retire(program)
        _audit(session, change, "program.retire", f"program:{program_id}", row)
    return _program_result(row, store, session)


def put_parameter(
    session: Session,
    store: Store,
    parameter_id: str,
    parameter: Parameter,
    change: Change,
    precondition: Precondition,
) -> ParameterChangeResult:
    """New version of a parameter (version 1 if new: ``If-None-Match: *``; else ``If-Match``).
    Parameters are national law: national partners only. The whole catalog must still compile
    with the new values."""
    if not change.principal.is_national:
        raise NationalPartnerRequired(_NATIONAL_ONLY)
    if parameter.id != parameter_id:
        raise InvalidRule(_ID_MISMATCH, errors=[_NOT_THE_PATH_ID])
    try:
        with write_transaction(session):
            row = _parameter_version(session, parameter, change, precondition)
    except IntegrityError:
        # Another writer created it after our look (PostgreSQL: the primary key decides).
        raise created_meanwhile() from None
    out = ParameterVersionOut.model_validate(row, from_attributes=True)
    created_by = row.created_by  # read the row first: a failed refresh expires it
    return ParameterChangeResult(
        **out.model_dump(), created_by=created_by, catalog_version=_refresh(store, session)
    )


def _parameter_version(
    session: Session, parameter: Parameter, change: Change, precondition: Precondition
) -> models.ParameterVersion:
    repo = ParameterRepository(session)
    found = repo.get(parameter.id, for_update=True)
    precondition.check(
        entity_tag(parameter.id, found.current_version) if found else None, may_create=True
    )
    data = parameter_to_json(parameter)
    row = repo.add_version(
        parameter_id=parameter.id,
        spec=data,
        spec_hash=spec_hash(data),
        actor=change.author,
        reason=change.reason,
        is_new=found is None,
    )
    try:
        load_snapshot(session)
    except CompileError as exc:
        raise InvalidRule(DOES_NOT_COMPILE, errors=located(exc.problems, "")) from None
    CatalogStateRepository(session).bump()
    detail = {"version": row.version, "change_reason": change.reason}
    record(session, change.ctx, "parameter.update", f"parameter:{parameter.id}", detail)
    return row


def program_versions(session: Session, program_id: str) -> list[ProgramVersionOut]:
    with session.begin():
        rows = ProgramRepository(session).versions(program_id)
        if not rows:
            raise ProgramNotFound()
        return [ProgramVersionOut.model_validate(r, from_attributes=True) for r in rows]


def parameter_versions(session: Session, parameter_id: str) -> list[ParameterVersionOut]:
    with session.begin():
        rows = ParameterRepository(session).versions(parameter_id)
        if not rows:
            raise ParameterNotFound()
        return [ParameterVersionOut.model_validate(r, from_attributes=True) for r in rows]


def _compile(session: Session, spec: ProgramSpec) -> None:
    parameters = ParameterSet(
        Parameter.model_validate(row.spec)
        for row in ParameterRepository(session).current_versions()
    )
    _, problems = check_program(spec, parameters)
    if problems:
        raise InvalidRule(DOES_NOT_COMPILE, errors=located(problems, "/spec"))


def _editable(program: models.Program | None, principal: Principal) -> models.Program:
    if program is None:
        raise ProgramNotFound()
    if program.owner_partner_id is None:
        allowed = principal.is_national
    else:
        allowed = program.owner_partner_id == principal.partner_id
    if not allowed:
        raise ProgramNotFound()
    return program


def _current(program: models.Program, precondition: Precondition) -> None:
    precondition.check(entity_tag(program.id, program.current_version))


def _check_regions(spec: ProgramSpec, principal: Principal) -> None:
    if spec.is_national and not principal.is_national:
        raise NationalPartnerRequired(_REGIONAL_ONLY, errors=[_NATIONWIDE])


def _check_links(spec: ProgramSpec) -> None:
    """Every apply and source URL must be safe to hand a citizen (app/catalog/links.py)."""
    found = program_link_problems(spec)
    if found:
        errors: list[ErrorItem] = [
            {"pointer": "/spec/" + "/".join(map(str, path)), "detail": text(reason_id(why))}
            for path, why in found
        ]
        raise InvalidRequest(_UNSAFE_LINKS, errors=errors)


def _write(
    repo: ProgramRepository,
    spec: ProgramSpec,
    change: Change,
    owner: int | None = None,
    *,
    is_new: bool = False,
) -> models.ProgramVersion:
    data = program_to_json(spec)
    return repo.add_version(
        program_id=spec.id,
        domain=str(spec.domain),
        spec=data,
        spec_hash=spec_hash(data),
        effective_from=spec.effective_from,
        effective_to=spec.effective_to,
        actor=change.author,
        reason=change.reason,
        owner_partner_id=owner,
        is_new=is_new,
    )


def _audit(
    session: Session, change: Change, action: str, target: str, row: models.ProgramVersion
) -> None:
    CatalogStateRepository(session).bump()
    detail = {"version": row.version, "change_reason": change.reason, "spec_hash": row.spec_hash}
    record(session, change.ctx, action, target, detail)


def _program_result(
    row: models.ProgramVersion, store: Store, session: Session
) -> ProgramChangeResult:
    answer = _change_result(row, None)  # read the row first: a failed refresh expires it
    return answer.model_copy(update={"catalog_version": _refresh(store, session)})


def _version_body(row: models.ProgramVersion, catalog_version: str | None) -> dict[str, Any]:
    return _change_result(row, catalog_version).model_dump(mode="json")


def _change_result(row: models.ProgramVersion, catalog_version: str | None) -> ProgramChangeResult:
    """The writer's answer: the public version plus who wrote it (never shown in the history)."""
    out = ProgramVersionOut.model_validate(row, from_attributes=True)
    return ProgramChangeResult(
        **out.model_dump(), created_by=row.created_by, catalog_version=catalog_version
    )


def _refresh(store: Store, session: Session) -> str | None:
    """This worker's catalog version after a committed change; None if the database failed
    since the commit (the change stands; the catalog poll rebuilds the snapshot later)."""
    try:
        with session.begin():  # a read transaction, ended before any later write
            loaded = store.refresh(session)
    except DATABASE_DOWN as error:
        _after_commit(error)
        return None
    return loaded.snapshot.catalog_version if loaded else None


def _after_commit(error: Exception) -> None:
    log.warning("database unavailable after a committed change (%s)", type(error).__name__)


_ID_TAKEN = text("errors.admin.id_taken")
_TAKEN: ErrorItem = {"pointer": "/spec/id", "detail": text("errors.admin.id_taken_field")}
_ID_MISMATCH = text("errors.admin.id_mismatch")
_NOT_THE_PATH_ID: ErrorItem = {
    "pointer": "/spec/id",
    "detail": text("errors.admin.id_mismatch_field"),
}
_ALREADY_RETIRED = text("errors.admin.already_retired")
_NATIONAL_ONLY = text("errors.admin.national_only")
_UNSAFE_LINKS = text("errors.admin.unsafe_links")
_REGIONAL_ONLY = text("errors.admin.regional_only")
_NATIONWIDE: ErrorItem = {
    "pointer": "/spec/regions",
    "detail": text("errors.admin.regional_only_field"),
}
