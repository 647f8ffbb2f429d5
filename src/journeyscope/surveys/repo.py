"""Queries for surveys and their versions, scoped to one workspace."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeyscope.store import Page, make_page, page_query, tables
from journeyscope.surveys.models import SurveyDefinition
from journeyscope.surveys.targeting import Targeting
from journeyscope.surveys.views import SurveySummary, SurveyVersionView, SurveyView, TouchpointRef

Survey = tables.Survey
Version = tables.SurveyVersion


def get_survey(session: Session, workspace_id: uuid.UUID, key: str) -> Survey | None:
    """The workspace's survey with ``key``."""
    stmt = select(Survey).where(Survey.workspace_id == workspace_id, Survey.key == key)
    return session.scalars(stmt).first()


def get_version(session: Session, survey: Survey, number: int) -> Version | None:
    """Version ``number`` of ``survey``."""
    stmt = select(Version).where(
        Version.workspace_id == survey.workspace_id,
        Version.survey_id == survey.id,
        Version.number == number,
    )
    return session.scalars(stmt).first()


def touchpoint_ref(session: Session, touchpoint_id: uuid.UUID | None) -> TouchpointRef | None:
    """The journey and touchpoint keys of a touchpoint id."""
    if touchpoint_id is None:
        return None
    stmt = (
        select(tables.Journey.key, tables.Touchpoint.key)
        .join(tables.Journey, tables.Journey.id == tables.Touchpoint.journey_id)
        .where(tables.Touchpoint.id == touchpoint_id)
    )
    row = session.execute(stmt).first()
    return TouchpointRef(journey_key=row[0], touchpoint_key=row[1]) if row else None


def to_view(session: Session, row: Survey) -> SurveyView:
    """Domain view of a survey row."""
    return SurveyView(
        id=row.id,
        key=row.key,
        name=row.name,
        touchpoint=touchpoint_ref(session, row.touchpoint_id),
        template_key=row.template_key,
        public_id=row.public_id,
        targeting=Targeting.model_validate(row.targeting),
        draft=SurveyDefinition.model_validate(row.draft),
        published_version=row.published_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def to_version_view(survey: Survey, row: Version) -> SurveyVersionView:
    """Domain view of a published version."""
    return SurveyVersionView(
        survey_key=survey.key,
        number=row.number,
        definition=SurveyDefinition.model_validate(row.definition),
        published_at=row.published_at,
    )


def list_surveys(
    session: Session, workspace_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[SurveySummary]:
    """A page of the workspace's surveys, oldest first (one query, touchpoint keys joined)."""
    point, journey = tables.Touchpoint, tables.Journey
    stmt = (
        select(Survey, journey.key, point.key)
        .outerjoin(point, point.id == Survey.touchpoint_id)
        .outerjoin(journey, journey.id == point.journey_id)
        .where(Survey.workspace_id == workspace_id)
    )
    rows = list(session.execute(page_query(stmt, Survey.id, cursor, limit)))
    page = make_page(rows, limit, lambda r: r[0].id)
    items = [
        SurveySummary(
            id=survey.id,
            key=survey.key,
            name=survey.name,
            touchpoint=(
                TouchpointRef(journey_key=journey_key, touchpoint_key=point_key)
                if journey_key and point_key
                else None
            ),
            published_version=survey.published_version,
            updated_at=survey.updated_at,
        )
        for survey, journey_key, point_key in page.items
    ]
    return Page(items=items, next_cursor=page.next_cursor)
