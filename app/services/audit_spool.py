"""The durable local buffer of the audit log: where an audit entry goes when the database cannot
take it, and from where it moves into ``audit_log`` once the database is back.

- One append-only file of JSON lines, ``<data_dir>/audit-spool.jsonl``, shared by the workers of
  one machine. Every append and every drain holds an exclusive ``flock`` on it; an append is
  written and ``fsync``'d before the request goes on, so an entry the service relied on survives
  a crash of the worker or of the machine.
- A drain waits for the database at most ``DRAIN_WAIT_MS`` (then it is tried again later): it
  holds the lock meanwhile, and a request appending its entry because the database is slow
  must not wait on the slow database after all.
- Each line carries a unique ``entry_uid`` (unique in ``audit_log`` too). A drain inserts the
  lines whose uid is not in the table yet, commits, and only then empties the file: a crash
  between the two leaves lines that the next drain finds already inserted and skips. Nothing is
  lost and nothing is inserted twice.
- A line that cannot be parsed (a write torn by a crash before its fsync, so never relied on) is
  kept aside in ``audit-spool.rejected.jsonl`` rather than dropped silently.
- Lines hold what an audit entry holds: actor, partner, address, action, route, request id. Never
  profile values; nor does anything here log a line's content.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import models
from app.db.session import write_transaction

SPOOL_NAME = "audit-spool.jsonl"
REJECTED_NAME = "audit-spool.rejected.jsonl"
_FIELDS = ("actor", "partner_id", "client_address", "action", "target", "request_id", "detail")
_CHUNK = 500
DRAIN_WAIT_MS = 500
log = logging.getLogger("hanaro.audit")


def new_uid() -> str:
    return uuid.uuid4().hex


class AuditSpool:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / SPOOL_NAME

    def pending(self) -> bool:
        """True when entries wait in the spool (cheap: one stat)."""
        try:
            return self.path.stat().st_size > 0
        except FileNotFoundError:
            return False

    @contextmanager
    def _locked(self) -> Iterator[IO[str]]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def append(self, entry: models.AuditEntry) -> str:
        """Keep ``entry`` on disk (fsync'd); its ``entry_uid`` is set if it had none."""
        entry.entry_uid = entry.entry_uid or new_uid()
        line = {
            "entry_uid": entry.entry_uid,
            "occurred_at": entry.occurred_at.isoformat(),
            **{name: getattr(entry, name) for name in _FIELDS},
        }
        data = json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._locked() as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return entry.entry_uid

    def entries(self) -> list[dict[str, Any]]:
        """What the spool holds now (tests and operators)."""
        if not self.pending():
            return []
        with self._locked() as handle:
            handle.seek(0)
            return [json.loads(line) for line in handle if line.strip()]

    def drain(self, session: Session) -> int:
        """Move the spool into ``audit_log``; the number of entries inserted. Raises the
        database's error (and keeps the spool) when it cannot take them."""
        if not self.pending():
            return 0
        with self._locked() as handle:
            handle.seek(0)
            lines = [line for line in handle.read().splitlines() if line.strip()]
            if not lines:
                return 0
            rows, torn = _parse(lines)
            inserted = _insert_missing(session, rows)
            if torn:
                self._keep_aside(torn)
            handle.truncate(0)
            handle.flush()
            os.fsync(handle.fileno())
        if inserted:
            log.info("audit spool drained: %d entries", inserted)
        return inserted

    def _keep_aside(self, lines: list[str]) -> None:
        log.error("audit spool: %d unreadable lines kept in %s", len(lines), REJECTED_NAME)
        with open(self.directory / REJECTED_NAME, "a", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
            out.flush()
            os.fsync(out.fileno())


def _parse(lines: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    torn: list[str] = []
    for line in lines:
        try:
            row = json.loads(line)
            row["occurred_at"] = datetime.fromisoformat(row["occurred_at"])
            if not isinstance(row.get("entry_uid"), str):
                raise ValueError("no entry_uid")
        except (ValueError, KeyError, TypeError):
            torn.append(line)
            continue
        rows.append(row)
    return rows, torn


def _insert_missing(session: Session, rows: list[dict[str, Any]]) -> int:
    by_uid = {row["entry_uid"]: row for row in rows}  # a line appended twice counts once
    uids = list(by_uid)
    with write_transaction(session, wait_ms=DRAIN_WAIT_MS):
        present: set[str | None] = set()
        for start in range(0, len(uids), _CHUNK):
            chunk = uids[start : start + _CHUNK]
            column = models.AuditEntry.entry_uid
            present.update(session.scalars(select(column).where(column.in_(chunk))))
        missing = [row for uid, row in by_uid.items() if uid not in present]
        session.add_all(
            models.AuditEntry(
                entry_uid=row["entry_uid"],
                occurred_at=row["occurred_at"],
                **{name: row.get(name) for name in _FIELDS if name != "detail"},
                detail=row.get("detail") or {},
            )
            for row in missing
        )
        session.flush()
    return len(missing)
