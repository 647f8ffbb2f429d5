"""The Celery backend: the same dispatch pass as the in-process worker, on many processes.

``journeyscope worker`` starts a Celery worker on the broker in ``BROKER_URL`` (Redis or
RabbitMQ). Celery beat (``journeyscope worker --beat``, or a separate ``celery beat``) asks for
a pass every ``DISPATCH_INTERVAL_SECONDS``; a pass that claimed a full batch asks for another
at once, so a backlog spreads over every worker. Correctness never rests on the broker: claims
are leases in the database (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so a lost, repeated or
concurrent task at worst runs an empty pass, and a worker killed mid-send has its invitations
claimed again once their lease runs out. Tasks expire after one interval, so ticks queued
while every worker was down do not pile up.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from celery import Celery, Task

from journeyscope.orchestration import Clock, SystemClock
from journeyscope.orchestration.channels import senders_from_settings
from journeyscope.orchestration.channels.base import Sender
from journeyscope.orchestration.dispatcher import DispatchConfig, PassReport, dispatch_once
from journeyscope.settings import Settings, ensure_secret_key
from journeyscope.store import Database, make_engine
from journeyscope.worker.config import dispatch_config

log = logging.getLogger(__name__)

DISPATCH_TASK = "journeyscope.dispatch"
QUEUE = "journeyscope"


@dataclass(frozen=True, slots=True)
class Runtime:
    """What a pass needs in a worker process; built on first use, after any fork."""

    db: Database
    senders: Mapping[str, Sender]
    config: DispatchConfig
    clock: Clock


def default_runtime(settings: Settings) -> Runtime:
    """The runtime of a real worker: the configured database, channels and the real time."""
    secret = ensure_secret_key(settings).get_secret_value()
    return Runtime(
        db=Database(make_engine(settings.sqlalchemy_url())),
        senders=senders_from_settings(settings),
        config=dispatch_config(settings, secret),
        clock=SystemClock(),
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
    """A Celery application for these settings, with the dispatch task and its schedule.

    ``runtime`` replaces the one built from the settings (tests inject a clock and senders);
    ``queue`` keeps several installations (or test runs) on one broker apart.
    """
    interval = settings.dispatch_interval_seconds
    app = Celery("journeyscope", broker=settings.broker_url, set_as_current=False)
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
            }
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

    return app


def run_pass(runtime: Runtime) -> PassReport:
    """One dispatch pass in its own event loop (a Celery task is synchronous)."""
    report = asyncio.run(dispatch_once(runtime.db, runtime.senders, runtime.config, runtime.clock))
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
