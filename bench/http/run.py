"""HTTP benchmark: the real server (uvicorn) under wrk, on SQLite and PostgreSQL, 1 and 2 workers.

Run: ``make bench-http`` or ``.venv/bin/python -m bench.http.run [--quick] [--db sqlite]
[--workers 2] [--duration 15]``.

For each database × worker count: prepare a fresh database (``hanaro migrate`` + ``hanaro catalog
load``), start ``hanaro serve`` on a free port, wait for ``/ready``, warm up, then measure

* ``floor``: ``POST /v1/plans/validate`` at max throughput (validates and echoes, no matching),
* ``plans``: ``POST /v1/plans`` at max throughput (``wrk -t2 -c32``),
* ``questions``: ``POST /v1/questions/next`` at max throughput,
* ``plans@rate`` and ``questions@rate``: an open-loop sender at a fixed rate (200 req/s),
  latency from each request's scheduled send time (see ``openloop.py``).

Bodies cycle through the golden personas (``bodies.py``). Prints a Markdown table and the
plan/floor throughput ratio; raw results and server logs go to ``bench/results/``. Servers are
stopped and the PostgreSQL database is dropped on exit, always.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.http.bodies import ROOT, plan_bodies, question_bodies, write_jsonl
from bench.http.openloop import fixed_rate

LUA = Path(__file__).resolve().parent / "plans.lua"
RESULTS = ROOT / "bench" / "results"
HANARO = Path(sys.executable).parent / "hanaro"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
ENDPOINTS = {
    "floor": "/v1/plans/validate",
    "plans": "/v1/plans",
    "questions": "/v1/questions/next",
}
WRK_LINE = re.compile(r"^WRK_RESULT (\{.*\})$", re.MULTILINE)


@dataclass
class Row:
    db: str
    workers: int
    endpoint: str
    mode: str
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non2xx: int
    errors: int
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    duration: float
    warmup: float
    rate: float
    rate_duration: float
    threads: int
    connections: int


# --- databases ----------------------------------------------------------------------------------


def _hanaro(args: Sequence[str], env: dict[str, str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        subprocess.run([str(HANARO), *args], env=env, check=True, stdout=out, stderr=out, cwd=ROOT)


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh database URL (SQLite file or PostgreSQL database), removed afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="hanaro-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    name = f"hanaro_bench_http_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str, log: Path) -> dict[str, str]:
    """Migrate and load the shipped catalog; the environment the server runs with."""
    env = {
        **os.environ,
        "HANARO_DATABASE_URL": url,
        "HANARO_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
        "HANARO_RATE_LIMIT_KEY_PER_MINUTE": "100000000",
    }
    _hanaro(["migrate"], env, log)
    _hanaro(["catalog", "load"], env, log)
    return env


# --- server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(x) for x in task.read_text().split()]
    return found


@contextlib.contextmanager
def server(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[int, list[int]]]:
    """``hanaro serve`` on a free port, ready; yields (port, worker pids). Always stopped."""
    port = free_port()
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [str(HANARO), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while _get(f"http://{HOST}:{port}/ready") != 200:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready after 60 s; see {log}")
            time.sleep(0.2)
        time.sleep(0.5 if workers > 1 else 0)  # let every worker finish its startup
        pids = _children(proc.pid) if workers > 1 else [proc.pid]
        yield port, pids
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)  # the session this runner started for the server
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


# --- load ---------------------------------------------------------------------------------------


def wrk(port: int, path: str, bodies: Path, duration: float, opts: Options) -> dict[str, Any]:
    """One closed-loop wrk run; the parsed ``WRK_RESULT`` line (raises when wrk failed)."""
    command = [
        "wrk",
        f"-t{opts.threads}",
        f"-c{opts.connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://{HOST}:{port}{path}",
        "--",
        str(bodies),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    match = WRK_LINE.search(done.stdout)
    if match is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(match.group(1))
    result["exit_code"] = done.returncode
    if done.returncode != 0:
        print(f"  !! wrk {path}: {done.stderr.strip()}", file=sys.stderr)
    return result


def measure(db: str, workers: int, port: int, files: dict[str, Path], opts: Options) -> list[Row]:
    rows: list[Row] = []
    for name in ENDPOINTS:  # warm up every endpoint (imports, caches, connection pools)
        wrk(port, ENDPOINTS[name], files[name], opts.warmup, opts)
    for name, path in ENDPOINTS.items():
        raw = wrk(port, path, files[name], opts.duration, opts)
        rows.append(
            Row(db, workers, name, "max", raw["rps"], raw["p50_ms"], raw["p90_ms"],
                raw["p99_ms"], raw["non2xx"], raw["socket_errors"], raw)
        )  # fmt: skip
        print(f"  {name:<10} max      {raw['rps']:>8.1f} req/s  p99 {raw['p99_ms']:.1f} ms")
    bodies = {"plans": plan_bodies(), "questions": question_bodies()}
    for name, items in bodies.items():
        fixed = fixed_rate(HOST, port, ENDPOINTS[name], items, opts.rate, opts.rate_duration)
        rows.append(
            Row(db, workers, name, f"@{opts.rate:g}/s", fixed.achieved_rps, fixed.p50_ms,
                fixed.p90_ms, fixed.p99_ms, fixed.non2xx, fixed.errors, fixed.as_dict())
        )  # fmt: skip
        print(
            f"  {name:<10} @{opts.rate:g}/s  {fixed.achieved_rps:>8.1f} req/s  "
            f"p50 {fixed.p50_ms:.1f} ms  p99 {fixed.p99_ms:.1f} ms"
        )
    return rows


# --- report -------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = [
        "| db | workers | endpoint | load | req/s | p50 ms | p90 ms | p99 ms | non-2xx | errors |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.db} | {r.workers} | {r.endpoint} | {r.mode} | {r.rps:,.0f} | {r.p50_ms:.1f} "
            f"| {r.p90_ms:.1f} | {r.p99_ms:.1f} | {r.non2xx} | {r.errors} |"
        )
    return "\n".join(lines)


def ratios(rows: list[Row]) -> list[dict[str, Any]]:
    found = []
    for db, workers in dict.fromkeys((r.db, r.workers) for r in rows):
        by = {r.endpoint: r for r in rows if (r.db, r.workers) == (db, workers) and r.mode == "max"}
        if "plans" in by and "floor" in by and by["floor"].rps:
            found.append(
                {"db": db, "workers": workers, "plans_rps": by["plans"].rps,
                 "floor_rps": by["floor"].rps, "ratio": by["plans"].rps / by["floor"].rps}
            )  # fmt: skip
    return found


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "model": model,
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),  # other work on the machine skews the figures
    }


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.http.run", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per wrk run")
    parser.add_argument("--rate", type=float, default=200.0, help="fixed rate (req/s)")
    parser.add_argument("--rate-duration", type=float, default=None, help="default: --duration")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--quick", action="store_true", help="short smoke run (3 s per figure)")
    parser.add_argument(
        "--db", action="append", choices=["sqlite", "postgresql"], help="repeatable; default both"
    )
    parser.add_argument("--workers", action="append", type=int, help="repeatable; default 1 and 2")
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk not found (Debian/Ubuntu: apt-get install -y wrk)", file=sys.stderr)
        return 2
    duration = 3.0 if args.quick else args.duration
    opts = Options(
        duration=duration,
        warmup=1.0 if args.quick else 3.0,
        rate=args.rate,
        rate_duration=args.rate_duration or duration,
        threads=args.threads,
        connections=args.connections,
    )
    dbs: list[str] = args.db or ["sqlite", "postgresql"]
    worker_counts: list[int] = args.workers or [1, 2]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.output_dir / f"http-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "floor": write_jsonl(plan_bodies(), out / "plans.jsonl"),
        "plans": out / "plans.jsonl",
        "questions": write_jsonl(question_bodies(), out / "questions.jsonl"),
    }
    rows: list[Row] = []
    failures: list[str] = []
    before = machine()
    for db in dbs:
        try:
            with database(db) as url:
                log = out / f"{db}.log"
                env = prepare(url, log)
                for workers in worker_counts:
                    print(f"{db}, {workers} worker(s):", flush=True)
                    with server(env, workers, out / f"{db}-w{workers}-server.log") as (port, _):
                        rows += measure(db, workers, port, files, opts)
        except Exception as exc:  # report and go on with the next database
            failures.append(f"{db}: {type(exc).__name__}: {exc}")
            print(f"  !! {failures[-1]}", file=sys.stderr)
    found_ratios = ratios(rows)
    report: dict[str, Any] = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": before,
        "loadavg_after": os.getloadavg(),
        "options": vars(opts),
        "rows": [vars(r) for r in rows],
        "ratios": found_ratios,
        "failures": failures,
    }
    (out / "results.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    print()
    print(table(rows))
    print()
    for ratio in found_ratios:
        print(
            f"plan/floor {ratio['db']} {ratio['workers']}w: {ratio['plans_rps']:,.0f} / "
            f"{ratio['floor_rps']:,.0f} = {ratio['ratio']:.2f}"
        )
    print(f"\nraw results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    bad = [r for r in rows if r.non2xx or r.errors]
    for r in bad:
        print(
            f"!! {r.db} {r.workers}w {r.endpoint} {r.mode}: {r.non2xx} non-2xx, {r.errors} errors"
        )
    return 1 if failures or bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
