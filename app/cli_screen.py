"""``hanaro screen INPUT --out OUTPUT``: outreach screening of a population (#14).

INPUT is a folder with ``households.<ext>`` and ``persons.<ext>`` or those two files, in
Parquet, CSV or JSON Lines (``app.screening.files``). The output (``app.screening.output``) is
written as Parquet or CSV by OUTPUT's extension, the aggregate likewise with ``--aggregate``.
The pipeline is ``app.screening.run.run_screening`` (the API's screening jobs run it too);
progress goes to stderr one stage a line. Exit 2: refused input (the problems name columns,
never values) or bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from app.settings import Settings


class Progress:
    """``[2/7] verdicts ... 0.4s`` on stderr, one line per stage (``app.screening.run.Stage``)."""

    @contextmanager
    def __call__(self, index: int, total: int, text: str) -> Iterator[None]:
        print(f"[{index}/{total}] {text} ...", end="", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            print(" failed", file=sys.stderr, flush=True)
            raise
        print(f" {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)


def _screen(args: argparse.Namespace, settings: Settings) -> int:
    if args.engine == "spark":  # Apache Spark, local mode (the optional extra [spark])
        from app.screening.spark import screen_command

        return screen_command(args, settings)
    from app.screening.files import InputProblems
    from app.screening.run import RunRequest, output_format, run_screening

    try:
        output_format(args.out)
        if args.aggregate is not None:
            output_format(args.aggregate)
        if args.min_cell < 1:
            raise ValueError("--min-cell must be at least 1")
    except ValueError as problem:
        print(f"hanaro screen: {problem}", file=sys.stderr)
        return 2
    url = args.database_url or settings.database_url
    if args.engine == "postgres" and not url.startswith("postgresql"):
        print(
            "hanaro screen: --engine postgres needs --database-url or HANARO_DATABASE_URL "
            "naming PostgreSQL",
            file=sys.stderr,
        )
        return 2
    request = RunRequest(
        inputs=tuple(args.input),
        out=args.out,
        aggregate=args.aggregate,
        engine=args.engine,
        as_of=args.as_of or date.today(),
        min_cell=args.min_cell,
        database_url=url if args.engine == "postgres" else None,
    )
    try:
        done = run_screening(request, stage=Progress())
    except InputProblems as refused:
        print("hanaro screen: input refused:", file=sys.stderr)
        for line in refused.problems:
            print(f"  {line}", file=sys.stderr)
        return 2
    print(
        f"screened {done.households:,} households ({done.persons:,} persons) on "
        f"{done.as_of.isoformat()}: {done.programs} programs ({done.not_compiled} not compiled "
        "yet)",
        file=sys.stderr,
    )
    return 0


def add_screen_command(sub: Any) -> None:
    screen = sub.add_parser(
        "screen",
        help="outreach screening: who may qualify for what they do not receive (#14)",
        description=(
            "Screen a population: per household the programs it likely (or possibly) "
            "qualifies for and does not receive, ranked, with value and the facts a visit "
            "must confirm; optionally an aggregate by area with small cells suppressed."
        ),
    )
    screen.add_argument(
        "input",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="a folder with households.<ext> and persons.<ext>, or those two files in that "
        "order (.parquet, .csv, .jsonl)",
    )
    screen.add_argument("--out", required=True, type=Path, help="output .parquet or .csv")
    screen.add_argument("--engine", choices=("duckdb", "postgres", "spark"), default="duckdb")
    screen.add_argument(
        "--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
    )
    screen.add_argument(
        "--aggregate", type=Path, default=None, help="area x program counts (.parquet or .csv)"
    )
    screen.add_argument(
        "--min-cell", type=int, default=5, help="hide aggregate counts under this (default 5)"
    )
    screen.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL for --engine postgres (default: HANARO_DATABASE_URL)",
    )
    screen.set_defaults(handler=_screen)
