"""Published surveys as the public doors find them: by public link, by kiosk, by invitation.

A respondent's browser knows no workspace and no API key; it knows a public id from a link.
These lookups turn that id into the workspace, the survey and its latest published version,
and refuse (404) anything unpublished or archived, so a draft is never shown to the public.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeyscope.errors import NotFound
from journeyscope.journey.models import Channel
from journeyscope.store import Database, tables
from journeyscope.surveys.models import SurveyDefinition
from journeyscope.surveys.targeting import Targeting
from journeyscope.surveys.versions import version_by_id

Survey = tables.Survey


@dataclass(frozen=True, slots=True)
class PublishedSurvey:
    """A survey's latest published version and where it is asked."""

    workspace_id: uuid.UUID
    survey_id: uuid.UUID
    key: str
    name: str
    public_id: str
    version: int
    definition: SurveyDefinition
    targeting: Targeting
    touchpoint_id: uuid.UUID | None
    touchpoint_channel: Channel | None


def _published(session: Session, survey: Survey | None) -> PublishedSurvey:
    if survey is None or survey.published_version is None or survey.archived_at is not None:
        raise NotFound("This survey does not exist or is not open.")
    version_id = session.scalar(
        select(tables.SurveyVersion.id).where(
            tables.SurveyVersion.survey_id == survey.id,
            tables.SurveyVersion.number == survey.published_version,
        )
    )
    if version_id is None:  # pragma: no cover - publishing writes both together
        raise NotFound("This survey does not exist or is not open.")
    version = version_by_id(session, version_id)  # parsed once per process, then cached
    channel = None
    if survey.touchpoint_id is not None:
        point = session.get(tables.Touchpoint, survey.touchpoint_id)
        channel = Channel(point.channel) if point else None
    return PublishedSurvey(
        workspace_id=survey.workspace_id,
        survey_id=survey.id,
        key=survey.key,
        name=survey.name,
        public_id=survey.public_id,
        version=version.number,
        definition=version.definition,
        targeting=Targeting.model_validate(survey.targeting),
        touchpoint_id=survey.touchpoint_id,
        touchpoint_channel=channel,
    )


def published_by_public_id(db: Database, public_id: str) -> PublishedSurvey:
    """The survey behind a public link ``/s/{public_id}``."""
    with db.transaction() as session:
        survey = session.scalars(select(Survey).where(Survey.public_id == public_id)).first()
        return _published(session, survey)


def published_by_id(db: Database, workspace_id: uuid.UUID, survey_id: uuid.UUID) -> PublishedSurvey:
    """The survey an invitation token names (the token carries the workspace)."""
    with db.transaction() as session:
        survey = session.get(Survey, survey_id)
        if survey is not None and survey.workspace_id != workspace_id:
            survey = None
        return _published(session, survey)


def published_at_touchpoint(db: Database, touchpoint_public_id: str) -> PublishedSurvey:
    """The survey a kiosk at a touchpoint shows: the most recently updated published one."""
    with db.transaction() as session:
        stmt = (
            select(Survey)
            .join(tables.Touchpoint, tables.Touchpoint.id == Survey.touchpoint_id)
            .where(
                tables.Touchpoint.public_id == touchpoint_public_id,
                Survey.published_version.is_not(None),
                Survey.archived_at.is_(None),
            )
            .order_by(Survey.updated_at.desc(), Survey.id.desc())
        )
        survey = session.scalars(stmt).first()
        if survey is None:
            raise NotFound("No published survey is attached to this touchpoint.")
        return _published(session, survey)


def targeted_surveys(db: Database, workspace_id: uuid.UUID) -> list[PublishedSurvey]:
    """The workspace's published surveys whose targeting enables the widget."""
    with db.transaction() as session:
        stmt = (
            select(Survey)
            .where(
                Survey.workspace_id == workspace_id,
                Survey.published_version.is_not(None),
                Survey.archived_at.is_(None),
            )
            .order_by(Survey.id)
        )
        found = [_published(session, s) for s in session.scalars(stmt)]
        return [s for s in found if s.targeting.enabled]
