"""``hanaro cases purge|rescreen``, ``hanaro agencies set``, ``hanaro staff add|deactivate``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from app.settings import Settings

AGENCY_TYPES = (
    "customized_welfare_team", "hope_welfare_support_team", "community_welfare_center",
    "mental_health_center", "employment_center", "public_health_center",
    "social_service_agency", "community_security_council", "other",
)  # fmt: skip


def _session(settings: Settings) -> Any:
    from sqlalchemy.orm import Session

    from app.db.session import make_engine

    return Session(
        make_engine(
            settings.database_url, busy_timeout_seconds=settings.database_busy_timeout_seconds
        )
    )


def _today(args: argparse.Namespace) -> date:
    from app.clock import today_in_seoul

    return args.today or today_in_seoul()


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from app.services.case_purge import purge_expired

    with _session(settings) as session:
        purged = purge_expired(session, _today(args))
    print(f"purged {len(purged)} case(s) past their retention period: {purged}")
    return 0


def _rescreen(args: argparse.Namespace, settings: Settings) -> int:
    from app.crypto import data_cipher
    from app.services.case_plans import rescreen_due
    from app.services.catalog import load_snapshot

    with _session(settings) as session:
        with session.begin():
            snapshot = load_snapshot(session)
        report = rescreen_due(session, data_cipher(settings), snapshot, _today(args))
    print(
        f"re-screened {len(report.replanned)} case(s) {report.replanned}, "
        f"{report.tasks_created} follow-up task(s); skipped {report.skipped}"
    )
    return 0


def _agency(args: argparse.Namespace, settings: Settings) -> int:
    from app.errors import HanaroError
    from app.services.agencies import set_agency

    with _session(settings) as session:
        try:
            agency = set_agency(session, args.partner, kind=args.kind, agency_type=args.type)
        except HanaroError as exc:
            print(exc.detail_in("en") or exc.slug, file=sys.stderr)
            return 1
    print(f"agency {agency.id} {agency.name}: {agency.kind}, {agency.agency_type}")
    return 0


def _staff_add(args: argparse.Namespace, settings: Settings) -> int:
    from app.errors import HanaroError
    from app.services.agencies import add_staff

    with _session(settings) as session:
        try:
            add_staff(session, args.partner, args.code)
        except HanaroError as exc:
            print(exc.detail_in("en") or exc.slug, file=sys.stderr)
            return 1
    print(f"staff {args.code} of {args.partner} may act (Hanaro-Staff: {args.code})")
    return 0


def _staff_off(args: argparse.Namespace, settings: Settings) -> int:
    from app.errors import HanaroError
    from app.services.agencies import deactivate_staff

    with _session(settings) as session:
        try:
            deactivate_staff(session, args.partner, args.code)
        except HanaroError as exc:
            print(exc.detail_in("en") or exc.slug, file=sys.stderr)
            return 1
    print(f"staff {args.code} of {args.partner} deactivated")
    return 0


def add_cases_commands(sub: Any) -> None:
    cases = sub.add_parser("cases", help="case maintenance: purge (파기) and re-screening")
    commands = cases.add_subparsers(dest="cases_command", required=True)
    for name, handler, text in (
        ("purge", _purge, "purge cases whose retention period is over (audited)"),
        ("rescreen", _rescreen, "re-plan open cases: catalog changed or a dated event came"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--today", type=date.fromisoformat, default=None)
        command.set_defaults(handler=handler)

    agencies = sub.add_parser("agencies", help="partner agencies in case work")
    agency_commands = agencies.add_subparsers(dest="agencies_command", required=True)
    set_ = agency_commands.add_parser("set", help="give a partner an agency kind and type")
    set_.add_argument("partner")
    set_.add_argument("--kind", choices=("public", "private"), required=True)
    set_.add_argument("--type", choices=AGENCY_TYPES, required=True)
    set_.set_defaults(handler=_agency)

    staff = sub.add_parser("staff", help="staff codes of an agency (the Hanaro-Staff header)")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    for name, handler in (("add", _staff_add), ("deactivate", _staff_off)):
        command = staff_commands.add_parser(name)
        command.add_argument("partner")
        command.add_argument("code")
        command.set_defaults(handler=handler)
