"""`/v1/responses`: survey answers sent by your own systems (hosted pages use the same service)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from journeyscope import collection
from journeyscope.collection import ResponseIn, ResponseView
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.serialize import model_response

router = APIRouter(prefix="/v1/responses", tags=["responses"], responses=PROBLEM_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ResponseView,
    responses={200: {"model": ResponseView, "description": "An existing response, updated"}},
)
def submit_response(db: DbDep, workspace_id: WorkspaceDep, body: ResponseIn) -> Response:
    """Save a page of answers under the client's `id` (201 new, 200 existing).

    Answers are merged page by page and checked against the survey version the response
    answers (422 names each bad answer as `answers.<question id>`). With `complete: true`,
    required questions on the respondent's path must be answered, and score answers become
    metric facts. A resend after completion answers the stored response unchanged.
    """
    view, created = collection.submit_response(db, workspace_id=workspace_id, data=body)
    return model_response(view, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@router.get("/{response_id:uuid}")
def get_response(db: DbDep, workspace_id: WorkspaceDep, response_id: uuid.UUID) -> ResponseView:
    """Get a response by the id its client gave it."""
    return collection.get_response(db, workspace_id=workspace_id, response_id=response_id)
