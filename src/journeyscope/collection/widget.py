"""The website and in-app widget: which survey to show, displays, dismissals and answers.

The rules live in :mod:`~journeyscope.collection.eligibility` (pure); this module feeds them
from the database and records what the widget reports. A visitor is ``anon:<uuid>`` (the
widget's localStorage id) and, once identified, also ``contact:<external id>``: history is
read under both keys, and a display is written under the contact key when there is one, so
the recontact period follows a customer across devices.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from journeyscope import surveys
from journeyscope.collection import widget_repo as repo
from journeyscope.collection.eligibility import Trigger, Visit, choose_survey, matches_trigger
from journeyscope.collection.models import ResponseView
from journeyscope.collection.responses import submit_public
from journeyscope.collection.widget_models import (
    DisplayIn,
    DisplayView,
    Eligibility,
    EligibilityIn,
    VisitorIn,
    WidgetResponseIn,
    WidgetSurvey,
)
from journeyscope.errors import NotFound
from journeyscope.store import Database, tables
from journeyscope.surveys import SCORED_TYPES, SurveyDefinition


def visitor_keys(visitor: VisitorIn) -> list[str]:
    """The visitor's keys, the one displays are written under first."""
    anon = f"anon:{visitor.visitor}"
    if visitor.contact_external_id is None:
        return [anon]
    return [f"contact:{visitor.contact_external_id}", anon]


def _workspace_missing(slug: str) -> NotFound:
    return NotFound(
        f"There is no workspace {slug!r}.",
        field="workspace_slug",
        hint="use the slug shown by `journeyscope workspaces` in the widget's init()",
    )


def check_eligibility(db: Database, *, workspace_slug: str, data: EligibilityIn) -> Eligibility:
    """The survey to show after this page view or event, or none (the usual answer)."""
    trigger = Trigger(channel=data.channel.channel, url=data.url, event=data.event)
    with db.transaction() as session:
        targets = repo.workspace_targets(session, workspace_slug)
        if targets is None:
            raise _workspace_missing(workspace_slug)
        fitting = [s for s in targets.surveys if matches_trigger(s.candidate.targeting, trigger)]
        if not fitting:  # most page views stop here, after one query
            return Eligibility(survey=None)
        keys = visitor_keys(data)
        visit = Visit(
            visitor_key=keys[0],
            now=db.clock.now(),
            history=repo.visitor_history(session, targets.workspace_id, keys),
            recontact_days=targets.recontact_days,
        )
        chosen = choose_survey([s.candidate for s in fitting], trigger, visit)
        picked = next((s for s in fitting if s.candidate is chosen), None)
        if picked is None:
            return Eligibility(survey=None)
        stored = repo.published_definition(session, picked.candidate.survey_id, picked.version)
    definition = SurveyDefinition.model_validate(stored)
    lang = surveys.match_language(definition, [data.lang])
    return Eligibility(
        survey=WidgetSurvey(
            public_id=picked.public_id,
            key=picked.key,
            name=picked.name,
            version=picked.version,
            lang=lang,
            delay_seconds=picked.candidate.targeting.delay_seconds,
            definition=client_definition(definition, lang),
        )
    )


def client_definition(definition: SurveyDefinition, lang: str) -> dict[str, Any]:
    """The survey as a client that draws it itself needs it (the widget, a kiosk, an app).

    Every text resolved to ``lang`` (``fr-CA`` → ``fr`` → the default), and each scored
    question's ``low`` and ``high`` added, so no client hard-codes the scale of a type.
    """
    data = surveys.localized_definition(definition, lang)
    bounds = {q.id: (q.low, q.high) for q in definition.questions() if isinstance(q, SCORED_TYPES)}
    for page in data["pages"]:
        for question in page["questions"]:
            if question["id"] in bounds:
                question["low"], question["high"] = bounds[question["id"]]
    return data


def _display_view(session: Session, row: tables.SurveyDisplay) -> DisplayView:
    return DisplayView(
        id=row.id,
        survey=repo.public_id_of(session, row.survey_id),
        shown_at=row.shown_at,
        dismissed_at=row.dismissed_at,
        responded_at=row.responded_at,
    )


def _workspace_id(session: Session, slug: str) -> uuid.UUID:
    workspace_id = repo.workspace_id_by_slug(session, slug)
    if workspace_id is None:
        raise _workspace_missing(slug)
    return workspace_id


def record_display(db: Database, *, workspace_slug: str, data: DisplayIn) -> DisplayView:
    """Record that the widget is showing a survey: it starts the recontact period."""
    with db.transaction() as session:
        workspace_id = _workspace_id(session, workspace_slug)
        survey_id = repo.survey_id_by_public_id(session, workspace_id, data.survey)
        if survey_id is None:
            raise NotFound(
                f"Workspace {workspace_slug!r} has no open survey {data.survey!r}.",
                field="survey",
                hint="send the public_id from the eligibility answer",
            )
        row = repo.add_display(session, workspace_id, survey_id, visitor_keys(data)[0])
        return _display_view(session, row)


def _display_missing(display_id: uuid.UUID) -> NotFound:
    return NotFound(f"There is no display {display_id} here.", field="display_id")


def dismiss_display(db: Database, *, workspace_slug: str, display_id: uuid.UUID) -> DisplayView:
    """Record that the visitor closed the survey: it is never shown to them again."""
    with db.transaction() as session:
        workspace_id = _workspace_id(session, workspace_slug)
        row = repo.get_display(session, workspace_id, display_id)
        if row is None:
            raise _display_missing(display_id)
        repo.mark(row, "dismissed_at", db.clock.now())
        session.flush()
        return _display_view(session, row)


def _check_display(db: Database, survey: surveys.PublishedSurvey, display_id: uuid.UUID) -> None:
    with db.transaction() as session:
        row = repo.get_display(session, survey.workspace_id, display_id)
        if row is None or row.survey_id != survey.survey_id:
            raise _display_missing(display_id)


def _mark_responded(db: Database, workspace_id: uuid.UUID, display_id: uuid.UUID) -> None:
    with db.transaction() as session:
        row = repo.get_display(session, workspace_id, display_id)
        if row is not None:
            repo.mark(row, "responded_at", db.clock.now())


def submit_widget_response(
    db: Database, *, public_id: str, data: WidgetResponseIn
) -> tuple[ResponseView, bool]:
    """Save a page of answers from the widget or an app; ``(response, created)``.

    A ``display_id`` must be a display of this survey (else 404, before anything is saved);
    it is then marked as answered.
    """
    survey = surveys.published_by_public_id(db, public_id)
    if data.display_id is not None:
        _check_display(db, survey, data.display_id)
    saved = submit_public(db, survey, data, channel=data.channel.channel)
    if data.display_id is not None:
        _mark_responded(db, survey.workspace_id, data.display_id)
    return saved
