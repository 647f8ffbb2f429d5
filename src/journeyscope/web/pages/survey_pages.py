"""The surveys of the dashboard, read-only: the list, one survey, and its preview.

``/app/surveys/{key}/preview`` shows a page of the survey the way a respondent sees it — the
hosted page's own question templates, stylesheet and words — but records nothing: the form
has no action, its buttons are disabled, the page's Content-Security-Policy forbids sending
any form (``form-action 'none'``), and no response or visit is created. The survey page
frames it (same origin only, in a sandbox that allows neither scripts nor forms). Every call
passes ``person.workspace.id``: another workspace's survey is not found (404).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Final

from fastapi import APIRouter, Path, Query, Request, Response

from journeyscope import surveys
from journeyscope.errors import JourneyscopeError
from journeyscope.journey import KEY_PATTERN
from journeyscope.store import Database
from journeyscope.surveys import SurveyDefinition, SurveyView
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.hosted_view import Texts, pick_language, view_question
from journeyscope.web.pages.interview_pages import refused
from journeyscope.web.pages.signed_in import Viewer, page_context
from journeyscope.web.pages.ui_text import ui_words

router = APIRouter(include_in_schema=False)
SURVEYS: Final = "/app/surveys"
SurveyKey = Annotated[str, Path(pattern=KEY_PATTERN)]
PREVIEW_CSP: Final = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'none'; base-uri 'none'; object-src 'none'; frame-ancestors 'self'"
)
"""The preview's policy: nothing may be sent from it, and only our own pages may frame it."""


def shown_definition(db: Database, workspace_id: uuid.UUID, survey: SurveyView) -> SurveyDefinition:
    """What respondents see: the latest published version, or the draft before the first."""
    if survey.published_version is None:
        return survey.draft
    version = surveys.get_version(
        db, workspace_id=workspace_id, key=survey.key, number=survey.published_version
    )
    return version.definition


@router.get(SURVEYS)
def surveys_page(request: Request, person: Viewer) -> Response:
    """The workspace's surveys: touchpoint, published version, last change (UTC)."""
    page = surveys.list_surveys(request.app.state.db, workspace_id=person.workspace.id, limit=500)
    context = page_context(person, surveys=page.items, more=page.next_cursor is not None)
    return secure(templates.TemplateResponse(request, "app/surveys.html", context))


@router.get(SURVEYS + "/{key}")
def survey_page(request: Request, person: Viewer, key: SurveyKey) -> Response:
    """One survey: where it is asked, its pages and questions, and its preview."""
    db = request.app.state.db
    try:
        survey = surveys.get_survey(db, workspace_id=person.workspace.id, key=key)
        definition = shown_definition(db, person.workspace.id, survey)
    except JourneyscopeError as exc:
        return refused(request, person, "No survey", exc)
    say = Texts(definition, definition.default_language, {}, {})
    context = page_context(person, survey=survey, definition=definition, say=say)
    return secure(templates.TemplateResponse(request, "app/survey.html", context))


@router.get(SURVEYS + "/{key}/preview")
def preview_page(
    request: Request,
    person: Viewer,
    key: SurveyKey,
    page: Annotated[str | None, Query(max_length=63)] = None,
    lang: Annotated[str | None, Query(max_length=35)] = None,
) -> Response:
    """One page of the survey as a respondent sees it, with nothing recorded."""
    db = request.app.state.db
    try:
        survey = surveys.get_survey(db, workspace_id=person.workspace.id, key=key)
        definition = shown_definition(db, person.workspace.id, survey)
    except JourneyscopeError as exc:
        return refused(request, person, "No survey", exc)
    context = _preview_context(definition, page, pick_language(definition, lang, None))
    context |= {"survey": survey, "lang_asked": lang}
    view = secure(templates.TemplateResponse(request, "app/survey_preview.html", context))
    view.headers["Content-Security-Policy"] = PREVIEW_CSP
    view.headers["X-Frame-Options"] = "SAMEORIGIN"
    return view


def _preview_context(
    definition: SurveyDefinition, page_id: str | None, lang: str
) -> dict[str, object]:
    """The hosted page's view of ``page_id`` (the first page when unknown), no answers."""
    ids = [p.id for p in definition.pages]
    current = page_id if page_id in ids else (ids[0] if ids else None)
    words = ui_words(lang)
    say = Texts(definition, lang, {}, {})
    shown = surveys.shown_on_page(definition, current, {}) if current else []
    page = definition.page(current) if current else None
    index = ids.index(current) if current else 0
    return {
        "lang": lang,
        "words": words,
        "survey_title": say(definition.title),
        "description": say(definition.description) if index == 0 else "",
        "page_title": say(page.title) if page else "",
        "questions": [view_question(q, None, say=say, words=words) for q in shown],
        "page_ids": ids,
        "current": current,
        "previous": ids[index - 1] if index > 0 else None,
        "following": ids[index + 1] if index + 1 < len(ids) else None,
    }
