"""Rate-limit counters: one atomic upsert per request, shared by every worker."""

from __future__ import annotations

from sqlalchemy import Insert, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import models
from app.db.base import Base

_Counter = models.RateLimitCounter
_TABLE = Base.metadata.tables[_Counter.__tablename__]


def _upsert(insert: postgresql.Insert | sqlite.Insert) -> Insert:
    """``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` on the table (not the ORM class: an ORM
    insert goes through the ORM's bulk machinery) with bound parameters, built once per dialect:
    it runs on every limited request, and building and compiling it cost more than running it."""
    columns = _TABLE.c
    return (
        insert.values(bucket=bindparam("bucket"), window_start=bindparam("window_start"), hits=1)
        .on_conflict_do_update(
            index_elements=[columns.bucket, columns.window_start],
            set_={"hits": columns.hits + 1},
        )
        .returning(columns.hits)
    )


_UPSERTS = {
    "postgresql": _upsert(postgresql.insert(_TABLE)),
    "sqlite": _upsert(sqlite.insert(_TABLE)),
}


class RateLimitRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def hit(self, bucket: str, window_start: int) -> int:
        """Add one hit to ``bucket`` in the window and return the window's total so far.

        ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` is one statement on PostgreSQL and
        SQLite (3.35+): concurrent workers never lose an increment.
        """
        dialect = self.session.get_bind().dialect.name
        statement = _UPSERTS["postgresql" if dialect == "postgresql" else "sqlite"]
        parameters = {"bucket": bucket, "window_start": window_start}
        hits: int = self.session.execute(statement, parameters).scalar_one()
        return hits

    def forget_before(self, window_start: int) -> None:
        """Drop the counters of windows that started before ``window_start``."""
        self.session.execute(delete(_Counter).where(_Counter.window_start < window_start))
