"""Faults on PostgreSQL under traffic (#12): a private cluster this module starts on a free
port (``pg_cluster.py``; only in the PostgreSQL phase, when ``HANARO_TEST_DATABASE_URL`` names
PostgreSQL), ``hanaro serve --workers 2`` connected to it as ``hanaro_app`` with the shipped
timeouts, and threads sending anonymous plans, keyed plans and admin creates (with an
Idempotency-Key) on new connections. Every answer is kept and checked. What a client sees:

Database stopped (``pg_ctl stop -m fast``), started again a few seconds later
  - Plans, anonymous or keyed (a key its worker verified in the last 60 s): 200 throughout,
    from the worker's catalog snapshot in memory (each worker keeps the version it held). Rate
    limits are counted per worker in memory; a keyed plan's audit entry goes to the fsync'd
    spool and reaches ``audit_log`` exactly once after the database is back.
  - Admin creates: 503 problem+json ``database-unavailable`` with ``Retry-After: 2``. A create
    whose commit was acknowledged is answered 201 even if the database went away just after
    (``catalog_version: null``). One whose connection died during the commit may exist though
    answered 503: retried with its Idempotency-Key it answers 201 (replayed), and exists once.
  - ``/ready``: 503 ``{"database": false, "catalog_loaded": true}``, then 200 within seconds of
    the database starting, without restarting the service.
Table lock (``LOCK audit_log, rate_limit_counter IN ACCESS EXCLUSIVE MODE``, held 6 s)
  - Plans: 200, each within 2.5 s (the rate count gives up after 0.5 s, the audit write after
    1 s, a spool drain after 0.5 s; then memory and the spool).
  - Admin creates: 503 + Retry-After within 4 s (a write transaction's lock waits share one 2 s
    budget). After the release everything succeeds and the spool drains.
Migration 0006 (``audit_log.entry_uid``) and those after it downgraded, then upgraded, under traffic
  - Plans: 200; keyed plans' audit entries wait in the spool while the column is missing (the
    schema mismatch counts as the database being unavailable) and drain once after the upgrade.
  - Admin creates: 503 + Retry-After while the schema is older (their audit entry, written in
    their transaction, cannot be). Entries written before survive; the downgrade drops their
    ``entry_uid`` (used only to drain the spool once).
Worker killed (SIGKILL)
  - A request in flight on it: the connection closes with no HTTP answer (httpx:
    RemoteProtocolError), never a 500; an in-flight create is committed or not, and its
    Idempotency-Key retry says which. The other worker answers everything meanwhile; uvicorn
    (0.30+) starts a replacement, which serves after its startup.
Worker killed while the database is stopped
  - The replacement starts without a catalog: its answers are 503 ``unavailable`` with
    Retry-After, its ``/ready`` 503; the surviving worker keeps serving plans; the service stays
    up, and once the database is back the replacement loads the catalog and serves.
No fault answers a 500.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import models
from app.db.session import make_engine
from app.migrate import alembic_config, downgrade, upgrade
from app.services.catalog_admin import load_shipped_catalog
from app.services.keys import create_key
from tests.reliability.conftest import app_role_url
from tests.reliability.pg_cluster import BIN_GLOB, Cluster, find_bin_dir, private_cluster
from tests.reliability.serving import Server, running_server, worker_pids, worker_serving

PROFILE = {"applicant": {"age": 71}, "household": {"size": 2, "income_recognized_monthly": 654_321}}
PLAN = {"profile": PROFILE, "as_of": "2026-03-02"}
PROBLEM = "application/problem+json"
DATABASE_UNAVAILABLE = "urn:hanaro:problem:database-unavailable"
NO_CATALOG_YET = "urn:hanaro:problem:unavailable"  # a worker started while the database was away
NO_HANG_SECONDS = 5.0  # no request may take longer, whatever the fault
LOCK_BOUND_SECONDS = 4.0  # a write: 0.5 s rate count + its 2 s lock budget, slack for 2 busy cores
PLAN_LOCK_BOUND_SECONDS = 2.5  # a plan: 0.5 s count + 1 s audit try + 0.5 s behind a spool drain
RECOVERY_SECONDS = 10.0  # the service answers normally again this soon after the database
SETTLE_SECONDS = 15.0  # the audit spool has drained this soon after the database is back
RESTART_SECONDS = 30.0  # uvicorn has replaced a killed worker this soon
CONNECTION_LOST = {"RemoteProtocolError", "ReadError", "WriteError"}  # reset or closed, no answer


# --- the private cluster and the server ----------------------------------------------------


pytestmark = pytest.mark.database  # its own PostgreSQL cluster, PostgreSQL pass only


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Only in the PostgreSQL phase (``HANARO_TEST_DATABASE_URL`` names PostgreSQL); missing
    server binaries skip the module, except in CI (``CI=true``), where they fail it."""
    url = os.environ.get("HANARO_TEST_DATABASE_URL") or ""
    if not url or make_url(url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL faults: set HANARO_TEST_DATABASE_URL to a PostgreSQL database")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = f"no PostgreSQL server binaries (initdb, pg_ctl) in {BIN_GLOB}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with private_cluster(bin_dir) as started:
        yield started


@dataclass(frozen=True)
class Stack:
    cluster: Cluster
    server: Server
    owner_url: str  # the owner role (migrations, checks); the server runs as hanaro_app
    owner: Engine
    spool: Path
    spec: dict[str, Any]

    def keys(self, name: str) -> tuple[dict[str, str], dict[str, str]]:
        """A partner key for plans and a national admin key, both new (no worker knows them)."""
        with Session(self.owner) as session:
            partner = create_key(session, partner=f"Invented {name} Kiosk", scopes=["plans"])
            admin = create_key(
                session,
                partner=f"Ministry of Invented {name}",
                scopes=["catalog:read", "catalog:write"],
                is_national=True,
            )
        return {"X-API-Key": partner.clear}, {"Authorization": f"Bearer {admin.clear}"}

    def audit_rows(self) -> list[tuple[str | None, str, str | None, str | None]]:
        """(request_id, action, target, entry_uid) of every audit entry, in order."""
        with Session(self.owner) as session:
            query = select(
                models.AuditEntry.request_id,
                models.AuditEntry.action,
                models.AuditEntry.target,
                models.AuditEntry.entry_uid,
            ).order_by(models.AuditEntry.id)
            return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]

    def program_ids(self) -> set[str]:
        with Session(self.owner) as session:
            return set(session.scalars(select(models.Program.id)))

    def spool_entries(self) -> int:
        try:
            return sum(1 for line in self.spool.read_text().splitlines() if line.strip())
        except FileNotFoundError:
            return 0


