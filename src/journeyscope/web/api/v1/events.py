"""`/v1/events`: what happens in your systems (sales, tickets, calls, app screens)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from journeyscope import collection
from journeyscope.collection import Event, EventBatchIn, EventIn, IngestResult
from journeyscope.collection.models import Ingested, IsoDateTime
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListPage

router = APIRouter(prefix="/v1/events", tags=["events"], responses=PROBLEM_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": Ingested, "description": "A duplicate: already stored"}},
)
def post_event(
    db: DbDep, workspace_id: WorkspaceDep, body: EventIn, response: Response
) -> Ingested:
    """Store one event (201); a resent `idempotency_key` answers 200 with the first id."""
    result = collection.ingest_events(db, workspace_id=workspace_id, events=[body])
    outcome = result.events[0]
    if outcome.duplicate:
        response.status_code = status.HTTP_200_OK
    return outcome


@router.post("/batch")
def post_events(db: DbDep, workspace_id: WorkspaceDep, body: EventBatchIn) -> IngestResult:
    """Store up to 1,000 events at once, all or nothing.

    If any event is invalid the answer is 422, listing every bad event by `index`, and no
    event of the batch is stored: fix them and send the whole batch again (idempotency keys
    make resending safe). Duplicates are not errors: they are counted and answered with the
    first event's id.
    """
    return collection.ingest_events(db, workspace_id=workspace_id, events=body.events)


@router.get("")
def list_events(
    db: DbDep,
    workspace_id: WorkspaceDep,
    cursor: Cursor = None,
    limit: Limit = 100,
    type: Annotated[
        list[str] | None, Query(description="Only these event types (repeatable).")
    ] = None,
    since: Annotated[
        IsoDateTime | None, Query(description="Occurred at or after (ISO 8601 with zone).")
    ] = None,
    until: Annotated[
        IsoDateTime | None, Query(description="Occurred before (ISO 8601 with zone).")
    ] = None,
) -> ListPage[Event]:
    """List events in the order they were received, filtered by type and occurrence time."""
    page = collection.list_events(
        db,
        workspace_id=workspace_id,
        cursor=cursor,
        limit=limit,
        types=type or (),
        since=since,
        until=until,
    )
    return ListPage(data=list(page.items), next_cursor=page.next_cursor)


@router.get("/{event_id:uuid}")
def get_event(db: DbDep, workspace_id: WorkspaceDep, event_id: uuid.UUID) -> Event:
    """Get one event."""
    return collection.get_event(db, workspace_id=workspace_id, event_id=event_id)
