"""Queries for verbatims, scoped to one workspace (the worker's claims name theirs).

Rows become plain frozen values here; ORM objects never leave this module. The summary's
counts are one ``GROUP BY`` over the verbatim table (touchpoint x strongest emotion), read
through its ``(workspace_id, touchpoint_id, answered_at)`` index.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from journeyscope.interviews import AnalysisClaim, AnalysisStatus
from journeyscope.store import tables

V = tables.Verbatim
Status = AnalysisStatus


@dataclass(frozen=True, slots=True)
class Point:
    """A touchpoint of the journey with its stage, in the journey's order."""

    id: uuid.UUID
    key: str
    name: str
    stage_key: str
    stage_name: str


@dataclass(frozen=True, slots=True)
class Mix:
    """Analysed verbatims of one touchpoint with one strongest emotion (``None``: none)."""

    touchpoint_id: uuid.UUID
    emotion: str | None
    count: int
    valence_sum: float
    minimized: int


@dataclass(frozen=True, slots=True)
class Analysed:
    """One analysed verbatim as the themes need it."""

    text: str
    question_id: str
    answered_at: dt.datetime
    valence: float
    emotion: str | None
    is_minimized: bool
    embedding: bytes
    response_id: uuid.UUID | None = None  # the response's client id, as the API names it


def answer_texts(session: Session, claims: Sequence[AnalysisClaim]) -> dict[uuid.UUID, str]:
    """The answer each claimed verbatim stands for, read from its response (by verbatim id).

    A verbatim whose answer is gone (or is not text) is left out.
    """
    workspaces = {c.id: c.workspace_id for c in claims}
    stmt = (
        select(V.id, V.workspace_id, V.question_id, tables.Response.answers)
        .join(tables.Response, tables.Response.id == V.response_id)
        .where(V.id.in_(list(workspaces)), tables.Response.workspace_id == V.workspace_id)
    )
    found = {}
    for row in session.execute(stmt):
        value = row.answers.get(row.question_id)
        if workspaces[row.id] == row.workspace_id and isinstance(value, str):
            found[row.id] = value
    return found


def journey_points(session: Session, workspace_id: uuid.UUID, journey_key: str) -> list[Point]:
    """The touchpoints of the workspace's journey ``journey_key``, stage by stage, in order."""
    stmt = (
        select(
            tables.Touchpoint.id,
            tables.Touchpoint.key,
            tables.Touchpoint.name,
            tables.Stage.key.label("stage_key"),
            tables.Stage.name.label("stage_name"),
        )
        .join(tables.Stage, tables.Stage.id == tables.Touchpoint.stage_id)
        .join(tables.Journey, tables.Journey.id == tables.Touchpoint.journey_id)
        .where(tables.Journey.workspace_id == workspace_id, tables.Journey.key == journey_key)
        .order_by(tables.Stage.position, tables.Touchpoint.position)
    )
    return [Point(r.id, r.key, r.name, r.stage_key, r.stage_name) for r in session.execute(stmt)]


def stages_of(session: Session, workspace_id: uuid.UUID, journey_key: str) -> list[tuple[str, str]]:
    """``(key, name)`` of every stage of the journey, in order (touchpoints or not)."""
    stmt = (
        select(tables.Stage.key, tables.Stage.name)
        .join(tables.Journey, tables.Journey.id == tables.Stage.journey_id)
        .where(tables.Journey.workspace_id == workspace_id, tables.Journey.key == journey_key)
        .order_by(tables.Stage.position)
    )
    return [(r.key, r.name) for r in session.execute(stmt)]


def scope(
    workspace_id: uuid.UUID,
    touchpoint_ids: Sequence[uuid.UUID],
    *,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> ColumnElement[bool]:
    """The verbatims of these touchpoints answered in ``[since, until)``."""
    where = [V.workspace_id == workspace_id, V.touchpoint_id.in_(list(touchpoint_ids))]
    if since is not None:
        where.append(V.answered_at >= since)
    if until is not None:
        where.append(V.answered_at < until)
    return and_(*where)


def emotion_mix(session: Session, scope: ColumnElement[bool]) -> list[Mix]:
    """Analysed verbatims in ``scope`` per touchpoint and strongest emotion."""
    minimized = func.sum(case((V.is_minimized.is_(True), 1), else_=0))
    stmt = (
        select(V.touchpoint_id, V.emotion, func.count(), func.sum(V.valence), minimized)
        .where(scope, V.status == Status.ANALYSED)
        .group_by(V.touchpoint_id, V.emotion)
    )
    return [
        Mix(row[0], row[1], int(row[2]), float(row[3] or 0.0), int(row[4] or 0))
        for row in session.execute(stmt)
    ]


def latest_analysed(session: Session, scope: ColumnElement[bool], limit: int) -> list[Analysed]:
    """The ``limit`` latest analysed verbatims in ``scope``, latest first."""
    stmt = (
        select(
            *(V.text, V.question_id, V.answered_at, V.valence, V.emotion, V.is_minimized),
            *(V.embedding, tables.Response.client_id),
        )
        .join(tables.Response, tables.Response.id == V.response_id)
        .where(scope, V.status == Status.ANALYSED)
        .order_by(V.answered_at.desc(), V.id.desc())
        .limit(limit)
    )
    return [
        Analysed(
            text=r.text or "",
            question_id=r.question_id,
            answered_at=r.answered_at,
            valence=r.valence or 0.0,
            emotion=r.emotion,
            is_minimized=bool(r.is_minimized),
            embedding=r.embedding or b"",
            response_id=r.client_id,
        )
        for r in session.execute(stmt)
    ]


def of_response(session: Session, workspace_id: uuid.UUID, response_id: uuid.UUID) -> list[Any]:
    """The verbatims of one response (by its row id), in question order."""
    stmt = (
        select(V.question_id, V.status, V.text, V.valence, V.annotation, V.is_minimized)
        .where(V.workspace_id == workspace_id, V.response_id == response_id)
        .order_by(V.question_id)
    )
    return list(session.execute(stmt))


def backlog(session: Session, scope: ColumnElement[bool]) -> dict[str, int]:
    """Verbatims in ``scope`` per state other than ``analysed``."""
    stmt = (
        select(V.status, func.count()).where(scope, V.status != Status.ANALYSED).group_by(V.status)
    )
    return {str(status): int(n) for status, n in session.execute(stmt)}


def count_analysed(session: Session, scope: ColumnElement[bool]) -> int:
    """How many analysed verbatims ``scope`` holds."""
    stmt = select(func.count()).select_from(V).where(scope, V.status == Status.ANALYSED)
    return int(session.scalar(stmt) or 0)


def page_analysed(
    session: Session, scope: ColumnElement[bool], *, offset: int, limit: int
) -> list[Any]:
    """Analysed verbatims in ``scope``, newest first, ``limit`` from ``offset``.

    Rows carry the text, question, time, valence, annotation, whether a concern was played
    down and the response's client id.
    """
    stmt = (
        select(
            *(V.text, V.question_id, V.answered_at, V.valence, V.annotation, V.is_minimized),
            tables.Response.client_id,
        )
        .join(tables.Response, tables.Response.id == V.response_id)
        .where(scope, V.status == Status.ANALYSED)
        .order_by(V.answered_at.desc(), V.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.execute(stmt))
