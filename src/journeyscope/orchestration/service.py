"""Orchestration use-cases: trigger rules, ingest that plans invitations, and "why not asked"."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope import collection, surveys
from journeyscope.collection import EventIn, IngestResult, contact_row, contacts_by_external_id
from journeyscope.errors import NotFound
from journeyscope.orchestration import repo
from journeyscope.orchestration.models import InvitationState, InvitationView, RuleView
from journeyscope.orchestration.planner import StoredEvent, plan_invitations
from journeyscope.orchestration.policies import EXPLANATIONS, Reason
from journeyscope.orchestration.rules import RETIRED_SETTINGS, RuleSpec
from journeyscope.store import Database, Page, make_page, page_query, tables

STATE_WORDS = {
    InvitationState.SCHEDULED: "planned; it goes out when due",
    InvitationState.SENDING: "being sent now",
    InvitationState.SENT: "sent",
    InvitationState.OPENED: "sent, and the contact opened it",
    InvitationState.STARTED: "the contact started the survey",
    InvitationState.COMPLETED: "the contact answered",
    InvitationState.SUPPRESSED: "not sent",
    InvitationState.FAILED: "sending failed",
    InvitationState.EXPIRED: "not sent before it expired",
    InvitationState.BOUNCED: "the address bounced",
}
"""What an invitation's state means, when it has no reason that says more."""


def ingest_and_plan(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    events: Sequence[EventIn],
) -> IngestResult:
    """Store events and, in the same transaction, the invitations their rules plan.

    Most events trigger nothing: one indexed lookup (inside the ingest transaction, so never
    stale) asks whether any enabled rule listens to the batch's types before anything is built.
    """
    types = sorted({event.type for event in events})

    def plan(session: Session, rows: list[dict[str, Any]]) -> None:
        if not repo.has_enabled_rule(session, workspace_id, types):
            return
        stored = [
            StoredEvent(
                id=row["id"],
                type=row["type"],
                occurred_at=row["occurred_at"],
                contact_id=row["contact_id"],
                properties=row["properties"],
            )
            for row in rows
        ]
        plan_invitations(session, workspace_id, stored, db.clock.now())

    return collection.ingest_events(
        db,
        workspace_id=workspace_id,
        events=events,
        on_stored=plan,
        on_stored_probe=repo.listening_rule_probe(),
    )


def rule_view(row: tables.TriggerRule, survey_key: str) -> RuleView:
    """A stored rule as the API shows it (retired settings left out)."""
    spec = RuleSpec.model_validate(
        {
            **{k: v for k, v in row.settings.items() if k not in RETIRED_SETTINGS},
            "key": row.key,
            "event_type": row.event_type,
            "condition": row.condition,
            "survey": survey_key,
            "channel": row.channel,
            "enabled": row.enabled,
        }
    )
    return RuleView(**spec.model_dump(), id=row.id, updated_at=row.updated_at)


def rule_fields(spec: RuleSpec, survey_id: uuid.UUID) -> dict[str, Any]:
    """The columns of a rule row that ``spec`` sets (all but the key)."""
    return {
        "event_type": spec.event_type,
        "condition": spec.condition,
        "survey_id": survey_id,
        "channel": spec.channel,
        "settings": spec.settings().model_dump(mode="json"),
        "enabled": spec.enabled,
    }


def put_rule(db: Database, *, workspace_id: uuid.UUID, spec: RuleSpec) -> tuple[RuleView, bool]:
    """Create or replace the rule ``spec.key``; ``(rule, created)``."""
    survey = surveys.get_survey(db, workspace_id=workspace_id, key=spec.survey)
    fields = rule_fields(spec, survey.id)
    try:
        return _save_rule(db, workspace_id, spec.key, fields, survey.key)
    except IntegrityError:  # created concurrently under the same key: now it is a replace
        return _save_rule(db, workspace_id, spec.key, fields, survey.key)


def _save_rule(
    db: Database, workspace_id: uuid.UUID, key: str, fields: dict[str, Any], survey_key: str
) -> tuple[RuleView, bool]:
    with db.transaction() as session:
        row = _find_rule(session, workspace_id, key)
        created = row is None
        if row is None:
            row = tables.TriggerRule(workspace_id=workspace_id, key=key, **fields)
            session.add(row)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
        session.flush()
        return rule_view(row, survey_key), created


