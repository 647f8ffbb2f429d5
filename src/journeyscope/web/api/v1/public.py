"""`/v1/public`: the anonymous API of the website widget and native apps.

No API key: the widget runs in customers' browsers. The workspace comes from its slug and the
survey from its public id; every call is rate-limited per address and open to any origin
(CORS, see :mod:`journeyscope.web.cors`).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from journeyscope import collection
from journeyscope.collection import (
    DisplayIn,
    DisplayView,
    Eligibility,
    EligibilityIn,
    ResponseView,
    WidgetResponseIn,
)
from journeyscope.web.deps import DbDep
from journeyscope.web.openapi import PROBLEM_RESPONSES, problem_response_doc
from journeyscope.web.pages.ui_text import WIDGET_WORDS, words_for
from journeyscope.web.ratelimit import PublicRateLimit

__all__ = ["router"]

RESPONSES: dict[int | str, dict[str, Any]] = {
    **{code: doc for code, doc in PROBLEM_RESPONSES.items() if code != 401},
    429: problem_response_doc("Too many requests from this address; see Retry-After"),
}
router = APIRouter(prefix="/v1/public", tags=["public"], responses=RESPONSES)

WorkspaceSlug = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
        description="The workspace's slug, as given to the widget's `init()`.",
    ),
]
PublicId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]{1,24}$", description="The survey's public id.")
]


@router.post("/workspaces/{workspace_slug}/eligibility")
def check_eligibility(
    db: DbDep, _: PublicRateLimit, workspace_slug: WorkspaceSlug, body: EligibilityIn
) -> Eligibility:
    """Ask whether to show a survey after a page view (`url`) or a tracked `event`.

    The server decides: targeting (URL globs, events, sampling), show-once, dismissals and the
    workspace's recontact period across all surveys. Answers `{"survey": null}` (the usual
    case) or one survey with its texts in the visitor's language, the widget's own `words` in
    that language, and the delay to wait.
    """
    found = collection.check_eligibility(db, workspace_slug=workspace_slug, data=body)
    if found.survey is None:
        return found
    words = words_for(found.survey.lang, WIDGET_WORDS)
    return Eligibility(survey=found.survey.model_copy(update={"words": words}))


@router.post("/workspaces/{workspace_slug}/displays", status_code=status.HTTP_201_CREATED)
def record_display(
    db: DbDep, _: PublicRateLimit, workspace_slug: WorkspaceSlug, body: DisplayIn
) -> DisplayView:
    """Record that a survey is being shown; it starts the visitor's recontact period."""
    return collection.record_display(db, workspace_slug=workspace_slug, data=body)


@router.post("/workspaces/{workspace_slug}/displays/{display_id}/dismiss")
def dismiss_display(
    db: DbDep, _: PublicRateLimit, workspace_slug: WorkspaceSlug, display_id: uuid.UUID
) -> DisplayView:
    """Record that the visitor closed the survey unanswered; it is not shown to them again.

    Idempotent: a repeat keeps the first time. A display of another workspace is 404.
    """
    return collection.dismiss_display(db, workspace_slug=workspace_slug, display_id=display_id)


@router.post(
    "/surveys/{public_id}/responses",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ResponseView, "description": "An existing response, updated"}},
)
def submit_response(
    db: DbDep, _: PublicRateLimit, public_id: PublicId, body: WidgetResponseIn, response: Response
) -> ResponseView:
    """Save a page of answers from the widget or a native app (201 new, 200 existing).

    Send the same client `id` for every page; `complete: true` on the last. Answers are
    checked against the published version (422 names each bad one as `answers.<id>`).
    """
    view, created = collection.submit_widget_response(db, public_id=public_id, data=body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return view
