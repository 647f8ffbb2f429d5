"""CRUD on single stages and touchpoints of a stored journey, keeping their order dense.

Keys stay unique the way the spec requires (stage keys per journey, touchpoint keys per
journey), checked up front so the error names the key instead of a database constraint.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from journeyscope.errors import Conflict, NotFound
from journeyscope.journey import repo
from journeyscope.journey.models import StageSpec, TouchpointSpec
from journeyscope.journey.service import find_journey_row
from journeyscope.journey.views import StageView, TouchpointView
from journeyscope.store import Database, tables


def _move(rows: list[Any], row: Any, position: int | None) -> None:
    """Put ``row`` at ``position`` among ``rows`` (the end when None); renumber them 0..n-1."""
    ordered = [r for r in rows if r is not row]
    at = len(ordered) if position is None else max(0, min(position, len(ordered)))
    ordered.insert(at, row)
    for index, item in enumerate(ordered):
        if item.position != index:
            item.position = index


def _stage(session: Session, journey: tables.Journey, key: str) -> tables.Stage:
    for row in repo.stages_of(session, journey):
        if row.key == key:
            return row
    raise NotFound(f"The journey {journey.key!r} has no stage {key!r}.")


def _touchpoint(session: Session, journey: tables.Journey, key: str) -> tables.Touchpoint:
    for row in repo.touchpoints_of(session, journey):
        if row.key == key:
            return row
    raise NotFound(f"The journey {journey.key!r} has no touchpoint {key!r}.")


def _refuse_taken(kind: str, key: str, taken: set[str], field: str) -> None:
    if key in taken:
        raise Conflict(
            f"The journey already has a {kind} with key {key!r}.",
            field=field,
            hint=f"{kind} keys are unique within a journey; choose another key",
        )


def _new_touchpoint(stage: tables.Stage, spec: TouchpointSpec, position: int) -> tables.Touchpoint:
    return tables.Touchpoint(
        workspace_id=stage.workspace_id,
        journey_id=stage.journey_id,
        stage_id=stage.id,
        key=spec.key,
        name=spec.name,
        channel=spec.channel.value,
        description=spec.description,
        quarantine_days=spec.quarantine_days,
        position=position,
    )


def create_stage(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    spec: StageSpec,
    position: int | None = None,
) -> StageView:
    """Add a stage (with its touchpoints) at ``position`` (0-based), by default the end."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        stages = repo.stages_of(session, journey)
        _refuse_taken("stage", spec.key, {s.key for s in stages}, "key")
        taken = {t.key for t in repo.touchpoints_of(session, journey)}
        for index, point in enumerate(spec.touchpoints):
            _refuse_taken("touchpoint", point.key, taken, f"touchpoints[{index}].key")
        row = tables.Stage(
            workspace_id=workspace_id,
            journey_id=journey.id,
            key=spec.key,
            name=spec.name,
            description=spec.description,
            customer_actions=list(spec.customer_actions),
            position=len(stages),
        )
        session.add(row)
        _move([*stages, row], row, position)
        session.flush()
        session.add_all(_new_touchpoint(row, p, i) for i, p in enumerate(spec.touchpoints))
        session.flush()
        return repo.to_stage_view(row, repo.touchpoints_of(session, journey))


def get_stage(db: Database, *, workspace_id: uuid.UUID, journey_key: str, key: str) -> StageView:
    """One stage with its touchpoints."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        row = _stage(session, journey, key)
        return repo.to_stage_view(row, repo.touchpoints_of(session, journey))


def update_stage(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    key: str,
    changes: dict[str, Any],
) -> StageView:
    """Change a stage's name, description, customer actions and/or ``position``."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        row = _stage(session, journey, key)
        if "position" in changes:
            _move(repo.stages_of(session, journey), row, changes.pop("position"))
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        return repo.to_stage_view(row, repo.touchpoints_of(session, journey))


def delete_stage(db: Database, *, workspace_id: uuid.UUID, journey_key: str, key: str) -> None:
    """Delete a stage and its touchpoints; the other stages close the gap."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        row = _stage(session, journey, key)
        session.delete(row)
        session.flush()
        for index, stage in enumerate(repo.stages_of(session, journey)):
            stage.position = index


def create_touchpoint(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    stage_key: str,
    spec: TouchpointSpec,
    position: int | None = None,
) -> TouchpointView:
    """Add a touchpoint to a stage at ``position`` (0-based), by default the end."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        stage = _stage(session, journey, stage_key)
        points = repo.touchpoints_of(session, journey)
        _refuse_taken("touchpoint", spec.key, {t.key for t in points}, "key")
        siblings = [t for t in points if t.stage_id == stage.id]
        row = _new_touchpoint(stage, spec, len(siblings))
        session.add(row)
        _move([*siblings, row], row, position)
        session.flush()
        return repo.to_touchpoint_view(row, stage.key)


def get_touchpoint(
    db: Database, *, workspace_id: uuid.UUID, journey_key: str, key: str
) -> TouchpointView:
    """One touchpoint of the journey."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        row = _touchpoint(session, journey, key)
        stage = session.get(tables.Stage, row.stage_id)
        return repo.to_touchpoint_view(row, stage.key if stage else "")


def update_touchpoint(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    key: str,
    changes: dict[str, Any],
) -> TouchpointView:
    """Change a touchpoint; ``stage_key`` moves it to another stage, ``position`` reorders it."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        row = _touchpoint(session, journey, key)
        stage = session.get(tables.Stage, row.stage_id)
        if "stage_key" in changes:
            stage = _stage(session, journey, changes.pop("stage_key"))
            row.stage_id = stage.id
            changes.setdefault("position", None)
        if "position" in changes:
            points = repo.touchpoints_of(session, journey)
            _move([t for t in points if t.stage_id == row.stage_id], row, changes.pop("position"))
        if "channel" in changes:
            changes["channel"] = str(changes["channel"])
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        return repo.to_touchpoint_view(row, stage.key if stage else "")


def delete_touchpoint(db: Database, *, workspace_id: uuid.UUID, journey_key: str, key: str) -> None:
    """Delete a touchpoint; its siblings close the gap."""
    with db.transaction() as session:
        journey = find_journey_row(session, workspace_id, journey_key)
        row = _touchpoint(session, journey, key)
        stage_id = row.stage_id
        session.delete(row)
        session.flush()
        siblings = [t for t in repo.touchpoints_of(session, journey) if t.stage_id == stage_id]
        for index, point in enumerate(siblings):
            point.position = index
