"""Journey use-cases: apply and export journey-as-code, and CRUD on journeys.

Each function is one transaction scoped to one workspace. A journey's trigger rules belong to
orchestration, which this package cannot import: orchestration applies them through the
``on_applied`` hook, inside the same transaction, so a journey and its rules are applied
together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope.errors import Conflict, InvalidInput, NotFound
from journeyscope.journey import repo
from journeyscope.journey.applying import apply_spec
from journeyscope.journey.checks import check_journey
from journeyscope.journey.models import (
    ApplyResult,
    Change,
    JourneySpec,
    StageSpec,
    TouchpointSpec,
)
from journeyscope.journey.views import JourneySummary, JourneyView
from journeyscope.store import Database, Page, tables

AppliedHook = Callable[[Session, uuid.UUID], Sequence[Change]]
"""Called with the session and the journey's id once the journey is applied, before commit;
returns the changes it made (orchestration applies the journey's ``rules`` this way)."""


def _require_valid(spec: JourneySpec, on_applied: AppliedHook | None) -> None:
    problems = check_journey(spec)
    if problems:
        raise InvalidInput(f"The journey {spec.key!r} is not valid.", problems=problems)
    if spec.rules is not None and on_applied is None:
        raise InvalidInput(
            f"The journey {spec.key!r} has rules, which this door cannot apply.",
            field="rules",
            hint="apply the journey with `journeyscope journey apply` or PUT /v1/journeys/{key}",
        )


def _apply(
    session: Session,
    workspace_id: uuid.UUID,
    spec: JourneySpec,
    *,
    prune: bool,
    on_applied: AppliedHook | None,
) -> ApplyResult:
    result = apply_spec(session, workspace_id, spec, prune=prune)
    if on_applied is None:
        return result
    row = find_journey_row(session, workspace_id, spec.key)
    changes = [*result.changes, *on_applied(session, row.id)]
    return ApplyResult(journey_key=result.journey_key, changes=changes)


def find_journey_row(session: Session, workspace_id: uuid.UUID, key: str) -> tables.Journey:
    """The journey row with ``key``, or :class:`NotFound` (also for other workspaces' keys)."""
    row = repo.get_journey(session, workspace_id, key)
    if row is None:
        raise NotFound(
            f"There is no journey {key!r} in this workspace.",
            hint="list journeys with GET /v1/journeys or `journeyscope journey list`",
        )
    return row


def apply_journey(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    spec: JourneySpec,
    prune: bool = False,
    on_applied: AppliedHook | None = None,
) -> ApplyResult:
    """Create or update the journey ``spec.key`` so it matches ``spec`` (idempotent).

    Stages and touchpoints missing from the spec are deleted only with ``prune``; otherwise
    they are kept and reported as such, so a partial file never destroys data by accident.
    A spec with ``rules`` needs ``on_applied`` (see the module docstring); if the hook raises,
    nothing is written.
    """
    _require_valid(spec, on_applied)
    try:
        with db.transaction() as session:
            return _apply(session, workspace_id, spec, prune=prune, on_applied=on_applied)
    except IntegrityError:
        raise Conflict(
            f"The journey {spec.key!r} was changed by someone else at the same time.",
            hint="apply it again",
        ) from None


def create_journey(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    spec: JourneySpec,
    on_applied: AppliedHook | None = None,
) -> JourneyView:
    """Create a new journey from a spec; refuses a key that is taken (use apply to update)."""
    _require_valid(spec, on_applied)
    with db.transaction() as session:
        if repo.get_journey(session, workspace_id, spec.key) is not None:
            raise Conflict(
                f"A journey with key {spec.key!r} already exists.",
                field="key",
                hint="choose another key, or apply the spec with PUT /v1/journeys/{key} "
                "to update it",
            )
        _apply(session, workspace_id, spec, prune=False, on_applied=on_applied)
        return repo.to_journey_view(session, find_journey_row(session, workspace_id, spec.key))


def get_journey(db: Database, *, workspace_id: uuid.UUID, key: str) -> JourneyView:
    """The journey with its stages and touchpoints in order."""
    with db.transaction() as session:
        return repo.to_journey_view(session, find_journey_row(session, workspace_id, key))


def list_journeys(
    db: Database, *, workspace_id: uuid.UUID, cursor: str | None = None, limit: int = 100
) -> Page[JourneySummary]:
    """A page of the workspace's journeys, oldest first."""
    with db.read() as connection:
        return repo.list_journeys(connection, workspace_id, cursor=cursor, limit=limit)


def export_journey(db: Database, *, workspace_id: uuid.UUID, key: str) -> JourneySpec:
    """The stored journey as a spec that applies back to the same journey unchanged.

    Without its rules (``rules`` is ``None``): orchestration adds them.
    """
    view = get_journey(db, workspace_id=workspace_id, key=key)
    return JourneySpec(
        key=view.key,
        name=view.name,
        description=view.description,
        stages=[
            StageSpec(
                key=s.key,
                name=s.name,
                description=s.description,
                customer_actions=s.customer_actions,
                touchpoints=[
                    TouchpointSpec(
                        key=t.key,
                        name=t.name,
                        channel=t.channel,
                        description=t.description,
                        quarantine_days=t.quarantine_days,
                    )
                    for t in s.touchpoints
                ],
            )
            for s in view.stages
        ],
    )


def update_journey(
    db: Database, *, workspace_id: uuid.UUID, key: str, changes: dict[str, Any]
) -> JourneyView:
    """Change the journey's name and/or description."""
    with db.transaction() as session:
        row = find_journey_row(session, workspace_id, key)
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        return repo.to_journey_view(session, row)


def delete_journey(db: Database, *, workspace_id: uuid.UUID, key: str) -> None:
    """Delete the journey with its stages and touchpoints."""
    with db.transaction() as session:
        session.delete(find_journey_row(session, workspace_id, key))
