"""One way to send what is due: claim, check again, deliver, record — for invitations and reminders.

First sends (:mod:`.dispatcher`) and reminders (:mod:`.reminders`) go through this one
pipeline; a :class:`Step` says only what differs between them: which rows are due (its claim),
which policies apply once they are, whether the message is a reminder (its ``Message-ID`` and
the time its link counts from), and what giving a row back and recording an outcome change.
Everything else is written here, once:

1. **Claim** due rows of every workspace in one statement; each claim carries its workspace.
2. **Check again**, in one transaction: per workspace of the claimed rows, a fixed handful of
   grouped reads, every one of them scoped to that workspace (the rows, their contacts, their
   rules, the workspace's limits, then what the step reads: histories, answers). Each row is
   then sent, put back for later, or refused with a reason. A row without a contact is
   refused; two rows for one contact in one pass are not both sent while the workspace has a
   recontact period.
3. **Deliver**: each row to send gets its delivery (refused if its survey closed meanwhile;
   put back if this worker has no sender for its channel); what does not go is given back in
   one transaction, the rest handed to the channels. Outcomes are committed in groups of
   :data:`~.deliveries.RECORD_EVERY` while the batch is still sending, so a worker killed
   mid-batch leaves at most the group in flight unrecorded (``docs/worker.md``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from journeyscope.orchestration import repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Sender
from journeyscope.orchestration.deliveries import (
    DispatchConfig,
    build_delivery,
    published_surveys,
    send_all,
)
from journeyscope.orchestration.models import (
    Claim,
    ContactDetails,
    StoredInvitation,
    WorkspaceLimits,
)
from journeyscope.orchestration.policies import Reason
from journeyscope.orchestration.rules import RuleSettings, SendWindow
from journeyscope.orchestration.windows import place_in_window, zone
from journeyscope.store import Database

log = logging.getLogger(__name__)

NO_SENDER_WAIT = dt.timedelta(minutes=5)
"""How long a row whose channel this worker cannot send waits before the next try."""
Space = TypeVar("Space")
"""What a step reads once per workspace to check its rows (histories, answers...)."""


class Later(NamedTuple):
    """Not now, not refused: due again at ``when`` (outside the send window, for instance)."""

    when: dt.datetime


class Refused(NamedTuple):
    """Not sent, for ``reason``: a :class:`~.policies.Reason` value, or the step's own."""

    reason: str


Verdict = Later | Refused | None
"""What the check says of one row; ``None``: send it now."""


@dataclass(frozen=True, slots=True)
class Due:
    """One claimed row with what its check reads: the contact and the rule's settings."""

    row: StoredInvitation
    contact: ContactDetails | None
    settings: RuleSettings | None

    @property
    def zone(self) -> ZoneInfo:
        """The contact's time zone (UTC when unknown): send windows are local."""
        return zone(self.contact.timezone if self.contact else None)

    @property
    def window(self) -> SendWindow | None:
        """The rule's send window; ``None`` for any time."""
        return self.settings.window if self.settings else None

    def opens(self, now: dt.datetime) -> dt.datetime:
        """``now`` if the send window is open, else when it next opens."""
        return place_in_window(now, self.window, self.zone)


@dataclass(frozen=True, slots=True)
class Claimed:
    """The claimed rows of one workspace, with what every step reads of them."""

    workspace_id: uuid.UUID
    rows: list[StoredInvitation]
    people: dict[uuid.UUID, ContactDetails]
    limits: WorkspaceLimits


@dataclass
class Plan:
    """The claimed rows sorted out: what goes, what waits, what is refused."""

    now: dt.datetime
    claims: dict[uuid.UUID, Claim[Any]]
    due: dict[uuid.UUID, Due] = field(default_factory=dict)  # every claimed row found
    sending: list[tuple[Due, ContactDetails]] = field(default_factory=list)
    later: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    refused: dict[uuid.UUID, str] = field(default_factory=dict)
    contacted: set[uuid.UUID] = field(default_factory=set)  # contacts sent to in this pass

    def decide(self, due: Due, verdict: Verdict) -> None:
        """File ``due`` under what its check said."""
        self.due[due.row.id] = due
        if isinstance(verdict, Later):
            self.later[due.row.id] = verdict.when
        elif isinstance(verdict, Refused):
            self.refused[due.row.id] = verdict.reason
        elif due.contact is not None:  # (a row without a contact is always refused)
            self.contacted.add(due.contact.id)
            self.sending.append((due, due.contact))


