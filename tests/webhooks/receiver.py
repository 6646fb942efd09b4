"""A real HTTP receiver on loopback for webhook tests, and a signature check written from the
Standard Webhooks spec with hashlib/hmac alone (not the app's code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    """Records every POST; answers with the queued statuses first, then 204."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.requests: list[Received] = []
        self.queued: list[int] = []
        self.changed = threading.Condition()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hooks/hanaro"

    def answer_with(self, *statuses: int) -> None:
        with self.changed:
            self.queued.extend(statuses)

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: len(self.requests) >= count, timeout)

    def take(self, received: Received) -> int:
        with self.changed:
            self.requests.append(received)
            self.changed.notify_all()
            return self.queued.pop(0) if self.queued else 204


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        status = self.server.receiver.take(Received(self.path, headers, body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:  # quiet
        pass


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    receiver = Receiver(server)
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def signature_is_valid(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """``webhook-signature`` holds ``v1,<base64 HMAC-SHA256>`` of ``id.timestamp.body`` keyed
    with the base64-decoded part of ``whsec_...``."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode("ascii")
    return any(hmac.compare_digest(expected, sig) for sig in headers["webhook-signature"].split())
