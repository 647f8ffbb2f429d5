"""Queries for journeys, stages and touchpoints, always scoped to one workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from journeyscope.journey.models import Channel
from journeyscope.journey.views import JourneySummary, JourneyView, StageView, TouchpointView
from journeyscope.store import Page, make_page, page_query, tables

Journey = tables.Journey
Stage = tables.Stage
Touchpoint = tables.Touchpoint


def get_journey(session: Session, workspace_id: uuid.UUID, key: str) -> Journey | None:
    """The workspace's journey with ``key``."""
    stmt = select(Journey).where(Journey.workspace_id == workspace_id, Journey.key == key)
    return session.scalars(stmt).first()


def list_journeys(
    session: Session, workspace_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[JourneySummary]:
    """A page of the workspace's journeys (oldest first) with stage and touchpoint counts."""
    stages = select(func.count()).where(Stage.journey_id == Journey.id).scalar_subquery()
    points = select(func.count()).where(Touchpoint.journey_id == Journey.id).scalar_subquery()
    stmt = select(Journey, stages, points).where(Journey.workspace_id == workspace_id)
    rows = list(session.execute(page_query(stmt, Journey.id, cursor, limit)))
    page = make_page(rows, limit, lambda r: r[0].id)
    return Page(
        items=[
            JourneySummary(
                id=row[0].id,
                key=row[0].key,
                name=row[0].name,
                description=row[0].description,
                stage_count=row[1],
                touchpoint_count=row[2],
                updated_at=row[0].updated_at,
            )
            for row in page.items
        ],
        next_cursor=page.next_cursor,
    )


def stages_of(session: Session, journey: Journey) -> list[Stage]:
    """The journey's stages in order."""
    stmt = (
        select(Stage)
        .where(Stage.workspace_id == journey.workspace_id, Stage.journey_id == journey.id)
        .order_by(Stage.position, Stage.id)
    )
    return list(session.scalars(stmt))


def touchpoints_of(session: Session, journey: Journey) -> list[Touchpoint]:
    """The journey's touchpoints, ordered within their stage."""
    stmt = (
        select(Touchpoint)
        .where(
            Touchpoint.workspace_id == journey.workspace_id,
            Touchpoint.journey_id == journey.id,
        )
        .order_by(Touchpoint.position, Touchpoint.id)
    )
    return list(session.scalars(stmt))


def to_touchpoint_view(row: Touchpoint, stage_key: str) -> TouchpointView:
    """Domain view of a touchpoint row."""
    return TouchpointView(
        id=row.id,
        key=row.key,
        name=row.name,
        channel=Channel(row.channel),
        description=row.description,
        stage_key=stage_key,
        position=row.position,
        public_id=row.public_id,
        quarantine_days=row.quarantine_days,
    )


def to_stage_view(row: Stage, touchpoints: Sequence[Touchpoint]) -> StageView:
    """Domain view of a stage row and its (already ordered) touchpoints."""
    return StageView(
        id=row.id,
        key=row.key,
        name=row.name,
        description=row.description,
        customer_actions=list(row.customer_actions),
        position=row.position,
        touchpoints=[to_touchpoint_view(t, row.key) for t in touchpoints if t.stage_id == row.id],
    )


def to_journey_view(session: Session, journey: Journey) -> JourneyView:
    """The whole journey, stages and touchpoints in order."""
    points = touchpoints_of(session, journey)
    return JourneyView(
        id=journey.id,
        key=journey.key,
        name=journey.name,
        description=journey.description,
        created_at=journey.created_at,
        updated_at=journey.updated_at,
        stages=[to_stage_view(s, points) for s in stages_of(session, journey)],
    )
