"""The in-process worker: dispatch, analysis and change passes on timers, in server threads.

``journeyscope serve`` on the embedded default needs nothing else running: one thread claims
due invitations every few seconds and sends them, another claims queued interviews and survey
verbatims and analyses them, a third looks for changes in the touchpoint series (hourly by
default). Their passes (:func:`dispatch_once`, :func:`analyse_once`,
:func:`detect_changes_once`) are the ones the Celery backend
(:mod:`journeyscope.worker.celery_app`) runs on many processes. Separate threads, so that a
long interview analysis or change pass never holds up sending. A pass that found a full batch
is followed by another at once, so a backlog drains at full speed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping

from journeyscope.orchestration import DispatchConfig, Sender, dispatch_once
from journeyscope.store import Database
from journeyscope.worker.analysis import AnalysisConfig, analyse_once
from journeyscope.worker.changes import DEFAULT_CHANGES_INTERVAL, detect_changes_once

log = logging.getLogger(__name__)


class InProcessWorker:
    """Runs :func:`dispatch_once` and :func:`analyse_once` every ``interval`` s until stopped.

    And :func:`detect_changes_once` every ``changes_interval`` s, the first pass at start.
    """

    def __init__(
        self,
        db: Database,
        senders: Mapping[str, Sender],
        config: DispatchConfig,
        *,
        interval: float = 5.0,
        analysis: AnalysisConfig | None = None,
        changes_interval: float = DEFAULT_CHANGES_INTERVAL,
    ) -> None:
        self.db = db
        self.senders = senders
        self.config = config
        self.analysis = analysis or AnalysisConfig()
        self.interval = interval
        self.changes_interval = changes_interval
        self._stop = threading.Event()
        self._threads = (
            threading.Thread(target=self._run, name="journeyscope-worker", daemon=True),
            threading.Thread(target=self._analyse, name="journeyscope-analysis", daemon=True),
            threading.Thread(target=self._changes, name="journeyscope-changes", daemon=True),
        )

    def start(self) -> InProcessWorker:
        """Start the background threads."""
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the threads to finish their pass and wait for them."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)

    def _run(self) -> None:
        asyncio.run(self._loop())

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                report = await dispatch_once(self.db, self.senders, self.config)
            except Exception:  # a bad pass must not kill the worker; the next one retries
                log.exception("dispatch pass failed")
                report = None
            if report is not None and report.found_backlog(self.config.batch):
                continue  # a backlog: go on at once
            await asyncio.to_thread(self._stop.wait, self.interval)

    def _analyse(self) -> None:
        while not self._stop.is_set():
            try:
                done = analyse_once(self.db, self.analysis)
            except Exception:  # e.g. the database is away: the next pass retries
                log.exception("analysis pass failed")
                done = None
            if done is not None and done.found_backlog(self.analysis):
                continue
            self._stop.wait(self.interval)

    def _changes(self) -> None:
        while not self._stop.is_set():
            try:
                detect_changes_once(self.db)
            except Exception:  # e.g. the database is away: the next pass retries
                log.exception("change-detection pass failed")
            self._stop.wait(self.changes_interval)
