"""Crash test of the Celery backend: 2,000 due invitations, two ``journeyscope worker``
processes on a real Redis, one killed with SIGKILL mid-run and restarted.

Every invitation must end ``sent`` exactly once in the database, and the SMTP server must have
seen 2,000 distinct Message-IDs. The only allowed duplicates are messages the server accepted
before the kill whose outcome the killed worker had not committed yet: they are measured and
printed, and bounded by what one worker holds in flight (its claims).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factories import Tenant, make_published_survey
from journeyscope.orchestration.deliveries import RECORD_EVERY
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from outbox_support import plan_sales, require_broker, states, wait_until
from parallel import with_redis_database
from smtp_sink import SmtpSink

pytestmark = pytest.mark.slow

INVITATIONS = 2000
BATCH = 50
CONCURRENCY = 2


class Workers:
    """``journeyscope worker`` processes with their own logs, all stopped at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.started = 0

    def start(self, name: str, *options: str) -> None:
        self.started += 1
        command = [sys.executable, "-m", "journeyscope", "worker", f"--hostname={name}@test"]
        command += [f"--concurrency={CONCURRENCY}", *options]
        with (self.logs / f"{name}-{self.started}.log").open("wb") as log:
            self.running[name] = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.running.values():
            process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running.clear()

    def tail(self) -> str:
        return "\n".join(p.read_text()[-3000:] for p in sorted(self.logs.glob("*.log")))


@pytest.fixture
def workers(settings: Settings, tmp_path: Path) -> Iterator[tuple[Workers, SmtpSink]]:
    broker = with_redis_database(require_broker("redis"))  # this xdist worker's own
    with SmtpSink() as sink:
        env = os.environ | {
            "JOURNEYSCOPE_DATABASE_URL": settings.sqlalchemy_url().render_as_string(
                hide_password=False
            ),
            "JOURNEYSCOPE_DATA_DIR": str(settings.data_dir),
            "JOURNEYSCOPE_SECRET_KEY": "test-secret-key",
            "JOURNEYSCOPE_WORKER_BACKEND": "celery",
            "JOURNEYSCOPE_BROKER_URL": broker,
            "JOURNEYSCOPE_SMTP_HOST": "127.0.0.1",
            "JOURNEYSCOPE_SMTP_PORT": str(sink.port),
            "JOURNEYSCOPE_DISPATCH_INTERVAL_SECONDS": "0.5",
            "JOURNEYSCOPE_DISPATCH_BATCH": str(BATCH),
            "JOURNEYSCOPE_DISPATCH_LEASE_SECONDS": "10",
            "JOURNEYSCOPE_LOG_LEVEL": "WARNING",
        }
        logs = tmp_path / "logs"
        logs.mkdir()
        group = Workers(env, logs)
        try:
            yield group, sink
        finally:
            group.stop_all()


def test_sigkill_mid_run_loses_nothing_and_sends_each_invitation_once(
    db: Database,
    tenant: Tenant,
    workers: tuple[Workers, SmtpSink],
    capsys: pytest.CaptureFixture[str],
) -> None:
    group, sink = workers
    make_published_survey(db, tenant)
    plan_sales(db, tenant, INVITATIONS)
    assert states(db) == {"scheduled": INVITATIONS}

    # The victim works alone until it is killed, so the claims left at the kill are its own.
    # A kill that lands between two passes leaves none: then it runs again, up to five times.
    for _attempt in range(5):
        group.start("victim", "--beat")
        wait_until(
            lambda: len(sink.messages) >= INVITATIONS // 4 and states(db)["sending"] > 0,
            timeout=60,
            what="a quarter sent, with claims in flight",
            context=group.tail,
        )
        group.kill("victim")
        if states(db)["sending"] > 0:  # nothing else runs: these claims died with the victim
            break
    else:
        pytest.fail("five kills in a row landed between passes")
    at_kill = len(sink.messages)
    group.start("steady", "--beat")
    group.start("victim")
    wait_until(
        lambda: states(db) == {"sent": INVITATIONS},
        timeout=180,
        what="all sent",
        context=lambda: f"{states(db)}\n{group.tail()}",
    )
    group.stop_all()

    seen = Counter(sink.message_ids())
    duplicates = sum(seen.values()) - len(seen)
    with db.transaction() as session:
        stored = set(session.scalars(select(tables.Invitation.message_id)))
        reclaimed = session.scalar(select(func.count()).where(tables.Invitation.attempts > 1))
    with capsys.disabled():  # the issue asks for the figures to be printed
        print(  # noqa: T201
            f"\ncrash test ({db.engine.dialect.name}): {INVITATIONS} invitations, killed at "
            f"{at_kill} accepted; {reclaimed} re-claimed after the lease; SMTP saw "
            f"{sum(seen.values())} messages, {len(seen)} distinct, {duplicates} duplicates"
        )
    assert len(seen) == INVITATIONS and set(seen) == stored
    assert reclaimed, "the killed worker held no claims: the kill came between passes"
    # In flight, unrecorded, per pass: the group being heard and the one being committed.
    assert duplicates <= min(reclaimed, 2 * RECORD_EVERY * CONCURRENCY)
    assert reclaimed <= BATCH * CONCURRENCY
