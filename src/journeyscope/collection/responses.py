"""Survey responses, saved page by page under the client's UUID.

Each save is checked against the survey version the response answers; completion turns the
score answers into metric facts, counts them into the analytics rollups and queues the open-text
answers for the worker's analysis (``verbatims``), in the same transaction.

A resend (same ``id``) is never stored twice: before completion it merges the answers again,
after completion it answers the stored response unchanged. Two first saves racing on one id
meet the unique constraint; the loser retries once and merges into the winner's row.

Saves read and write plain column values with Core statements built once (a first save is
one SELECT and two INSERTs, the response and its facts): loading and flushing ORM objects
cost several times the database work of ``POST /v1/responses`` (bench/requests.py).

The API (``submit_response``, authenticated, survey by key) and the public doors
(``submit_public``: hosted pages, widget, kiosk; survey by public id) share one core.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope import analytics, surveys, verbatims
from journeyscope.collection import repo
from journeyscope.collection.models import (
    PublicResponseIn,
    ResponseIn,
    ResponseMetadata,
    ResponseRecord,
    ResponseView,
)
from journeyscope.errors import Conflict, InvalidInput, NotFound
from journeyscope.journey import Channel
from journeyscope.store import Database, deferred_writes, new_id
from journeyscope.surveys import AnsweredVersion, PublishedSurvey, SurveyDefinition

_METADATA = set(ResponseMetadata.model_fields)
NewRow = Callable[[Session], dict[str, Any]]
"""The columns of a new response that depend on the door (survey, contact, channel, ...)."""


def _contact_id(
    session: Session, workspace_id: uuid.UUID, external_id: str | None, *, strict: bool = True
) -> uuid.UUID | None:
    if external_id is None:
        return None
    found = repo.contact_ids_by_external_id(session, workspace_id, [external_id])
    if external_id not in found and strict:
        raise NotFound(
            f"There is no contact with external_id {external_id!r}.",
            field="contact_external_id",
            hint="create it first with POST /v1/contacts/upsert",
        )
    return found.get(external_id)


def _check(definition: SurveyDefinition, answers: dict[str, Any], complete: bool) -> None:
    problems = surveys.check_answers(definition, answers, complete=complete)
    if problems:
        raise InvalidInput("Some answers cannot be accepted; nothing was saved.", problems=problems)


def fact_rows(row: Mapping[str, Any], definition: SurveyDefinition) -> list[dict[str, Any]]:
    """The metric fact rows of one completed response (``row``: its columns)."""
    day = row["completed_at"].date()
    return [
        {
            "id": new_id(),
            "workspace_id": row["workspace_id"],
            "response_id": row["id"],
            "survey_id": row["survey_id"],
            "question_id": fact.question_id,
            "metric": fact.metric.value,
            "value": fact.value,
            "scale_min": fact.low,
            "scale_max": fact.high,
            "touchpoint_id": row["touchpoint_id"],
            "channel": row["channel"],
            "day": day,
        }
        for fact in surveys.score_facts(definition, row["answers"])
    ]


def write_facts(
    session: Session, completed: Sequence[tuple[Mapping[str, Any], SurveyDefinition]]
) -> None:
    """Write the metric facts of newly completed responses: the one way facts are stored.

    Every door's completion and bulk loads of past responses (:mod:`.imports`) come here, in
    the transaction that stores the responses, so whatever must follow a fact follows it
    whichever way the response arrived.
    """
    facts = [fact for row, definition in completed for fact in fact_rows(row, definition)]
    # Nothing reads these rows back in the transaction: on PostgreSQL they go in as one
    # statement (store.deferred_writes), with the response when the caller defers it too.
    with deferred_writes(session):
        repo.insert_metric_facts(session, facts)
        # The rollups count the facts and the contacts' segment values are snapshotted here,
        # so the dashboards never lag behind a committed completion; open-text answers are
        # queued for the worker's analysis.
        analytics.record_completed(session, [row for row, _ in completed], facts)
        verbatims.queue_verbatims(
            session,
            [(definition, row["answers"], _completed(row)) for row, definition in completed],
        )


def _completed(row: Mapping[str, Any]) -> verbatims.CompletedResponse:
    return verbatims.CompletedResponse(
        row["id"], row["workspace_id"], row["touchpoint_id"], row["completed_at"]
    )


def _view(row: Mapping[str, Any], answered: AnsweredVersion) -> ResponseView:
    return ResponseView(
        id=row["client_id"],
        survey_key=answered.survey_key,
        version=answered.number,
        answers=row["answers"],
        is_complete=row["is_complete"],
        channel=row["channel"],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
    )


@dataclass(frozen=True, slots=True)
class _Submission:
    """One save, whichever door it came through; ``new_row`` makes the row on a first save."""

    workspace_id: uuid.UUID
    client_id: uuid.UUID
    survey_key: str
    answers: dict[str, Any]
    complete: bool
    new_row: NewRow


def _save(db: Database, sub: _Submission) -> tuple[ResponseView, bool]:
    with db.transaction() as session:
        row = repo.get_response(session, sub.workspace_id, sub.client_id)
        now = db.clock.now()
        if row is None:
            return _create(session, sub, now), True
        answered = surveys.version_by_id(session, row["survey_version_id"])
        if row["is_complete"]:
            return _view(row, answered), False
        _check_survey(answered, sub)
        merged = {**row["answers"], **sub.answers}
        _check(answered.definition, merged, sub.complete)
        # never before it started, even from a server whose clock is behind the first one's
        now = max(now, row["started_at"])
        changes: dict[str, Any] = {"answers": merged, "updated_at": now}
        if sub.complete:
            changes |= {"is_complete": True, "completed_at": now}
        repo.update_response(session, row["id"], changes)
        saved = {**row, **changes}
        if sub.complete:
            write_facts(session, [(saved, answered.definition)])
        return _view(saved, answered), False


def _create(session: Session, sub: _Submission, now: dt.datetime) -> ResponseView:
    """A first save at ``now``: checked, then written with Core INSERTs (no ORM objects)."""
    row = sub.new_row(session)
    answered = surveys.version_by_id(session, row["survey_version_id"])
    _check_survey(answered, sub)
    _check(answered.definition, sub.answers, sub.complete)
    row |= {
        "id": new_id(),
        "workspace_id": sub.workspace_id,
        "client_id": sub.client_id,
        "answers": sub.answers,
        "is_complete": sub.complete,
        "started_at": now,
        "updated_at": now,
        "completed_at": now if sub.complete else None,
    }
    with deferred_writes(session):  # the response, its facts and their followers: one statement
        repo.insert_response(session, row)
        if sub.complete:
            write_facts(session, [(row, answered.definition)])
    return _view(row, answered)


def _check_survey(answered: AnsweredVersion, sub: _Submission) -> None:
    if answered.survey_key != sub.survey_key:
        raise Conflict(
            f"Response {sub.client_id} answers another survey ({answered.survey_key!r}).",
            field="id",
            hint="make a new UUID for each response",
        )


def _save_retrying(db: Database, sub: _Submission) -> tuple[ResponseView, bool]:
    try:
        return _save(db, sub)
    except IntegrityError:  # another request created this id between our read and insert
        return _save(db, sub)


def submit_response(
    db: Database, *, workspace_id: uuid.UUID, data: ResponseIn
) -> tuple[ResponseView, bool]:
    """Save a page of answers (or the last one, with ``complete``); ``(response, created)``."""
    touchpoint_id = surveys.resolve_touchpoint(db, workspace_id, data.touchpoint)

    def new_row(session: Session) -> dict[str, Any]:
        resolved = surveys.resolve_version(
            session, workspace_id=workspace_id, key=data.survey_key, number=data.version
        )
        return {
            "survey_id": resolved.version.survey_id,
            "survey_version_id": resolved.version.version_id,
            "contact_id": _contact_id(session, workspace_id, data.contact_external_id),
            "touchpoint_id": touchpoint_id or resolved.touchpoint_id,
            "channel": data.channel.value,
            **data.model_dump(include=_METADATA),
        }

    return _save_retrying(
        db,
        _Submission(workspace_id, data.id, data.survey_key, data.answers, data.complete, new_row),
    )


def submit_public(
    db: Database,
    survey: PublishedSurvey,
    data: PublicResponseIn,
    *,
    channel: Channel,
    contact_id: uuid.UUID | None = None,
) -> tuple[ResponseView, bool]:
    """Save answers from a public door (hosted page, widget, kiosk) to a published survey.

    The respondent names no workspace and holds no key: ``survey`` came from a public id or
    a signed token. A contact comes from a token (``contact_id``) or, unverified, from the
    widget's ``identify()``; an unknown external id is ignored rather than created, so the
    public cannot add contacts.
    """

    def new_row(session: Session) -> dict[str, Any]:
        claimed = _contact_id(session, survey.workspace_id, data.contact_external_id, strict=False)
        return {
            "survey_id": survey.survey_id,
            "survey_version_id": survey.version_id,
            "contact_id": contact_id or claimed,
            "touchpoint_id": survey.touchpoint_id,
            "channel": channel.value,
            **data.model_dump(include=_METADATA),
        }

    return _save_retrying(
        db,
        _Submission(survey.workspace_id, data.id, survey.key, data.answers, data.complete, new_row),
    )


def get_response(db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID) -> ResponseView:
    """One response, by the id its client gave it."""
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, response_id)
        if row is None:
            raise NotFound(f"There is no response {response_id} in this workspace.")
        return _view(row, surveys.version_by_id(session, row["survey_version_id"]))


def response_record(
    db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID
) -> ResponseRecord:
    """One response with its touchpoint and its open-text answers' analysis (the pages' view).

    Raises:
        NotFound: No response with this id in this workspace.
    """
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, response_id)
        if row is None:
            raise NotFound(f"There is no response {response_id} in this workspace.")
        view = _view(row, surveys.version_by_id(session, row["survey_version_id"]))
        point = (
            None
            if row["touchpoint_id"] is None
            else repo.touchpoint_of(session, row["touchpoint_id"])
        )
    found = verbatims.response_verbatims(db, workspace_id=workspace_id, response_id=row["id"])
    return ResponseRecord(
        response=view,
        touchpoint=None if point is None else point[0],
        touchpoint_name=None if point is None else point[1],
        journey_key=None if point is None else point[2],
        locale=row["locale"],
        device_class=row["device_class"],
        verbatims=found,
    )


def find_response(
    db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID
) -> ResponseView | None:
    """A response if it exists (hosted pages resume from it), else ``None``."""
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, response_id)
        if row is None:
            return None
        return _view(row, surveys.version_by_id(session, row["survey_version_id"]))


def metric_facts(
    db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID
) -> list[dict[str, Any]]:
    """The metric facts of a response, by the id its client gave it (empty if unknown)."""
    with db.transaction() as session:
        row = repo.get_response(session, workspace_id, response_id)
        facts = repo.metric_facts_of(session, row["id"]) if row else []
        return [
            {"question_id": f.question_id, "metric": f.metric, "value": f.value, "day": f.day}
            for f in facts
        ]
