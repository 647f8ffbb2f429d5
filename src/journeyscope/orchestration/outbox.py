"""The invitation outbox as the dispatcher sees it: claim due rows, record what happened.

Claiming is one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING id, workspace_id,
attempts``: atomic on SQLite, and with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so several
workers never claim the same row. A claim is a lease: a worker that dies mid-send leaves rows
in ``sending`` whose lease runs out, and the next claim takes them again, which counts one more
attempt. Every later change is guarded by the claim it answers (state ``sending`` *and* the
attempt number the claim saw), so a worker whose lease ran out cannot overwrite the claim that
replaced it, and a late or repeated record cannot move an invitation backwards. Each step is
one statement per kind of change (``executemany``), not one per invitation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from journeyscope.orchestration import repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.orchestration.models import Claim, InvitationState
from journeyscope.orchestration.policies import Reason
from journeyscope.store import Database, new_id, new_public_id, skip_locked, tables

Invitation = tables.Invitation
TABLE: Table = Invitation.__table__  # type: ignore[assignment]
State = InvitationState
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)
"""Waits before retrying a temporary failure: 1 min, 5 min, 30 min, 2 h, 6 h; then failed."""
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
_REFUSED = {"bounced": Reason.BOUNCED.value, "unsubscribed": Reason.UNSUBSCRIBED.value}
"""The reason a failed invitation keeps when the channel refused the address for good."""
Placer = Callable[[uuid.UUID, dt.datetime], dt.datetime]
"""Moves an invitation's retry time into its send window (the identity when it has none)."""


def new_row(*, reason: Reason | None, now: dt.datetime, **columns: Any) -> dict[str, Any]:
    """A new invitation row: ``scheduled``, or ``suppressed`` with ``reason``.

    ``columns`` give the rest (workspace, survey, rule, contact, event, touchpoint, channel,
    ``dedup_key``, ``due_at``, ``expires_at``); a fresh id and link nonce are drawn here, so
    every way of planning (rules, batch waves) writes the same shape.
    """
    return {
        "id": new_id(),
        "nonce": new_public_id(),
        "state": State.SUPPRESSED if reason else State.SCHEDULED,
        "reason": reason.value if reason else None,
        "detail": "",
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
        **columns,
    }


def claim_due(
    db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
) -> list[Claim[int]]:
    """Claim up to ``limit`` due invitations of any workspace; each claim's guard is its attempt.

    Stale ones are expired and spent ones given up first: a row whose lease ran out after its
    last allowed attempt (a worker kept dying while sending it) becomes ``failed`` instead of
    being claimed again forever.
    """
    with db.transaction() as session:
        session.execute(
            update(Invitation)
            .where(Invitation.state == State.SCHEDULED, Invitation.expires_at <= now)
            .values(state=State.EXPIRED, reason=Reason.EXPIRED, updated_at=now)
        )
        stale = and_(Invitation.state == State.SENDING, Invitation.claimed_until < now)
        session.execute(
            update(Invitation)
            .where(stale, Invitation.attempts >= MAX_ATTEMPTS)
            .values(
                state=State.FAILED, reason="delivery_failed", claimed_until=None, updated_at=now
            )
        )
        due = or_(and_(Invitation.state == State.SCHEDULED, Invitation.due_at <= now), stale)
        pick = select(Invitation.id).where(due).order_by(Invitation.due_at).limit(limit)
        pick = skip_locked(session, pick)  # concurrent dispatchers claim different rows
        claimed = session.execute(
            update(Invitation)
            .where(Invitation.id.in_(pick.scalar_subquery()))
            .values(
                state=State.SENDING,
                claimed_until=now + lease,
                attempts=Invitation.attempts + 1,
                updated_at=now,
            )
            .returning(Invitation.id, Invitation.workspace_id, Invitation.attempts)
        )
        return [Claim(row.id, row.workspace_id, row.attempts) for row in claimed]


def _guarded(**values: Any) -> Any:
    """``UPDATE invitation SET ...`` for the row ``b_id`` still held by claim ``b_attempts``.

    The row is named with its workspace too (``b_workspace``), as every query after a claim.
    """
    return (
        update(TABLE)
        .where(
            TABLE.c.id == bindparam("b_id"),
            TABLE.c.workspace_id == bindparam("b_workspace"),
            TABLE.c.state == State.SENDING,
            TABLE.c.attempts == bindparam("b_attempts"),
        )
        .values(**values)
    )


def _held(claim: Claim[int]) -> dict[str, Any]:
    """The parameters that name a claimed row for :func:`_guarded`."""
    return {"b_id": claim.id, "b_workspace": claim.workspace_id, "b_attempts": claim.guard}


def _run(session: Session, stmt: Any, params: list[dict[str, Any]]) -> None:
    if params:
        session.execute(stmt, params)


