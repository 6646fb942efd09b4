"""``Idempotency-Key`` on creates: a retried POST with the same key and the same body gets the
first answer again (same status, same body) instead of creating twice; the same key with another
body is refused (422). Keys live in the database, per caller, for ``idempotency_key_ttl_hours``;
expired ones are purged by the next keyed create.

Only successful answers are kept: a request that failed leaves no trace, so its retry runs again.

A create that carries personal data (a case, a referral) keeps neither its body nor a plain hash
of it: the request is recognised by a keyed digest (``DataCipher.digests``), and the stored answer
is only the id made (``claim_made``, ``remember_made``); a retry answers with what that id holds
now.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.crypto import DataCipher
from app.db.repositories.idempotency import IdempotencyRepository
from app.db.session import write_transaction
from app.errors import ErrorItem, IdempotencyKeyReused, text


@dataclass(frozen=True)
class IdempotencyKey:
    """A caller's key for one create and how long to keep its answer."""

    owner: str
    key: str
    ttl: timedelta


@dataclass(frozen=True)
class Answer:
    """A stored answer: the status and JSON body first sent."""

    status: int
    body: dict[str, Any]


def fingerprint(action: str, payload: Any) -> str:
    """sha256 of the canonical JSON of what the request asks (``payload`` is JSON-ready)."""
    return hashlib.sha256(_canonical(action, payload).encode()).hexdigest()


def _canonical(action: str, payload: Any) -> str:
    return json.dumps([action, payload], sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def claim(
    session: Session, once: IdempotencyKey, request_hash: str, also: Collection[str] = ()
) -> Answer | None:
    """In the create's write transaction: the answer to replay if ``once`` was used for this same
    request (its hash ``request_hash``, or one of ``also``); ``IdempotencyKeyReused`` if for
    another; else ``None``, with the key reserved until the transaction ends (a concurrent retry
    waits for it, then replays)."""
    repo = IdempotencyRepository(session)
    now = datetime.now(UTC)
    repo.purge(now)
    found = repo.find(once.owner, once.key) or repo.reserve(
        owner=once.owner,
        key=once.key,
        request_hash=request_hash,
        now=now,
        expires_at=now + once.ttl,
    )
    if found is None:
        return None
    if found.request_hash != request_hash and found.request_hash not in also:
        raise IdempotencyKeyReused(_REUSED, errors=[_HEADER])
    return Answer(found.status, found.response)


def claim_made(
    session: Session, once: IdempotencyKey, cipher: DataCipher, action: str, payload: Any
) -> int | None:
    """``claim`` for a create that carries personal data: the id the first request made, to
    answer with again, or ``None`` (the key is reserved: ``remember_made`` once made). The request
    is recognised by a keyed digest, so the table cannot be tested against guesses; under any
    configured data key, so a retry across a key rotation is still recognised."""
    newest, *older = cipher.digests(_canonical(action, payload))
    first = claim(session, once, newest, older)
    return None if first is None else int(first.body["id"])


def remember_made(session: Session, once: IdempotencyKey, made: int) -> None:
    """Store the id a claimed create made (``claim_made``), and nothing else of its answer."""
    remember(session, once, Answer(201, {"id": made}))


def remember(session: Session, once: IdempotencyKey, answer: Answer) -> None:
    """Store the answer of a claimed key, in the transaction that claimed it."""
    IdempotencyRepository(session).complete(once.owner, once.key, answer.status, answer.body)


def amend(session: Session, once: IdempotencyKey, answer: Answer) -> None:
    """Store the final answer after the create committed (parts known only then)."""
    with write_transaction(session):
        remember(session, once, answer)


_HEADER: ErrorItem = {
    "parameter": "Idempotency-Key",
    "detail": text("errors.idempotency_key_reused.field"),
}
_REUSED = text("errors.idempotency_key_reused.detail")
