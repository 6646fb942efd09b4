"""API keys and the request principal.

A key looks like ``hnr_<prefix>_<secret>``: the 8-character prefix identifies the key (it is
stored, shown in lists and written to the audit log); the secret is ``secrets.token_urlsafe(32)``
and only its SHA-256 digest is stored. A plain digest is enough because the secret carries 256
random bits: there is nothing to brute-force offline, so a slow password hash would only cost
latency on every request. Digests are compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from typing import Literal, get_args

Scope = Literal[
    "plans",
    "catalog:read",
    "catalog:write",
    "audit:read",
    "screenings",
    "cases:read",
    "cases:write",
    "referrals:receive",
]
SCOPES: tuple[Scope, ...] = get_args(Scope)
ANONYMOUS_SCOPES: frozenset[str] = frozenset({"plans", "catalog:read"})
KEY_MARK = "hnr"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class NewKey:
    """A freshly generated key: ``clear`` is shown once and never stored."""

    clear: str
    prefix: str
    digest: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: a partner's key, or anonymous (kiosks, public portals)."""

    scopes: frozenset[str]
    partner_id: int | None = None
    partner_name: str | None = None
    key_prefix: str | None = None
    is_national: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.key_prefix is None

    @property
    def actor(self) -> str:
        """How the audit log names this caller: ``key:ab12cd34`` or ``anonymous``."""
        return "anonymous" if self.key_prefix is None else f"key:{self.key_prefix}"

    def may(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Principal(scopes=ANONYMOUS_SCOPES)


def generate_key() -> NewKey:
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    secret = secrets.token_urlsafe(32)
    clear = f"{KEY_MARK}_{prefix}_{secret}"
    return NewKey(clear=clear, prefix=prefix, digest=digest_key(clear))


def digest_key(clear: str) -> str:
    return hashlib.sha256(clear.encode("utf-8")).hexdigest()


def key_prefix(presented: str) -> str | None:
    """The prefix of a well-formed key, or None when it cannot be one of ours."""
    mark, _, rest = presented.partition("_")
    prefix, _, secret = rest.partition("_")
    if mark != KEY_MARK or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    if not all(c in _PREFIX_ALPHABET for c in prefix):
        return None
    return prefix


def matches(presented: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest_key(presented), stored_digest)
