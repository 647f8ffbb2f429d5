"""The same behaviour from every task backend: the in-process worker of ``journeyscope serve``
and Celery workers on a real Redis and a real RabbitMQ on 127.0.0.1.

Each backend runs the real dispatcher against the real database and a real SMTP server; time
is a FixedClock shared with the backend, so retries and delays need no sleeping.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from factories import FOUND_IT_SURVEY, Tenant, make_published_survey
from journeyscope import analytics, collection, interviews, orchestration
from journeyscope.clock import FixedClock
from journeyscope.collection import ResponseIn
from journeyscope.interviews import InterviewImport
from journeyscope.orchestration.channels.email import EmailSender
from journeyscope.orchestration.dispatcher import DispatchConfig
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from journeyscope.worker import InProcessWorker
from metrics_support import make_journey, plant_daily_nps
from outbox_support import plan_sales, require_broker, states, wait_until
from smtp_sink import SmtpSink

START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
BACKENDS = ["inprocess", "celery-redis", "celery-rabbitmq"]


@contextlib.contextmanager
def running(kind: str, db: Database, settings: Settings, sink: SmtpSink) -> Iterator[None]:
    """Run backend ``kind`` (dispatching every 50 ms) until the block ends."""
    smtp = settings.updated(mail={"smtp_host": "127.0.0.1", "smtp_port": sink.port})
    senders = {"email": EmailSender(smtp)}
    config = DispatchConfig(base_url="https://feedback.example", secret_key="k", batch=10)
    if kind == "inprocess":
        worker = InProcessWorker(db, senders, config, interval=0.05).start()
        try:
            yield
        finally:
            worker.stop()
        return
    from celery.contrib.testing.worker import start_worker

    from journeyscope.worker.celery_app import (
        Runtime,
        create_celery,
        request_analysis,
        request_changes,
        request_dispatch,
    )

    broker = require_broker(kind.removeprefix("celery-"))
    app = create_celery(
        settings.updated(worker={"broker_url": broker}),
        runtime=Runtime(db, senders, config),
        queue=f"journeyscope-test-{uuid.uuid4().hex[:8]}",  # no cross-talk between test runs
    )
    # The test worker runs without heartbeats; with AMQP heartbeats still asked of the broker,
    # its shutdown waits out a heartbeat interval (9 s), so none are asked for.
    app.conf.broker_heartbeat = 0
    stop = threading.Event()

    def tick() -> None:  # what beat does, faster
        while not stop.wait(0.05):
            request_dispatch(app)
            request_analysis(app)

    ticker = threading.Thread(target=tick, daemon=True)
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False):
        request_changes(app)  # as the in-process worker, one change pass at start
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()


@pytest.fixture(params=BACKENDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def test_a_change_pass_stores_a_planted_drop(
    kind: str, db: Database, tenant: Tenant, settings: Settings, clock: FixedClock
) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=120, drop_after=100)

    def found() -> bool:
        return bool(analytics.list_changes(db, workspace_id=tenant.id).items)

    with SmtpSink() as sink, running(kind, db, settings, sink):
        wait_until(found, timeout=60, what="the change pass stored the drop")


def _settled(db: Database) -> bool:
    found = states(db)
    return found["scheduled"] == 0 and found["sending"] == 0


def test_a_backlog_is_sent_once_each_with_its_message_id(
    kind: str, db: Database, tenant: Tenant, settings: Settings, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    plan_sales(db, tenant, 35)  # three and a half batches
    with SmtpSink() as sink, running(kind, db, settings, sink):
        wait_until(lambda: _settled(db), timeout=60, what="35 invitations sent")
        ids = sink.message_ids()
    assert states(db) == {"sent": 35}
    with db.transaction() as session:
        stored = set(session.scalars(select(tables.Invitation.message_id)))
    assert len(ids) == 35 and set(ids) == stored


def test_policies_are_checked_again_when_due(
    kind: str, db: Database, tenant: Tenant, settings: Settings, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    ids = plan_sales(db, tenant, 3, rule={"delay_minutes": 60})
    contact = tenant_contact(db, tenant, ids[0])
    orchestration.set_channel_status(
        db,
        workspace_id=tenant.id,
        contact_id=contact,
        channel="email",
        status="unsubscribed",
        source="test",
    )
    with SmtpSink() as sink, running(kind, db, settings, sink):
        clock.advance(minutes=61)
        wait_until(lambda: _settled(db), timeout=60, what="due invitations handled")
        received = len(sink.messages)
    assert received == 2
    with db.transaction() as session:
        stmt = select(tables.Invitation.state, tables.Invitation.reason)
        reasons = {row[0]: row[1] for row in session.execute(stmt)}
    assert reasons["suppressed"] == "unsubscribed"


def test_a_temporary_refusal_is_retried_after_the_backoff(
    kind: str, db: Database, tenant: Tenant, settings: Settings, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    plan_sales(db, tenant, 1)
    with SmtpSink() as sink, running(kind, db, settings, sink):
        sink.fail_next(1, 451, "4.3.0 try again later")
        wait_until(lambda: sink.refused != [], timeout=30, what="the first attempt refused")
        wait_until(lambda: _attempts(db) == 1, timeout=30, what="the retry scheduled")
        assert states(db) == {"scheduled": 1} and sink.messages == []
        clock.advance(seconds=61)  # the first backoff is one minute
        wait_until(lambda: states(db) == {"sent": 1}, timeout=30, what="the retry sent")
        [message] = sink.messages
    with db.transaction() as session:
        row = session.scalars(select(tables.Invitation)).one()
    assert (row.attempts, row.message_id) == (2, message["Message-ID"])


def _attempts(db: Database) -> int | None:
    """The attempts of the only invitation, once it is back to ``scheduled``."""
    with db.transaction() as session:
        row = session.scalars(select(tables.Invitation)).one()
        return row.attempts if row.state == "scheduled" else None


def tenant_contact(db: Database, tenant: Tenant, external_id: str) -> uuid.UUID:
    with db.transaction() as session:
        return session.scalars(
            select(tables.Contact.id).where(
                tables.Contact.workspace_id == tenant.id,
                tables.Contact.external_id == external_id,
            )
        ).one()


def test_queued_interviews_and_verbatims_are_analysed(
    kind: str, db: Database, tenant: Tenant, settings: Settings
) -> None:
    make_published_survey(db, tenant, key="found", definition=FOUND_IT_SURVEY)
    options = InterviewImport(filename="sam.txt", journey_key="retail")
    text = "Maya: How was the checkout?\nSam: A bit confusing, but whatever.\n"
    stored = interviews.import_interview(db, workspace_id=tenant.id, source=text, options=options)
    answer = {"found": "no", "note": "The queue was far too slow"}
    data = ResponseIn.model_validate(
        {"id": str(uuid.uuid4()), "survey_key": "found", "channel": "onsite", "answers": answer}
        | {"complete": True}
    )
    collection.submit_response(db, workspace_id=tenant.id, data=data)

    def done() -> bool:
        with db.transaction() as session:
            found = set(session.scalars(select(tables.Verbatim.status)))
            found |= set(session.scalars(select(tables.Interview.status)))
        return found == {"analysed"}

    with SmtpSink() as sink, running(kind, db, settings, sink):
        wait_until(done, timeout=60, what="the interview and the verbatim analysed")
    found = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored.id)
    assert found.status == "analysed" and found.utterances[1].annotation is not None
