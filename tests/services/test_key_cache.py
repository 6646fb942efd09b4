"""The verified-key cache: successful verifications only, for the TTL, bounded, never the key."""

from __future__ import annotations

from app.security import Principal
from app.services.key_cache import KeyCache

KEY = "hnr_abcd1234_invented-secret-value"
PRINCIPAL = Principal(scopes=frozenset({"plans"}), partner_id=1, key_prefix="abcd1234")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_verified_key_is_trusted_for_the_ttl_then_asked_again() -> None:
    clock = Clock()
    cache = KeyCache(ttl_seconds=60, clock=clock)
    assert cache.get(KEY) is None
    cache.put(KEY, PRINCIPAL)
    clock.now = 59.9
    assert cache.get(KEY) == PRINCIPAL
    assert cache.get(KEY + "x") is None
    clock.now = 60.0  # a key revoked meanwhile stops working here at the latest
    assert cache.get(KEY) is None
    assert len(cache) == 0


def test_the_cache_is_bounded_and_holds_no_clear_key() -> None:
    cache = KeyCache(ttl_seconds=60, max_entries=2)
    keys = [f"hnr_abcd123{n}_secret-{n}" for n in range(3)]
    for key in keys:
        cache.put(key, PRINCIPAL)
    assert len(cache) == 2
    assert cache.get(keys[0]) is None and cache.get(keys[2]) == PRINCIPAL
    assert not any(KEY in repr(slot) or "secret" in repr(slot) for slot in cache._entries)


def test_forget_and_a_zero_ttl_disable_it() -> None:
    cache = KeyCache(ttl_seconds=60)
    cache.put(KEY, PRINCIPAL)
    cache.forget("abcd1234")
    assert cache.get(KEY) is None
    off = KeyCache(ttl_seconds=0)
    off.put(KEY, PRINCIPAL)
    assert off.get(KEY) is None
