"""A private PostgreSQL cluster for fault tests: ``initdb`` into a temporary directory, served on
a free port of 127.0.0.1 (and a socket in that directory), trust authentication, no fsync. The
test may stop it, start it again, and always deletes it.

``initdb`` and ``postgres`` refuse to run as root: as root the commands run as the ``postgres``
user (``runuser``), which then owns the temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.serving import free_port

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
}


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's binaries (with ``initdb`` and ``pg_ctl``), or None."""
    found = [
        path
        for path in Path("/").glob(BIN_GLOB.lstrip("/"))
        if (path / "initdb").exists() and (path / "pg_ctl").exists()
    ]
    return max(found, key=lambda path: _major(path.parent.name)) if found else None


def _major(name: str) -> int:
    return int(name) if name.isdigit() else -1


@dataclass(frozen=True)
class Cluster:
    bin_dir: Path
    root: Path  # the temporary directory: data/, sockets, server log
    port: int
    as_postgres: bool  # commands run as the postgres user (we are root)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin_dir / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{tool} {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}\n{self.server_log()}"
            )

    def server_log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def start(self) -> None:
        data, log = str(self.data_dir), str(self.log_path)
        self.run("pg_ctl", "start", "-w", "-t", "30", "-D", data, "-l", log)

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m fast``: running transactions are rolled back, sessions ended."""
        self.run("pg_ctl", "stop", "-w", "-t", "30", "-m", mode, "-D", str(self.data_dir))

    def is_running(self) -> bool:
        return (self.data_dir / "postmaster.pid").exists()


@contextlib.contextmanager
def private_cluster(bin_dir: Path) -> Iterator[Cluster]:
    """A started cluster of its own; stopped and deleted afterwards, whatever happened."""
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="hanaro-pg-"))
    try:
        if as_postgres:
            shutil.chown(root, "postgres", "postgres")
        cluster = Cluster(bin_dir, root, free_port(), as_postgres)
        cluster.run(
            "initdb", "-D", str(cluster.data_dir), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        lines = [f"{name} = {value}" for name, value in SETTINGS.items()]
        lines += [f"port = {cluster.port}", f"unix_socket_directories = '{root}'"]
        with (cluster.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n" + "\n".join(lines) + "\n")
        cluster.start()
        try:
            yield cluster
        finally:
            if cluster.is_running():
                cluster.stop("immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)
