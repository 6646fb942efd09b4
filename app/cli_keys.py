"""``hanaro keys create|revoke|list``: partner API keys. The clear key is printed once."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.settings import Settings


def _session(settings: Settings) -> Any:
    from sqlalchemy.orm import Session

    from app.db.session import make_engine

    return Session(
        make_engine(
            settings.database_url, busy_timeout_seconds=settings.database_busy_timeout_seconds
        )
    )


def _create(args: argparse.Namespace, settings: Settings) -> int:
    from app.errors import HanaroError
    from app.services.keys import create_key

    with _session(settings) as session:
        try:
            created = create_key(
                session,
                partner=args.partner,
                scopes=args.scopes.split(","),
                is_national=args.national,
            )
        except HanaroError as exc:
            print(exc.detail_in("en") or exc.slug, file=sys.stderr)
            return 1
    print(created.clear)
    scope = "national" if created.is_national else "regional"
    print(
        f"key {created.prefix} for {created.partner} ({scope}), scopes {','.join(created.scopes)}."
        " Store it now: it is not shown again.",
        file=sys.stderr,
    )
    return 0


def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    from app.errors import NotFound
    from app.services.keys import revoke_key

    with _session(settings) as session:
        try:
            revoke_key(session, args.prefix)
        except NotFound:
            print(f"no key with prefix {args.prefix}", file=sys.stderr)
            return 1
    print(f"key {args.prefix} revoked")
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from app.services.keys import list_keys

    with _session(settings) as session:
        keys = list_keys(session)
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        national = "national" if key.is_national else "regional"
        print(f"{key.prefix}\t{key.partner}\t{national}\t{','.join(key.scopes)}\t{state}")
    return 0


def add_keys_commands(sub: Any) -> None:
    keys = sub.add_parser("keys", help="create, revoke or list partner API keys")
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key (printed once) for a partner")
    create.add_argument("--partner", required=True, help="partner organization name")
    create.add_argument(
        "--scopes",
        required=True,
        help="comma-separated: plans,catalog:read,catalog:write,audit:read",
    )
    create.add_argument(
        "--national", action="store_true", help="the partner may edit national programs"
    )
    create.set_defaults(handler=_create)
    revoke = actions.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix")
    revoke.set_defaults(handler=_revoke)
    listing = actions.add_parser("list", help="list keys (prefixes only)")
    listing.set_defaults(handler=_list)
