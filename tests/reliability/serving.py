"""Run ``hanaro serve`` in a subprocess on a free local port, and stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(env: dict[str, str], log_path: Path, workers: int = 2) -> Iterator[str]:
    """``hanaro serve --workers N`` with ``env`` (HANARO_* settings); yields its base URL once
    every worker has reported startup; always terminates it (then kills it if it lingers)."""
    port = free_port()
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    full_env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HANARO_LOG_LEVEL": "INFO", **env}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_for_workers(process, log_path, workers)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_for_workers(process: subprocess.Popen[bytes], log_path: Path, workers: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{log_path.read_text(errors='replace')}")
        started = log_path.read_text(errors="replace").count("Application startup complete")
        if started >= workers:
            return
        time.sleep(0.2)
    raise AssertionError(f"workers did not start:\n{log_path.read_text(errors='replace')}")


def wait_for_a_fresh_window(window_seconds: int = 60, needed_seconds: float = 20) -> None:
    """Sleep into the next fixed window when fewer than ``needed_seconds`` remain in this one, so
    a burst of requests is counted in one window."""
    left = window_seconds - time.time() % window_seconds
    if left < needed_seconds:
        time.sleep(left + 0.5)


def burst(base_url: str, path: str, count: int, parallel: int = 8) -> list[int]:
    """``count`` GETs of ``path``, ``parallel`` at a time, each on a new connection (so the
    kernel spreads them across the workers); the status codes."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_: int) -> int:
        with httpx.Client(base_url=base_url, timeout=10) as client:
            return client.get(path, headers={"Connection": "close"}).status_code

    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(one, range(count)))
