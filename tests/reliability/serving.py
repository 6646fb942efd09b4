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
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running ``hanaro serve``: its base URL, its supervising process and its log."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def started_workers(self) -> int:
        """How many workers have reported startup so far (restarted ones too)."""
        return self.log_path.read_text(errors="replace").count("Application startup complete")


@contextlib.contextmanager
def serving(env: dict[str, str], log_path: Path, workers: int = 2) -> Iterator[str]:
    """``hanaro serve --workers N`` with ``env`` (HANARO_* settings); yields its base URL once
    every worker has reported startup; always terminates it (then kills it if it lingers)."""
    with running_server(env, log_path, workers) as server:
        yield server.base_url


@contextlib.contextmanager
def running_server(env: dict[str, str], log_path: Path, workers: int = 2) -> Iterator[Server]:
    """``serving``, yielding the ``Server`` (for tests that signal its workers)."""
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
            yield Server(f"http://127.0.0.1:{port}", process, log_path)
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


def worker_pids(server: Server) -> set[int]:
    """The pids of the server's live uvicorn workers: its children started by multiprocessing's
    spawn (not the resource tracker)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        state, parent = fields[0], int(fields[1])
        if parent == server.process.pid and state != "Z" and b"spawn_main" in cmdline:
            pids.add(int(entry.name))
    return pids


def worker_serving(server: Server, client_port: int, timeout: float = 2.0) -> int:
    """The pid of the worker that holds the server side of the TCP connection whose client end
    is 127.0.0.1:``client_port`` (read from /proc/net/tcp and the workers' descriptors)."""
    server_port = int(server.base_url.rsplit(":", 1)[1])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inode = _server_side_inode(server_port, client_port)
        if inode is not None:
            for pid in worker_pids(server):
                if _holds_socket(pid, inode):
                    return pid
        time.sleep(0.02)  # not accepted yet
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def _server_side_inode(server_port: int, client_port: int) -> str | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if (
            int(local.split(":")[1], 16) == server_port
            and int(remote.split(":")[1], 16) == client_port
        ):
            return inode if inode != "0" else None
    return None


def _holds_socket(pid: int, inode: str) -> bool:
    target = f"socket:[{inode}]"
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in descriptors:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue
    return False
