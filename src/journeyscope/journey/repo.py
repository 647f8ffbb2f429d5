"""Queries for journeys, stages and touchpoints, always scoped to one workspace."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session

from journeyscope.journey.models import Channel
from journeyscope.journey.views import JourneySummary, JourneyView, StageView, TouchpointView
from journeyscope.store import Page, decode_cursor, make_page, tables

Journey = tables.Journey
Stage = tables.Stage
Touchpoint = tables.Touchpoint


def get_journey(session: Session, workspace_id: uuid.UUID, key: str) -> Journey | None:
    """The workspace's journey with ``key``."""
    stmt = select(Journey).where(Journey.workspace_id == workspace_id, Journey.key == key)
    return session.scalars(stmt).first()


@functools.cache
def _journey_list(after_cursor: bool) -> Select[Any]:
    """The journey list in Core, built once (it runs on every ``GET /v1/journeys``).

    Building the statement cost more than running it, and loading ORM objects several times
    more again; parameters are bound per call.
    """
    journey, stage, point = Journey.__table__.c, Stage.__table__.c, Touchpoint.__table__.c
    stages = select(func.count()).where(stage.journey_id == journey.id).scalar_subquery()
    points = select(func.count()).where(point.journey_id == journey.id).scalar_subquery()
    columns = (journey.id, journey.key, journey.name, journey.description, journey.updated_at)
    stmt = select(*columns, stages.label("stage_count"), points.label("touchpoint_count")).where(
        journey.workspace_id == bindparam("workspace_id")
    )
    if after_cursor:
        stmt = stmt.where(journey.id > bindparam("after"))
    return stmt.order_by(journey.id).limit(bindparam("limit", type_=Integer))


def list_journeys(
    connection: Connection | Session, workspace_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[JourneySummary]:
    """A page of the workspace's journeys (oldest first) with stage and touchpoint counts."""
    params: dict[str, Any] = {"workspace_id": workspace_id, "limit": limit + 1}
    if cursor is not None:
        params["after"] = decode_cursor(cursor)
    rows = connection.execute(_journey_list(cursor is not None), params).all()
    page = make_page(rows, limit, lambda r: r.id)
    return Page(
        items=[JourneySummary.model_validate(row._mapping) for row in page.items],
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
