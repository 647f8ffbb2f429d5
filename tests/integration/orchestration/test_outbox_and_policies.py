"""Review fixes of the outbox and its policies: batched reads, claim ownership, quiet hours at
send time, expiry of backfilled events, bounces, channels without a sender, shared recontact.

Same set-up as test_planning_and_dispatch.py (the ``rule`` fixture of conftest.py): a FixedClock,
and a rule for "sale.completed" with a one-hour delay and a 09:00-20:00 window in the contact's
zone (Europe/Paris).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from factories import Tenant, make_published_survey, make_tenant
from journeyscope import collection, orchestration
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn, EventIn
from journeyscope.errors import NotFound
from journeyscope.orchestration import outbox, service
from journeyscope.orchestration.channels.base import Outcome, Result
from journeyscope.orchestration.channels.email import EmailSender
from journeyscope.orchestration.dispatcher import DispatchConfig, dispatch_once
from journeyscope.orchestration.models import Claim
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from outbox_support import (
    CONFIG,
    IN_THE_DAY,
    MORNING,
    START,
    RecordingSender,
    add_contact,
    contact_id,
    dispatch,
    invitations,
    put_rule,
    sales,
)
from smtp_sink import SmtpSink

LEASE = dt.timedelta(minutes=5)


# 1. batched reads -------------------------------------------------------------------------------


def test_planning_and_sending_a_big_batch_take_a_fixed_number_of_statements(
    db: Database,
    tenant: Tenant,
    rule: orchestration.RuleView,
    clock: FixedClock,
    statements: list[str],
) -> None:
    people = [f"P-{n}" for n in range(300)]
    collection.upsert_contacts(
        db,
        workspace_id=tenant.id,
        items=[
            ContactIn(external_id=p, email=f"{p}@example.com", timezone="Europe/Paris")
            for p in people
        ],
    )
    statements.clear()
    sales(db, tenant, *people)
    planned = len(statements)
    assert [i.state for i in invitations(db)] == ["scheduled"] * 300
    clock.current = MORNING
    statements.clear()
    big = DispatchConfig(base_url=CONFIG.base_url, secret_key=CONFIG.secret_key, batch=500)
    report = dispatch(db, RecordingSender(), config=big)
    assert report.outcomes == {"sent": 300}
    # before: 5 statements per event to plan (1,507 here), 7 per invitation to send (2,100)
    assert planned <= 15, planned
    assert len(statements) <= 20, len(statements)


def test_two_events_for_one_contact_in_one_batch_schedule_one_invitation(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1", "C-1")
    states = sorted((i.state, i.reason) for i in invitations(db))
    assert states == [("scheduled", None), ("suppressed", "recontact_period")]


# 2. the event hot path --------------------------------------------------------------------------


def test_events_no_rule_listens_to_cost_one_rule_lookup(
    db: Database,
    tenant: Tenant,
    rule: orchestration.RuleView,
    clock: FixedClock,
    statements: list[str],
) -> None:
    events = [EventIn(type="page.viewed", contact_external_id="C-1") for _ in range(50)]
    statements.clear()
    orchestration.ingest_and_plan(db, workspace_id=tenant.id, events=events)
    about_rules = [s for s in statements if "trigger_rule" in s]
    assert len(about_rules) == 1 and "LIMIT" in about_rules[0].upper()
    assert not [s for s in statements if "invitation" in s or "workspace." in s]
    assert invitations(db) == []


def test_a_rule_enabled_meanwhile_is_seen_by_the_next_batch(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    put_rule(db, tenant, enabled=False, **IN_THE_DAY)
    sales(db, tenant, "C-1")
    assert invitations(db) == []
    put_rule(db, tenant, enabled=True, **IN_THE_DAY)
    sales(db, tenant, "C-1")
    assert len(invitations(db)) == 1  # no stale cache between the two batches


# 3. claim ownership -----------------------------------------------------------------------------


def test_a_worker_whose_lease_ran_out_cannot_overwrite_the_new_claim(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1")
    [first] = outbox.claim_due(db, now=MORNING, limit=10, lease=LEASE)
    later = MORNING + dt.timedelta(minutes=6)
    [second] = outbox.claim_due(db, now=later, limit=10, lease=LEASE)
    assert (first.id, first.guard, second.guard) == (second.id, 1, 2)
    assert first.workspace_id == second.workspace_id == tenant.id
    late = [Outcome(first.id, Result.FAILED, "late worker")]
    old: dict[uuid.UUID, Claim[int]] = {first.id: first}
    outbox.record(db, late, claims=old, deliveries={}, now=later)
    outbox.put_back(db, refused={first.id: "unsubscribed"}, later={}, claims=old, now=later)
    outbox.put_back(db, refused={}, later={first.id: later}, claims=old, now=later)
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason, invitation.attempts) == ("sending", None, 2)
    done = [Outcome(second.id, Result.SENT, "")]
    outbox.record(db, done, claims={second.id: second}, deliveries={}, now=later)
    assert invitations(db)[0].state == "sent"


def test_a_row_whose_workers_keep_dying_fails_instead_of_being_claimed_forever(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1")
    now = MORNING
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        [claim] = outbox.claim_due(db, now=now, limit=10, lease=LEASE)  # ... each worker dies
        assert claim.guard == attempt
        now += LEASE + dt.timedelta(seconds=1)
    assert outbox.claim_due(db, now=now, limit=10, lease=LEASE) == []
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("failed", "delivery_failed")
    assert invitation.attempts == outbox.MAX_ATTEMPTS


# 4. quiet hours when sending --------------------------------------------------------------------


def test_a_late_claim_outside_the_window_waits_for_it_without_spending_an_attempt(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1")
    clock.current = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)  # 03:00 in Paris
    sender = RecordingSender()
    report = dispatch(db, sender)
    assert (report.claimed, report.deferred, sender.sent) == (1, 1, [])
    [invitation] = invitations(db)
    assert (invitation.state, invitation.attempts) == ("scheduled", 0)
    assert invitation.due_at == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    clock.current = invitation.due_at
    assert dispatch(db, sender).outcomes == {"sent": 1}
    assert invitations(db)[0].attempts == 1


def test_a_retry_that_would_fall_after_the_window_waits_for_the_next_morning(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1")
    clock.current = dt.datetime(2026, 11, 25, 18, 59, 30, tzinfo=dt.UTC)  # 19:59:30 in Paris
    dispatch(db, RecordingSender(Result.RETRY))
    [invitation] = invitations(db)
    assert (invitation.state, invitation.attempts) == ("scheduled", 1)
    assert invitation.due_at == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # not 20:00:30


# 5. backfilled events ---------------------------------------------------------------------------


def test_a_backfilled_event_from_last_year_is_stored_expired(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1", at=START - dt.timedelta(days=365))
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("suppressed", "expired")
    assert invitation.expires_at == START - dt.timedelta(days=365) + dt.timedelta(hours=1, days=14)


def test_an_event_a_few_days_old_keeps_the_rest_of_its_time(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    occurred = START - dt.timedelta(days=10)
    sales(db, tenant, "C-1", at=occurred)
    [invitation] = invitations(db)
    assert invitation.state == "scheduled"
    assert invitation.expires_at == occurred + dt.timedelta(hours=1, days=14)


# 6. one recontact period for the widget and the invitations ------------------------------------


def test_a_widget_survey_shown_to_the_contact_holds_off_invitations(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    with db.transaction() as session:
        survey_id = session.scalars(select(tables.Survey.id)).one()
        session.add(
            tables.SurveyDisplay(
                workspace_id=tenant.id,
                survey_id=survey_id,
                visitor="contact:C-1",
                shown_at=START - dt.timedelta(days=1),
            )
        )
    sales(db, tenant, "C-1")
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("suppressed", "recontact_period")


# 7. bounces and STOP ----------------------------------------------------------------------------


def test_a_mailbox_refused_at_rcpt_marks_the_contact_bounced(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    sales(db, tenant, "C-1")
    clock.current = MORNING
    with SmtpSink() as sink:
        sink.fail_next(1, 550, "5.1.1 no such user", stage="rcpt")
        smtp = Settings(
            mail={"smtp_host": "127.0.0.1", "smtp_port": sink.port, "from_address": "a@b.example"}
        )
        report = asyncio.run(dispatch_once(db, {"email": EmailSender(smtp)}, CONFIG))
    assert report.outcomes == {"failed": 1}
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("failed", "bounced")
    assert invitation.detail.startswith("550")
    with db.transaction() as session:
        status = session.execute(
            select(tables.ContactChannel.channel, tables.ContactChannel.status)
        ).one()
    assert tuple(status) == ("email", "bounced")
    clock.advance(days=30)
    sales(db, tenant, "C-1")
    assert (invitations(db)[1].state, invitations(db)[1].reason) == ("suppressed", "bounced")


def test_a_number_that_texted_stop_is_unsubscribed_from_texts(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1", phone="+33612345678")
    put_rule(db, tenant, channel="sms", **IN_THE_DAY)
    sales(db, tenant, "C-1")
    clock.current = MORNING
    stopped = RecordingSender(Result.FAILED, channel="sms", address_status="unsubscribed")
    dispatch(db, stopped)
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("failed", "unsubscribed")
    with db.transaction() as session:
        status = session.execute(
            select(tables.ContactChannel.channel, tables.ContactChannel.status)
        ).one()
    assert tuple(status) == ("sms", "unsubscribed")


def test_a_rule_asks_for_a_reminder_after_1_to_29_days(db: Database, tenant: Tenant) -> None:
    rule = {"key": "x", "event_type": "a.b", "survey": "visit"}
    spec = orchestration.RuleSpec.model_validate({**rule, "reminder_after_days": 3})
    assert spec.settings().reminder_after_days == 3
    with pytest.raises(ValueError, match="reminder_after_days"):
        orchestration.RuleSpec.model_validate({**rule, "reminder_after_days": 30})


def test_a_rule_stored_with_a_reminder_setting_still_loads_and_plans(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, clock: FixedClock
) -> None:
    with db.transaction() as session:
        row = session.scalars(select(tables.TriggerRule)).one()
        row.settings = {**row.settings, "reminder_after_days": 3}
    assert orchestration.get_rule(db, workspace_id=tenant.id, key="after-sale").key == "after-sale"
    sales(db, tenant, "C-1")
    clock.current = MORNING
    assert dispatch(db, RecordingSender()).outcomes == {"sent": 1}
    assert invitations(db)[0].reminder_due_at == MORNING + dt.timedelta(days=3)


# 8. channel statuses, rules -------------------------------------------------------------------


def test_channel_status_is_scoped_to_the_workspace(
    db: Database, tenant: Tenant, rule: orchestration.RuleView
) -> None:
    other = make_tenant(db, "other")
    ana = contact_id(db, "C-1")
    with pytest.raises(NotFound):
        orchestration.set_channel_status(
            db, workspace_id=other.id, contact_id=ana, channel="email",
            status="unsubscribed", source="test",
        )  # fmt: skip
    with db.transaction() as session:
        assert session.scalars(select(tables.ContactChannel)).all() == []


def test_concurrent_unsubscribes_both_succeed_with_one_row(
    db: Database, tenant: Tenant, rule: orchestration.RuleView
) -> None:
    ana = contact_id(db, "C-1")
    errors: list[BaseException] = []
    gate = threading.Barrier(6)

    def unsubscribe(n: int) -> None:
        gate.wait()
        try:
            orchestration.set_channel_status(
                db, workspace_id=tenant.id, contact_id=ana, channel="email",
                status="unsubscribed", source=f"click {n}",
            )  # fmt: skip
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=unsubscribe, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.transaction() as session:
        [row] = session.scalars(select(tables.ContactChannel)).all()
        assert (row.status, row.workspace_id) == ("unsubscribed", tenant.id)


def test_put_rule_retries_a_conflict_once_then_gives_up(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def always_conflicts(*args: Any) -> Any:
        calls.append(args[2])
        raise IntegrityError("INSERT", {}, Exception("unique"))

    monkeypatch.setattr(service, "_save_rule", always_conflicts)
    spec = orchestration.RuleSpec.model_validate(
        {"key": "again", "event_type": "a.b", "survey": "visit"}
    )
    with pytest.raises(IntegrityError):
        orchestration.put_rule(db, workspace_id=tenant.id, spec=spec)
    assert calls == ["again", "again"]


# 9. a channel this worker cannot send ------------------------------------------------------------


def test_a_channel_without_a_sender_waits_unspent_and_says_so(
    db: Database,
    tenant: Tenant,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1", phone="+33612345678")
    put_rule(db, tenant, channel="sms", **IN_THE_DAY)
    sales(db, tenant, "C-1")
    clock.current = MORNING
    with caplog.at_level(logging.WARNING, logger="journeyscope.orchestration"):
        for _ in range(outbox.MAX_ATTEMPTS + 2):
            report = dispatch(db, RecordingSender())
            assert (report.claimed, report.deferred, report.outcomes) == (1, 1, {})
            clock.advance(minutes=5)
    [invitation] = invitations(db)
    assert (invitation.state, invitation.attempts) == ("scheduled", 0)
    assert "No sms channel is configured" in caplog.text
