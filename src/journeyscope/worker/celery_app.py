"""The Celery backend: the same dispatch and analysis passes as the in-process worker.

``journeyscope worker`` starts a Celery worker on the broker in ``BROKER_URL`` (Redis or
RabbitMQ). Celery beat (``journeyscope worker --beat``, or a separate ``celery beat``) asks for
a pass every ``DISPATCH_INTERVAL_SECONDS``; a pass that claimed a full batch asks for another
at once, so a backlog spreads over every worker. Correctness never rests on the broker: claims
are leases in the database (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so a lost, repeated or
concurrent task at worst runs an empty pass, and a worker killed mid-send has its invitations
claimed again once their lease runs out. Tasks expire after one interval, so ticks queued
while every worker was down do not pile up. The analysis pass (queued interviews and survey
verbatims through the NLP) is a task of its own on the same schedule, so a long analysis never
holds up sending; it follows the same rules (database leases, another pass at once after a
full batch). The change-detection pass is a third task, every ``CHANGES_INTERVAL_SECONDS``
(hourly by default); two of them at once over one workspace are serialised by the database
(the workspace row is locked while its changes are replaced).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from celery import Celery, Task

from journeyscope.orchestration import (
    DispatchConfig,
    PassReport,
    Sender,
    dispatch_once,
    senders_from_settings,
)
from journeyscope.settings import Settings, ensure_secret_key
from journeyscope.store import Database, make_engine
from journeyscope.worker.analysis import AnalysisConfig, AnalysisPass, analyse_once, analysis_config
from journeyscope.worker.changes import changes_interval, detect_changes_once
from journeyscope.worker.config import dispatch_config

log = logging.getLogger(__name__)

DISPATCH_TASK = "journeyscope.dispatch"
ANALYSIS_TASK = "journeyscope.analyse"
CHANGES_TASK = "journeyscope.detect_changes"
QUEUE = "journeyscope"


@dataclass(frozen=True, slots=True)
class Runtime:
    """What a pass needs in a worker process; built on first use, after any fork."""

    db: Database
    senders: Mapping[str, Sender]
    config: DispatchConfig
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)


def default_runtime(settings: Settings) -> Runtime:
    """The runtime of a real worker: the configured database (on the system clock), channels."""
    secret = ensure_secret_key(settings).get_secret_value()
    return Runtime(
        db=Database(make_engine(settings.sqlalchemy_url())),
        senders=senders_from_settings(settings),
        config=dispatch_config(settings, secret),
        analysis=analysis_config(settings),
    )


class _Lazy:
    """Builds the runtime once per process, on the first task (thread-safe)."""

    def __init__(self, settings: Settings, runtime: Runtime | None) -> None:
        self.settings = settings
        self._runtime = runtime
        self._lock = threading.Lock()

    def get(self) -> Runtime:
        with self._lock:
            if self._runtime is None:
                self._runtime = default_runtime(self.settings)
            return self._runtime


def create_celery(
    settings: Settings, *, runtime: Runtime | None = None, queue: str = QUEUE
) -> Celery:
    """A Celery application for these settings, with the dispatch and analysis tasks, scheduled.

    ``runtime`` replaces the one built from the settings (tests inject senders and a database
    on their own clock);
    ``queue`` keeps several installations (or test runs) on one broker apart.
    """
    interval = settings.worker.dispatch_interval_seconds
    every = changes_interval(settings)
    app = Celery(
        "journeyscope", broker=settings.worker.broker_url.get_secret_value(), set_as_current=False
    )
    app.conf.update(
        task_default_queue=queue,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,  # a busy worker leaves queued passes to idle ones
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        beat_schedule={
            "dispatch-due-invitations": {
                "task": DISPATCH_TASK,
                "schedule": interval,
                "options": {"expires": interval},
            },
            "analyse-queued-texts": {
                "task": ANALYSIS_TASK,
                "schedule": interval,
                "options": {"expires": interval},
            },
            "detect-metric-changes": {
                "task": CHANGES_TASK,
                "schedule": every,
                "options": {"expires": every},
            },
        },
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
        timezone="UTC",
    )
    lazy = _Lazy(settings, runtime)

    @app.task(name=DISPATCH_TASK, bind=True, shared=False)  # per app: its own runtime
    def dispatch(task: Task[Any, Any]) -> dict[str, Any]:
        """Run one dispatch pass; ask for another at once when it claimed a full batch."""
        current = lazy.get()
        report = run_pass(current)
        if report.found_backlog(current.config.batch):
            task.apply_async(expires=interval)
        return {"claimed": report.claimed, "reminders": report.reminders.claimed}

    @app.task(name=ANALYSIS_TASK, bind=True, shared=False)
    def analyse(task: Task[Any, Any]) -> dict[str, Any]:
        """Run one analysis pass; ask for another at once when it claimed a full batch."""
        current = lazy.get()
        done = run_analysis(current)
        if done.found_backlog(current.analysis):
            task.apply_async(expires=interval)
        return {"claimed": done.claimed}

    @app.task(name=CHANGES_TASK, shared=False)
    def detect_changes() -> dict[str, Any]:
        """Run one change-detection pass over every workspace."""
        done = detect_changes_once(lazy.get().db)
        return {"series": done.series, "changes": done.changes}

    return app


def request_changes(app: Celery) -> None:
    """Ask the workers for a change-detection pass now (tests; beat asks on the schedule)."""
    app.send_task(CHANGES_TASK, queue=app.conf.task_default_queue)


def run_analysis(runtime: Runtime) -> AnalysisPass:
    """One analysis pass (queued interviews and verbatims), logged when it claimed any."""
    done = analyse_once(runtime.db, runtime.analysis)
    if done.claimed:
        log.info("analysis pass: %s", done)
    return done


def run_pass(runtime: Runtime) -> PassReport:
    """One dispatch pass in its own event loop (a Celery task is synchronous)."""
    report = asyncio.run(dispatch_once(runtime.db, runtime.senders, runtime.config))
    if report.claimed:
        log.info(
            "dispatch pass: %d claimed, %s, %s suppressed, %d deferred",
            report.claimed,
            report.outcomes,
            report.refused,
            report.deferred,
        )
    return report


def request_dispatch(app: Celery, passes: int = 1) -> None:
    """Ask the workers for ``passes`` dispatch passes now (e.g. after a batch send)."""
    for _ in range(passes):
        app.send_task(DISPATCH_TASK, queue=app.conf.task_default_queue)


def request_analysis(app: Celery) -> None:
    """Ask the workers for an analysis pass now (tests; beat asks on the schedule)."""
    app.send_task(ANALYSIS_TASK, queue=app.conf.task_default_queue)


def run_worker(
    settings: Settings, *, beat: bool, concurrency: int, pool: str, hostname: str | None
) -> None:
    """Run a Celery worker (and, with ``beat``, the schedule) until it is stopped."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # beat keeps its schedule
    app = create_celery(settings)
    argv = [
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        f"--loglevel={settings.log_level}",
        f"--queues={QUEUE}",
        "--without-gossip",  # workers need not know each other: the database coordinates
        "--without-mingle",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    if beat:
        argv.append("--beat")
    app.worker_main(argv)
