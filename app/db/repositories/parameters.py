"""Dated parameters and their versions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models


class ParameterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, parameter_id: str, *, for_update: bool = False) -> models.Parameter | None:
        """The parameter; ``for_update`` locks and reloads its row (see ProgramRepository.get)."""
        if not for_update:
            return self.session.get(models.Parameter, parameter_id)
        return self.session.get(
            models.Parameter, parameter_id, with_for_update=True, populate_existing=True
        )

    def current_versions(self) -> Sequence[models.ParameterVersion]:
        return self.session.scalars(
            select(models.ParameterVersion)
            .join(models.Parameter, models.Parameter.id == models.ParameterVersion.parameter_id)
            .where(models.ParameterVersion.version == models.Parameter.current_version)
            .order_by(models.Parameter.id)
        ).all()

    def current_version(self, parameter_id: str) -> models.ParameterVersion | None:
        return self.session.scalar(
            select(models.ParameterVersion)
            .join(models.Parameter, models.Parameter.id == models.ParameterVersion.parameter_id)
            .where(
                models.Parameter.id == parameter_id,
                models.ParameterVersion.version == models.Parameter.current_version,
            )
        )

    def versions(self, parameter_id: str) -> Sequence[models.ParameterVersion]:
        return self.session.scalars(
            select(models.ParameterVersion)
            .where(models.ParameterVersion.parameter_id == parameter_id)
            .order_by(models.ParameterVersion.version)
        ).all()

    def add_version(
        self,
        *,
        parameter_id: str,
        spec: dict[str, Any],
        spec_hash: str,
        actor: str,
        reason: str,
        is_new: bool = False,
    ) -> models.ParameterVersion:
        """Append a version and make it current; ``is_new`` as in ProgramRepository.add_version."""
        now = datetime.now(UTC)
        parameter = None if is_new else self.get(parameter_id, for_update=True)
        if parameter is None:
            parameter = models.Parameter(
                id=parameter_id, current_version=0, created_at=now, updated_at=now
            )
            self.session.add(parameter)
            self.session.flush()
        version = models.ParameterVersion(
            parameter_id=parameter_id,
            version=parameter.current_version + 1,
            spec=spec,
            spec_hash=spec_hash,
            created_at=now,
            created_by=actor,
            change_reason=reason,
        )
        self.session.add(version)
        parameter.current_version = version.version
        parameter.updated_at = now
        self.session.flush()
        return version
