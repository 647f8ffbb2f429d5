"""The dispatcher: claim due invitations, check the policies again, send, record.

One pass (:func:`dispatch_once`) is what every backend runs: the in-process worker of
``journeyscope serve`` on a timer, or a Celery task on many workers. A pass sends due
invitations, then due reminders (:mod:`~journeyscope.orchestration.reminders`). The only
window for a duplicate message is a crash after the mail server accepted a message and before
the outcome was committed; the stable ``Message-ID`` lets receivers and the crash test
recognise it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from journeyscope.orchestration import outbox, reminders, repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Sender
from journeyscope.orchestration.clock import Clock
from journeyscope.orchestration.deliveries import LINK_LIFETIME as LINK_LIFETIME
from journeyscope.orchestration.deliveries import DispatchConfig as DispatchConfig
from journeyscope.orchestration.deliveries import build_delivery, published_surveys, send_all
from journeyscope.orchestration.policies import Limits, Reason, refusal
from journeyscope.orchestration.reminders import ReminderReport
from journeyscope.orchestration.rules import RuleSettings, SendWindow
from journeyscope.orchestration.windows import place_in_window, zone
from journeyscope.store import Database, tables

log = logging.getLogger(__name__)

NO_SENDER_WAIT = dt.timedelta(minutes=5)
"""How long an invitation whose channel this worker cannot send waits before the next try."""


@dataclass
class PassReport:
    """What one pass did, for logs and tests."""

    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    suppressed: dict[str, int] = field(default_factory=dict)
    deferred: int = 0  # put back unspent: outside the send window, or no sender configured
    reminders: ReminderReport = field(default_factory=ReminderReport)

    def found_backlog(self, batch: int) -> bool:
        """Whether the pass claimed a full batch of invitations or of reminders: go on at once."""
        return self.claimed >= batch or self.reminders.claimed >= batch


@dataclass
class _Prepared:
    sendable: list[tuple[tables.Invitation, tables.Contact]] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    refused: dict[uuid.UUID, str] = field(default_factory=dict)
    deferred: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    windows: dict[uuid.UUID, tuple[SendWindow, ZoneInfo]] = field(default_factory=dict)
    sending_to: set[uuid.UUID] = field(default_factory=set)
    reminders: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)

    def place(self, invitation_id: uuid.UUID, when: dt.datetime) -> dt.datetime:
        """``when`` moved into the invitation's send window (a retry keeps quiet hours too)."""
        found = self.windows.get(invitation_id)
        return place_in_window(when, *found) if found else when


async def dispatch_once(
    db: Database, senders: Mapping[str, Sender], config: DispatchConfig, clock: Clock
) -> PassReport:
    """Claim what is due now, send it through its channel, record every outcome.

    Invitations first, then reminders (``report.reminders``).
    """
    now = clock.now()
    report = PassReport()
    await _send_invitations(db, senders, config, now, report)
    report.reminders = await reminders.send_due(db, senders, config, now)
    return report


async def _send_invitations(
    db: Database,
    senders: Mapping[str, Sender],
    config: DispatchConfig,
    now: dt.datetime,
    report: PassReport,
) -> None:
    claims = {
        c.id: c.attempts
        for c in outbox.claim_due(db, now=now, limit=config.batch, lease=config.lease)
    }
    report.claimed = len(claims)
    if not claims:
        return
    prepared = _prepare(db, list(claims), config, now)
    _hold_without_sender(prepared, senders, now)
    outbox.suppress(db, prepared.refused, claims=claims, now=now)
    outbox.defer(db, prepared.deferred, claims=claims, now=now)
    for reason in prepared.refused.values():
        report.suppressed[reason] = report.suppressed.get(reason, 0) + 1
    report.deferred = len(prepared.deferred)
    deliveries = {d.invitation_id: d for d in prepared.deliveries}

    def record(outcomes: Sequence[Outcome]) -> None:
        outbox.record(
            db,
            outcomes,
            claims=claims,
            deliveries=deliveries,
            now=now,
            place=prepared.place,
            reminders=prepared.reminders,
        )

    outcomes = await send_all(senders, prepared.deliveries, record)
    for outcome in outcomes:
        report.outcomes[outcome.result.value] = report.outcomes.get(outcome.result.value, 0) + 1


