"""The dispatcher: claim due invitations, check the policies again, send, record.

One pass (:func:`dispatch_once`) is what every backend runs: today the in-process worker of
``journeyscope serve`` on a timer; a Celery task on many workers will run the same pass. The
only window for a duplicate message is a crash after the mail server accepted a message and
before the outcome was committed; the stable ``Message-ID`` lets receivers and the crash test
recognise it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from journeyscope import collection, surveys
from journeyscope.collection.urls import invitation_url, unsubscribe_url
from journeyscope.errors import NotFound
from journeyscope.journey.models import Channel
from journeyscope.orchestration import outbox, repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Recipient, Sender
from journeyscope.orchestration.clock import Clock
from journeyscope.orchestration.policies import Limits, Reason, refusal
from journeyscope.orchestration.rules import RuleSettings, SendWindow
from journeyscope.orchestration.windows import place_in_window, zone
from journeyscope.store import Database, tables

log = logging.getLogger(__name__)

LINK_LIFETIME = dt.timedelta(days=30)
NO_SENDER_WAIT = dt.timedelta(minutes=5)
"""How long an invitation whose channel this worker cannot send waits before the next try."""


@dataclass(frozen=True, slots=True)
class DispatchConfig:
    """What a pass needs besides the database: links, signing key, batch size, lease."""

    base_url: str
    secret_key: str
    batch: int = 200
    lease: dt.timedelta = dt.timedelta(minutes=5)


@dataclass
class PassReport:
    """What one pass did, for logs and tests."""

    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    suppressed: dict[str, int] = field(default_factory=dict)
    deferred: int = 0  # put back unspent: outside the send window, or no sender configured


@dataclass
class _Prepared:
    sendable: list[tuple[tables.Invitation, tables.Contact]] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    refused: dict[uuid.UUID, str] = field(default_factory=dict)
    deferred: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    windows: dict[uuid.UUID, tuple[SendWindow, ZoneInfo]] = field(default_factory=dict)
    sending_to: set[uuid.UUID] = field(default_factory=set)

    def place(self, invitation_id: uuid.UUID, when: dt.datetime) -> dt.datetime:
        """``when`` moved into the invitation's send window (a retry keeps quiet hours too)."""
        found = self.windows.get(invitation_id)
        return place_in_window(when, *found) if found else when


async def dispatch_once(
    db: Database, senders: Mapping[str, Sender], config: DispatchConfig, clock: Clock
) -> PassReport:
    """Claim what is due now, send it through its channel, record every outcome."""
    now = clock.now()
    report = PassReport()
    claims = {
        c.id: c.attempts
        for c in outbox.claim_due(db, now=now, limit=config.batch, lease=config.lease)
    }
    report.claimed = len(claims)
    if not claims:
        return report
    prepared = _prepare(db, list(claims), config, now)
    _hold_without_sender(prepared, senders, now)
    outbox.suppress(db, prepared.refused, claims=claims, now=now)
    outbox.defer(db, prepared.deferred, claims=claims, now=now)
    for reason in prepared.refused.values():
        report.suppressed[reason] = report.suppressed.get(reason, 0) + 1
    report.deferred = len(prepared.deferred)
    outcomes = await _send(senders, prepared.deliveries)
    deliveries = {d.invitation_id: d for d in prepared.deliveries}
    outbox.record(db, outcomes, claims=claims, deliveries=deliveries, now=now, place=prepared.place)
    for outcome in outcomes:
        report.outcomes[outcome.result.value] = report.outcomes.get(outcome.result.value, 0) + 1
    return report


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


async def _send(senders: Mapping[str, Sender], deliveries: Sequence[Delivery]) -> list[Outcome]:
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_channel[delivery.channel].append(delivery)
    outcomes: list[Outcome] = []
    for channel, batch in by_channel.items():
        outcomes += await senders[channel].send(batch)
    return outcomes


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
    if window is not None:
        tz = zone(contact.timezone)
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


def _delivery(
    row: tables.Invitation,
    contact: tables.Contact,
    survey: surveys.PublishedSurvey,
    config: DispatchConfig,
    now: dt.datetime,
) -> Delivery:
    invitation = collection.Invitation(
        workspace_id=row.workspace_id,
        survey_id=row.survey_id,
        contact_id=contact.id,
        channel=Channel(row.channel),
        nonce=row.nonce,
        expires_at=(now + LINK_LIFETIME).replace(microsecond=0),
    )
    token = collection.sign_invitation(invitation, config.secret_key)
    host = urlsplit(config.base_url).hostname or "journeyscope.invalid"
    wanted = [contact.locale] if contact.locale else []
    return Delivery(
        invitation_id=row.id,
        workspace_id=row.workspace_id,
        channel=row.channel,
        recipient=Recipient(
            contact_id=contact.id,
            external_id=contact.external_id,
            email=contact.email,
            phone=contact.phone,
            name=contact.name,
            locale=contact.locale,
            attributes=dict(contact.attributes or {}),
        ),
        survey=survey,
        lang=surveys.match_language(survey.definition, wanted),
        link=invitation_url(config.base_url, token),
        token=token,
        unsubscribe_url=unsubscribe_url(config.base_url, token),
        message_id=f"<{row.id}@{host}>",
    )


def _build_deliveries(
    db: Database, prepared: _Prepared, config: DispatchConfig, now: dt.datetime
) -> None:
    """Attach each invitation's published survey; refuse those whose survey closed meanwhile."""
    found: dict[tuple[uuid.UUID, uuid.UUID], surveys.PublishedSurvey | None] = {}
    for row, contact in prepared.sendable:
        key = (row.workspace_id, row.survey_id)
        if key not in found:
            try:
                found[key] = surveys.published_by_id(db, *key)
            except NotFound:
                found[key] = None
        survey = found[key]
        if survey is None:
            prepared.refused[row.id] = Reason.SURVEY_CLOSED.value
            continue
        prepared.deliveries.append(_delivery(row, contact, survey, config, now))
