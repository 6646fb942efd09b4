"""Open-loop fixed-rate load: send requests at a fixed rate, whatever the server's pace.

Debian ships ``wrk`` but not ``wrk2``, and ``wrk`` is closed-loop (a connection sends its next
request only after the previous answer), which hides queueing ("coordinated omission"). This
sender schedules request *i* at ``t0 + i / rate`` and measures its latency from that scheduled
time to the last byte of the answer, so a stalled server shows up as latency, not as a lower
rate. A keep-alive connection is taken from a pool per request; a new one is opened when all are
busy (up to ``max_connections``). The client is plain asyncio streams (no HTTP library) to keep
its own CPU use small on a machine it shares with the server.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class OpenLoopResult:
    target_rps: float
    achieved_rps: float
    requests: int
    duration_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    errors: int
    late_sends: int
    connections: int
    error_kinds: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


IDLE_LIMIT = 3.0  # seconds; uvicorn closes keep-alive connections idle for 5 s


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.last_used = 0.0

    async def exchange(self, request: bytes) -> int:
        """Send one request, read the whole answer; the HTTP status."""
        self.writer.write(request)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length: int | None = None
        chunked = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def build_requests(host: str, port: int, path: str, bodies: list[dict[str, Any]]) -> list[bytes]:
    """Pre-encoded HTTP/1.1 keep-alive POSTs, one per body."""
    encoded = []
    for body in bodies:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        encoded.append(head.encode() + data)
    return encoded


async def _run(
    host: str,
    port: int,
    requests: list[bytes],
    rate: float,
    duration: float,
    max_connections: int,
    timeout: float,
) -> OpenLoopResult:
    idle: list[_Connection] = []
    opened = 0
    latencies: list[float] = []
    statuses: list[int] = []
    kinds: dict[str, int] = {}
    late = 0
    slots = asyncio.Semaphore(max_connections)
    loop = asyncio.get_running_loop()

    async def one(request: bytes, scheduled: float) -> None:
        nonlocal opened
        async with slots:
            conn = idle.pop() if idle else None
            while conn is not None and loop.time() - conn.last_used > IDLE_LIMIT:
                conn.close()  # the server may have closed it already: do not race it
                conn = idle.pop() if idle else None
            try:
                if conn is None:
                    reader, writer = await asyncio.open_connection(host, port)
                    conn = _Connection(reader, writer)
                    opened += 1
                status = await asyncio.wait_for(conn.exchange(request), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                if conn is not None:
                    conn.close()
                return
            conn.last_used = loop.time()
            latencies.append(conn.last_used - scheduled)
            statuses.append(status)
            idle.append(conn)

    total = max(1, int(rate * duration))
    tasks: list[asyncio.Task[None]] = []
    start = loop.time() + 0.05
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.001:
            late += 1
        tasks.append(asyncio.create_task(one(requests[i % len(requests)], scheduled)))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - start
    for conn in idle:
        conn.close()
    ordered = sorted(x * 1000 for x in latencies)
    return OpenLoopResult(
        target_rps=rate,
        achieved_rps=round(len(latencies) / elapsed, 2),
        requests=len(latencies),
        duration_s=round(elapsed, 3),
        p50_ms=round(percentile(ordered, 50), 3),
        p90_ms=round(percentile(ordered, 90), 3),
        p99_ms=round(percentile(ordered, 99), 3),
        max_ms=round(ordered[-1], 3) if ordered else 0.0,
        non2xx=sum(1 for s in statuses if not 200 <= s < 300),
        errors=sum(kinds.values()),
        late_sends=late,
        connections=opened,
        error_kinds=kinds,
    )


def fixed_rate(
    host: str,
    port: int,
    path: str,
    bodies: list[dict[str, Any]],
    rate: float,
    duration: float,
    max_connections: int = 64,
    timeout: float = 10.0,
) -> OpenLoopResult:
    """Send ``rate`` requests per second for ``duration`` seconds, cycling through ``bodies``."""
    requests = build_requests(host, port, path, bodies)
    return asyncio.run(_run(host, port, requests, rate, duration, max_connections, timeout))
