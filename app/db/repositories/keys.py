"""Partners and their API keys (stored as digests)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models


class KeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def partner_named(self, name: str) -> models.Partner | None:
        return self.session.scalar(select(models.Partner).where(models.Partner.name == name))

    def add_partner(self, name: str, *, is_national: bool, now: datetime) -> models.Partner:
        partner = models.Partner(name=name, is_national=is_national, created_at=now)
        self.session.add(partner)
        self.session.flush()
        return partner

    def add_key(
        self, partner: models.Partner, *, prefix: str, digest: str, scopes: list[str], now: datetime
    ) -> models.ApiKey:
        key = models.ApiKey(
            partner_id=partner.id, prefix=prefix, key_hash=digest, scopes=scopes, created_at=now
        )
        self.session.add(key)
        self.session.flush()
        return key

    def with_partner(self, prefix: str) -> tuple[models.ApiKey, models.Partner] | None:
        row = self.session.execute(
            select(models.ApiKey, models.Partner)
            .join(models.Partner, models.Partner.id == models.ApiKey.partner_id)
            .where(models.ApiKey.prefix == prefix)
        ).one_or_none()
        return None if row is None else (row[0], row[1])

    def all_with_partner(self) -> Sequence[tuple[models.ApiKey, models.Partner]]:
        rows = self.session.execute(
            select(models.ApiKey, models.Partner)
            .join(models.Partner, models.Partner.id == models.ApiKey.partner_id)
            .order_by(models.Partner.name, models.ApiKey.created_at)
        ).all()
        return [(key, partner) for key, partner in rows]

    def revoke(self, key: models.ApiKey, now: datetime) -> None:
        key.revoked_at = now
        self.session.flush()
