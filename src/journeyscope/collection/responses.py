"""Survey responses, saved page by page under the client's UUID.

Each save is checked against the survey version the response answers; completion turns the
score answers into metric facts in the same transaction.

A resend (same ``id``) is never stored twice: before completion it merges the answers again,
after completion it answers the stored response unchanged.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from journeyscope import surveys
from journeyscope.collection import repo
from journeyscope.collection.models import ResponseIn, ResponseView
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database, tables, utcnow
from journeyscope.surveys import SurveyDefinition

_METADATA = {"locale", "device_class", "page_url", "app_screen", "app_version"}


def _contact_id(
    session: Session, workspace_id: uuid.UUID, external_id: str | None
) -> uuid.UUID | None:
    if external_id is None:
        return None
    found = repo.contact_ids_by_external_id(session, workspace_id, [external_id])
    if external_id not in found:
        raise NotFound(
            f"There is no contact with external_id {external_id!r}.",
            field="contact_external_id",
            hint="create it first with POST /v1/contacts/upsert",
        )
    return found[external_id]


def _new_row(
    session: Session, workspace_id: uuid.UUID, data: ResponseIn, touchpoint_id: uuid.UUID | None
) -> tables.Response:
    answered = surveys.resolve_version(
        session, workspace_id=workspace_id, key=data.survey_key, number=data.version
    )
    row = tables.Response(
        workspace_id=workspace_id,
        client_id=data.id,
        survey_id=answered.survey_id,
        survey_version_id=answered.version_id,
        contact_id=_contact_id(session, workspace_id, data.contact_external_id),
        touchpoint_id=touchpoint_id or answered.touchpoint_id,
        channel=data.channel.value,
        answers={},
        **data.model_dump(
            include={"locale", "device_class", "page_url", "app_screen", "app_version"}
        ),
    )
    session.add(row)
    return row


def _check(definition: SurveyDefinition, answers: dict[str, Any], complete: bool) -> None:
    problems = surveys.check_answers(definition, answers, complete=complete)
    if problems:
        raise InvalidInput("Some answers cannot be accepted; nothing was saved.", problems=problems)


def _write_facts(session: Session, row: tables.Response, definition: SurveyDefinition) -> None:
    day = (row.completed_at or utcnow()).date()
    for fact in surveys.score_facts(definition, row.answers):
        session.add(
            tables.MetricFact(
                workspace_id=row.workspace_id,
                response_id=row.id,
                survey_id=row.survey_id,
                question_id=fact.question_id,
                metric=fact.metric.value,
                value=fact.value,
                scale_min=fact.low,
                scale_max=fact.high,
                touchpoint_id=row.touchpoint_id,
                channel=row.channel,
                day=day,
            )
        )


def _view(session: Session, row: tables.Response) -> ResponseView:
    key, answered = surveys.version_by_id(session, row.survey_version_id)
    return ResponseView(
        id=row.client_id,
        survey_key=key,
        version=answered.number,
        answers=row.answers,
        is_complete=row.is_complete,
        channel=row.channel,
        started_at=row.started_at,
        completed_at=row.completed_at,
    )


def submit_response(
    db: Database, *, workspace_id: uuid.UUID, data: ResponseIn
) -> tuple[ResponseView, bool]:
    """Save a page of answers (or the last one, with ``complete``); ``(response, created)``."""
    touchpoint_id = surveys.resolve_touchpoint(db, workspace_id, data.touchpoint)
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, data.id)
        created = row is None
        if row is None:
            row = _new_row(session, workspace_id, data, touchpoint_id)
        elif row.is_complete:
            return _view(session, row), False
        definition = surveys.version_by_id(session, row.survey_version_id)[1].definition
        answers = {**row.answers, **data.answers}
        _check(definition, answers, data.complete)
        row.answers = answers
        if data.complete:
            row.is_complete = True
            row.completed_at = utcnow()
            session.flush()
            _write_facts(session, row, definition)
        session.flush()
        return _view(session, row), created


def get_response(db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID) -> ResponseView:
    """One response, by the id its client gave it."""
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, response_id)
        if row is None:
            raise NotFound(f"There is no response {response_id} in this workspace.")
        return _view(session, row)


def metric_facts(
    db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID
) -> list[dict[str, Any]]:
    """The metric facts of a response, by the id its client gave it (empty if unknown)."""
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, response_id)
        facts = repo.metric_facts_of(session, row.id) if row else []
        return [
            {"question_id": f.question_id, "metric": f.metric, "value": f.value, "day": f.day}
            for f in facts
        ]
