"""Apply a journey spec to the store.

Create what is new, update what differs, and delete
what is missing only when asked to (``prune``), so applying the same file twice changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from journeyscope.journey import repo
from journeyscope.journey.models import (
    ApplyResult,
    Change,
    ChangeAction,
    JourneySpec,
    ObjectKind,
    StageSpec,
    TouchpointSpec,
)
from journeyscope.store import tables


def _sync_fields(row: Any, wanted: dict[str, Any]) -> ChangeAction:
    """Copy ``wanted`` onto ``row``; say whether anything differed."""
    differs = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    for name, value in differs.items():
        setattr(row, name, value)
    return ChangeAction.UPDATED if differs else ChangeAction.UNCHANGED


def _stage_fields(spec: StageSpec, position: int) -> dict[str, Any]:
    return {
        "name": spec.name,
        "description": spec.description,
        "customer_actions": list(spec.customer_actions),
        "position": position,
    }


def _touchpoint_fields(spec: TouchpointSpec, stage_id: uuid.UUID, position: int) -> dict[str, Any]:
    return {
        "name": spec.name,
        "channel": spec.channel.value,
        "description": spec.description,
        "quarantine_days": spec.quarantine_days,
        "stage_id": stage_id,
        "position": position,
    }


class _Applier:
    """One apply run inside one transaction, collecting the change report as it goes."""

    def __init__(self, session: Session, workspace_id: uuid.UUID, prune: bool) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.prune = prune
        self.changes: list[Change] = []

    def note(self, kind: ObjectKind, key: str, action: ChangeAction) -> None:
        self.changes.append(Change(kind=kind, key=key, action=action))

    def journey(self, spec: JourneySpec) -> tables.Journey:
        row = repo.get_journey(self.session, self.workspace_id, spec.key)
        fields = {"name": spec.name, "description": spec.description}
        if row is None:
            row = tables.Journey(workspace_id=self.workspace_id, key=spec.key, **fields)
            self.session.add(row)
            self.session.flush()
            self.note(ObjectKind.JOURNEY, spec.key, ChangeAction.CREATED)
        else:
            self.note(ObjectKind.JOURNEY, spec.key, _sync_fields(row, fields))
        return row

    def upsert(self, existing: dict[str, Any], kind: ObjectKind, key: str, **fields: Any) -> Any:
        """Update the row with ``key`` or create it; ``existing`` loses the keys it kept."""
        row = existing.pop(key, None)
        if row is not None:
            self.note(kind, key, _sync_fields(row, fields))
            return row
        model = tables.Stage if kind is ObjectKind.STAGE else tables.Touchpoint
        row = model(workspace_id=self.workspace_id, key=key, **fields)
        self.session.add(row)
        self.session.flush()
        self.note(kind, key, ChangeAction.CREATED)
        return row

    def leftovers(self, kind: ObjectKind, rows: Iterable[Any]) -> None:
        """Rows absent from the spec: deleted with ``prune``, otherwise kept and reported."""
        for row in rows:
            if self.prune:
                self.session.delete(row)
            self.note(kind, row.key, ChangeAction.DELETED if self.prune else ChangeAction.KEPT)
        self.session.flush()


def apply_spec(
    session: Session, workspace_id: uuid.UUID, spec: JourneySpec, *, prune: bool
) -> ApplyResult:
    """Make the stored journey ``spec.key`` match ``spec``; see the module docstring."""
    run = _Applier(session, workspace_id, prune)
    journey = run.journey(spec)
    stages = {s.key: s for s in repo.stages_of(session, journey)}
    points = {t.key: t for t in repo.touchpoints_of(session, journey)}
    for s_pos, stage_spec in enumerate(spec.stages):
        stage = run.upsert(
            stages,
            ObjectKind.STAGE,
            stage_spec.key,
            journey_id=journey.id,
            **_stage_fields(stage_spec, s_pos),
        )
        for t_pos, point_spec in enumerate(stage_spec.touchpoints):
            run.upsert(
                points,
                ObjectKind.TOUCHPOINT,
                point_spec.key,
                journey_id=journey.id,
                **_touchpoint_fields(point_spec, stage.id, t_pos),
            )
    run.leftovers(ObjectKind.TOUCHPOINT, points.values())
    run.leftovers(ObjectKind.STAGE, stages.values())
    return ApplyResult(journey_key=spec.key, changes=run.changes)
