"""Helpers for tests that run the dispatcher on a real backend: plan many invitations, watch
the outbox, wait for it to settle, and reach the brokers on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select

from factories import Tenant
from journeyscope import collection, orchestration
from journeyscope.collection import ContactIn, EventIn
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.store import Database, tables

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
    clock: orchestration.Clock,
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
                occurred_at=clock.now(),
            )
            for i in part
        ]
        orchestration.ingest_and_plan(db, workspace_id=tenant.id, events=events, clock=clock)
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
