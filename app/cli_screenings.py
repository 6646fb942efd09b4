"""``hanaro screenings purge``: delete the files of screening jobs past their retention
(``HANARO_SCREENING_RETENTION_DAYS`` after they ended); each job stays as a ``purged`` record.
Workers run the same purge every ``HANARO_SCREENING_PURGE_SECONDS``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from app.settings import Settings


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.orm import Session

    from app.db.session import make_engine
    from app.security import ANONYMOUS
    from app.services.audit import AuditContext
    from app.services.screening_jobs import purge_expired

    ctx = AuditContext(ANONYMOUS, None, None, actor="cli:screenings")
    engine = make_engine(settings.database_url)
    try:
        purged = purge_expired(lambda: Session(engine), ctx, settings.data_dir, datetime.now(UTC))
    finally:
        engine.dispose()
    print(f"purged the files of {purged} screening job(s)")
    return 0


def add_screenings_commands(sub: Any) -> None:
    screenings = sub.add_parser("screenings", help="screening jobs of the API (#14)")
    commands = screenings.add_subparsers(dest="screenings_command", required=True)
    purge = commands.add_parser(
        "purge", help="delete the files of jobs past HANARO_SCREENING_RETENTION_DAYS"
    )
    purge.set_defaults(handler=_purge)
