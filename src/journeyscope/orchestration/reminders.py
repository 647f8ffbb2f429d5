"""Reminders: one more message, N days after an invitation nobody has started answering.

A rule with ``reminder_after_days`` gives each invitation it sends a ``reminder_due_at`` (the
sending time plus N days, moved into the rule's send window). Each dispatch pass then claims
due reminders of invitations still ``sent`` or ``opened`` and sends them with the reminder
wording, the *same* personal link and their own ``Message-ID`` (``<id.r1@host>``).

Claiming works like the outbox (:mod:`~journeyscope.orchestration.outbox`): one ``UPDATE ...
WHERE id IN (SELECT ... LIMIT n)`` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) sets the row's
``claimed_until`` lease, which the row's state never uses once sent. Every later change is
guarded by that lease value and by ``reminded_at IS NULL``, so two workers never both send a
reminder, a worker whose lease ran out cannot record over the next claim, and a crashed
worker's reminder is claimed again when its lease runs out. ``reminded_at`` records the one
reminder; ``reminder_due_at`` is cleared when the reminder is sent, refused or given up.

Policies are checked again when a reminder is due: the address, unsubscribe, bounce and consent
on the channel, and the recontact period only against what reached the contact *after* the
invitation (another survey's invitation, a widget survey) — never against the invitation's own
sending. A reminder is not sent once a response was saved under the invitation's link (on any
door: page, phone, API), nor once the link has expired, nor while the survey is closed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from journeyscope.orchestration import repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result, Sender
from journeyscope.orchestration.deliveries import (
    DispatchConfig,
    build_delivery,
    link_expires_at,
    published_surveys,
    response_id_of,
    send_all,
)
from journeyscope.orchestration.outbox import keep_address_statuses
from journeyscope.orchestration.policies import Limits, Reason, refusal
from journeyscope.orchestration.rules import RuleSettings
from journeyscope.orchestration.windows import place_in_window, zone
from journeyscope.store import Database, tables

log = logging.getLogger(__name__)

TABLE: Table = tables.Invitation.__table__  # type: ignore[assignment]
REMINDABLE = ("sent", "opened")
"""The states in which an invitation may still be reminded (not started, not bounced...)."""
ANSWERED = "answered"
"""Why a reminder was not sent: a response was saved under the invitation's link."""
RETRY_MIN = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=6)
NO_SENDER_WAIT = dt.timedelta(minutes=5)


def first_due(
    sent_at: dt.datetime, settings: RuleSettings | None, tz: ZoneInfo
) -> dt.datetime | None:
    """When the reminder of an invitation sent at ``sent_at`` is due; ``None`` for none.

    ``None`` when the rule asks for no reminder, or when the reminder (moved into the send
    window) would fall after the link expired.
    """
    if settings is None or settings.reminder_after_days is None:
        return None
    meant = sent_at + dt.timedelta(days=settings.reminder_after_days)
    due = place_in_window(meant, settings.window, tz)
    return due if due < link_expires_at(sent_at) else None


def retry_wait(due_at: dt.datetime | None, now: dt.datetime) -> dt.timedelta:
    """How long a reminder that failed for now waits: as long as it is late, 1 min to 6 h.

    Doubling without a counter: a reminder due at 10:00 that keeps failing is tried at 10:00,
    10:01, 10:02, 10:04, 10:08... and every 6 hours from then on, until the link expires.
    """
    late = now - due_at if due_at is not None else RETRY_MIN
    return min(max(late, RETRY_MIN), RETRY_MAX)


@dataclass
class ReminderReport:
    """What one pass did with reminders, for logs and tests."""

    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # dropped for good, by reason
    deferred: int = 0  # put back: outside the send window, or no sender configured


def claim(
    db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
) -> dict[uuid.UUID, dt.datetime]:
    """Claim up to ``limit`` due reminders: ``{invitation id: the claim's lease}``."""
    until = now + lease
    due = and_(
        TABLE.c.state.in_(REMINDABLE),
        TABLE.c.reminder_due_at <= now,
        TABLE.c.reminded_at.is_(None),
        or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
    )
    with db.transaction() as session:
        pick = select(TABLE.c.id).where(due).order_by(TABLE.c.reminder_due_at).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        claimed = session.execute(
            update(TABLE)
            .where(TABLE.c.id.in_(pick.scalar_subquery()))
            .values(claimed_until=until, updated_at=now)
            .returning(TABLE.c.id)
        )
        return {row[0]: until for row in claimed}


