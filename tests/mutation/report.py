"""Mutation score of the engine, per module, with the equivalent mutants taken out.

Run after ``mutmut run`` (``make mutation`` does both)::

    .venv/bin/python -m tests.mutation.report [--survivors]

A mutant is *killed* when a test failed (or it timed out, or mypy rejected it); *survived* when
every test passed; *no tests* when no test reaches its code (counted as survived: nothing would
notice). ``tests/mutation/equivalent*.txt`` list the survivors that cannot change behaviour, one
per line as ``<mutant name>  # <reason>``; they leave the score. A listed name that no longer
survives is reported as stale, so the lists cannot hide a mutant that a test now sees.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent
KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "no tests"}


def read_results(mutmut: str) -> dict[str, str]:
    out = subprocess.run(
        [mutmut, "results", "--all", "true"], check=True, capture_output=True, text=True
    ).stdout
    results: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            results[name] = status
    return results


def read_equivalent(folder: Path = HERE) -> dict[str, str]:
    listed: dict[str, str] = {}
    for path in sorted(folder.glob("equivalent*.txt")):
        listed.update(_read_list(path))
    return listed


def _read_list(path: Path) -> dict[str, str]:
    listed: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition("#")
        if not reason.strip():
            raise SystemExit(f"{path.name}: {name.strip()} has no reason")
        listed[name.strip()] = reason.strip()
    return listed


def module_of(name: str) -> str:
    """``app.matching.compare.x__ge__mutmut_3`` -> ``compare``."""
    return name.split(".")[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutmut", default=str(Path(sys.executable).with_name("mutmut")))
    parser.add_argument("--survivors", action="store_true", help="list every survivor")
    args = parser.parse_args(argv)
    results = read_results(args.mutmut)
    equivalent = read_equivalent()
    # a listed mutant that a test now kills, or that no longer exists (a partial run leaves the
    # others "not checked": those say nothing either way)
    stale = sorted(n for n in equivalent if results.get(n, "gone") in KILLED | {"gone"})
    table: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for name, status in sorted(results.items()):
        row = table[module_of(name)]
        if status in SURVIVED and name in equivalent:
            row["equivalent"] += 1
        elif status in KILLED:
            row["killed"] += 1
        elif status in SURVIVED:
            row["survived"] += 1
            survivors.append(name)
        else:
            row[status] += 1
    total: Counter[str] = sum(table.values(), Counter())
    print(f"{'module':<12} {'killed':>7} {'survived':>9} {'equiv.':>7} {'other':>6} {'score':>7}")
    for module, row in [*sorted(table.items()), ("TOTAL", total)]:
        other = sum(v for k, v in row.items() if k not in ("killed", "survived", "equivalent"))
        judged = row["killed"] + row["survived"]
        score = f"{100 * row['killed'] / judged:6.1f}%" if judged else "     -"
        print(
            f"{module:<12} {row['killed']:>7} {row['survived']:>9} {row['equivalent']:>7}"
            f" {other:>6} {score:>7}"
        )
    if args.survivors:
        print("\n".join(["", "survivors:", *survivors]))
    if stale:
        print("\nstale entries in equivalent*.txt (no longer surviving):", *stale, sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
