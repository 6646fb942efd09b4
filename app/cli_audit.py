"""``hanaro audit purge [--before DATE]``: delete audit entries past the 2-year retention."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from typing import Any

from app.settings import Settings


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.orm import Session

    from app.db.session import make_engine
    from app.errors import RetentionNotOver
    from app.security import ANONYMOUS
    from app.services.audit import AuditContext, default_purge_date, purge

    now = datetime.now(UTC)
    before: date = args.before or default_purge_date(now)
    ctx = AuditContext(ANONYMOUS, None, None, actor="cli:audit")
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            purged = purge(session, ctx, before, now)
    except RetentionNotOver as exc:
        print(exc.detail_in("en") or exc.slug, file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"purged {purged} audit entries from before {before.isoformat()}")
    return 0


def add_audit_commands(sub: Any) -> None:
    audit = sub.add_parser("audit", help="audit log maintenance")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    purge = commands.add_parser(
        "purge", help="delete entries older than the 2-year retention (never younger ones)"
    )
    purge.add_argument(
        "--before",
        type=date.fromisoformat,
        default=None,
        help="delete entries before this date (YYYY-MM-DD, 00:00 UTC); default: 2 years ago."
        " A date less than 2 years ago is refused.",
    )
    purge.set_defaults(handler=_purge)
