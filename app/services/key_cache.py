"""Keys this worker verified a moment ago, so that a keyed request needs no database round trip
(and keeps working for a while when the database is away).

- Only successful verifications are kept; an unknown, wrong or revoked key is asked about again
  every time (and still costs its sender's address a rate-limit hit).
- Entries are keyed by an HMAC-SHA-256 of the presented key under a random per-process secret:
  neither the clear key nor the digest stored in the database is held in memory.
- An entry lives ``ttl_seconds`` (``HANARO_KEY_CACHE_SECONDS``, 60 by default) from its
  verification and is then checked against the database again. **A revoked key therefore keeps
  working for at most that long** in a worker that verified it just before the revocation
  (``hanaro keys revoke`` runs in another process and cannot reach the workers' memory).
- At most ``max_entries`` keys are kept; the least recently used goes first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from app.security import Principal


class KeyCache:
    def __init__(
        self,
        ttl_seconds: float = 60.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._entries: OrderedDict[bytes, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()

    def _slot(self, presented: str) -> bytes:
        return hmac.new(self._secret, presented.encode("utf-8"), hashlib.sha256).digest()

    def get(self, presented: str) -> Principal | None:
        """The principal of ``presented`` if it was verified less than ``ttl_seconds`` ago."""
        if self.ttl_seconds <= 0:
            return None
        slot = self._slot(presented)
        with self._lock:
            found = self._entries.get(slot)
            if found is None:
                return None
            verified_at, principal = found
            if self._clock() - verified_at >= self.ttl_seconds:
                del self._entries[slot]
                return None
            self._entries.move_to_end(slot)
            return principal

    def put(self, presented: str, principal: Principal) -> None:
        """Remember a successful verification, made now."""
        if self.ttl_seconds <= 0 or principal.is_anonymous:
            return
        slot = self._slot(presented)
        with self._lock:
            self._entries[slot] = (self._clock(), principal)
            self._entries.move_to_end(slot)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, key_prefix: str) -> None:
        """Drop a key revoked through this worker (its prefix is all the caller knows)."""
        with self._lock:
            for slot in [s for s, (_, p) in self._entries.items() if p.key_prefix == key_prefix]:
                del self._entries[slot]

    def __len__(self) -> int:
        return len(self._entries)