def _hold_without_sender(
    prepared: _Prepared, senders: Mapping[str, Sender], now: dt.datetime
) -> None:
    """Put back what no sender of this worker can send, unspent, to be tried a bit later."""
    missing = {d.channel for d in prepared.deliveries if d.channel not in senders}
    for channel in sorted(missing):
        log.warning(
            "No %s channel is configured on this worker; its invitations wait (see the %s "
            "settings)",
            channel,
            "SMS_*" if channel != "email" else "SMTP_*",
        )
    for delivery in prepared.deliveries:
        if delivery.channel in missing:
            prepared.deferred[delivery.invitation_id] = now + NO_SENDER_WAIT
    prepared.deliveries = [d for d in prepared.deliveries if d.channel not in missing]


@dataclass(frozen=True, slots=True)
class _Space:
    """One workspace's limits and its contacts' histories, read once per pass."""

    limits: tuple[int, int, int]
    histories: dict[uuid.UUID, repo.ContactHistory]
    quarantines: dict[uuid.UUID, int]


def _prepare(
    db: Database, ids: Sequence[uuid.UUID], config: DispatchConfig, now: dt.datetime
) -> _Prepared:
    """Re-check the claimed invitations' windows and policies and build their deliveries.

    A fixed handful of queries per pass and workspace (:func:`repo.histories`), not per row.
    """
    prepared = _Prepared()
    with db.transaction() as session:
        rows = repo.invitations(session, ids)
        people = repo.contacts(session, [r.contact_id for r in rows if r.contact_id])
        rules = repo.rule_settings(session, {r.rule_id for r in rows if r.rule_id})
        quarantines = repo.quarantines(session, {r.touchpoint_id for r in rows})
        by_space: dict[uuid.UUID, list[tables.Invitation]] = defaultdict(list)
        for row in rows:
            by_space[row.workspace_id].append(row)
        for workspace_id, group in by_space.items():
            limits = repo.workspace_limits(session, workspace_id)
            found = repo.histories(
                session,
                workspace_id,
                [people[r.contact_id] for r in group if r.contact_id in people],
                touchpoint_ids={r.touchpoint_id for r in group},
                since_cap=now - dt.timedelta(days=limits[2]),
            )
            space = _Space(limits, found, quarantines)
            for row in group:
                contact = people.get(row.contact_id) if row.contact_id else None
                settings = rules.get(row.rule_id) if row.rule_id else None
                _check(prepared, space, row, contact, settings, now)
    _build_deliveries(db, prepared, config, now)
    return prepared


def _check(
    prepared: _Prepared,
    space: _Space,
    row: tables.Invitation,
    contact: tables.Contact | None,
    settings: RuleSettings | None,
    now: dt.datetime,
) -> None:
    """Defer the row outside its send window, refuse it, or mark it sendable."""
    if contact is None:
        prepared.refused[row.id] = Reason.NO_CONTACT.value
        return
    window = settings.window if settings else None
    tz = zone(contact.timezone)
    if window is not None:
        prepared.windows[row.id] = (window, tz)
        opens = place_in_window(now, window, tz)
        if opens != now:  # a retry or a late claim outside quiet hours: wait, unspent
            prepared.deferred[row.id] = opens
            return
    recontact, cap, cap_days = space.limits
    quarantine = space.quarantines.get(row.touchpoint_id) if row.touchpoint_id else None
    consent = settings.require_consent if settings else False
    limits = Limits(recontact, cap, cap_days, quarantine, consent)
    reason = refusal(limits, space.histories[contact.id].on(row.channel, row.touchpoint_id), now)
    if reason is None and recontact > 0 and contact.id in prepared.sending_to:
        reason = Reason.RECONTACT  # two invitations for one person in this batch
    if reason is not None:
        prepared.refused[row.id] = reason.value
        return
    prepared.sending_to.add(contact.id)
    prepared.sendable.append((row, contact))
    reminder = reminders.first_due(now, settings, tz)  # ``now`` is when it is sent
    if reminder is not None:
        prepared.reminders[row.id] = reminder


def _build_deliveries(
    db: Database, prepared: _Prepared, config: DispatchConfig, now: dt.datetime
) -> None:
    """Attach each invitation's published survey; refuse those whose survey closed meanwhile."""
    found = published_surveys(db, ((r.workspace_id, r.survey_id) for r, _ in prepared.sendable))
    for row, contact in prepared.sendable:
        survey = found[(row.workspace_id, row.survey_id)]
        if survey is None:
            prepared.refused[row.id] = Reason.SURVEY_CLOSED.value
            continue
        prepared.deliveries.append(build_delivery(row, contact, survey, config=config, sent_at=now))
