"""The set-up of tests that plan and send invitations, shared by the orchestration and worker
suites: contacts, rules and sales, a recording channel, one dispatch pass, the outbox's rows;
and for the real backends, many invitations at once, waiting for the outbox to settle, and the
brokers on 127.0.0.1.

Time is the database's clock, a :class:`~journeyscope.clock.FixedClock` (the ``clock``
fixture of ``tests/integration/orchestration/conftest.py`` starts it at :data:`START`, and
``db`` carries it), so delays, send windows and periods are tested by moving it, never by
sleeping.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select

from factories import Tenant
from journeyscope import collection, orchestration
from journeyscope.collection import ContactIn, EventIn
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.orchestration.dispatcher import DispatchConfig, PassReport, dispatch_once
from journeyscope.store import Database, tables

START = dt.datetime(2026, 11, 24, 18, 30, tzinfo=dt.UTC)  # 19:30 in Paris
MORNING = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris: the window opens
CONFIG = DispatchConfig(base_url="http://testserver", secret_key="test-secret-key")
"""Links on the TestClient's host, signed with the ``settings`` fixture's key."""
IN_THE_DAY = {"delay_minutes": 60, "window": {"start": "09:00", "end": "20:00"}}
"""A rule's settings: one hour after the sale, between 09:00 and 20:00 in the contact's zone."""

REDIS_URL = os.environ.get("JOURNEYSCOPE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL = os.environ.get("JOURNEYSCOPE_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
BROKERS = {"redis": (REDIS_URL, 6379), "rabbitmq": (AMQP_URL, 5672)}


class RecordingSender:
    """A channel that answers each delivery with ``result`` and keeps what it was given."""

    def __init__(self, result: Result = Result.SENT, channel: str = "email", **more: Any) -> None:
        self.channel = channel
        self.result = result
        self.more = more
        self.sent: list[Delivery] = []

    async def send(
        self, deliveries: Sequence[Delivery], on_outcome: object = None
    ) -> list[Outcome]:
        self.sent.extend(deliveries)
        return [Outcome(d.invitation_id, self.result, "recorded", **self.more) for d in deliveries]

    def to(self, external_id: str) -> Delivery:
        """The last delivery to the contact ``external_id``."""
        return [d for d in self.sent if d.recipient.external_id == external_id][-1]


def add_contact(
    db: Database, tenant: Tenant, external_id: str, *, timezone: str = "Europe/Paris", **fields: Any
) -> None:
    """A contact with an address at example.com (unless ``email`` says otherwise)."""
    fields.setdefault("email", f"{external_id.lower()}@example.com")
    data = ContactIn(external_id=external_id, timezone=timezone, **fields)
    collection.upsert_contact(db, workspace_id=tenant.id, data=data)


def put_rule(db: Database, tenant: Tenant, **settings: Any) -> orchestration.RuleView:
    """The rule ``after-sale`` (or ``key``): a sale invites to the survey "visit" by email."""
    spec = {"key": "after-sale", "event_type": "sale.completed", "survey": "visit"} | settings
    return orchestration.put_rule(
        db, workspace_id=tenant.id, spec=orchestration.RuleSpec.model_validate(spec)
    )[0]


def sales(
    db: Database,
    tenant: Tenant,
    *people: str | None,
    kind: str = "sale.completed",
    at: dt.datetime | None = None,
    **fields: Any,
) -> None:
    """One event of type ``kind`` per contact, at ``at`` (the clock's now), stored and planned.

    ``fields`` go to each event (``properties``, ``idempotency_key``...).
    """
    events = [
        EventIn(type=kind, occurred_at=at or db.clock.now(), contact_external_id=p, **fields)
        for p in people
    ]
    orchestration.ingest_and_plan(db, workspace_id=tenant.id, events=events)


def dispatch(
    db: Database,
    *senders: RecordingSender,
    config: DispatchConfig = CONFIG,
) -> PassReport:
    """One dispatch pass with these channels (none: no channel configured on this worker)."""
    by_channel = {sender.channel: sender for sender in senders}
    return asyncio.run(dispatch_once(db, by_channel, config))


def contact_id(db: Database, external_id: str) -> uuid.UUID:
    """The id of the contact ``external_id``."""
    with db.transaction() as session:
        found: uuid.UUID = session.scalars(
            select(tables.Contact.id).where(tables.Contact.external_id == external_id)
        ).one()
        return found


def invitations(db: Database) -> list[tables.Invitation]:
    """Every invitation row, oldest first."""
    with db.transaction() as session:
        return list(session.scalars(select(tables.Invitation).order_by(tables.Invitation.id)))


def require_broker(name: str) -> str:
    """The broker's URL; skip (fail in CI, where .ci/run starts it) when it does not answer."""
    url, port = BROKERS[name]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    except OSError as error:
        message = f"{name} is not listening on 127.0.0.1:{port} ({error})"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI requires it; .ci/run starts it)", pytrace=False)
        pytest.skip(message)
    return url


def plan_sales(
    db: Database,
    tenant: Tenant,
    count: int,
    *,
    rule: dict[str, Any] | None = None,
    chunk: int = 500,
) -> list[str]:
    """``count`` contacts, each with one sale that a rule turns into an invitation due now.

    Returns the contacts' external ids (``C00000``, ``C00001``, ...).
    """
    spec = orchestration.RuleSpec.model_validate(
        {"key": "after-sale", "event_type": "sale.completed", "survey": "visit"} | (rule or {})
    )
    orchestration.put_rule(db, workspace_id=tenant.id, spec=spec)
    ids = [f"C{i:05d}" for i in range(count)]
    for start in range(0, count, chunk):
        part = ids[start : start + chunk]
        items = [ContactIn(external_id=i, email=f"{i.lower()}@example.com") for i in part]
        collection.upsert_contacts(db, workspace_id=tenant.id, items=items)
        events = [  # they happen on the test's clock, not the real one (else: not due yet)
            EventIn(
                type="sale.completed",
                contact_external_id=i,
                idempotency_key=f"sale-{i}",
                occurred_at=db.clock.now(),
            )
            for i in part
        ]
        orchestration.ingest_and_plan(db, workspace_id=tenant.id, events=events)
    return ids


def states(db: Database) -> Counter[str]:
    """How many invitations are in each state."""
    with db.transaction() as session:
        stmt = select(tables.Invitation.state, func.count()).group_by(tables.Invitation.state)
        return Counter({row[0]: row[1] for row in session.execute(stmt)})


def wait_until(
    check: Callable[[], bool], *, timeout: float, what: str, context: Callable[[], str] = str
) -> None:
    """Poll ``check`` until it holds; fail saying ``what`` did not happen in time.

    ``context`` is called on failure for what to show besides (e.g. the workers' logs).
    """
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}\n{context()}")
        time.sleep(0.05)
