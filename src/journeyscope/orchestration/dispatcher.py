"""The dispatcher: claim due invitations, check the policies again, send, record.

One pass (:func:`dispatch_once`) is what every backend runs: the in-process worker of
``journeyscope serve`` on a timer, or a Celery task on many workers. The only window for a
duplicate message is a crash after the mail server accepted a message and before the outcome
was committed; the stable ``Message-ID`` lets receivers and the crash test recognise it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeyscope import collection, surveys
from journeyscope.collection.urls import invitation_url, unsubscribe_url
from journeyscope.errors import NotFound
from journeyscope.journey.models import Channel
from journeyscope.orchestration import outbox, repo
from journeyscope.orchestration.channels.base import Delivery, Outcome, Recipient, Result, Sender
from journeyscope.orchestration.clock import Clock
from journeyscope.orchestration.policies import Limits, Reason, refusal
from journeyscope.orchestration.rules import RuleSettings
from journeyscope.store import Database, tables

LINK_LIFETIME = dt.timedelta(days=30)


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


@dataclass
class _Prepared:
    sendable: list[tuple[tables.Invitation, tables.Contact]] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    refused: dict[uuid.UUID, str] = field(default_factory=dict)
    reminders: dict[uuid.UUID, dt.datetime | None] = field(default_factory=dict)


async def dispatch_once(
    db: Database, senders: Mapping[str, Sender], config: DispatchConfig, clock: Clock
) -> PassReport:
    """Claim what is due now, send it through its channel, record every outcome."""
    now = clock.now()
    report = PassReport()
    ids = outbox.claim_due(db, now=now, limit=config.batch, lease=config.lease)
    report.claimed = len(ids)
    if not ids:
        return report
    prepared = _prepare(db, ids, config, now)
    outbox.suppress(db, prepared.refused, now=now)
    for reason in prepared.refused.values():
        report.suppressed[reason] = report.suppressed.get(reason, 0) + 1
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in prepared.deliveries:
        by_channel[delivery.channel].append(delivery)
    outcomes: list[Outcome] = []
    for channel, batch in by_channel.items():
        sender = senders.get(channel)
        if sender is None:
            detail = f"no {channel} channel is configured on this worker"
            outcomes += [Outcome(d.invitation_id, Result.RETRY, detail) for d in batch]
            continue
        outcomes += await sender.send(batch)
    message_ids = {d.invitation_id: d.message_id for d in prepared.deliveries}
    outbox.record(db, outcomes, now=now, message_ids=message_ids, reminders=prepared.reminders)
    for outcome in outcomes:
        report.outcomes[outcome.result.value] = report.outcomes.get(outcome.result.value, 0) + 1
    return report


def _prepare(
    db: Database, ids: Sequence[uuid.UUID], config: DispatchConfig, now: dt.datetime
) -> _Prepared:
    """Re-check each claimed invitation's policies and build its delivery."""
    prepared = _Prepared()
    with db.transaction() as session:
        rows = list(session.scalars(select(tables.Invitation).where(tables.Invitation.id.in_(ids))))
        people = repo.contacts(session, [r.contact_id for r in rows if r.contact_id])
        rules = {
            r.id: RuleSettings.model_validate(r.settings)
            for r in session.scalars(
                select(tables.TriggerRule).where(
                    tables.TriggerRule.id.in_({r.rule_id for r in rows if r.rule_id})
                )
            )
        }
        limits_of: dict[uuid.UUID, tuple[int, int, int]] = {}
        sending_to: set[uuid.UUID] = set()
        for row in rows:
            contact = people.get(row.contact_id) if row.contact_id else None
            if contact is None:
                prepared.refused[row.id] = Reason.NO_CONTACT.value
                continue
            settings = rules.get(row.rule_id) if row.rule_id else None
            if row.workspace_id not in limits_of:
                limits_of[row.workspace_id] = repo.workspace_limits(session, row.workspace_id)
            recontact, cap, cap_days = limits_of[row.workspace_id]
            quarantine = _quarantine(session, row.touchpoint_id)
            consent = settings.require_consent if settings else False
            limits = Limits(recontact, cap, cap_days, quarantine, consent)
            history = repo.history(
                session,
                workspace_id=row.workspace_id,
                contact=contact,
                channel=row.channel,
                touchpoint_id=row.touchpoint_id,
                since_cap=now - dt.timedelta(days=cap_days),
            )
            reason = refusal(limits, history, now)
            if reason is None and recontact > 0 and contact.id in sending_to:
                reason = Reason.RECONTACT  # two invitations for one person in this batch
            if reason is not None:
                prepared.refused[row.id] = reason.value
                continue
            sending_to.add(contact.id)
            reminder = settings.reminder_after_days if settings else None
            prepared.reminders[row.id] = now + dt.timedelta(days=reminder) if reminder else None
            prepared.sendable.append((row, contact))
    _build_deliveries(db, prepared, config, now)
    return prepared


def _quarantine(session: Session, touchpoint_id: uuid.UUID | None) -> int | None:
    if touchpoint_id is None:
        return None
    point = session.get(tables.Touchpoint, touchpoint_id)
    return point.quarantine_days if point else None


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
