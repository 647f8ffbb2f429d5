"""Queries for the widget: targeted surveys, a visitor's display history, displays.

Eligibility runs on every page view of every host site, so it reads little: one query for the
workspace and its targeted surveys (without their definitions), one for the visitor's history
(displays, and invitations sent to an identified visitor) when some survey fits the trigger,
and one for the chosen survey's definition. Invitations are read from their table directly:
collection must not import orchestration.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from journeyscope.collection.eligibility import Candidate, SurveyHistory
from journeyscope.journey import Channel
from journeyscope.store import tables
from journeyscope.surveys import Targeting

Survey = tables.Survey
Display = tables.SurveyDisplay
_CHANNELS = {channel.value: channel for channel in Channel}
CONTACT_KEY = "contact:"
"""The prefix of an identified visitor's key (see :func:`widget.visitor_keys`)."""


@dataclass(frozen=True, slots=True)
class TargetedSurvey:
    """A published survey with widget targeting, as stored (definition not loaded)."""

    candidate: Candidate
    public_id: str
    key: str
    name: str
    version: int


@dataclass(frozen=True, slots=True)
class WorkspaceTargets:
    """A workspace's recontact period and its published surveys that the widget may show."""

    workspace_id: uuid.UUID
    recontact_days: int
    surveys: list[TargetedSurvey]


def _targeted(row: Any) -> TargetedSurvey | None:
    targeting = Targeting.model_validate(row.targeting or {})
    if not targeting.enabled:
        return None
    return TargetedSurvey(
        candidate=Candidate(row.survey_id, targeting, _CHANNELS.get(row.channel)),
        public_id=row.public_id,
        key=row.key,
        name=row.name,
        version=row.published_version,
    )


def workspace_targets(session: Session, slug: str) -> WorkspaceTargets | None:
    """The workspace named ``slug`` with its enabled, published surveys, in one query.

    Surveys come oldest first, which is the order eligibility tries them in.
    """
    on_survey = and_(
        Survey.workspace_id == tables.Workspace.id,
        Survey.published_version.is_not(None),
        Survey.archived_at.is_(None),
    )
    stmt = (
        select(
            tables.Workspace.id.label("workspace_id"),
            tables.Workspace.recontact_days,
            Survey.id.label("survey_id"),
            Survey.key,
            Survey.name,
            Survey.public_id,
            Survey.targeting,
            Survey.published_version,
            tables.Touchpoint.channel,
        )
        .outerjoin(Survey, on_survey)
        .outerjoin(tables.Touchpoint, tables.Touchpoint.id == Survey.touchpoint_id)
        .where(tables.Workspace.slug == slug)
        .order_by(Survey.created_at, Survey.id)
    )
    rows = session.execute(stmt).all()
    if not rows:
        return None
    found = [_targeted(row) for row in rows if row.survey_id is not None]
    return WorkspaceTargets(
        workspace_id=rows[0].workspace_id,
        recontact_days=rows[0].recontact_days,
        surveys=[s for s in found if s is not None],
    )


def visitor_history(
    session: Session, workspace_id: uuid.UUID, visitor_keys: Sequence[str]
) -> list[SurveyHistory]:
    """Per survey, when any of the visitor's keys was last shown it and last dismissed it.

    An identified visitor (a ``contact:<external id>`` key) also gets, per survey, when that
    contact was last sent an invitation by email, SMS or phone (``is_invitation``): the
    recontact period is shared by every channel. Still one statement (``UNION ALL``).
    """
    displays = (
        select(
            Display.survey_id,
            func.max(Display.shown_at).label("shown"),
            func.max(Display.dismissed_at).label("dismissed"),
            literal(False).label("is_invitation"),
        )
        .where(Display.workspace_id == workspace_id, Display.visitor.in_(visitor_keys))
        .group_by(Display.survey_id)
    )
    contacts = [k.removeprefix(CONTACT_KEY) for k in visitor_keys if k.startswith(CONTACT_KEY)]
    stmt = (
        displays if not contacts else union_all(displays, _invitations_sent(workspace_id, contacts))
    )
    return [
        SurveyHistory(row.survey_id, row.shown, row.dismissed, bool(row.is_invitation))
        for row in session.execute(stmt)
        if row.shown is not None
    ]


def _invitations_sent(workspace_id: uuid.UUID, external_ids: Sequence[str]) -> Any:
    """Per survey, the latest invitation sent to these contacts (read from the outbox table)."""
    invitation, contact = tables.Invitation, tables.Contact
    return (
        select(
            invitation.survey_id,
            func.max(invitation.sent_at).label("shown"),
            null().label("dismissed"),
            literal(True).label("is_invitation"),
        )
        .join(contact, contact.id == invitation.contact_id)
        .where(
            invitation.workspace_id == workspace_id,
            contact.workspace_id == workspace_id,
            contact.external_id.in_(external_ids),
            invitation.sent_at.is_not(None),
        )
        .group_by(invitation.survey_id)
    )


def published_definition(session: Session, survey_id: uuid.UUID, number: int) -> dict[str, Any]:
    """The stored definition of one published version."""
    stmt = select(tables.SurveyVersion.definition).where(
        tables.SurveyVersion.survey_id == survey_id, tables.SurveyVersion.number == number
    )
    definition: dict[str, Any] = session.scalars(stmt).one()
    return definition


def workspace_id_by_slug(session: Session, slug: str) -> uuid.UUID | None:
    """The id of the workspace named ``slug``, if any."""
    stmt = select(tables.Workspace.id).where(tables.Workspace.slug == slug)
    return session.scalars(stmt).first()


def survey_id_by_public_id(
    session: Session, workspace_id: uuid.UUID, public_id: str
) -> uuid.UUID | None:
    """The id of the workspace's published, open survey with this public id, if any."""
    stmt = select(Survey.id).where(
        Survey.workspace_id == workspace_id,
        Survey.public_id == public_id,
        Survey.published_version.is_not(None),
        Survey.archived_at.is_(None),
    )
    return session.scalars(stmt).first()


def add_display(
    session: Session, workspace_id: uuid.UUID, survey_id: uuid.UUID, visitor: str
) -> tables.SurveyDisplay:
    """Record that a survey was just shown to ``visitor``."""
    row = Display(workspace_id=workspace_id, survey_id=survey_id, visitor=visitor)
    session.add(row)
    session.flush()
    return row


def get_display(
    session: Session, workspace_id: uuid.UUID, display_id: uuid.UUID
) -> tables.SurveyDisplay | None:
    """One display of the workspace (another workspace's id finds nothing)."""
    stmt = select(Display).where(Display.workspace_id == workspace_id, Display.id == display_id)
    return session.scalars(stmt).first()


def public_id_of(session: Session, survey_id: uuid.UUID) -> str:
    """The public id of a survey that exists."""
    public_id: str = session.scalars(select(Survey.public_id).where(Survey.id == survey_id)).one()
    return public_id


def mark(row: tables.SurveyDisplay, field: str, now: dt.datetime) -> None:
    """Set ``dismissed_at`` or ``responded_at`` once; later calls keep the first time."""
    if getattr(row, field) is None:
        setattr(row, field, now)
