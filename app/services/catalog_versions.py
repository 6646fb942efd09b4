"""Which version of a program or parameter a read serves, and names in its ETag.

The body of ``GET /v1/programs/{id}`` and ``GET /v1/parameters/{id}`` comes from this worker's
snapshot, which remembers the version of every item it was built from; the ETag
(``"<id>.v<version>"``, see ``app.preconditions``) and ``version`` name that same version, so the
same content always carries the same tag, whichever way it was served:

- the database answers: it says which version is current. An item retired or gone is 404; a
  snapshot behind it (an edit made through another worker, not yet polled) is refreshed first, so
  a read after an edit anywhere shows the edit and the ETag an ``If-Match`` needs.
- the database does not answer (or failed within the outage hold, ``app.db.outage``): the snapshot
  answers alone, as plans and lists do. The worst case is a version one poll old, which an edit's
  ``If-Match`` then refuses with 412, never silently overwrites.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.db.outage import DATABASE_DOWN, Outage
from app.db.repositories.parameters import ParameterRepository
from app.db.repositories.programs import ProgramRepository
from app.errors import DatabaseUnavailable, ParameterNotFound, ProgramNotFound, text
from app.matching import (
    CatalogSnapshot,
)
from app.services.catalog_store import CatalogStore

NO_SUCH_PROGRAM = text("errors.program_not_found.detail")
NO_SUCH_PARAMETER = text("errors.parameter_not_found.detail")


@dataclass(frozen=True)
class CatalogSource:
    """Where a read finds the catalog: this worker's snapshot store and, when it answers, the
    database (``session``), with the shared memory of a recent outage."""

    session: Session
    store: CatalogStore[CatalogSnapshot]
    outage: Outage


@dataclass(frozen=True)
class Served:
    snapshot: CatalogSnapshot
    version: int


def program(source: CatalogSource, snapshot: CatalogSnapshot, program_id: str) -> Served:
    """The snapshot to render ``program_id`` from and the version it holds (see the module)."""
    query = _program_version(program_id)
    snapshot = _current(source, snapshot, snapshot.program_versions.get(program_id), query)
    if program_id not in snapshot.programs:
        raise ProgramNotFound(NO_SUCH_PROGRAM)
    return Served(snapshot, _held(snapshot.program_versions, program_id))


def parameter(source: CatalogSource, snapshot: CatalogSnapshot, parameter_id: str) -> Served:
    """The snapshot to render ``parameter_id`` from and the version it holds (see the module)."""
    query = _parameter_version(parameter_id)
    snapshot = _current(source, snapshot, snapshot.parameter_versions.get(parameter_id), query)
    if snapshot.parameters.get(parameter_id) is None:
        raise ParameterNotFound(NO_SUCH_PARAMETER)
    return Served(snapshot, _held(snapshot.parameter_versions, parameter_id))


def _current(
    source: CatalogSource,
    snapshot: CatalogSnapshot,
    held: int | None,
    query: Callable[[Session], int],
) -> CatalogSnapshot:
    """``snapshot``, or a fresh one when the database answers with another version than
    ``held`` (this query raises the 404 of an item the database does not have)."""
    current = _ask_database(source, query)
    if current is None or current == held:
        return snapshot
    return _caught_up(source, snapshot)


def _held(versions: Mapping[str, int], item_id: str) -> int:
    held = versions.get(item_id)
    if held is None:  # a snapshot built without versions (never the app's), and no database
        raise DatabaseUnavailable()
    return held


def _ask_database(source: CatalogSource, query: Callable[[Session], Any]) -> int | None:
    """``query``'s answer; ``None`` when the database does not answer (or just failed)."""
    if source.outage.suspected():
        return None
    try:
        with source.session.begin():
            answer: int = query(source.session)
    except DATABASE_DOWN as error:
        source.outage.failed(error)
        return None
    source.outage.recovered()
    return answer


def _caught_up(source: CatalogSource, snapshot: CatalogSnapshot) -> CatalogSnapshot:
    """The store refreshed from the database (the snapshot held when that fails)."""
    try:
        with source.session.begin():
            loaded = source.store.refresh(source.session)
    except DATABASE_DOWN as error:
        source.outage.failed(error)
        return snapshot
    return loaded.snapshot if loaded is not None else snapshot


def _program_version(program_id: str) -> Callable[[Session], int]:
    def query(session: Session) -> int:
        found = ProgramRepository(session).get(program_id)
        if found is None or found.is_retired:
            raise ProgramNotFound(NO_SUCH_PROGRAM)
        return found.current_version

    return query


def _parameter_version(parameter_id: str) -> Callable[[Session], int]:
    def query(session: Session) -> int:
        found = ParameterRepository(session).get(parameter_id)
        if found is None:
            raise ParameterNotFound(NO_SUCH_PARAMETER)
        return found.current_version

    return query
