"""`/v1/events`: what happens in your systems (sales, tickets, calls, app screens)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from journeyscope import collection, orchestration
from journeyscope.collection import Event, EventBatchIn, EventIn, EventType, Ingested, IngestResult
from journeyscope.datetimes import IsoDateTime
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES, json_body
from journeyscope.web.pagination import ListPage
from journeyscope.web.serialize import model_response

router = APIRouter(prefix="/v1/events", tags=["events"], responses=PROBLEM_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Ingested,
    responses={200: {"model": Ingested, "description": "A duplicate: already stored"}},
)
def post_event(db: DbDep, workspace_id: WorkspaceDep, body: EventIn) -> Response:
    """Store one event (201); a resent `idempotency_key` answers 200 with the first id.

    Trigger rules for its type plan invitations in the same transaction (`/v1/rules`).
    """
    result = orchestration.ingest_and_plan(db, workspace_id=workspace_id, events=[body])
    outcome = result.events[0]
    return model_response(outcome, status.HTTP_200_OK if outcome.duplicate else 201)


def _read_batch(raw: bytes) -> EventBatchIn:
    """Validate the body straight from JSON bytes.

    pydantic-core parses and validates in one pass; FastAPI's ``json.loads`` then Python-mode
    validation took about a sixth of a 1,000-event request (bench/ingest_events.py).
    """
    try:
        return EventBatchIn.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


@router.post("/batch", response_model=IngestResult, openapi_extra=json_body(EventBatchIn))
async def post_events(request: Request, db: DbDep, workspace_id: WorkspaceDep) -> Response:
    """Store up to 1,000 events at once, all or nothing.

    If any event is invalid the answer is 422, listing every bad event by `index`, and no
    event of the batch is stored: fix them and send the whole batch again (idempotency keys
    make resending safe). Duplicates are not errors: they are counted and answered with the
    first event's id.
    """
    batch = await run_in_threadpool(_read_batch, await request.body())
    result = await run_in_threadpool(
        orchestration.ingest_and_plan, db, workspace_id=workspace_id, events=batch.events
    )
    # Serialized directly: FastAPI would re-validate the 1,000 entries we just built.
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("")
def list_events(
    db: DbDep,
    workspace_id: WorkspaceDep,
    cursor: Cursor = None,
    limit: Limit = 100,
    type: Annotated[
        list[EventType],
        Query(max_length=50, description="Only these event types (repeatable)."),
    ] = [],  # noqa: B006 - FastAPI copies defaults; declares an array, not array-or-null
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
        types=type,
        since=since,
        until=until,
    )
    return ListPage(data=list(page.items), next_cursor=page.next_cursor)


@router.get("/{event_id:uuid}")
def get_event(db: DbDep, workspace_id: WorkspaceDep, event_id: uuid.UUID) -> Event:
    """Get one event."""
    return collection.get_event(db, workspace_id=workspace_id, event_id=event_id)
