"""Rate-limit counters: one atomic upsert per request, shared by every worker."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import models

_Counter = models.RateLimitCounter


class RateLimitRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def hit(self, bucket: str, window_start: int) -> int:
        """Add one hit to ``bucket`` in the window and return the window's total so far.

        ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` is one statement on PostgreSQL and
        SQLite (3.35+): concurrent workers never lose an increment.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(_Counter)
            .values(bucket=bucket, window_start=window_start, hits=1)
            .on_conflict_do_update(
                index_elements=[_Counter.bucket, _Counter.window_start],
                set_={"hits": _Counter.hits + 1},
            )
            .returning(_Counter.hits)
        )
        hits: int = self.session.execute(statement).scalar_one()
        return hits

    def forget_before(self, window_start: int) -> None:
        """Drop the counters of windows that started before ``window_start``."""
        self.session.execute(delete(_Counter).where(_Counter.window_start < window_start))
