"""The dispatcher thread each worker runs (started and stopped by the app's lifespan).

It delivers whatever is due, then sleeps ``webhook_poll_seconds`` before looking again. Several
workers (and ``hanaro webhooks deliver``) may run side by side: claims keep them apart. A
database that does not answer is logged once and retried at the next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crypto import data_cipher
from app.settings import Settings
from app.webhooks.dispatcher import Dispatcher

log = logging.getLogger("hanaro.webhooks")
BATCH = 100  # tries between two checks of the stop flag and the poll


class DispatcherThread:
    def __init__(self, make_dispatcher: Callable[[], Dispatcher], poll_seconds: float) -> None:
        self._make, self._poll = make_dispatcher, poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-dispatcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask it to stop after the try in progress; an unfinished claim is redelivered later."""
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        dispatcher = self._make()
        failing = False
        try:
            while not self._stop.is_set():
                try:
                    tries = dispatcher.deliver_due(BATCH, should_stop=self._stop.is_set)
                except SQLAlchemyError as error:
                    if not failing:
                        log.warning("webhook dispatcher: database error (%s)", type(error).__name__)
                    failing, tries = True, 0
                else:
                    failing = False
                if tries < BATCH:
                    self._stop.wait(self._poll)
        finally:
            dispatcher.close()


def start_dispatcher_thread(
    sessions: Callable[[], Session], settings: Settings
) -> DispatcherThread | None:
    """The worker's dispatcher, started; None when ``webhook_poll_seconds`` is 0 (the CLI
    delivers instead)."""
    if settings.webhook_poll_seconds <= 0:
        return None
    thread = DispatcherThread(
        lambda: Dispatcher(sessions, data_cipher(settings), settings), settings.webhook_poll_seconds
    )
    thread.start()
    return thread
