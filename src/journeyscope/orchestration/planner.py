"""Plan invitations from stored events, in the events' own transaction (the outbox).

Called by event ingest with the rows it just inserted: if the transaction commits, the events
and their invitations exist together; if it rolls back, neither does. Nothing is sent here: the
dispatcher sends what is due. A replayed event plans nothing twice (``dedup_key`` is unique).

A batch costs a fixed handful of queries however many events it holds: rules, targets,
contacts, limits, then the history of every matching contact at once (:func:`repo.histories`).
Two invitations for one contact in the same batch are not both scheduled while the workspace
has a recontact period: the second is suppressed, as the dispatcher does at send time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from journeyscope.collection import is_sampled
from journeyscope.orchestration import outbox, repo
from journeyscope.orchestration.models import (
    ContactDetails,
    ContactHistory,
    StoredRule,
    SurveyTarget,
    WorkspaceLimits,
)
from journeyscope.orchestration.policies import Reason, refusal
from journeyscope.orchestration.rules import condition_holds
from journeyscope.orchestration.windows import place_in_window, zone
from journeyscope.store import insert_ignoring_conflicts, tables


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event just written by ingest, as rules read it."""

    id: uuid.UUID
    type: str
    occurred_at: dt.datetime
    contact_id: uuid.UUID | None
    properties: dict[str, Any]


def context(event: StoredEvent, contact: ContactDetails | None) -> dict[str, Any]:
    """What a rule's condition can read: the event and the contact."""
    return {
        "event": {
            "type": event.type,
            "occurred_at": event.occurred_at.isoformat(),
            "properties": event.properties,
        },
        "contact": {
            "external_id": contact.external_id if contact else None,
            "email": contact.email if contact else None,
            "phone": contact.phone if contact else None,
            "locale": contact.locale if contact else None,
            "attributes": dict(contact.attributes) if contact else {},
        },
    }


@dataclass
class _Batch:
    """What planning one batch of events reads once, and who it already scheduled."""

    workspace_id: uuid.UUID
    now: dt.datetime
    limits: WorkspaceLimits
    targets: dict[uuid.UUID, SurveyTarget]
    histories: dict[uuid.UUID, ContactHistory]
    scheduled: set[uuid.UUID] = field(default_factory=set)


def plan_invitations(
    session: Session, workspace_id: uuid.UUID, events: Sequence[StoredEvent], now: dt.datetime
) -> int:
    """Write an invitation (scheduled or suppressed, with its reason) per matching rule."""
    rules = repo.enabled_rules(session, workspace_id, sorted({e.type for e in events}))
    if not rules:
        return 0
    people = repo.contacts(session, workspace_id, (e.contact_id for e in events))
    matches = [
        (rule, event, _contact_of(event, people))
        for rule in rules
        for event in events
        if event.type == rule.event_type
    ]
    matches = [m for m in matches if condition_holds(m[0].condition, context(m[1], m[2]))]
    if not matches:
        return 0
    targets = repo.survey_targets(session, workspace_id, [r.survey_id for r in rules])
    limits = repo.workspace_limits(session, workspace_id)
    found = repo.histories(
        session,
        workspace_id,
        [m[2] for m in matches if m[2] is not None],
        touchpoint_ids=[t.touchpoint_id for t in targets.values()],
        since_cap=now - dt.timedelta(days=limits.cap_days),
    )
    batch = _Batch(workspace_id, now, limits, targets, found)
    rows = [_row(batch, rule, event, contact) for rule, event, contact in matches]
    session.execute(insert_ignoring_conflicts(session, tables.Invitation.__table__), rows)
    return len(rows)


def _contact_of(
    event: StoredEvent, people: dict[uuid.UUID, ContactDetails]
) -> ContactDetails | None:
    return people.get(event.contact_id) if event.contact_id else None


def _row(
    batch: _Batch, rule: StoredRule, event: StoredEvent, contact: ContactDetails | None
) -> dict[str, Any]:
    """One invitation row; it expires ``expires_after_days`` after it was first meant to go.

    Expiry counts from the event (plus the rule's delay), not from the planning time, so a
    backfilled event from last year is stored as ``expired`` instead of inviting anyone today.
    """
    target, spec = batch.targets[rule.survey_id], rule.settings
    meant = event.occurred_at + dt.timedelta(minutes=spec.delay_minutes)
    due = place_in_window(
        max(meant, batch.now), spec.window, zone(contact.timezone if contact else None)
    )
    expires = meant + dt.timedelta(days=spec.expires_after_days)
    reason = _refusal(batch, rule, contact, expired=expires <= due)
    return outbox.new_row(
        reason=reason,
        now=batch.now,
        workspace_id=batch.workspace_id,
        survey_id=rule.survey_id,
        rule_id=rule.id,
        contact_id=contact.id if contact else None,
        event_id=event.id,
        touchpoint_id=target.touchpoint_id,
        channel=rule.channel,
        dedup_key=f"{rule.id}:{event.id}",
        due_at=due,
        expires_at=expires,
    )


def _refusal(
    batch: _Batch, rule: StoredRule, contact: ContactDetails | None, *, expired: bool
) -> Reason | None:
    """Why this invitation may not go (the first reason), or ``None``; notes who is scheduled."""
    target, spec = batch.targets[rule.survey_id], rule.settings
    if not target.is_open:
        return Reason.SURVEY_CLOSED
    if contact is None:
        return Reason.NO_CONTACT
    if expired:
        return Reason.EXPIRED
    # the rule's id stands in for the survey's: each rule samples its contacts independently
    if not is_sampled(str(contact.id), rule.id, spec.sampling_percent):
        return Reason.SAMPLED_OUT
    limits = batch.limits.policy(
        quarantine_days=target.quarantine_days, require_consent=spec.require_consent
    )
    history = batch.histories[contact.id].on(rule.channel, target.touchpoint_id)
    reason = refusal(limits, history, batch.now)
    if reason is None and limits.recontact_days > 0 and contact.id in batch.scheduled:
        reason = Reason.RECONTACT  # a second invitation for one person in this batch
    if reason is None:
        batch.scheduled.add(contact.id)
    return reason
