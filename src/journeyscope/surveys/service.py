"""Survey use-cases: create (from a definition or a template), edit the draft, publish.

Publishing freezes the draft as a new numbered version; publishing an unchanged draft again
returns the latest version instead of making a copy. Each function is one transaction scoped
to one workspace.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope import journey
from journeyscope.errors import Conflict, InvalidInput, NotFound
from journeyscope.store import Database, Page, tables
from journeyscope.surveys import repo
from journeyscope.surveys.models import SurveyDefinition
from journeyscope.surveys.targeting import Targeting
from journeyscope.surveys.templates import TEMPLATES, get_template, placeholders_left
from journeyscope.surveys.validation import check_definition
from journeyscope.surveys.views import (
    SurveyCreate,
    SurveySummary,
    SurveyVersionView,
    SurveyView,
    TouchpointRef,
)


def _stored(definition: SurveyDefinition) -> dict[str, object]:
    return definition.model_dump(mode="json")


def resolve_touchpoint(
    db: Database, workspace_id: uuid.UUID, ref: TouchpointRef | None
) -> uuid.UUID | None:
    """The id of the touchpoint ``ref`` names; :class:`NotFound` if the journey lacks it."""
    if ref is None:
        return None
    point = journey.get_touchpoint(
        db, workspace_id=workspace_id, journey_key=ref.journey_key, key=ref.touchpoint_key
    )
    return point.id


def _survey(session: Session, workspace_id: uuid.UUID, key: str) -> tables.Survey:
    row = repo.get_survey(session, workspace_id, key)
    if row is None:
        raise NotFound(
            f"There is no survey {key!r} in this workspace.",
            hint="list surveys with GET /v1/surveys",
        )
    return row


def create_survey(db: Database, *, workspace_id: uuid.UUID, data: SurveyCreate) -> SurveyView:
    """Create a survey whose draft is ``data.definition`` or the named template's definition."""
    definition = data.definition or get_template(data.template or "").definition
    touchpoint_id = resolve_touchpoint(db, workspace_id, data.touchpoint)
    try:
        with db.transaction() as session:
            row = tables.Survey(
                workspace_id=workspace_id,
                key=data.key,
                name=data.name,
                touchpoint_id=touchpoint_id,
                template_key=data.template,
                targeting=data.targeting.model_dump(mode="json"),
                draft=_stored(definition),
            )
            session.add(row)
            session.flush()
            return repo.to_view(session, row)
    except IntegrityError:
        raise Conflict(
            f"A survey with key {data.key!r} already exists.",
            field="key",
            hint="choose another key, or edit its draft with PUT /v1/surveys/{key}/draft",
        ) from None


def get_survey(db: Database, *, workspace_id: uuid.UUID, key: str) -> SurveyView:
    """The survey with its draft."""
    with db.transaction() as session:
        return repo.to_view(session, _survey(session, workspace_id, key))


def list_surveys(
    db: Database, *, workspace_id: uuid.UUID, cursor: str | None = None, limit: int = 100
) -> Page[SurveySummary]:
    """A page of the workspace's surveys, oldest first."""
    with db.transaction() as session:
        return repo.list_surveys(session, workspace_id, cursor=cursor, limit=limit)


def replace_draft(
    db: Database, *, workspace_id: uuid.UUID, key: str, definition: SurveyDefinition
) -> SurveyView:
    """Replace the draft; published versions are untouched until the next publish."""
    with db.transaction() as session:
        row = _survey(session, workspace_id, key)
        row.draft = _stored(definition)
        session.flush()
        return repo.to_view(session, row)


def set_targeting(
    db: Database, *, workspace_id: uuid.UUID, key: str, targeting: Targeting
) -> SurveyView:
    """Replace when the widget shows the survey; takes effect on the next eligibility check."""
    with db.transaction() as session:
        row = _survey(session, workspace_id, key)
        row.targeting = targeting.model_dump(mode="json")
        session.flush()
        return repo.to_view(session, row)


def publish_survey(
    db: Database, *, workspace_id: uuid.UUID, key: str, allow_placeholders: bool = False
) -> tuple[SurveyVersionView, bool]:
    """Freeze the draft as the next version; ``(version, created)``.

    A draft with problems (see :func:`check_definition`) cannot be published: the error lists
    each one. Nor can a draft that still shows its template's placeholders ("Competitor A"),
    unless ``allow_placeholders``. An unchanged draft answers the latest version with
    ``created`` False. Two publishes at once race for the next number; the loser looks again
    and, the draft being the same, answers the winner's version.
    """
    try:
        return _publish(db, workspace_id, key, allow_placeholders)
    except IntegrityError:  # another publish took this number first
        return _publish(db, workspace_id, key, allow_placeholders)


def _publish(
    db: Database, workspace_id: uuid.UUID, key: str, allow_placeholders: bool
) -> tuple[SurveyVersionView, bool]:
    with db.transaction() as session:
        survey = _survey(session, workspace_id, key)
        draft = SurveyDefinition.model_validate(survey.draft)
        problems = check_definition(draft)
        if problems:
            raise InvalidInput(f"The draft of {key!r} cannot be published yet.", problems=problems)
        number = survey.published_version or 0
        latest = repo.get_version(session, survey, number) if number else None
        if latest is not None and latest.definition == survey.draft:
            return repo.to_version_view(survey, latest), False
        if not allow_placeholders:
            _refuse_placeholders(key, survey.template_key, draft)
        version = tables.SurveyVersion(
            workspace_id=workspace_id,
            survey_id=survey.id,
            number=number + 1,
            definition=survey.draft,
        )
        session.add(version)
        survey.published_version = number + 1
        session.flush()
        return repo.to_version_view(survey, version), True


def _refuse_placeholders(key: str, template_key: str | None, draft: SurveyDefinition) -> None:
    """:class:`InvalidInput` naming each template placeholder the draft still shows."""
    template = TEMPLATES.get(template_key or "")
    left = placeholders_left(template, draft) if template is not None else []
    if left:
        raise InvalidInput(
            f"The draft of {key!r} still shows placeholders of the template "
            f"{template_key!r}, which customers would see.",
            problems=left,
            hint=f"edit the draft (PUT /v1/surveys/{key}/draft), or publish it as it is with "
            f"allow_placeholders=true (journeyscope survey publish {key} --allow-placeholders)",
        )


def get_version(
    db: Database, *, workspace_id: uuid.UUID, key: str, number: int
) -> SurveyVersionView:
    """Published version ``number`` of the survey."""
    with db.transaction() as session:
        survey = _survey(session, workspace_id, key)
        row = repo.get_version(session, survey, number)
        if row is None:
            raise NotFound(
                f"Survey {key!r} has no version {number}.",
                hint=f"its latest version is {survey.published_version or 'none yet'}",
            )
        return repo.to_version_view(survey, row)
