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

Reminders go through the dispatcher's one pipeline (:mod:`.pipeline`) as the step
:data:`REMINDERS`. Policies are checked again when a reminder is due: the address,
unsubscribe, bounce and consent on the channel, and the recontact period only against what
reached the contact *after* the invitation (another survey's invitation, a widget survey) —
never against the invitation's own sending. A reminder is not sent once a response was saved
under the invitation's link (on any door: page, phone, API), nor once the link has expired,
nor while the survey is closed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from journeyscope.orchestration import repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.orchestration.deliveries import link_expires_at, response_id_of
from journeyscope.orchestration.models import (
    UNANSWERED_STATES,
    Claim,
    ContactDetails,
    ContactHistory,
)
from journeyscope.orchestration.outbox import keep_address_statuses
from journeyscope.orchestration.pipeline import Claimed, Due, Later, Plan, Refused, Verdict
from journeyscope.orchestration.policies import Limits, Reason, refusal
from journeyscope.orchestration.rules import RuleSettings
from journeyscope.orchestration.windows import place_in_window
from journeyscope.store import Database, skip_locked, tables

TABLE: Table = tables.Invitation.__table__  # type: ignore[assignment]
ANSWERED = "answered"
"""Why a reminder was not sent: a response was saved under the invitation's link."""
RETRY_MIN = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=6)


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


def claim(
    db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
) -> list[Claim[dt.datetime]]:
    """Claim up to ``limit`` due reminders of any workspace; each claim's guard is its lease."""
    until = now + lease
    due = and_(
        TABLE.c.state.in_(UNANSWERED_STATES),
        TABLE.c.reminder_due_at <= now,
        TABLE.c.reminded_at.is_(None),
        or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
    )
    with db.transaction() as session:
        pick = select(TABLE.c.id).where(due).order_by(TABLE.c.reminder_due_at).limit(limit)
        pick = skip_locked(session, pick)  # concurrent dispatchers claim different rows
        claimed = session.execute(
            update(TABLE)
            .where(TABLE.c.id.in_(pick.scalar_subquery()))
            .values(claimed_until=until, updated_at=now)
            .returning(TABLE.c.id, TABLE.c.workspace_id)
        )
        return [Claim(row.id, row.workspace_id, until) for row in claimed]


def _guarded(**values: Any) -> Any:
    """``UPDATE invitation SET ...`` for the reminder ``b_id`` still held by lease ``b_lease``.

    The row is named with its workspace too (``b_workspace``), as every query after a claim.
    """
    return (
        update(TABLE)
        .where(
            TABLE.c.id == bindparam("b_id"),
            TABLE.c.workspace_id == bindparam("b_workspace"),
            TABLE.c.claimed_until == bindparam("b_lease"),
            TABLE.c.reminded_at.is_(None),
        )
        .values(**values)
    )


def _held(claim: Claim[dt.datetime]) -> dict[str, Any]:
    """The parameters that name a claimed reminder for :func:`_guarded`."""
    return {"b_id": claim.id, "b_workspace": claim.workspace_id, "b_lease": claim.guard}


def _run(session: Session, stmt: Any, params: list[dict[str, Any]]) -> None:
    if params:
        session.execute(stmt, params)


def put_back(
    db: Database,
    *,
    later: Mapping[uuid.UUID, dt.datetime],
    dropped: Mapping[uuid.UUID, str],
    claims: Mapping[uuid.UUID, Claim[dt.datetime]],
    now: dt.datetime,
) -> None:
    """Give claimed reminders back: due again at ``later[id]``, or dropped for good with why."""
    again = [_held(claims[i]) | {"b_due": when} for i, when in later.items()]
    gone = [
        _held(claims[i]) | {"b_detail": f"reminder not sent: {why}"} for i, why in dropped.items()
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
    claims: Mapping[uuid.UUID, Claim[dt.datetime]],
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
        values = _held(claims[outcome.invitation_id])
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


@dataclass(frozen=True, slots=True)
class Space:
    """One workspace's recontact period, its contacts' histories and the invitations answered."""

    recontact_days: int
    histories: dict[uuid.UUID, ContactHistory]
    answered: set[uuid.UUID]


class Reminders:
    """The pipeline step of reminders due: same link, their own Message-ID, fewer policies."""

    name = "reminders"
    is_reminder = True

    def claim(
        self, db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> list[Claim[dt.datetime]]:
        """Claim due reminders; each claim's guard is its lease."""
        return claim(db, now=now, limit=limit, lease=lease)

    def read(self, session: Session, claimed: Claimed, now: dt.datetime) -> Space:
        """The contacts' histories and which invitations got answers, through any door."""
        found = repo.histories(
            session,
            claimed.workspace_id,
            list(claimed.people.values()),
            touchpoint_ids=(),
            since_cap=now,
        )
        responses = {response_id_of(row): row.id for row in claimed.rows}
        answered = repo.answered(session, claimed.workspace_id, responses)
        return Space(claimed.limits.recontact_days, found, answered)

    def check(self, space: Space, due: Due, contact: ContactDetails, now: dt.datetime) -> Verdict:
        """Drop the reminder (answered, expired, refused), or put it back until the window opens."""
        row = due.row
        if row.id in space.answered:
            return Refused(ANSWERED)
        opens = due.opens(now)
        if opens >= link_expires_at(row.sent_at or now):
            return Refused(Reason.EXPIRED.value)
        if opens != now:  # a late claim outside quiet hours: wait for the window
            return Later(opens)
        reason = _refusal(space, due, contact, now)
        return Refused(reason.value) if reason is not None else None

    def put_back(self, db: Database, plan: Plan) -> None:
        """Due again later, or dropped for good with the reason noted on the invitation."""
        put_back(db, later=plan.later, dropped=plan.refused, claims=plan.claims, now=plan.now)

    def record(
        self,
        db: Database,
        outcomes: Sequence[Outcome],
        *,
        plan: Plan,
        deliveries: Mapping[uuid.UUID, Delivery],
    ) -> None:
        """Sent, retried after as long as it is late (1 min to 6 h), or given up."""
        now = plan.now
        retry_at = {
            o.invitation_id: now + retry_wait(plan.due[o.invitation_id].row.reminder_due_at, now)
            for o in outcomes
        }
        record(db, outcomes, claims=plan.claims, deliveries=deliveries, retry_at=retry_at, now=now)


def _refusal(space: Space, due: Due, contact: ContactDetails, now: dt.datetime) -> Reason | None:
    """The policies of a reminder: no cap, no quarantine, no recontact against itself."""
    row = due.row
    history = space.histories[contact.id].on(row.channel, None)
    since = history.last_asked_at
    asked_since = since if since is not None and row.sent_at and since > row.sent_at else None
    history = dataclasses.replace(history, last_asked_at=asked_since, asked_in_cap_period=0)
    consent = due.settings.require_consent if due.settings else False
    return refusal(Limits(space.recontact_days, 0, 0, None, consent), history, now)


REMINDERS = Reminders()
