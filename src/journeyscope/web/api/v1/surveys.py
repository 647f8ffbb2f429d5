"""`/v1/surveys`: questionnaires, their editable drafts and frozen published versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from journeyscope import surveys
from journeyscope.surveys import (
    SurveyCreate,
    SurveyDefinition,
    SurveySummary,
    SurveyVersionView,
    SurveyView,
    Targeting,
)
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListPage

router = APIRouter(prefix="/v1/surveys", tags=["surveys"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_surveys(
    db: DbDep, workspace_id: WorkspaceDep, cursor: Cursor = None, limit: Limit = 100
) -> ListPage[SurveySummary]:
    """List the workspace's surveys, oldest first."""
    page = surveys.list_surveys(db, workspace_id=workspace_id, cursor=cursor, limit=limit)
    return ListPage(data=list(page.items), next_cursor=page.next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_survey(db: DbDep, workspace_id: WorkspaceDep, body: SurveyCreate) -> SurveyView:
    """Create a survey from a `definition` or a `template`, optionally at a touchpoint.

    The survey starts as a draft; publish it to freeze a version that respondents answer.
    """
    return surveys.create_survey(db, workspace_id=workspace_id, data=body)


@router.get("/{survey_key}")
def get_survey(db: DbDep, workspace_id: WorkspaceDep, survey_key: str) -> SurveyView:
    """Get a survey with its draft."""
    return surveys.get_survey(db, workspace_id=workspace_id, key=survey_key)


@router.put("/{survey_key}/draft")
def replace_draft(
    db: DbDep, workspace_id: WorkspaceDep, survey_key: str, definition: SurveyDefinition
) -> SurveyView:
    """Replace the draft; published versions do not change until the next publish."""
    return surveys.replace_draft(
        db, workspace_id=workspace_id, key=survey_key, definition=definition
    )


@router.put("/{survey_key}/targeting")
def set_targeting(
    db: DbDep, workspace_id: WorkspaceDep, survey_key: str, targeting: Targeting
) -> SurveyView:
    """Replace when the website and in-app widget show the survey (see docs/channels/widget.md).

    Takes effect on the next eligibility check; only published surveys are ever shown.
    """
    return surveys.set_targeting(db, workspace_id=workspace_id, key=survey_key, targeting=targeting)


@router.post(
    "/{survey_key}/publish",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": SurveyVersionView, "description": "Unchanged: the latest version"}},
)
def publish_survey(
    db: DbDep,
    workspace_id: WorkspaceDep,
    survey_key: str,
    response: Response,
    allow_placeholders: Annotated[
        bool,
        Query(description="Publish even if the draft still shows its template's placeholders."),
    ] = False,
) -> SurveyVersionView:
    """Freeze the draft as a new version (201); an unchanged draft answers the latest (200).

    A draft with problems is refused with 422 naming each one (unreachable question, logic
    pointing at a missing question, ...), and so is a draft that still shows placeholders of
    the template it was made from ("Competitor A"), unless `allow_placeholders=true`.
    """
    version, created = surveys.publish_survey(
        db, workspace_id=workspace_id, key=survey_key, allow_placeholders=allow_placeholders
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return version


@router.get("/{survey_key}/versions/{number}")
def get_version(
    db: DbDep,
    workspace_id: WorkspaceDep,
    survey_key: str,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
) -> SurveyVersionView:
    """Get a published version."""
    return surveys.get_version(db, workspace_id=workspace_id, key=survey_key, number=number)
