"""``run_screening``: stages reported in order, and a cancellation stops the run between
stages and interrupts the statement in progress."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.screening.run import Cancellation, Cancelled, RunRequest, run_screening
from tests.screening.test_cli import _csv_input


def test_a_cancellation_stops_the_run_at_the_next_stage(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    stop = Cancellation()

    @contextmanager
    def stage(index: int, total: int, _text: str) -> Iterator[None]:
        seen.append((index, total))
        if index == 2:
            stop.cancel()
        yield

    out = tmp_path / "out.csv"
    request = RunRequest(inputs=(_csv_input(tmp_path / "in"),), out=out)
    with pytest.raises(Cancelled):
        run_screening(request, stage=stage, cancellation=stop)
    assert seen == [(1, 6), (2, 6)]
    assert not out.exists()


def test_cancelling_interrupts_a_running_statement() -> None:
    import duckdb

    con = duckdb.connect()
    stop = Cancellation()
    timer = threading.Timer(0.3, stop.cancel)
    timer.start()
    with stop.interrupting(con.interrupt), pytest.raises(duckdb.InterruptException):
        con.execute("SELECT COUNT(*) FROM range(100000000000) AS a(x) WHERE x % 7 = 3").fetchone()
    timer.join()
    con.close()
