"""Published surveys as the public doors find them: by public link, by kiosk, by invitation.

A respondent's browser knows no workspace and no API key; it knows a public id from a link.
These lookups turn that id into the workspace, the survey and its latest published version,
and refuse (404) anything unpublished or archived, so a draft is never shown to the public.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, bindparam, select

from journeyscope.errors import NotFound
from journeyscope.journey import Channel
from journeyscope.store import Database, tables
from journeyscope.surveys.models import SurveyDefinition
from journeyscope.surveys.targeting import Targeting
from journeyscope.surveys.versions import cached_version, version_by_id


@dataclass(frozen=True, slots=True)
class PublishedSurvey:
    """A survey's latest published version and where it is asked."""

    workspace_id: uuid.UUID
    survey_id: uuid.UUID
    key: str
    name: str
    public_id: str
    version: int
    version_id: uuid.UUID
    definition: SurveyDefinition
    targeting: Targeting
    touchpoint_id: uuid.UUID | None
    touchpoint_channel: Channel | None


_SURVEY: Any = tables.Survey.__table__
_VERSION: Any = tables.SurveyVersion.__table__
_TOUCHPOINT: Any = tables.Touchpoint.__table__


def _open_surveys() -> Select[Any]:
    """Published, unarchived surveys with their latest version id and touchpoint channel.

    The lookups below build their statement once (``functools.cache``) and bind values per
    call: every hosted page view runs one, and building it cost more than running it.
    """
    survey, version, point = _SURVEY.c, _VERSION.c, _TOUCHPOINT.c
    return (
        select(
            survey.workspace_id,
            survey.id,
            survey.key,
            survey.name,
            survey.public_id,
            survey.targeting,
            survey.touchpoint_id,
            version.id.label("version_id"),
            point.channel,
        )
        .select_from(_SURVEY)
        .join(
            _VERSION,
            (version.survey_id == survey.id) & (version.number == survey.published_version),
        )
        .outerjoin(_TOUCHPOINT, point.id == survey.touchpoint_id)
        .where(survey.archived_at.is_(None))
    )


@functools.cache
def _by_public_id() -> Select[Any]:
    return _open_surveys().where(_SURVEY.c.public_id == bindparam("public_id")).limit(1)


@functools.cache
def _by_id() -> Select[Any]:
    survey = tables.Survey
    return (
        _open_surveys()
        .where(
            survey.id == bindparam("survey_id"), survey.workspace_id == bindparam("workspace_id")
        )
        .limit(1)
    )


@functools.cache
def _by_key() -> Select[Any]:
    survey = _SURVEY.c
    return (
        _open_surveys()
        .where(survey.workspace_id == bindparam("workspace_id"), survey.key == bindparam("key"))
        .limit(1)
    )


@functools.cache
def _at_touchpoint() -> Select[Any]:
    return (
        _open_surveys()
        .where(_TOUCHPOINT.c.public_id == bindparam("public_id"))
        .order_by(_SURVEY.c.updated_at.desc(), _SURVEY.c.id.desc())
        .limit(1)
    )


def _one(db: Database, stmt: Select[Any], params: dict[str, Any], missing: str) -> PublishedSurvey:
    """The first row of ``stmt`` as a published survey: one query, the definition cached.

    The lookup runs outside a transaction (:meth:`Database.read`); only a version this
    process has not parsed yet is read in one.
    """
    with db.read() as connection:
        row = connection.execute(stmt, params).first()
    if row is None:
        raise NotFound(missing)
    version = cached_version(row.version_id)
    if version is None:
        with db.transaction() as session:
            version = version_by_id(session, row.version_id)  # parsed once per process
    return PublishedSurvey(
        workspace_id=row.workspace_id,
        survey_id=row.id,
        key=row.key,
        name=row.name,
        public_id=row.public_id,
        version=version.number,
        version_id=version.version_id,
        definition=version.definition,
        targeting=Targeting.model_validate(row.targeting),
        touchpoint_id=row.touchpoint_id,
        touchpoint_channel=Channel(row.channel) if row.channel else None,
    )


_CLOSED = "This survey does not exist or is not open."


def published_by_public_id(db: Database, public_id: str) -> PublishedSurvey:
    """The survey behind a public link ``/s/{public_id}``."""
    return _one(db, _by_public_id(), {"public_id": public_id}, _CLOSED)


def published_by_id(db: Database, workspace_id: uuid.UUID, survey_id: uuid.UUID) -> PublishedSurvey:
    """The survey an invitation token names (the token carries the workspace)."""
    return _one(db, _by_id(), {"survey_id": survey_id, "workspace_id": workspace_id}, _CLOSED)


def published_by_key(db: Database, workspace_id: uuid.UUID, key: str) -> PublishedSurvey:
    """The workspace's survey ``key`` if it is open; else a 404 that says how to open it."""
    try:
        return _one(db, _by_key(), {"workspace_id": workspace_id, "key": key}, _CLOSED)
    except NotFound:
        raise NotFound(
            f"Survey {key!r} does not exist or is not published.",
            field="survey_key",
            hint=f"publish it first: POST /v1/surveys/{key}/publish "
            f"(or journeyscope survey publish {key})",
        ) from None


def at_version(db: Database, survey: PublishedSurvey, number: int) -> PublishedSurvey:
    """``survey`` as its earlier published version ``number`` (what an offline client showed).

    Answers queued by a kiosk while the survey was republished are checked against the version
    the respondent saw, not the newest one.
    """
    if number == survey.version:
        return survey
    with db.transaction() as session:
        version_id = session.scalar(
            select(tables.SurveyVersion.id).where(
                tables.SurveyVersion.survey_id == survey.survey_id,
                tables.SurveyVersion.number == number,
            )
        )
        if version_id is None:
            raise NotFound(f"The survey has no published version {number}.", field="version")
        version = version_by_id(session, version_id)
    return replace(survey, version=number, version_id=version_id, definition=version.definition)


def published_at_touchpoint(db: Database, touchpoint_public_id: str) -> PublishedSurvey:
    """The survey a kiosk at a touchpoint shows: the most recently updated published one."""
    missing = "No published survey is attached to this touchpoint."
    return _one(db, _at_touchpoint(), {"public_id": touchpoint_public_id}, missing)