def _find_rule(session: Session, workspace_id: uuid.UUID, key: str) -> tables.TriggerRule | None:
    rule = tables.TriggerRule
    return session.scalars(
        select(rule).where(rule.workspace_id == workspace_id, rule.key == key)
    ).first()


def list_rules(
    db: Database, *, workspace_id: uuid.UUID, cursor: str | None = None, limit: int = 100
) -> Page[RuleView]:
    """A page of the workspace's rules, oldest first (like every other list)."""
    with db.transaction() as session:
        rule = tables.TriggerRule
        stmt = select(rule).where(rule.workspace_id == workspace_id)
        rows = list(session.scalars(page_query(stmt, rule.id, cursor, limit)))
        page = make_page(rows, limit, lambda r: r.id)
        keys = repo.survey_keys(session, workspace_id, [r.survey_id for r in page.items])
        views = [rule_view(r, keys[r.survey_id]) for r in page.items]
        return Page(items=views, next_cursor=page.next_cursor)


def get_rule(db: Database, *, workspace_id: uuid.UUID, key: str) -> RuleView:
    """One rule."""
    with db.transaction() as session:
        row = _find_rule(session, workspace_id, key)
        if row is None:
            raise NotFound(f"There is no rule {key!r}.", hint="list rules with GET /v1/rules")
        return rule_view(
            row, repo.survey_keys(session, workspace_id, [row.survey_id])[row.survey_id]
        )


def delete_rule(db: Database, *, workspace_id: uuid.UUID, key: str) -> None:
    """Delete a rule; invitations it planned stay (unlinked), with their history."""
    with db.transaction() as session:
        row = _find_rule(session, workspace_id, key)
        if row is None:
            raise NotFound(f"There is no rule {key!r}.", hint="list rules with GET /v1/rules")
        session.delete(row)


def invitations_of(
    db: Database, *, workspace_id: uuid.UUID, contact_external_id: str, limit: int = 100
) -> list[InvitationView]:
    """A contact's invitations, newest first, each with why it was (not) sent."""
    with db.transaction() as session:
        contact = contacts_by_external_id(session, workspace_id, [contact_external_id]).get(
            contact_external_id
        )
        if contact is None:
            raise NotFound(f"There is no contact with external_id {contact_external_id!r}.")
        invitation = tables.Invitation
        rows = session.scalars(
            select(invitation)
            .where(invitation.workspace_id == workspace_id, invitation.contact_id == contact.id)
            .order_by(invitation.id.desc())
            .limit(limit)
        ).all()
        keys = repo.survey_keys(session, workspace_id, list({r.survey_id for r in rows}))
        return [
            InvitationView(
                id=r.id,
                survey_key=keys[r.survey_id],
                channel=r.channel,
                state=InvitationState(r.state),
                reason=r.reason,
                explanation=_explanation(r),
                due_at=r.due_at,
                sent_at=r.sent_at,
                created_at=r.created_at,
            )
            for r in rows
        ]


def _explanation(row: tables.Invitation) -> str:
    """Why the invitation is where it is, in words: its reason, else its detail or state."""
    if row.reason in set(Reason):
        return EXPLANATIONS[Reason(row.reason)]
    return row.detail or STATE_WORDS[InvitationState(row.state)]


def set_channel_status(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    contact_id: uuid.UUID,
    channel: str,
    status: str,
    source: str,
) -> None:
    """Record a contact's standing on a channel (``unsubscribed``, ``bounced``, ``consented``).

    Policies read it for every later invitation, at planning and again when due. Only a
    contact of ``workspace_id`` is found; two concurrent calls both succeed (an upsert).
    """
    with db.transaction() as session:
        if contact_row(session, workspace_id, contact_id) is None:
            raise NotFound("This contact no longer exists.")
        repo.upsert_channel_status(
            session,
            workspace_id=workspace_id,
            contact_id=contact_id,
            channel=channel,
            status=status,
            source=source,
            now=db.clock.now(),
        )
