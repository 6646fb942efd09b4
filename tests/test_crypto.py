"""Encryption at rest (app.crypto): round trip, rotation, tamper detection, production refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.crypto import InvalidToken, MissingDataKey, data_cipher
from app.settings import Settings


def test_a_token_reads_back_and_does_not_contain_the_text(tmp_path: Path) -> None:
    cipher = data_cipher(Settings(data_keys=[Fernet.generate_key().decode()], data_dir=tmp_path))
    token = cipher.encrypt("010-1234-5678 대구 중구")
    assert "010-1234-5678" not in token and "대구" not in token
    assert cipher.decrypt(token) == "010-1234-5678 대구 중구"


def test_rotation_old_tokens_read_with_the_new_key_first(tmp_path: Path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = data_cipher(Settings(data_keys=[old], data_dir=tmp_path)).encrypt("연락처")
    both = data_cipher(Settings(data_keys=[new, old], data_dir=tmp_path))
    assert both.decrypt(token) == "연락처"
    rotated = both.rotate(token)
    only_new = data_cipher(Settings(data_keys=[new], data_dir=tmp_path))
    assert only_new.decrypt(rotated) == "연락처"
    with pytest.raises(InvalidToken):
        only_new.decrypt(token)


def test_an_altered_token_is_refused(tmp_path: Path) -> None:
    cipher = data_cipher(Settings(data_keys=[Fernet.generate_key().decode()], data_dir=tmp_path))
    token = cipher.encrypt("secret")
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(InvalidToken):
        cipher.decrypt(altered)


def test_development_makes_one_private_key_file_and_reuses_it(tmp_path: Path) -> None:
    token = data_cipher(Settings(data_dir=tmp_path)).encrypt("x")
    key_file = tmp_path / "data.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Fernet(key_file.read_bytes()).decrypt(token.encode()) == b"x"


def test_production_without_a_key_refuses(tmp_path: Path) -> None:
    with pytest.raises(MissingDataKey):
        data_cipher(Settings(environment="production", data_dir=tmp_path))
    assert not (tmp_path / "data.key").exists()


def test_the_service_does_not_start_in_production_without_a_key(tmp_path: Path) -> None:
    from app.main import create_app

    with pytest.raises(MissingDataKey):
        create_app(Settings(environment="production", data_dir=tmp_path))