class Step(Protocol[Space]):
    """What differs between sending invitations and sending their reminders."""

    name: str
    """What its rows are called in logs: ``invitations`` or ``reminders``."""
    is_reminder: bool
    """A reminder: its own ``Message-ID``, and the link counts from the first sending."""

    def claim(
        self, db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> Sequence[Claim[Any]]:
        """Claim up to ``limit`` due rows of any workspace."""
        ...  # pragma: no cover - protocol

    def read(self, session: Session, claimed: Claimed, now: dt.datetime) -> Space:
        """What checking one workspace's claimed rows needs, read in a few grouped queries."""
        ...  # pragma: no cover - protocol

    def check(self, space: Space, due: Due, contact: ContactDetails, now: dt.datetime) -> Verdict:
        """The step's own checks of a row and its contact: windows, policies, answers."""
        ...  # pragma: no cover - protocol

    def put_back(self, db: Database, plan: Plan) -> None:
        """Give back the rows that wait (``plan.later``) or were refused (``plan.refused``)."""
        ...  # pragma: no cover - protocol

    def record(
        self,
        db: Database,
        outcomes: Sequence[Outcome],
        *,
        plan: Plan,
        deliveries: Mapping[uuid.UUID, Delivery],
    ) -> None:
        """Commit a group of outcomes (a blocking write; it runs in a thread)."""
        ...  # pragma: no cover - protocol


@dataclass
class StepReport:
    """What one step of a pass did, for logs and tests."""

    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # by result: sent, retry, failed
    refused: dict[str, int] = field(default_factory=dict)  # not sent, by reason
    deferred: int = 0  # put back: outside the send window, or no sender configured


async def run_step(
    db: Database,
    senders: Mapping[str, Sender],
    config: DispatchConfig,
    now: dt.datetime,
    step: Step[Any],
) -> StepReport:
    """Claim what ``step`` finds due at ``now``, check it again, send it, record every outcome."""
    claims = step.claim(db, now=now, limit=config.batch, lease=config.lease)
    report = StepReport(claimed=len(claims))
    if not claims:
        return report
    plan = check_claims(db, step, claims, now)
    deliveries = _deliveries(db, plan, step, config)
    deliveries = _hold_without_sender(plan, deliveries, senders, step.name)
    step.put_back(db, plan)
    report.refused = dict(Counter(plan.refused.values()))
    report.deferred = len(plan.later)
    by_id = {delivery.invitation_id: delivery for delivery in deliveries}

    def record(outcomes: Sequence[Outcome]) -> None:
        step.record(db, outcomes, plan=plan, deliveries=by_id)

    outcomes = await send_all(senders, deliveries, record)
    report.outcomes = dict(Counter(outcome.result.value for outcome in outcomes))
    return report


def check_claims(
    db: Database, step: Step[Space], claims: Sequence[Claim[Any]], now: dt.datetime
) -> Plan:
    """Check every claimed row again, one workspace at a time, in one transaction."""
    plan = Plan(now, {claim.id: claim for claim in claims})
    by_space: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for claim in claims:
        by_space[claim.workspace_id].append(claim.id)
    with db.transaction() as session:
        for workspace_id, ids in by_space.items():
            rows = repo.invitations(session, workspace_id, ids)
            people = repo.contacts(session, workspace_id, (r.contact_id for r in rows))
            rules = repo.rule_settings(session, workspace_id, (r.rule_id for r in rows))
            limits = repo.workspace_limits(session, workspace_id)
            claimed = Claimed(workspace_id, rows, people, limits)
            space = step.read(session, claimed, now)
            for row in rows:
                contact = people.get(row.contact_id) if row.contact_id else None
                settings = rules.get(row.rule_id) if row.rule_id else None
                due = Due(row, contact, settings)
                plan.decide(due, _verdict(step, space, due, claimed, plan))
    return plan


def _verdict(step: Step[Space], space: Space, due: Due, claimed: Claimed, plan: Plan) -> Verdict:
    """The checks every step makes around its own."""
    if due.contact is None:
        return Refused(Reason.NO_CONTACT.value)
    verdict = step.check(space, due, due.contact, plan.now)
    recontact = claimed.limits.recontact_days > 0
    if verdict is None and recontact and due.contact.id in plan.contacted:
        return Refused(Reason.RECONTACT.value)  # a second message for one person in this pass
    return verdict


def _deliveries(
    db: Database, plan: Plan, step: Step[Any], config: DispatchConfig
) -> list[Delivery]:
    """Each row to send with its published survey; one whose survey closed meanwhile is refused.

    A first send's link counts from now; a reminder's from the invitation's own sending, so
    it carries the very same link.
    """
    found = published_surveys(db, ((d.row.workspace_id, d.row.survey_id) for d, _ in plan.sending))
    built: list[Delivery] = []
    for due, contact in plan.sending:
        survey = found[(due.row.workspace_id, due.row.survey_id)]
        if survey is None:
            plan.refused[due.row.id] = Reason.SURVEY_CLOSED.value
            continue
        sent_at = (due.row.sent_at or plan.now) if step.is_reminder else plan.now
        built.append(
            build_delivery(
                due.row,
                contact,
                survey,
                config=config,
                sent_at=sent_at,
                now=plan.now,
                is_reminder=step.is_reminder,
            )
        )
    return built


def _hold_without_sender(
    plan: Plan, deliveries: list[Delivery], senders: Mapping[str, Sender], what: str
) -> list[Delivery]:
    """Put back what no sender of this worker can send, to be tried a bit later; the rest."""
    missing = {d.channel for d in deliveries} - set(senders)
    for channel in sorted(missing):
        log.warning(
            "No %s channel is configured on this worker; its %s wait (see the %s settings)",
            channel,
            what,
            "SMTP_*" if channel == "email" else "SMS_*",
        )
    for delivery in deliveries:
        if delivery.channel in missing:
            plan.later[delivery.invitation_id] = plan.now + NO_SENDER_WAIT
    return [d for d in deliveries if d.channel not in missing]
