"""Per-worker holder of the compiled catalog snapshot.

Each worker keeps its own immutable snapshot and swaps in a new one (one assignment) when the
catalog revision in the database changes, so a request always sees exactly one catalog version.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from app.db.repositories.catalog_state import CatalogStateRepository

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded(Generic[T]):
    revision: int
    snapshot: T


def settle_garbage_collector() -> None:
    """Keep the long-lived compiled catalog out of the collector's way.

    A full collection walks every object; with a large compiled catalog that pause lands on some
    unlucky request (100-350 ms at 5,000 programs, see bench/README.md). After a swap, collect
    once (the previous snapshot included: ``unfreeze`` first) and move what survives into the
    permanent generation. Snapshots hold no reference cycles, so a replaced one is still freed
    by reference counting. (The process-wide thresholds are set once, in the app's lifespan:
    ``app.main.tune_garbage_collector``.)
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class CatalogStore(Generic[T]):
    def __init__(self, builder: Callable[[Session], T], refresh_seconds: float) -> None:
        self._builder = builder
        self._refresh_seconds = refresh_seconds
        self._loaded: Loaded[T] | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    @property
    def current(self) -> Loaded[T] | None:
        return self._loaded

    def refresh(self, session: Session) -> Loaded[T] | None:
        """Rebuild the snapshot if the database revision differs from the one held."""
        with self._lock:
            revision = CatalogStateRepository(session).revision()
            self._checked_at = time.monotonic()
            held = self._loaded
            if revision is None:
                return held
            if held is None or held.revision != revision:
                self._loaded = Loaded(revision=revision, snapshot=self._builder(session))
                settle_garbage_collector()
            return self._loaded

    def refresh_if_stale(self, session: Session) -> Loaded[T] | None:
        if time.monotonic() - self._checked_at >= self._refresh_seconds:
            return self.refresh(session)
        return self._loaded
