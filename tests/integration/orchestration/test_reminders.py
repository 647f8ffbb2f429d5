"""Reminders: one more email N days after an invitation nobody started, with its own
Message-ID and the same link; never after the survey was started, never twice, never after the
link expired; claimed safely by concurrent workers (SQLite and PostgreSQL).

A sale at 19:30 in Paris plans an invitation for 09:00 the next morning (the rule's window);
it is sent then, and its reminder is due three days later at 09:00.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from factories import Tenant, make_published_survey
from journeyscope import collection, orchestration
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn, PublicResponseIn
from journeyscope.journey.models import Channel
from journeyscope.orchestration import reminders
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.orchestration.channels.email import EmailSender
from journeyscope.orchestration.dispatcher import DispatchConfig, PassReport, dispatch_once
from journeyscope.settings import Settings
from journeyscope.store import Database, tables
from outbox_support import (
    CONFIG,
    IN_THE_DAY,
    MORNING,
    START,
    RecordingSender,
    add_contact,
    dispatch,
    invitations,
    put_rule,
    sales,
)
from smtp_sink import SmtpSink

REMINDER = MORNING + dt.timedelta(days=3)  # 09:00 in Paris, three days later


def _rule(db: Database, tenant: Tenant, **settings: Any) -> None:
    put_rule(db, tenant, **{**IN_THE_DAY, "reminder_after_days": 3, **settings})


@pytest.fixture
def sale(db: Database, tenant: Tenant, clock: FixedClock) -> None:
    """One contact, one rule with a 3-day reminder, one sale at START."""
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1", name="Ana Lima")
    _rule(db, tenant)
    sales(db, tenant, "C-1")


def _dispatch(db: Database, sender: Any) -> PassReport:
    return dispatch(db, sender)


def _links(message: Any) -> set[str]:
    body = str(message.get_body(preferencelist=("html",)).get_content())
    return {html.unescape(link) for link in re.findall(r'href="([^"]+/i/[^"]+)"', body)}


def _smtp(settings: Settings, sink: SmtpSink) -> dict[str, EmailSender]:
    smtp = settings.updated(mail={"smtp_host": "127.0.0.1", "smtp_port": sink.port})
    return {"email": EmailSender(smtp)}


# the reminder itself ---------------------------------------------------------------------------


def test_a_reminder_arrives_days_later_with_its_own_message_id_and_the_same_link(
    db: Database, settings: Settings, sale: None, clock: FixedClock
) -> None:
    with SmtpSink() as sink:
        senders = _smtp(settings, sink)
        clock.current = MORNING
        assert asyncio.run(dispatch_once(db, senders, CONFIG)).outcomes == {"sent": 1}
        [invitation] = invitations(db)
        assert invitation.reminder_due_at == REMINDER
        clock.current = REMINDER - dt.timedelta(minutes=1)
        assert asyncio.run(dispatch_once(db, senders, CONFIG)).reminders.claimed == 0
        clock.current = REMINDER
        report = asyncio.run(dispatch_once(db, senders, CONFIG))
        assert report.reminders.outcomes == {"sent": 1}
        clock.advance(days=5)
        assert asyncio.run(dispatch_once(db, senders, CONFIG)).reminders.claimed == 0
        first, reminder = (received.message for received in sink.received)
    assert first["Message-ID"] == f"<{invitation.id}@testserver>"
    assert reminder["Message-ID"] == f"<{invitation.id}.r1@testserver>"
    assert reminder["Subject"] == "A reminder: How did we do?"
    assert "We have not heard from you yet" in str(reminder.get_body(("plain",)).get_content())
    assert _links(reminder) == _links(first) and _links(first)
    assert reminder["List-Unsubscribe"] == first["List-Unsubscribe"]
    [after] = invitations(db)
    assert (after.state, after.reminded_at, after.reminder_due_at) == ("sent", REMINDER, None)
    assert after.message_id == first["Message-ID"]  # the invitation keeps its own id


def test_a_rule_without_a_reminder_plans_none(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    _rule(db, tenant, reminder_after_days=None)
    sales(db, tenant, "C-1")
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    assert invitations(db)[0].reminder_due_at is None


def test_a_reminder_is_moved_into_the_send_window(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    window = {"start": "09:00", "end": "20:00", "days": ["mon", "tue", "wed", "thu", "fri"]}
    _rule(db, tenant, window=window)
    sales(db, tenant, "C-1")
    clock.current = MORNING  # Wednesday; three days later is a Saturday
    _dispatch(db, RecordingSender())
    monday = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris
    assert invitations(db)[0].reminder_due_at == monday


def test_a_late_claim_outside_the_window_waits_for_the_morning(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    clock.current = REMINDER + dt.timedelta(hours=18)  # 03:00 in Paris: a worker was down
    report = _dispatch(db, sender)
    assert (report.reminders.claimed, report.reminders.deferred, len(sender.sent)) == (1, 1, 1)
    [invitation] = invitations(db)
    assert invitation.reminder_due_at == REMINDER + dt.timedelta(days=1)
    assert invitation.reminded_at is None
    clock.current = invitation.reminder_due_at
    assert _dispatch(db, sender).reminders.outcomes == {"sent": 1}
    assert sender.sent[-1].is_reminder


# when no reminder goes ----------------------------------------------------------------------


def test_no_reminder_once_the_survey_was_started(
    db: Database, client: TestClient, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    path = sender.sent[0].link.removeprefix("http://testserver")
    page = client.get(path + "?nps=3")
    assert page.status_code == 200
    form = dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))
    client.post(path, data={**form, "_action": "save", "nps": "3"})  # the page's script
    assert invitations(db)[0].state == "started"
    clock.current = REMINDER
    report = _dispatch(db, sender)
    assert (report.reminders.claimed, len(sender.sent)) == (0, 1)


def test_an_opened_invitation_not_started_is_still_reminded(
    db: Database, client: TestClient, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    assert client.get(sender.sent[0].link.removeprefix("http://testserver")).status_code == 200
    assert invitations(db)[0].state == "opened"
    clock.current = REMINDER
    assert _dispatch(db, sender).reminders.outcomes == {"sent": 1}
    assert sender.sent[1].link == sender.sent[0].link


def test_no_reminder_when_answers_came_through_another_door(
    db: Database, tenant: Tenant, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    token = collection.read_invitation(sender.sent[0].token, CONFIG.secret_key, now=MORNING)
    survey = sender.sent[0].survey
    answers = PublicResponseIn(id=token.response_id, answers={"nps": 4}, complete=False)
    collection.submit_public(db, survey, answers, channel=Channel.CALL_CENTER)  # e.g. by phone
    clock.current = REMINDER
    report = _dispatch(db, sender)
    assert (report.reminders.refused, len(sender.sent)) == ({"answered": 1}, 1)
    assert invitations(db)[0].reminder_due_at is None


def test_no_reminder_to_a_contact_who_unsubscribed_meanwhile(
    db: Database, tenant: Tenant, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    orchestration.set_channel_status(
        db,
        workspace_id=tenant.id,
        contact_id=sender.sent[0].recipient.contact_id,
        channel="email",
        status="unsubscribed",
        source="test",
    )
    clock.current = REMINDER
    report = _dispatch(db, sender)
    assert (report.reminders.refused, len(sender.sent)) == ({"unsubscribed": 1}, 1)
    [invitation] = invitations(db)
    assert (invitation.reminder_due_at, invitation.reminded_at) == (None, None)
    assert invitation.detail == "reminder not sent: unsubscribed"


def test_the_recontact_period_holds_back_a_reminder_only_for_later_asks(
    db: Database, tenant: Tenant, sale: None, clock: FixedClock
) -> None:
    """The workspace's 14-day recontact period does not count the invitation's own sending,
    but a survey shown to the contact since then holds the reminder back."""
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    with db.transaction() as session:
        survey_id = session.scalars(select(tables.Survey.id)).one()
        shown = tables.SurveyDisplay(
            workspace_id=tenant.id,
            survey_id=survey_id,
            visitor="contact:C-1",
            shown_at=MORNING + dt.timedelta(days=1),
        )
        session.add(shown)
    clock.current = REMINDER
    assert _dispatch(db, sender).reminders.refused == {"recontact_period": 1}


def test_no_reminder_falls_after_the_link_expired(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    # Sent on Wednesday 25 November; 29 days later is Thursday 24 December, which the
    # Wednesdays-only window moves to the 30th: past the link's 30 days.
    window = {"start": "09:00", "end": "20:00", "days": ["wed"]}
    _rule(db, tenant, reminder_after_days=29, window=window)
    sales(db, tenant, "C-1")
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    assert invitations(db)[0].reminder_due_at is None


def test_a_reminder_overdue_past_the_links_expiry_is_dropped(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    clock.current = MORNING + dt.timedelta(days=31)  # no worker ran for a month
    assert _dispatch(db, sender).reminders.refused == {"expired": 1}
    assert len(sender.sent) == 1


def test_a_temporary_failure_is_retried_and_a_permanent_one_gives_up(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    clock.current = REMINDER + dt.timedelta(minutes=10)
    assert _dispatch(db, RecordingSender(Result.RETRY)).reminders.outcomes == {"retry": 1}
    [invitation] = invitations(db)
    assert invitation.claimed_until == clock.current + dt.timedelta(minutes=10)  # as late as it is
    assert _dispatch(db, RecordingSender()).reminders.claimed == 0  # waits
    clock.current = invitation.claimed_until + dt.timedelta(seconds=1)
    refused = RecordingSender(Result.FAILED, address_status="bounced")
    assert _dispatch(db, refused).reminders.outcomes == {"failed": 1}
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reminded_at, invitation.reminder_due_at) == (
        "sent",
        None,
        None,
    )
    with db.transaction() as session:
        assert session.scalars(select(tables.ContactChannel.status)).one() == "bounced"


# several workers ------------------------------------------------------------------------------


def test_a_pass_running_while_another_sends_does_not_send_the_reminder_again(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    clock.current = REMINDER
    second = RecordingSender()
    seen: list[PassReport] = []

    class FirstSender(RecordingSender):
        async def send(
            self, deliveries: Sequence[Delivery], on_outcome: object = None
        ) -> list[Outcome]:
            seen.append(await dispatch_once(db, {"email": second}, CONFIG))  # meanwhile
            return await super().send(deliveries)

    first = FirstSender()
    assert _dispatch(db, first).reminders.outcomes == {"sent": 1}
    assert (seen[0].reminders.claimed, len(first.sent), len(second.sent)) == (0, 1, 0)


def test_two_concurrent_workers_send_exactly_one_reminder_each(
    db: Database, tenant: Tenant, settings: Settings, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    people = [f"P-{n}" for n in range(40)]
    collection.upsert_contacts(
        db,
        workspace_id=tenant.id,
        items=[ContactIn(external_id=p, email=f"{p}@example.com") for p in people],
    )
    _rule(db, tenant, window=None)
    sales(db, tenant, *people)
    clock.current = START + dt.timedelta(hours=1)
    config = DispatchConfig(CONFIG.base_url, CONFIG.secret_key, batch=7)
    _dispatch_all(db, config, RecordingSender())
    clock.advance(days=3)
    with SmtpSink() as sink:
        senders = _smtp(settings, sink)
        barrier = threading.Barrier(2)

        def work() -> None:
            barrier.wait()
            for _ in range(10):
                asyncio.run(dispatch_once(db, senders, config))

        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ids = [received.message["Message-ID"] for received in sink.received]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert all(".r1@" in message_id for message_id in ids)
    assert all(i.reminded_at == clock.current for i in invitations(db))


def _dispatch_all(db: Database, config: DispatchConfig, sender: Any) -> None:
    while asyncio.run(dispatch_once(db, {"email": sender}, config)).claimed:
        pass


def test_a_crashed_workers_reminder_is_sent_once_its_lease_ran_out(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    sender = RecordingSender()
    _dispatch(db, sender)
    claims = reminders.claim(db, now=REMINDER, limit=10, lease=CONFIG.lease)  # ... then dies
    clock.current = REMINDER + dt.timedelta(minutes=1)
    assert _dispatch(db, sender).reminders.claimed == 0  # still leased
    clock.current = REMINDER + CONFIG.lease + dt.timedelta(seconds=1)
    assert _dispatch(db, sender).reminders.outcomes == {"sent": 1}
    held = {claim.id: claim for claim in claims}
    late = [Outcome(next(iter(held)), Result.RETRY, "the dead worker wakes up")]
    reminders.record(db, late, claims=held, deliveries={}, retry_at={}, now=clock.current)
    [invitation] = invitations(db)
    assert (invitation.reminded_at, invitation.claimed_until) == (clock.current, None)
    assert len(sender.sent) == 2


def test_a_late_record_cannot_overwrite_the_claim_that_replaced_it(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    [old] = reminders.claim(db, now=REMINDER, limit=10, lease=CONFIG.lease)
    later = REMINDER + CONFIG.lease + dt.timedelta(seconds=1)
    [new] = reminders.claim(db, now=later, limit=10, lease=CONFIG.lease)
    assert new.id == old.id and new.guard != old.guard
    sent = [Outcome(old.id, Result.SENT, "")]
    reminders.record(db, sent, claims={old.id: old}, deliveries={}, retry_at={}, now=later)
    assert invitations(db)[0].reminded_at is None
    reminders.record(db, sent, claims={new.id: new}, deliveries={}, retry_at={}, now=later)
    assert invitations(db)[0].reminded_at == later


def test_many_reminders_take_a_fixed_number_of_statements(
    db: Database, tenant: Tenant, clock: FixedClock, statements: list[str]
) -> None:
    make_published_survey(db, tenant)
    people = [f"P-{n}" for n in range(300)]
    collection.upsert_contacts(
        db,
        workspace_id=tenant.id,
        items=[
            ContactIn(external_id=p, email=f"{p}@example.com", timezone="Europe/Paris")
            for p in people
        ],
    )
    _rule(db, tenant)
    sales(db, tenant, *people)
    big = DispatchConfig(CONFIG.base_url, CONFIG.secret_key, batch=500)
    clock.current = MORNING
    dispatch(db, RecordingSender(), config=big)
    clock.current = REMINDER
    statements.clear()
    report = dispatch(db, RecordingSender(), config=big)
    assert report.reminders.outcomes == {"sent": 300}
    assert len(statements) <= 20, len(statements)


def test_a_reminder_of_another_state_is_never_claimed(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    for state in ("started", "completed", "bounced", "failed"):
        with db.transaction() as session:
            session.execute(update(tables.Invitation).values(state=state))
        assert reminders.claim(db, now=REMINDER, limit=10, lease=CONFIG.lease) == []


def test_a_reminder_waits_when_this_worker_has_no_sender_for_its_channel(
    db: Database, sale: None, clock: FixedClock
) -> None:
    clock.current = MORNING
    _dispatch(db, RecordingSender())
    clock.current = REMINDER
    report = asyncio.run(dispatch_once(db, {}, CONFIG))
    assert (report.reminders.claimed, report.reminders.deferred) == (1, 1)
    [invitation] = invitations(db)
    assert invitation.reminder_due_at == REMINDER + dt.timedelta(minutes=5)
    assert (invitation.reminded_at, invitation.claimed_until) == (None, None)
