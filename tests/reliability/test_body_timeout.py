"""A stalled or trickling request body ends in a 408 problem within ``body_timeout_seconds``.

Real loopback HTTP: uvicorn serves the app on 127.0.0.1 in a thread, and a raw socket sends the
headers and part of a body, then stalls (or trickles a byte at a time). Without the timeout the
request holds its worker until the client gives up.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sqlalchemy import Engine

from app.main import create_app
from tests.conftest import make_settings

TIMEOUT = 1.0  # seconds: the setting under test
BOUND = TIMEOUT + 2.0  # the 408 must arrive within this, measured from the headers
BODY = json.dumps({"profile": {"applicant": {"age": 70}}, "as_of": "2026-03-02"}).encode()


@pytest.fixture
def server_address(database_url: str, engine: Engine) -> Iterator[tuple[str, int]]:
    """uvicorn serving the app (migrated database, catalog loaded) on a free loopback port."""
    app = create_app(make_settings(database_url, body_timeout_seconds=TIMEOUT))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_keep_alive=30)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    started = time.monotonic()
    while not server.started:
        assert thread.is_alive() and time.monotonic() - started < 20, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield listener.getsockname()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def _headers(length: int) -> bytes:
    return (
        "POST /v1/plans HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Accept-Language: en\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _read_response(conn: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection without a response"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection mid-response"
        body += chunk
    return int(lines[0].split()[1]), headers, body


def _assert_timeout_problem(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 408, body[:300]
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["type"] == "urn:hanaro:problem:request-timeout"
    assert problem["status"] == 408
    assert problem["title"] == "The request body took too long"


def test_stalled_body_gets_408_within_the_bound(server_address: tuple[str, int]) -> None:
    with socket.create_connection(server_address, timeout=BOUND + 5) as conn:
        started = time.monotonic()
        conn.sendall(_headers(len(BODY)) + BODY[:10])  # then nothing
        status, headers, body = _read_response(conn)
        elapsed = time.monotonic() - started
    _assert_timeout_problem(status, headers, body)
    assert TIMEOUT * 0.8 <= elapsed <= BOUND, elapsed


def test_trickling_body_gets_408_within_the_bound(server_address: tuple[str, int]) -> None:
    """Each byte comes quickly enough that a per-read timeout would never fire."""
    with socket.create_connection(server_address, timeout=BOUND + 5) as conn:
        started = time.monotonic()
        conn.sendall(_headers(len(BODY)))
        conn.setblocking(False)
        response = b""
        for byte in BODY:
            if time.monotonic() - started > BOUND + 2:
                break
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                break  # the server answered and closed
            with contextlib.suppress(BlockingIOError):
                response += conn.recv(65536)
            if response:
                break
            time.sleep(0.2)
        conn.setblocking(True)
        conn.settimeout(BOUND + 5)
        if b"\r\n\r\n" not in response:
            response += conn.recv(65536)
        elapsed = time.monotonic() - started
    head = response.split(b"\r\n", 1)[0]
    assert head.startswith(b"HTTP/1.1 408"), response[:300]
    assert TIMEOUT * 0.8 <= elapsed <= BOUND, elapsed


def test_prompt_body_is_served(server_address: tuple[str, int]) -> None:
    with socket.create_connection(server_address, timeout=30) as conn:
        conn.sendall(_headers(len(BODY)) + BODY)
        status, _headers_in, body = _read_response(conn)
    assert status == 200, body[:300]
    assert json.loads(body)["as_of"] == "2026-03-02"


def test_the_timeout_is_a_setting_with_a_sane_default() -> None:
    from app.settings import Settings

    assert Settings().body_timeout_seconds == 10.0
    assert Settings(body_timeout_seconds=2.5).body_timeout_seconds == 2.5
