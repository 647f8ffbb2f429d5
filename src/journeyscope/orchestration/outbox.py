"""The invitation outbox as the dispatcher sees it: claim due rows, record what happened.

Claiming is one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING id``: atomic on SQLite,
and with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so several workers never claim the same row.
A claim is a lease: a worker that dies mid-send leaves rows in ``sending`` whose lease runs out,
and the next claim takes them again. Every state change is guarded by the state it expects, so
a late or repeated record cannot move an invitation backwards.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import and_, or_, select, update

from journeyscope.orchestration.channels.base import Outcome, Result
from journeyscope.store import Database, tables

Invitation = tables.Invitation
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)
"""Waits before retrying a temporary failure: 1 min, 5 min, 30 min, 2 h, 6 h; then failed."""
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1


def claim_due(
    db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
) -> list[uuid.UUID]:
    """Claim up to ``limit`` due invitations (expiring stale ones first); their ids."""
    with db.transaction() as session:
        session.execute(
            update(Invitation)
            .where(Invitation.state == "scheduled", Invitation.expires_at <= now)
            .values(state="expired", reason="expired", updated_at=now)
        )
        due = or_(
            and_(Invitation.state == "scheduled", Invitation.due_at <= now),
            and_(Invitation.state == "sending", Invitation.claimed_until < now),
        )
        pick = select(Invitation.id).where(due).order_by(Invitation.due_at).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        claimed = session.scalars(
            update(Invitation)
            .where(Invitation.id.in_(pick.scalar_subquery()))
            .values(
                state="sending",
                claimed_until=now + lease,
                attempts=Invitation.attempts + 1,
                updated_at=now,
            )
            .returning(Invitation.id)
        )
        return list(claimed)


def suppress(db: Database, refused: dict[uuid.UUID, str], *, now: dt.datetime) -> None:
    """Mark claimed invitations that a policy refused at send time, with the reason."""
    with db.transaction() as session:
        for invitation_id, reason in refused.items():
            session.execute(
                update(Invitation)
                .where(Invitation.id == invitation_id, Invitation.state == "sending")
                .values(state="suppressed", reason=reason, claimed_until=None, updated_at=now)
            )


def record(
    db: Database,
    outcomes: Sequence[Outcome],
    *,
    now: dt.datetime,
    message_ids: dict[uuid.UUID, str],
    reminders: dict[uuid.UUID, dt.datetime | None],
) -> None:
    """Store each outcome: sent, rescheduled with backoff, or failed for good."""
    with db.transaction() as session:
        found = session.execute(
            select(Invitation.id, Invitation.attempts).where(
                Invitation.id.in_([o.invitation_id for o in outcomes])
            )
        )
        attempts = {row[0]: row[1] for row in found}
        for outcome in outcomes:
            values: dict[str, object] = {"claimed_until": None, "updated_at": now}
            values["detail"] = outcome.detail[:2000]
            tried = attempts.get(outcome.invitation_id, MAX_ATTEMPTS)
            if outcome.result is Result.SENT:
                values |= {
                    "state": "sent",
                    "sent_at": now,
                    "message_id": message_ids.get(outcome.invitation_id),
                    "reminder_due_at": reminders.get(outcome.invitation_id),
                }
            elif outcome.result is Result.RETRY and tried < MAX_ATTEMPTS:
                wait = BACKOFF_SECONDS[tried - 1]
                values |= {"state": "scheduled", "due_at": now + dt.timedelta(seconds=wait)}
            else:
                values |= {"state": "failed", "reason": "delivery_failed"}
            session.execute(
                update(Invitation)
                .where(Invitation.id == outcome.invitation_id, Invitation.state == "sending")
                .values(**values)
            )
