"""API keys: shown once, stored as a digest, revocable, scopes checked; the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli import main
from app.db import models
from app.errors import AuthenticationRequired, InvalidRequest
from app.migrate import upgrade
from app.security import digest_key, key_prefix
from app.services.keys import authenticate, create_key, list_keys, revoke_key

KEY_SHAPE = re.compile(r"^hnr_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$")


def test_created_key_is_shown_once_and_stored_as_a_digest(db_session: Session) -> None:
    created = create_key(db_session, partner="Invented Org", scopes=["plans", "catalog:read"])
    assert KEY_SHAPE.match(created.clear)
    row = db_session.scalar(select(models.ApiKey).where(models.ApiKey.prefix == created.prefix))
    assert row is not None
    assert row.key_hash == digest_key(created.clear)
    assert created.clear.split("_", 2)[2] not in row.key_hash
    assert key_prefix(created.clear) == created.prefix


def test_authenticate_returns_the_partner_principal(db_session: Session) -> None:
    created = create_key(
        db_session, partner="Invented Org", scopes=["catalog:write"], is_national=True
    )
    principal = authenticate(db_session, created.clear)
    assert principal.partner_name == "Invented Org"
    assert principal.is_national
    assert principal.may("catalog:write") and not principal.may("audit:read")
    assert principal.actor == f"key:{created.prefix}"


def test_wrong_secret_malformed_and_revoked_keys_fail(db_session: Session) -> None:
    created = create_key(db_session, partner="Invented Org", scopes=["plans"])
    for presented in (created.clear + "x", "hnr_short_x", "Bearer nonsense", ""):
        with pytest.raises(AuthenticationRequired):
            authenticate(db_session, presented)
    revoke_key(db_session, created.prefix)
    with pytest.raises(AuthenticationRequired):
        authenticate(db_session, created.clear)
    [info] = [k for k in list_keys(db_session) if k.prefix == created.prefix]
    assert info.revoked_at is not None


def test_key_creation_and_revocation_are_audited(db_session: Session) -> None:
    created = create_key(db_session, partner="Invented Org", scopes=["plans"])
    revoke_key(db_session, created.prefix)
    with db_session.begin():
        rows = db_session.scalars(
            select(models.AuditEntry).where(models.AuditEntry.target == f"key:{created.prefix}")
        ).all()
        assert [(r.action, r.actor) for r in rows] == [
            ("key.create", "cli:keys"),
            ("key.revoke", "cli:keys"),
        ]
        assert created.clear not in str(rows[0].detail)


def test_unknown_scopes_are_refused(db_session: Session) -> None:
    with pytest.raises(InvalidRequest):
        create_key(db_session, partner="Invented Org", scopes=["catalog:delete"])
    with pytest.raises(InvalidRequest):
        create_key(db_session, partner="Invented Org", scopes=[])


def test_cli_creates_lists_and_revokes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    upgrade(url)
    monkeypatch.setenv("HANARO_DATABASE_URL", url)
    assert (
        main(["keys", "create", "--partner", "Invented City", "--scopes", "plans,audit:read"]) == 0
    )
    clear = capsys.readouterr().out.strip()
    assert KEY_SHAPE.match(clear)
    prefix = clear.split("_")[1]
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert prefix in listing and "plans,audit:read" in listing and clear not in listing
    assert main(["keys", "revoke", prefix]) == 0
    assert main(["keys", "revoke", "nosuchpf"]) == 1
    assert main(["keys", "create", "--partner", "X", "--scopes", "everything"]) == 1
