"""The published version a response answers, read on every response save.

Published versions never change, so their parsed definitions are cached by version id in the
process: a save reads one survey row and one version id, not the whole definition again.
(Survey keys never change either, so the key is cached with it.) The cache is bounded and only
ever holds immutable data, so several processes each holding their own copy never disagree.
"""

from __future__ import annotations

import functools
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from journeyscope.errors import Conflict, NotFound
from journeyscope.store import tables
from journeyscope.surveys.models import SurveyDefinition

_CACHE_SIZE = 4096
_cache: dict[uuid.UUID, AnsweredVersion] = {}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class AnsweredVersion:
    """What a response needs from the (frozen) survey version it answers."""

    survey_id: uuid.UUID
    survey_key: str
    version_id: uuid.UUID
    number: int
    definition: SurveyDefinition


@dataclass(frozen=True, slots=True)
class ResolvedVersion:
    """The version a new response will answer, and the survey's touchpoint right now."""

    version: AnsweredVersion
    touchpoint_id: uuid.UUID | None


def cached_version(version_id: uuid.UUID) -> AnsweredVersion | None:
    """The frozen version ``version_id`` if this process has parsed it already."""
    return _cache.get(version_id)


def version_by_id(session: Session, version_id: uuid.UUID) -> AnsweredVersion:
    """The frozen version ``version_id``, from the cache or the database."""
    found = _cache.get(version_id)
    if found is not None:
        return found
    stmt = (
        select(tables.SurveyVersion, tables.Survey.key)
        .join(tables.Survey, tables.Survey.id == tables.SurveyVersion.survey_id)
        .where(tables.SurveyVersion.id == version_id)
    )
    row = session.execute(stmt).first()
    if row is None:  # pragma: no cover - guaranteed by foreign keys
        raise NotFound(f"Survey version {version_id} is gone.")
    version, key = row
    answered = AnsweredVersion(
        survey_id=version.survey_id,
        survey_key=key,
        version_id=version.id,
        number=version.number,
        definition=SurveyDefinition.model_validate(version.definition),
    )
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[version_id] = answered
    return answered


@functools.cache
def _version_of_key(numbered: bool) -> Select[*tuple[Any, ...]]:
    """The survey and the version a new response answers, in one round trip (built once)."""
    version: Any = tables.SurveyVersion.__table__
    survey: Any = tables.Survey.__table__
    number = bindparam("number") if numbered else survey.c.published_version
    return (
        select(survey.c.id, survey.c.published_version, survey.c.touchpoint_id, version.c.id)
        .select_from(survey)
        .outerjoin(version, (version.c.survey_id == survey.c.id) & (version.c.number == number))
        .where(survey.c.workspace_id == bindparam("workspace_id"), survey.c.key == bindparam("key"))
    )


def resolve_version(
    session: Session, *, workspace_id: uuid.UUID, key: str, number: int | None
) -> ResolvedVersion:
    """Version ``number`` of survey ``key`` (default: the latest published).

    It runs inside the caller's transaction, so a response and its version are read and
    written together.
    """
    params: dict[str, Any] = {"workspace_id": workspace_id, "key": key}
    if number is not None:
        params["number"] = number
    found = session.execute(_version_of_key(number is not None), params).first()
    if found is None:
        raise NotFound(
            f"There is no survey {key!r} in this workspace.",
            hint="list surveys with GET /v1/surveys",
        )
    touchpoint_id, version_id = found[2], found[3]
    if version_id is None:
        asked = number or found[1]
        raise Conflict(
            f"Survey {key!r} has no published version{f' {asked}' if asked else ''}.",
            field="version",
            hint=f"publish it first: POST /v1/surveys/{key}/publish",
        )
    return ResolvedVersion(version_by_id(session, version_id), touchpoint_id)
