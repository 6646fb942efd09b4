"""``hanaro`` command line: serve, migrate, catalog load|validate, keys create|revoke, audit purge,
openapi, screen, screenings purge, webhooks deliver|purge."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.settings import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from app.migrate import upgrade

    url = settings.migration_database_url or settings.database_url
    _ensure_sqlite_dir(url)
    upgrade(url, args.revision)
    print(f"database migrated to {args.revision}")
    return 0


def _ensure_sqlite_dir(url: str) -> None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _openapi(args: argparse.Namespace, settings: Settings) -> int:
    from app.main import create_app

    spec = create_app(settings).openapi()
    text = json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hanaro", description="Hanaro service-matching API")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=_serve)

    migrate = sub.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(handler=_migrate)

    openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi.add_argument("--output", default="openapi/openapi.json")
    openapi.set_defaults(handler=_openapi)

    from app.cli_catalog import add_catalog_commands

    add_catalog_commands(sub)

    from app.cli_keys import add_keys_commands

    add_keys_commands(sub)

    from app.cli_audit import add_audit_commands

    add_audit_commands(sub)

    from app.cli_screen import add_screen_command

    add_screen_command(sub)

    from app.cli_webhooks import add_webhooks_commands

    add_webhooks_commands(sub)
    from app.cli_screenings import add_screenings_commands

    add_screenings_commands(sub)
    from app.cli_cases import add_cases_commands

    add_cases_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings()
    code: int = args.handler(args, settings)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
