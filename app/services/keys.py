"""API key use cases: create (shown once), revoke, list, and authenticate a presented key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.db.repositories.keys import KeyRepository
from app.db.session import write_transaction
from app.errors import AuthenticationRequired, InvalidRequest, NotFound, text
from app.security import ANONYMOUS, SCOPES, Principal, generate_key, key_prefix, matches
from app.services.audit import AuditContext, record

_BAD_KEY = text("errors.keys.invalid")
_CLI = AuditContext(ANONYMOUS, client_address=None, request_id=None, actor="cli:keys")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="hanaro"'}


@dataclass(frozen=True)
class CreatedKey:
    clear: str
    prefix: str
    partner: str
    scopes: tuple[str, ...]
    is_national: bool


@dataclass(frozen=True)
class KeyInfo:
    prefix: str
    partner: str
    scopes: tuple[str, ...]
    is_national: bool
    created_at: datetime
    revoked_at: datetime | None


def parse_scopes(given: Iterable[str]) -> tuple[str, ...]:
    scopes = tuple(dict.fromkeys(s.strip() for s in given if s.strip()))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise InvalidRequest(text("errors.keys.unknown_scope", scopes=", ".join(SCOPES)))
    return scopes


def create_key(
    session: Session, *, partner: str, scopes: Iterable[str], is_national: bool = False
) -> CreatedKey:
    """Create the partner on first sight; ``is_national`` applies to a new partner only when
    set (an existing partner keeps its flag unless this call raises it)."""
    chosen = parse_scopes(scopes)
    now = datetime.now(UTC)
    new = generate_key()
    with write_transaction(session):
        repo = KeyRepository(session)
        org = repo.partner_named(partner) or repo.add_partner(
            partner, is_national=is_national, now=now
        )
        if is_national and not org.is_national:
            org.is_national = True
        repo.add_key(org, prefix=new.prefix, digest=new.digest, scopes=list(chosen), now=now)
        national = org.is_national
        detail = {"partner": partner, "scopes": list(chosen), "is_national": national}
        record(session, _CLI, "key.create", f"key:{new.prefix}", detail)
    return CreatedKey(new.clear, new.prefix, partner, chosen, national)


def revoke_key(session: Session, prefix: str) -> None:
    with write_transaction(session):
        repo = KeyRepository(session)
        found = repo.with_partner(prefix)
        if found is None:
            raise NotFound(text("errors.keys.not_found", prefix=prefix))
        key, _ = found
        if key.revoked_at is None:
            repo.revoke(key, datetime.now(UTC))
            record(session, _CLI, "key.revoke", f"key:{prefix}")


def list_keys(session: Session) -> list[KeyInfo]:
    with session.begin():
        rows = KeyRepository(session).all_with_partner()
        return [
            KeyInfo(
                key.prefix,
                partner.name,
                tuple(key.scopes),
                partner.is_national,
                key.created_at,
                key.revoked_at,
            )
            for key, partner in rows
        ]


def authenticate(session: Session, presented: str) -> Principal:
    """The principal of a presented key; ``AuthenticationRequired`` if unknown or revoked."""
    prefix = key_prefix(presented)
    with session.begin():
        found = KeyRepository(session).with_partner(prefix) if prefix else None
        if found is None or found[0].revoked_at is not None:
            raise AuthenticationRequired(_BAD_KEY, headers=CHALLENGE)
        key, partner = found
        if not matches(presented, key.key_hash):
            raise AuthenticationRequired(_BAD_KEY, headers=CHALLENGE)
        return Principal(
            scopes=frozenset(key.scopes),
            partner_id=partner.id,
            partner_name=partner.name,
            key_prefix=key.prefix,
            is_national=partner.is_national,
        )
