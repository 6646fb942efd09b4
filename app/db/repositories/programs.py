"""Programs and their immutable versions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import models


class ProgramRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, program_id: str, *, for_update: bool = False) -> models.Program | None:
        """The program; ``for_update`` locks its row until the transaction ends (PostgreSQL) and
        reloads it, so a writer that waited for the lock sees the version committed meanwhile."""
        if not for_update:
            return self.session.get(models.Program, program_id)
        return self.session.get(
            models.Program, program_id, with_for_update=True, populate_existing=True
        )

    def current_versions(self, *, include_retired: bool = False) -> Sequence[models.ProgramVersion]:
        """The current version of every program, ordered by program id."""
        query = (
            select(models.ProgramVersion)
            .join(models.Program, models.Program.id == models.ProgramVersion.program_id)
            .where(models.ProgramVersion.version == models.Program.current_version)
            .order_by(models.Program.id)
        )
        if not include_retired:
            query = query.where(models.Program.is_retired.is_(False))
        return self.session.scalars(query).all()

    def current_version(self, program_id: str) -> models.ProgramVersion | None:
        return self.session.scalar(
            select(models.ProgramVersion)
            .join(models.Program, models.Program.id == models.ProgramVersion.program_id)
            .where(
                models.Program.id == program_id,
                models.ProgramVersion.version == models.Program.current_version,
            )
        )

    def versions(self, program_id: str) -> Sequence[models.ProgramVersion]:
        return self.session.scalars(
            select(models.ProgramVersion)
            .where(models.ProgramVersion.program_id == program_id)
            .order_by(models.ProgramVersion.version)
        ).all()

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(models.Program)) or 0)

    def add_version(
        self,
        *,
        program_id: str,
        domain: str,
        spec: dict[str, Any],
        spec_hash: str,
        effective_from: date,
        effective_to: date | None,
        actor: str,
        reason: str,
        owner_partner_id: int | None = None,
        is_new: bool = False,
    ) -> models.ProgramVersion:
        """Append a new version (creating the program on first sight) and make it current.

        ``is_new``: insert the program without looking, so that a program created meanwhile by
        another transaction is an ``IntegrityError`` (its primary key), never a second version."""
        now = datetime.now(UTC)
        program = None if is_new else self.get(program_id, for_update=True)
        if program is None:
            program = models.Program(
                id=program_id,
                domain=domain,
                owner_partner_id=owner_partner_id,
                current_version=0,
                is_retired=False,
                created_at=now,
                updated_at=now,
            )
            self.session.add(program)
            self.session.flush()
        version = models.ProgramVersion(
            program_id=program_id,
            version=program.current_version + 1,
            spec=spec,
            spec_hash=spec_hash,
            effective_from=effective_from,
            effective_to=effective_to,
            created_at=now,
            created_by=actor,
            change_reason=reason,
        )
        self.session.add(version)
        program.current_version = version.version
        program.domain = domain
        program.is_retired = False
        program.updated_at = now
        self.session.flush()
        return version

    def retire(self, program: models.Program) -> None:
        program.is_retired = True
        program.updated_at = datetime.now(UTC)
        self.session.flush()
