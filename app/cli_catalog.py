"""``hanaro catalog load|validate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.settings import Settings


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    from app.catalog.loader import load_catalog, validate_catalog

    root = Path(args.root)
    problems = validate_catalog(root)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"catalog invalid: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    programs, parameters, documents = load_catalog(root)
    print(
        f"catalog valid: {len(programs)} programs, {len(parameters)} parameters, "
        f"{len(documents)} documents"
    )
    return 0


def _load(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.orm import Session

    from app.db.session import make_engine, write_transaction
    from app.errors import InvalidRule
    from app.services.catalog_admin import load_shipped_catalog

    engine = make_engine(
        settings.database_url, busy_timeout_seconds=settings.database_busy_timeout_seconds
    )
    try:
        with Session(engine) as session, write_transaction(session):
            report = load_shipped_catalog(session, actor="cli:catalog-load", root=Path(args.root))
    except InvalidRule as exc:
        print(exc.detail_in("en") or "catalog invalid", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"catalog loaded (revision {report.revision}): {report.programs_added} programs added, "
        f"{report.programs_changed} changed, {report.parameters_changed} parameters changed, "
        f"{report.documents_changed} documents changed, {report.kept_local} local edits kept"
    )
    return 0


def add_catalog_commands(sub: Any) -> None:
    from app.catalog.loader import DEFAULT_ROOT

    catalog = sub.add_parser("catalog", help="validate or load the program catalog")
    actions = catalog.add_subparsers(dest="action", required=True)
    for name, handler, text in (
        ("validate", _validate, "check every program, rule, parameter and document"),
        ("load", _load, "upsert the catalog into the database as new versions"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--root", default=str(DEFAULT_ROOT), help="catalog data folder")
        action.set_defaults(handler=handler)
