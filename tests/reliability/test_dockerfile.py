"""The image runs as a non-root user and keeps its SQLite database (with the hashed API keys and
the audit log inside it) on a declared VOLUME, so replacing the container loses nothing.
Docker is not available to the tests: the Dockerfile is parsed."""

from __future__ import annotations

import json
import shlex
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the final stage, continuation lines joined, comments dropped."""
    joined: list[str] = []
    pending = ""
    for raw in dockerfile.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    parsed = [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined]
    last_from = max(i for i, (name, _) in enumerate(parsed) if name == "FROM")
    return parsed[last_from:]


def env_values(args: str) -> dict[str, str]:
    words = shlex.split(args)
    if len(words) == 2 and "=" not in words[0]:
        return {words[0]: words[1]}
    return dict(word.split("=", 1) for word in words)


def volumes(args: str) -> list[str]:
    args = args.strip()
    if args.startswith("["):
        return [str(v) for v in json.loads(args)]
    return shlex.split(args)


def test_image_runs_as_a_non_root_user(repo_root: Path) -> None:
    users = [args for name, args in instructions(repo_root / "Dockerfile") if name == "USER"]
    assert users, "the final stage sets no USER: the container would run as root"
    user = users[-1].split(":")[0].strip()
    assert user not in {"root", "0"}


def test_the_sqlite_database_lives_on_a_declared_volume(repo_root: Path) -> None:
    steps = instructions(repo_root / "Dockerfile")
    env: dict[str, str] = {}
    for name, args in steps:
        if name == "ENV":
            env |= env_values(args)
    url = make_url(env["HANARO_DATABASE_URL"])
    assert url.get_backend_name() == "sqlite" and url.database
    database = PurePosixPath(url.database)
    declared = [PurePosixPath(v) for name, args in steps if name == "VOLUME" for v in volumes(args)]
    assert any(database.is_relative_to(volume) for volume in declared), (
        f"{database} is on no VOLUME ({declared}): a replaced container would lose it"
    )
