"""Queries of the orchestration domain: rules, the invitation outbox, contact history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from journeyscope.orchestration.policies import History
from journeyscope.store import tables

Invitation = tables.Invitation
ASKED_STATES = ("sent", "opened", "started", "completed")


def enabled_rules(
    session: Session, workspace_id: uuid.UUID, event_types: Sequence[str]
) -> list[tables.TriggerRule]:
    """The workspace's enabled rules for these event types (one query per batch)."""
    rule = tables.TriggerRule
    stmt = select(rule).where(
        rule.workspace_id == workspace_id, rule.enabled.is_(True), rule.event_type.in_(event_types)
    )
    return list(session.scalars(stmt.order_by(rule.id)))


def survey_targets(session: Session, survey_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Per survey: whether it is published, its touchpoint and that touchpoint's quarantine."""
    survey, point = tables.Survey, tables.Touchpoint
    stmt = (
        select(
            survey.id,
            survey.published_version,
            survey.archived_at,
            survey.touchpoint_id,
            point.quarantine_days,
        )
        .outerjoin(point, point.id == survey.touchpoint_id)
        .where(survey.id.in_(survey_ids))
    )
    return {row.id: row for row in session.execute(stmt)}


def contacts(session: Session, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Contact rows by id."""
    if not contact_ids:
        return {}
    stmt = select(tables.Contact).where(tables.Contact.id.in_(contact_ids))
    return {row.id: row for row in session.scalars(stmt)}


def workspace_limits(session: Session, workspace_id: uuid.UUID) -> tuple[int, int, int]:
    """``(recontact_days, invitation_cap, invitation_cap_days)`` of the workspace."""
    space = tables.Workspace
    row = session.execute(
        select(space.recontact_days, space.invitation_cap, space.invitation_cap_days).where(
            space.id == workspace_id
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def history(
    session: Session,
    *,
    workspace_id: uuid.UUID,
    contact: Any,
    channel: str,
    touchpoint_id: uuid.UUID | None,
    since_cap: dt.datetime,
) -> History:
    """What policies need to know of one contact right now."""
    asked = (
        Invitation.workspace_id == workspace_id,
        Invitation.contact_id == contact.id,
        Invitation.state.in_(ASKED_STATES),
    )
    last_invited = session.scalar(select(func.max(Invitation.sent_at)).where(*asked))
    display = tables.SurveyDisplay
    last_shown = session.scalar(
        select(func.max(display.shown_at)).where(
            display.workspace_id == workspace_id,
            display.visitor == f"contact:{contact.external_id}",
        )
    )
    here = None
    if touchpoint_id is not None:
        here = session.scalar(
            select(func.max(Invitation.sent_at)).where(
                *asked, Invitation.touchpoint_id == touchpoint_id
            )
        )
    in_period = session.scalar(select(func.count()).where(*asked, Invitation.sent_at >= since_cap))
    status = session.scalar(
        select(tables.ContactChannel.status).where(
            tables.ContactChannel.contact_id == contact.id,
            tables.ContactChannel.channel == channel,
        )
    )
    address = contact.email if channel == "email" else contact.phone
    moments = [m for m in (last_invited, last_shown) if m is not None]
    return History(
        has_address=bool(address),
        channel_status=status,
        last_asked_at=max(moments) if moments else None,
        last_asked_here_at=here,
        asked_in_cap_period=int(in_period or 0),
    )
