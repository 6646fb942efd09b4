"""Encryption at rest for what must be read back: contact details of a case, webhook secrets.

Fernet (``cryptography``: AES-128-CBC with HMAC-SHA256, a timestamped token) with ``MultiFernet``
for rotation: ``HANARO_DATA_KEYS`` lists keys, the first encrypts and every one decrypts, so a new
key goes first and the old one stays until ``rotate`` has re-encrypted what it protected.

Outside production an empty setting means one key made on first use in ``data_dir/data.key``
(mode 0600), so ``make run`` needs no setup; production refuses to run without a configured key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.settings import Settings

__all__ = ["DataCipher", "InvalidToken", "MissingDataKey", "data_cipher"]


class MissingDataKey(RuntimeError):
    """Production without HANARO_DATA_KEYS: nothing may be stored that could not be read back."""


class DataCipher:
    """Encrypts text to a token and back; tokens carry their own key id through MultiFernet."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise MissingDataKey("no data key")
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        # keys of their own for digests, derived from the data keys (never Fernet's own)
        self._mac_keys = [
            hmac.new(key, b"hanaro/request-digest", hashlib.sha256).digest() for key in keys
        ]

    def digests(self, text: str) -> list[str]:
        """Keyed digests (HMAC-SHA256) of ``text``, under every configured key, the newest first:
        equal texts give equal digests, nobody without a key can test a guess against them, and
        a digest kept before a new key was put first is still recognised. For recognising a
        request that carries personal data (a retried create) without keeping it."""
        data = text.encode("utf-8")
        return [hmac.new(key, data, hashlib.sha256).hexdigest() for key in self._mac_keys]

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The clear text; ``InvalidToken`` when no configured key made it (or it was altered)."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def rotate(self, token: str) -> str:
        """The same text under the first (newest) key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")


def _local_key(data_dir: Path) -> bytes:
    path = data_dir / "data.key"
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def data_cipher(settings: Settings) -> DataCipher:
    """The cipher for ``settings``; raises ``MissingDataKey`` in production without keys."""
    keys = tuple(k.get_secret_value() for k in settings.data_keys)
    return _cipher(keys, settings.environment == "production", settings.data_dir.resolve())


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...], production: bool, data_dir: Path) -> DataCipher:
    if not keys:
        if production:
            raise MissingDataKey(
                "HANARO_DATA_KEYS is empty: production needs a Fernet key to encrypt data at rest"
            )
        return DataCipher([_local_key(data_dir)])
    return DataCipher([k.encode("ascii") for k in keys])