def _guarded(**values: Any) -> Any:
    """``UPDATE invitation SET ...`` for the reminder ``b_id`` still held by lease ``b_lease``."""
    return (
        update(TABLE)
        .where(
            TABLE.c.id == bindparam("b_id"),
            TABLE.c.claimed_until == bindparam("b_lease"),
            TABLE.c.reminded_at.is_(None),
        )
        .values(**values)
    )


def _run(session: Session, stmt: Any, params: list[dict[str, Any]]) -> None:
    if params:
        session.execute(stmt, params)


def release(
    db: Database,
    *,
    later: Mapping[uuid.UUID, dt.datetime],
    dropped: Mapping[uuid.UUID, str],
    claims: Mapping[uuid.UUID, dt.datetime],
    now: dt.datetime,
) -> None:
    """Give claimed reminders back: due again at ``later[id]``, or dropped for good with why."""
    again = [{"b_id": i, "b_lease": claims[i], "b_due": when} for i, when in later.items()]
    gone = [
        {"b_id": i, "b_lease": claims[i], "b_detail": f"reminder not sent: {why}"}
        for i, why in dropped.items()
    ]
    with db.transaction() as session:
        _run(
            session,
            _guarded(reminder_due_at=bindparam("b_due"), claimed_until=None, updated_at=now),
            again,
        )
        _run(
            session,
            _guarded(
                reminder_due_at=None,
                claimed_until=None,
                detail=bindparam("b_detail"),
                updated_at=now,
            ),
            gone,
        )


def record(
    db: Database,
    outcomes: Sequence[Outcome],
    *,
    claims: Mapping[uuid.UUID, dt.datetime],
    deliveries: Mapping[uuid.UUID, Delivery],
    retry_at: Mapping[uuid.UUID, dt.datetime],
    now: dt.datetime,
) -> None:
    """Store each reminder's outcome: sent (``reminded_at``), tried again later, or given up.

    A refusal of the address for good also sets the contact's status on the channel, as for
    the invitation itself.
    """
    params: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for outcome in outcomes:
        values = {"b_id": outcome.invitation_id, "b_lease": claims[outcome.invitation_id]}
        if outcome.result is Result.SENT:
            params["sent"].append(values)
        elif outcome.result is Result.RETRY:
            when = retry_at.get(outcome.invitation_id, now + RETRY_MIN)
            detail = f"reminder: {outcome.detail}"[:2000]
            params["retry"].append(values | {"b_until": when, "b_detail": detail})
        else:
            detail = f"reminder failed: {outcome.detail}"[:2000]
            params["failed"].append(values | {"b_detail": detail})
    done = {"claimed_until": None, "reminder_due_at": None, "updated_at": now}
    statements = {
        "sent": _guarded(reminded_at=now, **done),
        "retry": _guarded(
            claimed_until=bindparam("b_until"), detail=bindparam("b_detail"), updated_at=now
        ),
        "failed": _guarded(detail=bindparam("b_detail"), **done),
    }
    with db.transaction() as session:
        for kind, stmt in statements.items():
            _run(session, stmt, params[kind])
        keep_address_statuses(session, outcomes, deliveries, what="reminder", now=now)


@dataclass
class _Plan:
    """The claimed reminders sorted out: what to send, put back or drop."""

    now: dt.datetime
    sendable: list[tuple[tables.Invitation, tables.Contact]] = field(default_factory=list)
    later: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    dropped: dict[uuid.UUID, str] = field(default_factory=dict)
    due_at: dict[uuid.UUID, dt.datetime | None] = field(default_factory=dict)
    reminding: set[uuid.UUID] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Space:
    """One workspace's recontact period and its contacts' histories, read once per pass."""

    recontact_days: int
    histories: dict[uuid.UUID, repo.ContactHistory]
    answered: set[uuid.UUID]


async def send_due(
    db: Database, senders: Mapping[str, Sender], config: DispatchConfig, now: dt.datetime
) -> ReminderReport:
    """Claim the reminders due at ``now``, check them again, send them and record each."""
    report = ReminderReport()
    claims = claim(db, now=now, limit=config.batch, lease=config.lease)
    report.claimed = len(claims)
    if not claims:
        return report
    plan = _prepare(db, list(claims), now)
    deliveries = _deliveries(db, plan, config)
    for channel in sorted({d.channel for d in deliveries} - set(senders)):
        log.warning("No %s channel is configured on this worker; its reminders wait", channel)
    for delivery in [d for d in deliveries if d.channel not in senders]:
        plan.later[delivery.invitation_id] = now + NO_SENDER_WAIT
    deliveries = [d for d in deliveries if d.channel in senders]
    release(db, later=plan.later, dropped=plan.dropped, claims=claims, now=now)
    report.deferred = len(plan.later)
    for why in plan.dropped.values():
        report.skipped[why] = report.skipped.get(why, 0) + 1
    retry_at = {i: now + retry_wait(due, now) for i, due in plan.due_at.items()}
    by_id = {d.invitation_id: d for d in deliveries}

    def commit(outcomes: Sequence[Outcome]) -> None:
        record(db, outcomes, claims=claims, deliveries=by_id, retry_at=retry_at, now=now)

    outcomes = await send_all(senders, deliveries, commit)
    for outcome in outcomes:
        report.outcomes[outcome.result.value] = report.outcomes.get(outcome.result.value, 0) + 1
    return report


