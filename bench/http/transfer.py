"""Plan throughput against its transfer floor (#17), for real households.

Run: ``.venv/bin/python -m bench.http.transfer [--duration 10] [--rounds 3] [--rate 300]
[FILE ...]`` (needs ``wrk``: ``apt-get install -y wrk``; default files: the README household
``docs/examples/household-daegu.json`` and ``docs/examples/three-generations.json``).

For each household: the real service (``hanaro serve``, SQLite, 2 workers) and the floor
(``bench/http/floor.py``: the same FastAPI request validation on uvicorn with 2 workers,
answering with the real service's answer bytes for that household, precomputed) both run; wrk
(closed loop, ``-t2 -c32``) measures ``POST /v1/plans``, ``POST /v1/questions/next`` and a kiosk
step (``questions/next`` with ``include_plan: false``) on each, alternating real and floor,
``--rounds`` times; the table gives the median req/s of each and their ratio. Then an
open-loop sender at ``--rate`` req/s gives the real plan's p50/p99, and a kiosk step's.
With ``--redis redis://127.0.0.1:6379/0`` the real service counts rate limits in Redis instead of
its database (anonymous requests are counted too).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.http.floor import KIOSK
from bench.http.openloop import fixed_rate
from bench.http.run import (
    HOST,
    RESULTS,
    ROOT,
    Options,
    _get,
    _stop,
    database,
    free_port,
    prepare,
    server,
    wrk,
)

DEFAULT = (
    ROOT / "docs" / "examples" / "household-daegu.json",
    ROOT / "docs" / "examples" / "three-generations.json",
)
# (answer key, path, what the body adds): the floor keys a kiosk step's answer apart
ENDPOINTS: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("/v1/plans", "/v1/plans", {}),
    ("/v1/questions/next", "/v1/questions/next", {}),
    ("/v1/questions/next" + KIOSK, "/v1/questions/next", {"include_plan": False}),
)
UVICORN = Path(sys.executable).parent / "uvicorn"


def _post(port: int, path: str, body: dict[str, object]) -> str:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        text: str = answer.read().decode("utf-8")
        return text


@contextlib.contextmanager
def floor(answers: Path, workers: int, log: Path) -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "HANARO_FLOOR_ANSWERS": str(answers)}
    command = [str(UVICORN), "bench.http.floor:app", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while _get(f"http://{HOST}:{port}/ready") != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"floor server did not start; see {log}")
            time.sleep(0.2)
        time.sleep(0.5)
        yield port
    finally:
        _stop(proc)


def household(
    path: Path, opts: Options, rounds: int, workers: int, out: Path, redis: str | None = None
) -> list[str]:
    body = json.loads(path.read_text(encoding="utf-8"))
    bodies: dict[str, Path] = {}
    for key, _p, extra in ENDPOINTS:
        bodies[key] = out / f"{path.stem}.{len(bodies)}.jsonl"
        line = json.dumps({**body, **extra}, ensure_ascii=False) + "\n"
        bodies[key].write_text(line, encoding="utf-8")
    lines = []
    with database("sqlite") as url:
        env = prepare(url, out / "server.log")
        if redis:  # count rate limits in Redis, as a deployment with several workers would
            env["HANARO_REDIS_URL"] = redis
        with server(env, workers, out / "server.log") as (port, _pids):
            answers = {k: _post(port, p, {**body, **extra}) for k, p, extra in ENDPOINTS}
            answers_file = out / f"{path.stem}.answers.json"
            answers_file.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
            with floor(answers_file, workers, out / "floor.log") as floor_port:
                for k, p, _extra in ENDPOINTS:  # warm up both
                    wrk(port, p, bodies[k], opts.warmup, opts)
                    wrk(floor_port, p, bodies[k], opts.warmup, opts)
                for k, p, extra in ENDPOINTS:
                    real, bare = [], []
                    for _ in range(rounds):  # alternate, so drift hits both alike
                        real.append(wrk(port, p, bodies[k], opts.duration, opts)["rps"])
                        bare.append(wrk(floor_port, p, bodies[k], opts.duration, opts)["rps"])
                    r, f = statistics.median(real), statistics.median(bare)
                    size = len(answers[k].encode()) / 1024
                    name = f"`{p}`" + (" kiosk step" if extra else "")
                    cells = f"{size:.1f} KB | {r:.0f} | {f:.0f} | {r / f:.2f}"
                    lines.append(f"| {path.stem} | {name} | {cells} |")
                    print(lines[-1], flush=True)
                kiosk = {**body, "include_plan": False}
                for name, p, sent in (  # the kiosk step first: the plans' backlog would stay
                    ("kiosk step", "/v1/questions/next", kiosk),
                    ("`/v1/plans`", "/v1/plans", body),
                ):
                    fixed = fixed_rate(HOST, port, p, [sent], opts.rate, opts.rate_duration)
                    lines.append(
                        f"| {path.stem} | {name} @{opts.rate:g}/s | | achieved "
                        f"{fixed.achieved_rps:.0f}/s | p50 {fixed.p50_ms:.1f} ms | p99 "
                        f"{fixed.p99_ms:.1f} ms |"
                    )
                    print(lines[-1], flush=True)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT))
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--rate-duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", help="count rate limits in this Redis (redis://...)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk not found (Debian/Ubuntu: apt-get install -y wrk)", file=sys.stderr)
        return 2
    opts = Options(args.duration, 3.0, args.rate, args.rate_duration, 2, 32)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="transfer-", dir=RESULTS))
    print("| household | endpoint | answer | real req/s | floor req/s | real/floor |")
    print("|---|---|---:|---:|---:|---:|")
    for path in args.files:
        household(path, opts, args.rounds, args.workers, out, args.redis)
    print(f"logs: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