def put_back(
    db: Database,
    *,
    refused: Mapping[uuid.UUID, str],
    later: Mapping[uuid.UUID, dt.datetime],
    claims: Mapping[uuid.UUID, Claim[int]],
    now: dt.datetime,
) -> None:
    """Give back claimed invitations that do not go now, in one transaction.

    ``refused``: a policy refused them at send time; they become ``suppressed`` with the
    reason. ``later``: they may not go *now* but are not refused (outside the send window, no
    channel configured on this worker); they are ``scheduled`` again at the time given, and
    the claim's attempt is given back.
    """
    suppressed = [_held(claims[i]) | {"b_reason": r} for i, r in refused.items()]
    deferred = [_held(claims[i]) | {"b_due": when} for i, when in later.items()]
    suppress = _guarded(
        state=State.SUPPRESSED, reason=bindparam("b_reason"), claimed_until=None, updated_at=now
    )
    defer = _guarded(
        state=State.SCHEDULED,
        due_at=bindparam("b_due"),
        attempts=TABLE.c.attempts - 1,
        claimed_until=None,
        updated_at=now,
    )
    with db.transaction() as session:
        _run(session, suppress, suppressed)
        _run(session, defer, deferred)


def record(
    db: Database,
    outcomes: Sequence[Outcome],
    *,
    claims: Mapping[uuid.UUID, Claim[int]],
    deliveries: Mapping[uuid.UUID, Delivery],
    now: dt.datetime,
    place: Placer | None = None,
    reminders: Mapping[uuid.UUID, dt.datetime] | None = None,
) -> None:
    """Store each outcome: sent, rescheduled with backoff (inside the send window), or failed.

    A sent invitation gets its ``reminder_due_at`` from ``reminders`` (none when missing).
    An outcome that says the address is refused for good (a 5xx to ``RCPT``, an invalid
    number, a texted STOP) also sets the contact's status on that channel, so no later
    invitation tries it again.
    """
    params: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for outcome in outcomes:
        key, values = _change(outcome, claims, deliveries, now, place)
        if key == "sent":
            values["b_reminder"] = (reminders or {}).get(outcome.invitation_id)
        params[key].append(values)
    with db.transaction() as session:
        for kind, stmt in _statements(now).items():
            _run(session, stmt, params[kind])
        keep_address_statuses(session, outcomes, deliveries, what="invitation", now=now)


def keep_address_statuses(
    session: Session,
    outcomes: Sequence[Outcome],
    deliveries: Mapping[uuid.UUID, Delivery],
    *,
    what: str,
    now: dt.datetime,
) -> None:
    """Store on the contact what a channel learnt about the address (bounced, unsubscribed)."""
    for outcome in outcomes:
        delivery = deliveries.get(outcome.invitation_id)
        if outcome.address_status is not None and delivery is not None:
            repo.upsert_channel_status(
                session,
                workspace_id=delivery.workspace_id,
                contact_id=delivery.recipient.contact_id,
                channel=delivery.channel,
                status=outcome.address_status,
                source=f"{delivery.channel} {what} {outcome.invitation_id}: {outcome.detail}",
                now=now,
            )


def _change(
    outcome: Outcome,
    claims: Mapping[uuid.UUID, Claim[int]],
    deliveries: Mapping[uuid.UUID, Delivery],
    now: dt.datetime,
    place: Placer | None,
) -> tuple[str, dict[str, Any]]:
    """Which statement records ``outcome``, and its parameters."""
    claim = claims[outcome.invitation_id]
    tried = claim.guard
    values = _held(claim) | {"b_detail": outcome.detail[:2000]}
    if outcome.result is Result.SENT:
        delivery = deliveries.get(outcome.invitation_id)
        return "sent", values | {"b_message_id": delivery.message_id if delivery else None}
    if outcome.result is Result.RETRY and tried < MAX_ATTEMPTS:
        when = now + dt.timedelta(seconds=BACKOFF_SECONDS[tried - 1])
        return "retry", values | {"b_due": place(outcome.invitation_id, when) if place else when}
    reason = _REFUSED.get(outcome.address_status or "", "delivery_failed")
    return "failed", values | {"b_reason": reason}


def _statements(now: dt.datetime) -> dict[str, Any]:
    """The guarded statement of each kind of outcome."""
    done: dict[str, Any] = {
        "claimed_until": None,
        "updated_at": now,
        "detail": bindparam("b_detail"),
    }
    return {
        "sent": _guarded(
            state=State.SENT,
            sent_at=now,
            message_id=bindparam("b_message_id"),
            reminder_due_at=bindparam("b_reminder"),
            **done,
        ),
        "retry": _guarded(state=State.SCHEDULED, due_at=bindparam("b_due"), **done),
        "failed": _guarded(state=State.FAILED, reason=bindparam("b_reason"), **done),
    }
