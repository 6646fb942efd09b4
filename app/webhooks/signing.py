"""Signing deliveries the Standard Webhooks way (https://www.standardwebhooks.com/).

Each request carries ``webhook-id`` (the event's uid: the same on every retry and replay, so a
receiver can drop duplicates), ``webhook-timestamp`` (Unix seconds of this attempt) and
``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``{id}.{timestamp}.{body}`` keyed
with the secret's bytes (the base64 after ``whsec_``). The ``standardwebhooks`` package (the
spec's own reference library; MIT, no dependencies) computes it, so partners can verify with the
same library in their language, or with ``hmac`` in a few lines (README, Webhooks).
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # HMAC-SHA256's block-size-independent sweet spot: the digest's own length
USER_AGENT = "Hanaro-Webhooks/1"


def new_secret() -> str:
    """A fresh signing secret, ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def body_of(event_type: str, created_at: datetime, payload: dict[str, Any]) -> bytes:
    """The request body: the spec's envelope (``type``, ``timestamp`` of the event in UTC,
    ``data``); the same bytes on every try (SQLite hands back naive datetimes: UTC)."""
    at = created_at if created_at.tzinfo is not None else created_at.replace(tzinfo=UTC)
    stamp = at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    envelope = {"type": event_type, "timestamp": stamp, "data": payload}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signed_headers(secret: str, event_uid: str, sent_at: datetime, body: bytes) -> dict[str, str]:
    """The headers of one attempt: content type, user agent and the three webhook headers."""
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": event_uid,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_uid, sent_at, body),
    }