@pytest.fixture(scope="module")
def stack(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE hanaro"))
    admin.dispose()
    owner_url = cluster.url("hanaro")
    upgrade(owner_url)
    owner = make_engine(owner_url)  # pre-ping: its connections outlive a restart of the cluster
    with Session(owner) as session, session.begin():
        load_shipped_catalog(session, actor="tests")
        row = session.scalar(
            select(models.ProgramVersion).where(models.ProgramVersion.program_id == "basic-pension")
        )
        assert row is not None
        spec = copy.deepcopy(row.spec)
    spec.update(excludes=[], prerequisites=[])
    spec["eligibility"] = {"all": [{"fact": "applicant.age", "op": "ge", "value": 19}]}
    spec["benefit"] = {"kind": "service", "description": {"ko": "지원", "en": "Support"}}
    data_dir = tmp_path_factory.mktemp("faults")
    env = {
        "HANARO_DATABASE_URL": app_role_url(owner_url),
        "HANARO_DATA_DIR": str(data_dir / "var"),
        "HANARO_ENVIRONMENT": "test",
        "HANARO_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000",
        "HANARO_RATE_LIMIT_KEY_PER_MINUTE": "1000000",
    }  # everything else as shipped: 2 s timeouts, 60 s key cache, 2 s catalog polls, 5 s drains
    try:
        with running_server(env, data_dir / "server.log") as server:
            yield Stack(cluster, server, owner_url, owner, data_dir / "var/audit-spool.jsonl", spec)
    finally:
        owner.dispose()


# --- traffic ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str  # anonymous | keyed | admin
    request_id: str
    started: float
    finished: float
    status: int | None  # None: no HTTP answer (the connection failed)
    error: str | None
    content_type: str
    retry_after: str | None
    problem_type: str | None
    program_id: str | None = None
    idempotency_key: str | None = None
    replayed: bool = False  # a create's retry answered with the first answer
    catalog_version: str | None = None  # a plan's

    @property
    def elapsed(self) -> float:
        return self.finished - self.started


@dataclass
class Traffic:
    """Threads sending anonymous plans, keyed plans and admin creates (each on a new
    connection, so the kernel spreads them over the workers) until stopped; every answer kept."""

    stack: Stack
    keyed: dict[str, str]
    admin: dict[str, str]
    tag: str
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> Traffic:
        for kind, pause in (
            ("anonymous", 0.05),
            ("anonymous", 0.05),
            ("keyed", 0.05),
            ("keyed", 0.05),
            ("admin", 0.5),
            ("admin", 0.5),
        ):
            thread = threading.Thread(target=self._loop, args=(kind, pause), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _loop(self, kind: str, pause: float) -> None:
        with httpx.Client(base_url=self.stack.server.base_url, timeout=NO_HANG_SECONDS * 2) as c:
            while not self._stop.is_set():
                outcome = self.send(c, kind)
                with self._lock:
                    self.outcomes.append(outcome)
                time.sleep(pause)

    def send(
        self,
        client: httpx.Client,
        kind: str,
        program_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome:
        request_id = uuid.uuid4().hex
        headers = {"X-Request-ID": request_id, "Connection": "close"}
        body: dict[str, Any] = PLAN
        path = "/v1/plans"
        if kind == "keyed":
            headers |= self.keyed
        elif kind == "admin":
            program_id = program_id or f"invented-{self.tag}-{uuid.uuid4().hex[:10]}"
            idempotency_key = idempotency_key or uuid.uuid4().hex
            headers |= self.admin | {"Idempotency-Key": idempotency_key}
            body = {"spec": self.stack.spec | {"id": program_id}, "change_reason": "장애 시험"}
            path = "/v1/admin/programs"
        started = time.monotonic()
        sent = {"kind": kind, "request_id": request_id, "started": started}
        sent |= {"program_id": program_id, "idempotency_key": idempotency_key}
        try:
            response = client.post(path, json=body, headers=headers)
        except httpx.TransportError as error:
            return Outcome(
                **sent, finished=time.monotonic(), status=None, error=type(error).__name__,
                content_type="", retry_after=None, problem_type=None,
            )  # fmt: skip
        content_type = response.headers.get("content-type", "")
        answer = response.json()
        return Outcome(
            **sent,
            finished=time.monotonic(),
            status=response.status_code,
            error=None,
            content_type=content_type,
            retry_after=response.headers.get("retry-after"),
            problem_type=answer.get("type") if content_type.startswith(PROBLEM) else None,
            replayed=response.headers.get("idempotent-replayed") == "true",
            catalog_version=answer.get("catalog_version") if kind != "admin" else None,
        )

    def within(self, start: float, end: float, kind: str | None = None) -> list[Outcome]:
        """The requests sent after ``start`` and answered before ``end``."""
        return [
            o
            for o in self.outcomes
            if o.started >= start and o.finished <= end and kind in (None, o.kind)
        ]


def statuses(outcomes: list[Outcome]) -> list[int | None]:
    return [o.status for o in outcomes]


def assert_no_server_error(
    traffic: Traffic,
    bound: float = NO_HANG_SECONDS,
    plan_bound: float = NO_HANG_SECONDS,
    problems: frozenset[str] = frozenset({DATABASE_UNAVAILABLE}),
) -> None:
    """No 500, no hang; every 503 is one of ``problems`` (problem+json) with Retry-After; plans
    answer 200 or 503 within ``plan_bound``, creates 201 or 503 within ``bound``."""
    expected = {"anonymous": {200, 503}, "keyed": {200, 503}, "admin": {201, 503}}
    for o in traffic.outcomes:
        assert o.status is None or o.status in expected[o.kind], o
        assert o.elapsed < (bound if o.kind == "admin" else plan_bound), o
        if o.status == 503:
            assert o.content_type.startswith(PROBLEM), o
            assert o.retry_after == "2", o
            assert o.problem_type in problems, o


def assert_answered(traffic: Traffic) -> None:
    failed = [o for o in traffic.outcomes if o.status is None]
    assert not failed, failed


def assert_all_succeed(outcomes: list[Outcome]) -> None:
    wanted = {"anonymous": 200, "keyed": 200, "admin": 201}
    assert outcomes
    wrong = [o for o in outcomes if o.status != wanted[o.kind]]
    assert not wrong, wrong


def settle_writes(stack: Stack, traffic: Traffic) -> None:
    """Every create that was not acknowledged (503, or no answer) is sent again with its
    Idempotency-Key, as a client should: each then answers 201 (created now, or the first
    answer replayed), and each program exists once."""
    with httpx.Client(base_url=stack.server.base_url, timeout=NO_HANG_SECONDS * 2) as client:
        for o in traffic.outcomes:
            if o.kind == "admin" and o.status != 201:
                again = traffic.send(client, "admin", o.program_id, o.idempotency_key)
                assert again.status == 201, (o, again)
                traffic.outcomes.append(again)
    created = {o.program_id for o in traffic.outcomes if o.kind == "admin"}
    assert created <= stack.program_ids()


def assert_audited_once(stack: Stack, traffic: Traffic) -> None:
    """Once the spool has drained: every keyed plan answered 200 has exactly one audit entry
    with its request id, every program created (answered 201, at first or replayed) exactly one
    ``program.create`` entry, from one of its requests; no entry is there twice."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while stack.spool_entries() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.spool_entries() == 0, "the audit spool did not drain"
    rows = stack.audit_rows()
    uids = [uid for *_, uid in rows if uid is not None]
    assert len(uids) == len(set(uids))
    by_request: dict[str | None, list[tuple[str, str | None]]] = {}
    creates: dict[str | None, list[str | None]] = {}
    for request_id, action, target, _uid in rows:
        by_request.setdefault(request_id, []).append((action, target))
        if action == "program.create":
            creates.setdefault(target, []).append(request_id)
    for o in traffic.outcomes:
        found = by_request.get(o.request_id, [])
        if o.kind == "keyed" and o.status == 200:
            assert found == [("plans.create", "route:/v1/plans")], o
        elif o.kind == "anonymous":
            assert found == [], o
        elif o.kind == "keyed":  # not answered: audited at most once (before a reset)
            assert len(found) <= 1, o
    sent: dict[str | None, set[str]] = {}
    for o in traffic.outcomes:
        if o.kind == "admin":
            sent.setdefault(o.program_id, set()).add(o.request_id)
    for program_id, request_ids in sent.items():
        audited = creates.get(f"program:{program_id}", [])
        assert len(audited) <= 1, program_id
        acknowledged = [
            o for o in traffic.outcomes if o.program_id == program_id and o.status == 201
        ]
        if acknowledged:
            assert len(audited) == 1 and audited[0] in request_ids, program_id


def ready(stack: Stack) -> tuple[int, dict[str, Any]]:
    with httpx.Client(base_url=stack.server.base_url, timeout=NO_HANG_SECONDS) as client:
        response = client.get("/ready", headers={"Connection": "close"})
    return response.status_code, response.json()


def wait_until(condition: Callable[[], bool], seconds: float) -> float:
    """Poll ``condition`` until true; the moment it was (fails after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def ask_worker(stack: Stack, pid: int, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Send the request on new connections until worker ``pid`` answers one: that answer."""
    for _ in range(100):
        with httpx.Client(base_url=stack.server.base_url, timeout=NO_HANG_SECONDS) as client:
            response = client.request(method, path, **kwargs)
            port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
            if worker_serving(stack.server, port) == pid:
                return response
    raise AssertionError(f"worker {pid} answered none of 100 requests")


def warm_every_worker(stack: Stack, headers: dict[str, str]) -> None:
    """Have each worker verify ``headers``' key, so that each holds it in its key cache."""
    workers = worker_pids(stack.server)
    assert len(workers) == 2
    for pid in workers:
        response = ask_worker(stack, pid, "POST", "/v1/plans/validate", json=PLAN, headers=headers)
        assert response.status_code == 200


# --- the faults -------------------------------------------------------------------------------


def test_the_database_stopped_mid_traffic(stack: Stack) -> None:
    keyed, admin = stack.keys("Outage")
    warm_every_worker(stack, keyed)
    before = stack.audit_rows()
    with Traffic(stack, keyed, admin, "outage") as traffic:
        time.sleep(1.0)
        stack.cluster.stop("fast")
        down = time.monotonic()
        time.sleep(0.5)
        probes = [ready(stack) for _ in range(4)]
        time.sleep(2.5)
        stopped = not stack.cluster.is_running()
        spooled, sampled = stack.spool_entries(), time.monotonic()
        stack.cluster.start()
        up = time.monotonic()
        recovered = wait_until(
            lambda: all(ready(stack)[0] == 200 for _ in range(4)), RECOVERY_SECONDS
        )
        time.sleep(2.5)
    assert_no_server_error(traffic)
    assert_answered(traffic)

    # while the database was down: plans from the snapshots in memory, writes refused politely
    assert stopped
    assert [p[0] for p in probes] == [503] * 4
    assert all(p[1]["database"] is False and p[1]["status"] == "not_ready" for p in probes)
    assert all(p[1]["catalog_loaded"] is True for p in probes)
    plans = traffic.within(down, up, "anonymous") + traffic.within(down, up, "keyed")
    assert len([o for o in plans if o.kind == "anonymous"]) >= 5
    assert len([o for o in plans if o.kind == "keyed"]) >= 5
    assert set(statuses(plans)) == {200}
    versions = {o.catalog_version for o in plans}
    assert None not in versions and len(versions) <= 2  # one snapshot per worker, frozen
    writes = traffic.within(down, up, "admin")
    assert len(writes) >= 2 and set(statuses(writes)) == {503}
    keyed_by_then = traffic.within(down, sampled, "keyed")
    assert spooled >= len(keyed_by_then) > 0  # their audit entries waited on disk

    # back, without a restart of the service
    assert_all_succeed(traffic.within(recovered + 0.5, time.monotonic()))
    settle_writes(stack, traffic)
    assert_audited_once(stack, traffic)
    assert stack.audit_rows()[: len(before)] == before  # nothing written before changed


LOCKED_TABLES = "audit_log, rate_limit_counter"  # every limited request counts; audits are written


def test_a_table_lock_held_under_traffic(stack: Stack) -> None:
    keyed, admin = stack.keys("Lock")
    warm_every_worker(stack, keyed)
    with Traffic(stack, keyed, admin, "lock") as traffic:
        time.sleep(1.0)
        with stack.owner.connect() as holder:
            holder.execute(text(f"LOCK TABLE {LOCKED_TABLES} IN ACCESS EXCLUSIVE MODE"))
            locked = time.monotonic()
            time.sleep(6.0)
            releasing = time.monotonic()
            holder.rollback()
        time.sleep(3.0)
    assert_no_server_error(traffic, bound=LOCK_BOUND_SECONDS, plan_bound=PLAN_LOCK_BOUND_SECONDS)
    assert_answered(traffic)

    # plans need no database: counted in memory, audited to the spool, never refused
    for kind in ("anonymous", "keyed"):
        during = traffic.within(locked, releasing, kind)
        assert len(during) >= 5 and set(statuses(during)) == {200}
    writes = traffic.within(locked, releasing, "admin")
    assert len(writes) >= 2 and set(statuses(writes)) == {503}  # their audit entry must wait

    assert_all_succeed(traffic.within(releasing + 0.5, time.monotonic()))
    settle_writes(stack, traffic)
    assert_audited_once(stack, traffic)


BEFORE_NEWEST = "0005"  # 0006 (2026-12-02_0900_audit_entry_uid) adds audit_log.entry_uid


def head() -> str:
    """The newest revision, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert revision is not None
    return revision


def test_the_newest_migration_downgraded_and_upgraded_under_traffic(stack: Stack) -> None:
    keyed, admin = stack.keys("Migration")
    warm_every_worker(stack, keyed)
    with Traffic(stack, keyed, admin, "migration") as traffic:
        time.sleep(1.5)
        written = stack.audit_rows()
        programs = stack.program_ids()
        downgrade(stack.owner_url, BEFORE_NEWEST)  # drops audit_log.entry_uid
        downgraded = time.monotonic()
        time.sleep(3.0)
        upgrading = time.monotonic()
        upgrade(stack.owner_url, "head")
        upgraded = time.monotonic()
        time.sleep(3.0)
    assert_no_server_error(traffic)
    assert_answered(traffic)

    # the service's code names a column the older schema lacks: audit entries wait in the
    # spool, writes (which audit in their transaction) are refused with 503 + Retry-After
    for kind in ("anonymous", "keyed"):
        during = traffic.within(downgraded, upgrading, kind)
        assert len(during) >= 5 and set(statuses(during)) == {200}
    writes = traffic.within(downgraded, upgrading, "admin")
    assert len(writes) >= 2 and set(statuses(writes)) == {503}

    assert_all_succeed(traffic.within(upgraded + 2.5, time.monotonic()))
    settle_writes(stack, traffic)
    assert_audited_once(stack, traffic)
    after = stack.audit_rows()
    # every entry written before is still there (the downgrade dropped their entry_uid only)
    assert [row[:3] for row in after[: len(written)]] == [row[:3] for row in written]
    assert programs <= stack.program_ids()
    with stack.owner.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head()


def send_half_a_plan(server: Server) -> socket.socket:
    """A plan request in flight: the headers and part of the body sent, the worker waiting for
    the rest (well within the 10 s body timeout)."""
    body = json.dumps(PLAN).encode()
    head = (
        "POST /v1/plans HTTP/1.1\r\nHost: hanaro.test\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    port = int(server.base_url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=NO_HANG_SECONDS)
    sock.sendall(head.encode() + body[:10])
    return sock


def test_a_worker_killed_under_traffic(stack: Stack) -> None:
    keyed, admin = stack.keys("Kill")
    warm_every_worker(stack, keyed)
    server = stack.server
    started_before, workers_before = server.started_workers(), worker_pids(server)
    with Traffic(stack, keyed, admin, "kill") as traffic:
        time.sleep(1.0)
        with send_half_a_plan(server) as in_flight:
            victim = worker_serving(server, in_flight.getsockname()[1])
            os.kill(victim, signal.SIGKILL)
            killed = time.monotonic()
            try:
                answer = in_flight.recv(4096)
            except ConnectionResetError:
                answer = b""
        replaced = wait_until(
            lambda: (
                server.started_workers() == started_before + 1
                and len(worker_pids(server) - workers_before) == 1
            ),
            RESTART_SECONDS,
        )
        [newcomer] = worker_pids(server) - workers_before
        rejoined = ask_worker(stack, newcomer, "POST", "/v1/plans/validate", json=PLAN)
        time.sleep(1.0)
    assert_no_server_error(traffic)

    # the request in flight on the killed worker: the connection closes without an answer
    assert answer == b""
    assert worker_pids(server) == workers_before - {victim} | {newcomer}
    assert rejoined.status_code == 200  # the replacement serves
    # requests that were in flight on it may fail at the connection level; no other
    failed = [o for o in traffic.outcomes if o.status is None]
    assert all(o.started < killed and o.error in CONNECTION_LOST for o in failed), failed
    # the other worker answered meanwhile, then both
    assert_all_succeed(traffic.within(killed + 0.1, replaced))
    assert_all_succeed(traffic.within(replaced, time.monotonic()))
    settle_writes(stack, traffic)
    assert_audited_once(stack, traffic)


def test_a_worker_killed_while_the_database_is_down(stack: Stack) -> None:
    keyed, admin = stack.keys("Compound")
    warm_every_worker(stack, keyed)
    server = stack.server
    started_before, workers_before = server.started_workers(), worker_pids(server)
    victim = min(workers_before)
    with Traffic(stack, keyed, admin, "compound") as traffic:
        time.sleep(1.0)
        stack.cluster.stop("fast")
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        replaced = wait_until(
            lambda: (
                server.started_workers() == started_before + 1
                and len(worker_pids(server) - workers_before) == 1
            ),
            RESTART_SECONDS,
        )
        [newcomer] = worker_pids(server) - workers_before
        no_catalog = ask_worker(stack, newcomer, "POST", "/v1/plans", json=PLAN)
        not_ready = ask_worker(stack, newcomer, "GET", "/ready")
        time.sleep(1.5)
        still_serving = server.process.poll() is None
        workers_then = worker_pids(server)
        restarting = time.monotonic()
        stack.cluster.start()
        recovered = wait_until(
            lambda: all(ready(stack)[0] == 200 for _ in range(4)), RECOVERY_SECONDS
        )
        served = ask_worker(stack, newcomer, "POST", "/v1/plans", json=PLAN)
        time.sleep(1.5)
    assert_no_server_error(traffic, problems=frozenset({DATABASE_UNAVAILABLE, NO_CATALOG_YET}))
    failed = [o for o in traffic.outcomes if o.status is None]
    assert all(o.started < killed and o.error in CONNECTION_LOST for o in failed), failed

    # the replacement started without the database, and the service stayed up
    assert still_serving
    assert workers_then == workers_before - {victim} | {newcomer}
    assert no_catalog.status_code == 503 and no_catalog.headers["retry-after"] == "2"
    assert no_catalog.json()["type"] == NO_CATALOG_YET
    assert not_ready.status_code == 503 and not_ready.json()["catalog_loaded"] is False
    assert served.status_code == 200  # loaded once the database was back
    # the survivor served plans from memory; the newcomer, with no catalog, a 503 to retry
    for kind in ("anonymous", "keyed"):
        during = traffic.within(replaced, restarting, kind)
        assert 200 in statuses(during), during
    writes = traffic.within(killed, restarting, "admin")
    assert writes and set(statuses(writes)) == {503}

    assert_all_succeed(traffic.within(recovered + 0.5, time.monotonic()))
    settle_writes(stack, traffic)
    assert_audited_once(stack, traffic)
