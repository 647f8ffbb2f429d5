"""The dispatcher: a pass sends due invitations, then due reminders, through one pipeline.

One pass (:func:`dispatch_once`) is what every backend runs: the in-process worker of
``journeyscope serve`` on a timer, or a Celery task on many workers. Both steps go through
:mod:`~journeyscope.orchestration.pipeline` (claim, check again, deliver, record); this module
holds what is particular to a first send (:class:`FirstSends`): the outbox claim, every policy
checked again (the send window, the recontact period, the touchpoint's quarantine, the cap),
and on sending, the time its reminder falls due. The only window for a duplicate message is a
crash after the mail server accepted a message and before the outcome was committed; the
stable ``Message-ID`` lets receivers and the crash test recognise it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from journeyscope.orchestration import outbox, reminders, repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Sender
from journeyscope.orchestration.deliveries import LINK_LIFETIME as LINK_LIFETIME
from journeyscope.orchestration.deliveries import DispatchConfig as DispatchConfig
from journeyscope.orchestration.models import (
    Claim,
    ContactDetails,
    ContactHistory,
    WorkspaceLimits,
)
from journeyscope.orchestration.pipeline import (
    Claimed,
    Due,
    Later,
    Plan,
    Refused,
    StepReport,
    Verdict,
    run_step,
)
from journeyscope.orchestration.policies import refusal
from journeyscope.orchestration.windows import place_in_window
from journeyscope.store import Database


@dataclass
class PassReport(StepReport):
    """What one pass did: its invitations (these fields) and its reminders, for logs and tests."""

    reminders: StepReport = field(default_factory=StepReport)

    def found_backlog(self, batch: int) -> bool:
        """Whether the pass claimed a full batch of invitations or of reminders: go on at once."""
        return self.claimed >= batch or self.reminders.claimed >= batch


async def dispatch_once(
    db: Database, senders: Mapping[str, Sender], config: DispatchConfig
) -> PassReport:
    """Claim what is due at ``db.clock.now()``, send it through its channel, record every outcome.

    Invitations first, then reminders (``report.reminders``).
    """
    now = db.clock.now()
    sent = await run_step(db, senders, config, now, FIRST_SENDS)
    report = PassReport(**vars(sent))
    report.reminders = await run_step(db, senders, config, now, reminders.REMINDERS)
    return report


@dataclass(frozen=True, slots=True)
class Space:
    """One workspace's limits and its contacts' histories, read once per pass."""

    limits: WorkspaceLimits
    histories: dict[uuid.UUID, ContactHistory]
    quarantines: dict[uuid.UUID, int]


class FirstSends:
    """The pipeline step of invitations due to go out for the first time (or again, on retry)."""

    name = "invitations"
    is_reminder = False

    def claim(
        self, db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> list[Claim[int]]:
        """Claim due invitations; each claim's guard is its attempt number."""
        return outbox.claim_due(db, now=now, limit=limit, lease=lease)

    def read(self, session: Session, claimed: Claimed, now: dt.datetime) -> Space:
        """The contacts' histories (the cap period's included) and the touchpoints' quarantines."""
        points = {r.touchpoint_id for r in claimed.rows}
        found = repo.histories(
            session,
            claimed.workspace_id,
            list(claimed.people.values()),
            touchpoint_ids=points,
            since_cap=now - dt.timedelta(days=claimed.limits.cap_days),
        )
        quarantines = repo.quarantines(session, claimed.workspace_id, points)
        return Space(claimed.limits, found, quarantines)

    def check(self, space: Space, due: Due, contact: ContactDetails, now: dt.datetime) -> Verdict:
        """Wait for the send window (unspent), or refuse by the first policy that says no."""
        opens = due.opens(now)
        if opens != now:  # a retry or a late claim outside quiet hours: wait, unspent
            return Later(opens)
        row = due.row
        limits = space.limits.policy(
            quarantine_days=space.quarantines.get(row.touchpoint_id) if row.touchpoint_id else None,
            require_consent=due.settings.require_consent if due.settings else False,
        )
        history = space.histories[contact.id].on(row.channel, row.touchpoint_id)
        reason = refusal(limits, history, now)
        return Refused(reason.value) if reason is not None else None

    def put_back(self, db: Database, plan: Plan) -> None:
        """Suppress the refused invitations; schedule the waiting ones again, unspent."""
        outbox.put_back(
            db, refused=plan.refused, later=plan.later, claims=plan.claims, now=plan.now
        )

    def record(
        self,
        db: Database,
        outcomes: Sequence[Outcome],
        *,
        plan: Plan,
        deliveries: Mapping[uuid.UUID, Delivery],
    ) -> None:
        """Sent (with its reminder's due time), retried inside the send window, or failed."""

        def place(invitation_id: uuid.UUID, when: dt.datetime) -> dt.datetime:
            due = plan.due[invitation_id]
            return place_in_window(when, due.window, due.zone)

        due_reminders = {
            o.invitation_id: when
            for o in outcomes
            if (when := _reminder_due(plan.due[o.invitation_id], plan.now)) is not None
        }
        outbox.record(
            db,
            outcomes,
            claims=plan.claims,
            deliveries=deliveries,
            now=plan.now,
            place=place,
            reminders=due_reminders,
        )


def _reminder_due(due: Due, sent_at: dt.datetime) -> dt.datetime | None:
    return reminders.first_due(sent_at, due.settings, due.zone)


FIRST_SENDS = FirstSends()
