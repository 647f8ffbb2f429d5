"""Events plan invitations in their own transaction; the dispatcher sends what is due, once.

Time is a FixedClock: delays, send windows and the recontact period are tested by moving it.
The channel here is a recording sender of our own ``Sender`` interface; the email channel is
tested against a real SMTP server in test_email_channel.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from factories import Tenant
from journeyscope import collection, orchestration
from journeyscope.clock import FixedClock
from journeyscope.orchestration.channels.base import Result
from journeyscope.store import Database, tables
from outbox_support import (
    IN_THE_DAY,
    MORNING,
    START,
    RecordingSender,
    add_contact,
    dispatch,
    invitations,
    sales,
)


@pytest.fixture
def rule_settings() -> dict[str, Any]:
    """The usual rule, for sales over 50."""
    return {"condition": "event.properties.amount > 50", **IN_THE_DAY}


@pytest.fixture
def rule(db: Database, tenant: Tenant, rule: orchestration.RuleView) -> orchestration.RuleView:
    """The usual rule, and a second contact, C-2, without an email address."""
    add_contact(db, tenant, "C-2", email=None)
    return rule


def _sale(
    db: Database,
    tenant: Tenant,
    *,
    contact: str | None = "C-1",
    amount: float = 80,
    key: str | None = None,
) -> None:
    sales(db, tenant, contact, properties={"amount": amount}, idempotency_key=key)


def test_a_sale_plans_one_invitation_inside_the_contacts_send_window(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    _sale(db, tenant, key="order-1")
    _sale(db, tenant, key="order-1")  # the same event again: nothing new
    _sale(db, tenant, amount=10)  # the condition does not hold: no invitation
    [invitation] = invitations(db)
    # one hour later is 20:30 in Paris, after the window: the next morning at 09:00 Paris
    assert invitation.state == "scheduled"
    assert invitation.due_at == dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    # it expires 14 days after it was meant to go (the event and the delay), not after due_at
    assert invitation.expires_at == START + dt.timedelta(hours=1, days=14)


def test_the_dispatcher_sends_when_due_and_only_once(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    _sale(db, tenant)
    sender = RecordingSender()
    clock.current = dt.datetime(2026, 11, 25, 7, 59, tzinfo=dt.UTC)
    assert dispatch(db, sender).claimed == 0
    clock.advance(minutes=1)
    report = dispatch(db, sender)
    assert (report.claimed, report.outcomes) == (1, {"sent": 1})
    assert dispatch(db, sender).claimed == 0
    [delivery] = sender.sent
    assert delivery.recipient.email == "c-1@example.com"
    assert delivery.link.startswith("http://testserver/i/")
    assert delivery.unsubscribe_url.startswith("http://testserver/u/")
    read = collection.read_invitation(delivery.token, "test-secret-key", now=clock.now())
    [invitation] = invitations(db)
    assert (invitation.state, invitation.sent_at, invitation.message_id) == (
        "sent",
        clock.now(),
        delivery.message_id,
    )
    assert read.nonce == invitation.nonce


def test_a_contact_asked_recently_is_suppressed_with_the_reason(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    _sale(db, tenant)
    clock.current = MORNING
    dispatch(db, RecordingSender())
    clock.advance(days=3)
    _sale(db, tenant)
    clock.advance(days=20)  # past the 14-day recontact period: asked again
    _sale(db, tenant)
    states = [(i.state, i.reason) for i in invitations(db)]
    assert states == [("sent", None), ("suppressed", "recontact_period"), ("scheduled", None)]
    why = orchestration.invitations_of(db, workspace_id=tenant.id, contact_external_id="C-1")
    assert "too recently" in why[1].explanation


@pytest.mark.parametrize(
    ("contact", "setup", "reason"),
    [
        (None, None, "no_contact"),
        ("C-2", None, "no_address"),
        ("C-1", "unsubscribed", "unsubscribed"),
        ("C-1", "bounced", "bounced"),
    ],
)
def test_invitations_that_may_not_go_are_stored_with_why(
    db: Database,
    tenant: Tenant,
    rule: orchestration.RuleView,
    clock: FixedClock,
    contact: str | None,
    setup: str | None,
    reason: str,
) -> None:
    if setup:
        with db.transaction() as session:
            found = session.scalars(
                select(tables.Contact).where(tables.Contact.external_id == "C-1")
            ).one()
            session.add(
                tables.ContactChannel(
                    workspace_id=tenant.id, contact_id=found.id, channel="email", status=setup
                )
            )
    _sale(db, tenant, contact=contact)
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("suppressed", reason)


def test_policies_are_checked_again_when_the_invitation_is_due(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    _sale(db, tenant)
    with db.transaction() as session:  # the customer unsubscribes before the morning
        found = session.scalars(
            select(tables.Contact).where(tables.Contact.external_id == "C-1")
        ).one()
        session.add(
            tables.ContactChannel(
                workspace_id=tenant.id, contact_id=found.id, channel="email", status="unsubscribed"
            )
        )
    clock.current = MORNING
    sender = RecordingSender()
    report = dispatch(db, sender)
    assert report.refused == {"unsubscribed": 1}
    assert sender.sent == []
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("suppressed", "unsubscribed")


def test_temporary_failures_back_off_and_permanent_ones_stop(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    _sale(db, tenant)
    clock.current = MORNING
    dispatch(db, RecordingSender(Result.RETRY))
    [invitation] = invitations(db)
    assert invitation.state == "scheduled"
    assert invitation.due_at == clock.now() + dt.timedelta(minutes=1)
    clock.advance(minutes=1)
    dispatch(db, RecordingSender(Result.FAILED))
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason, invitation.attempts) == (
        "failed",
        "delivery_failed",
        2,
    )


def test_a_crashed_workers_claim_is_taken_again_after_its_lease(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    from journeyscope.orchestration import outbox

    _sale(db, tenant)
    clock.current = MORNING
    claimed = outbox.claim_due(db, now=clock.now(), limit=10, lease=dt.timedelta(minutes=5))
    assert [c.guard for c in claimed] == [1]  # ... and the worker dies here
    assert outbox.claim_due(db, now=clock.now(), limit=10, lease=dt.timedelta(minutes=5)) == []
    clock.advance(minutes=6)
    report = dispatch(db, RecordingSender())
    assert report.outcomes == {"sent": 1}
    assert invitations(db)[0].attempts == 2


def test_an_invalid_condition_is_refused_with_the_parse_error(db: Database, tenant: Tenant) -> None:
    with pytest.raises(ValueError, match="not valid CEL"):
        orchestration.RuleSpec.model_validate(
            {"key": "x", "event_type": "a.b", "survey": "visit", "condition": "event.amount >"}
        )
