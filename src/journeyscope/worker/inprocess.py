"""The in-process worker: dispatch passes on a timer, in a thread of the server process.

``journeyscope serve`` on the embedded default needs nothing else running: this thread claims
due invitations every few seconds and sends them. Its pass (:func:`dispatch_once`) is the one
the Celery backend (:mod:`journeyscope.worker.celery_app`) runs on many processes. A pass
that found a full batch is followed by another at once, so a backlog drains at full speed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping

from journeyscope.orchestration import Clock, SystemClock
from journeyscope.orchestration.channels.base import Sender
from journeyscope.orchestration.dispatcher import DispatchConfig, dispatch_once
from journeyscope.store import Database

log = logging.getLogger(__name__)


class InProcessWorker:
    """Runs :func:`dispatch_once` every ``interval`` seconds until stopped."""

    def __init__(
        self,
        db: Database,
        senders: Mapping[str, Sender],
        config: DispatchConfig,
        *,
        interval: float = 5.0,
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self.senders = senders
        self.config = config
        self.interval = interval
        self.clock = clock or SystemClock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journeyscope-worker", daemon=True)

    def start(self) -> InProcessWorker:
        """Start the background thread."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to finish its pass and wait for it."""
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        asyncio.run(self._loop())

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                report = await dispatch_once(self.db, self.senders, self.config, self.clock)
            except Exception:  # a bad pass must not kill the worker; the next one retries
                log.exception("dispatch pass failed")
                report = None
            if report is not None and report.found_backlog(self.config.batch):
                continue  # a backlog: go on at once
            await asyncio.to_thread(self._stop.wait, self.interval)