def _prepare(db: Database, ids: Sequence[uuid.UUID], now: dt.datetime) -> _Plan:
    """Sort the claimed reminders out: a fixed handful of queries per pass and workspace."""
    plan = _Plan(now)
    with db.transaction() as session:
        rows = repo.invitations(session, ids)
        people = repo.contacts(session, [r.contact_id for r in rows if r.contact_id])
        rules = repo.rule_settings(session, {r.rule_id for r in rows if r.rule_id})
        by_space: dict[uuid.UUID, list[tables.Invitation]] = defaultdict(list)
        for row in rows:
            by_space[row.workspace_id].append(row)
        for workspace_id, group in by_space.items():
            recontact_days = repo.workspace_limits(session, workspace_id)[0]
            found = repo.histories(
                session,
                workspace_id,
                [people[r.contact_id] for r in group if r.contact_id in people],
                touchpoint_ids=(),
                since_cap=now,
            )
            responses = {response_id_of(r): r.id for r in group}
            space = _Space(recontact_days, found, repo.answered(session, workspace_id, responses))
            for row in group:
                plan.due_at[row.id] = row.reminder_due_at
                contact = people.get(row.contact_id) if row.contact_id else None
                settings = rules.get(row.rule_id) if row.rule_id else None
                _check(plan, space, row, contact, settings)
    return plan


def _check(
    plan: _Plan,
    space: _Space,
    row: tables.Invitation,
    contact: tables.Contact | None,
    settings: RuleSettings | None,
) -> None:
    """Drop the reminder, put it back (outside the send window), or mark it sendable."""
    now = plan.now
    expires = link_expires_at(row.sent_at or now)
    if contact is None:
        plan.dropped[row.id] = Reason.NO_CONTACT.value
        return
    if row.id in space.answered:
        plan.dropped[row.id] = ANSWERED
        return
    window = settings.window if settings else None
    opens = place_in_window(now, window, zone(contact.timezone))
    if opens >= expires:
        plan.dropped[row.id] = Reason.EXPIRED.value
        return
    if opens != now:  # a late claim outside quiet hours: wait for the window
        plan.later[row.id] = opens
        return
    reason = _refusal(space, row, contact, settings, now)
    if reason is None and space.recontact_days > 0 and contact.id in plan.reminding:
        reason = Reason.RECONTACT  # two reminders for one person in this batch
    if reason is not None:
        plan.dropped[row.id] = reason.value
        return
    plan.reminding.add(contact.id)
    plan.sendable.append((row, contact))


def _refusal(
    space: _Space,
    row: tables.Invitation,
    contact: tables.Contact,
    settings: RuleSettings | None,
    now: dt.datetime,
) -> Reason | None:
    """The policies of a reminder: no cap, no quarantine, no recontact against itself."""
    history = space.histories[contact.id].on(row.channel, None)
    since = history.last_asked_at
    asked_since = since if since is not None and row.sent_at and since > row.sent_at else None
    history = dataclasses.replace(history, last_asked_at=asked_since, asked_in_cap_period=0)
    consent = settings.require_consent if settings else False
    return refusal(Limits(space.recontact_days, 0, 0, None, consent), history, now)


def _deliveries(db: Database, plan: _Plan, config: DispatchConfig) -> list[Delivery]:
    """The reminders' deliveries; a reminder whose survey closed meanwhile is dropped."""
    found = published_surveys(db, ((r.workspace_id, r.survey_id) for r, _ in plan.sendable))
    built: list[Delivery] = []
    for row, contact in plan.sendable:
        survey = found[(row.workspace_id, row.survey_id)]
        if survey is None or row.sent_at is None:
            plan.dropped[row.id] = Reason.SURVEY_CLOSED.value
            continue
        built.append(
            build_delivery(
                row, contact, survey, config=config, sent_at=row.sent_at, is_reminder=True
            )
        )
    return built
