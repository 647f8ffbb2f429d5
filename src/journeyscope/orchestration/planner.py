"""Plan invitations from stored events, in the events' own transaction (the outbox).

Called by event ingest with the rows it just inserted: if the transaction commits, the events
and their invitations exist together; if it rolls back, neither does. Nothing is sent here: the
dispatcher sends what is due. A replayed event plans nothing twice (``dedup_key`` is unique).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from journeyscope.collection.repo import insert_ignoring_conflicts
from journeyscope.orchestration import repo
from journeyscope.orchestration.policies import Limits, Reason, refusal, sampled_in
from journeyscope.orchestration.rules import RuleSettings, condition_holds
from journeyscope.orchestration.windows import place_in_window, zone
from journeyscope.store import new_id, new_public_id, tables


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event just written by ingest, as rules read it."""

    id: uuid.UUID
    type: str
    occurred_at: dt.datetime
    contact_id: uuid.UUID | None
    properties: dict[str, Any]


def context(event: StoredEvent, contact: Any) -> dict[str, Any]:
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
            "attributes": dict(contact.attributes or {}) if contact else {},
        },
    }


def plan_invitations(
    session: Session, workspace_id: uuid.UUID, events: Sequence[StoredEvent], now: dt.datetime
) -> int:
    """Write an invitation (scheduled or suppressed, with its reason) per matching rule."""
    rules = repo.enabled_rules(session, workspace_id, sorted({e.type for e in events}))
    if not rules:
        return 0
    targets = repo.survey_targets(session, [r.survey_id for r in rules])
    people = repo.contacts(session, [e.contact_id for e in events if e.contact_id])
    recontact, cap, cap_days = repo.workspace_limits(session, workspace_id)
    rows = []
    for rule in rules:
        spec = RuleSettings.model_validate(rule.settings)
        target = targets[rule.survey_id]
        for event in (e for e in events if e.type == rule.event_type):
            contact = people.get(event.contact_id) if event.contact_id else None
            if not condition_holds(rule.condition, context(event, contact)):
                continue
            limits = Limits(recontact, cap, cap_days, target.quarantine_days, spec.require_consent)
            reason = _refusal(session, workspace_id, spec, rule, target, contact, limits, now)
            due = max(event.occurred_at + dt.timedelta(minutes=spec.delay_minutes), now)
            due = place_in_window(due, spec.window, zone(contact.timezone if contact else None))
            rows.append(
                {
                    "id": new_id(),
                    "workspace_id": workspace_id,
                    "survey_id": rule.survey_id,
                    "rule_id": rule.id,
                    "contact_id": contact.id if contact else None,
                    "event_id": event.id,
                    "touchpoint_id": target.touchpoint_id,
                    "channel": rule.channel,
                    "state": "suppressed" if reason else "scheduled",
                    "reason": reason.value if reason else None,
                    "detail": "",
                    "dedup_key": f"{rule.id}:{event.id}",
                    "nonce": new_public_id(),
                    "due_at": due,
                    "expires_at": due + dt.timedelta(days=spec.expires_after_days),
                    "attempts": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    if rows:
        session.execute(insert_ignoring_conflicts(session, tables.Invitation.__table__), rows)
    return len(rows)


def _refusal(
    session: Session,
    workspace_id: uuid.UUID,
    spec: RuleSettings,
    rule: tables.TriggerRule,
    target: Any,
    contact: Any,
    limits: Limits,
    now: dt.datetime,
) -> Reason | None:
    if target.published_version is None or target.archived_at is not None:
        return Reason.SURVEY_CLOSED
    if contact is None:
        return Reason.NO_CONTACT
    if not sampled_in(spec.sampling_percent, rule.id, contact.id):
        return Reason.SAMPLED_OUT
    found = repo.history(
        session,
        workspace_id=workspace_id,
        contact=contact,
        channel=rule.channel,
        touchpoint_id=target.touchpoint_id,
        since_cap=now - dt.timedelta(days=limits.cap_days),
    )
    return refusal(limits, found, now)
