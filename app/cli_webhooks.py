"""``hanaro webhooks deliver [--once]``: deliver the outbox's due webhook events;
``hanaro webhooks purge [--before DATE]``: delete settled events past their retention.

Without ``--once`` it runs the workers' dispatcher loop (``app.webhooks.worker``) until
interrupted (Ctrl-C, SIGTERM), looking for due events every ``webhook_poll_seconds`` (at least one
second here, even when the workers' own dispatcher is off); several may run beside the workers'
dispatchers. ``--once`` delivers what is due now and exits: 0, printing how many tries it made.

``purge`` (run it from cron, daily) deletes events delivered, given up or skipped before
``--before`` (default: ``HANARO_WEBHOOK_RETENTION_DAYS`` ago), never one still to be sent or
retried (``app.webhooks.retention``); audited as ``webhook.purge``.
"""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import UTC, date, datetime
from typing import Any

from app.settings import Settings


def _deliver(args: argparse.Namespace, settings: Settings) -> int:
    from app.crypto import data_cipher
    from app.db.session import make_engine, make_sessionmaker
    from app.webhooks.dispatcher import Dispatcher
    from app.webhooks.worker import DispatcherThread

    engine = make_engine(
        settings.database_url, busy_timeout_seconds=settings.database_busy_timeout_seconds
    )
    sessions = make_sessionmaker(engine)
    try:
        if args.once:
            dispatcher = Dispatcher(sessions, data_cipher(settings), settings)
            try:
                print(f"{dispatcher.deliver_due(args.limit)} tries")
            finally:
                dispatcher.close()
            return 0
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        poll = max(1.0, settings.webhook_poll_seconds)
        cipher = data_cipher(settings)
        thread = DispatcherThread(lambda: Dispatcher(sessions, cipher, settings), poll)
        thread.start()
        stop.wait()
        thread.stop()
        return 0
    finally:
        engine.dispose()


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from app.db.session import make_engine, make_sessionmaker
    from app.security import ANONYMOUS
    from app.services.audit import AuditContext
    from app.webhooks.retention import default_purge_date, purge_settled

    before: date = args.before or default_purge_date(
        datetime.now(UTC), settings.webhook_retention_days
    )
    ctx = AuditContext(ANONYMOUS, None, None, actor="cli:webhooks")
    engine = make_engine(
        settings.database_url, busy_timeout_seconds=settings.database_busy_timeout_seconds
    )
    try:
        purged = purge_settled(make_sessionmaker(engine), ctx, before)
    finally:
        engine.dispose()
    print(
        f"purged {sum(purged.values())} webhook event(s) settled before {before.isoformat()}: "
        f"{purged['delivered']} delivered, {purged['given_up']} given up, "
        f"{purged['skipped']} skipped"
    )
    return 0


def add_webhooks_commands(sub: Any) -> None:
    webhooks = sub.add_parser("webhooks", help="deliver webhook events to agencies; purge")
    actions = webhooks.add_subparsers(dest="action", required=True)
    deliver = actions.add_parser("deliver", help="deliver due outbox events (at least once)")
    deliver.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    deliver.add_argument(
        "--limit", type=int, default=1000, help="with --once: at most this many tries"
    )
    deliver.set_defaults(handler=_deliver)
    purge = actions.add_parser(
        "purge",
        help="delete delivered, given-up and skipped events past HANARO_WEBHOOK_RETENTION_DAYS"
        " (never pending ones; audited)",
    )
    purge.add_argument(
        "--before",
        type=date.fromisoformat,
        default=None,
        help="delete events settled before this date (YYYY-MM-DD, 00:00 UTC); default:"
        " HANARO_WEBHOOK_RETENTION_DAYS (default 30) days ago",
    )
    purge.set_defaults(handler=_purge)
