"""The sources behind the map's quotes: ``/app/responses/{id}`` (and interviews' turns).

Read-only pages any viewer of the workspace may open (``signed_in.require_role``). Every call
passes ``person.workspace.id``, so another workspace's response or interview is simply not
found (404). A survey verbatim quoted on the map links to its response (the id the API names
it by); an interview quote links to its turn, ``/app/interviews/{id}#turn-N`` (N: the turn's
0-based position), served with the other interview pages by ``interview_pages``.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from journeyscope import collection
from journeyscope.errors import JourneyscopeError
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.signed_in import Viewer, page_context
from journeyscope.workspaces import SignedIn

router = APIRouter(include_in_schema=False)


@router.get("/app/responses/{response_id}")
def response_page(request: Request, person: Viewer, response_id: uuid.UUID) -> Response:
    """One response: its answers, channel, touchpoint, times (UTC) and its verbatims' emotions."""
    try:
        record = collection.response_record(
            request.app.state.db, workspace_id=person.workspace.id, response_id=response_id
        )
    except JourneyscopeError as exc:
        return _refused(request, person, "No response", exc)
    context = page_context(person, record=record, view=record.response)
    return secure(templates.TemplateResponse(request, "app/response.html", context))


def _refused(request: Request, person: SignedIn, heading: str, exc: JourneyscopeError) -> Response:
    context = page_context(person, heading=heading, text=exc.message)
    page = templates.TemplateResponse(request, "app/refused.html", context, status_code=exc.status)
    return secure(page)
