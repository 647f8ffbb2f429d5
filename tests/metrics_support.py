"""A two-stage journey, a survey at each touchpoint, and completed responses on a clock."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from factories import Tenant
from journeyscope import collection, workspaces
from journeyscope.collection import ContactIn, ResponseIn
from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.store import Database
from journeyscope.surveys import SurveyCreate, TouchpointRef, create_survey, publish_survey
from journeyscope.workspaces import WorkspaceChanges

START = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
"""A Monday: ISO week 2026-W10 starts here."""
JOURNEY: dict[str, Any] = {
    "key": "retail",
    "name": "Retail",
    "stages": [
        {
            "key": "buy",
            "name": "Buy",
            "touchpoints": [{"key": "till", "name": "Till", "channel": "onsite"}],
        },
        {
            "key": "care",
            "name": "Care",
            "touchpoints": [{"key": "call", "name": "Call", "channel": "call_center"}],
        },
    ],
}
SCORES: dict[str, Any] = {
    "title": "Scores",
    "pages": [
        {
            "id": "p",
            "questions": [
                {"id": "nps", "type": "nps", "text": "Recommend us?", "required": True},
                {"id": "sat", "type": "csat", "text": "Satisfied?"},
            ],
        }
    ],
}


def make_journey(db: Database, tenant: Tenant) -> None:
    """The journey, with survey ``visit`` at the till and ``care`` at the call."""
    apply_journey(db, workspace_id=tenant.id, spec=JourneySpec.model_validate(JOURNEY))
    for key, touchpoint in (("visit", "till"), ("care", "call")):
        data = {
            "key": key,
            "name": key.title(),
            "definition": SCORES,
            "touchpoint": TouchpointRef(journey_key="retail", touchpoint_key=touchpoint),
        }
        create_survey(db, workspace_id=tenant.id, data=SurveyCreate.model_validate(data))
        publish_survey(db, workspace_id=tenant.id, key=key)


def complete(
    db: Database,
    tenant: Tenant,
    nps: int,
    *,
    survey: str = "visit",
    sat: int | None = None,
    contact: str | None = None,
    **metadata: Any,
) -> None:
    """Complete one response in one save."""
    answers = {"nps": nps} | ({} if sat is None else {"sat": sat})
    data = ResponseIn.model_validate(
        {
            "id": uuid.uuid4(),
            "survey_key": survey,
            "channel": "onsite",
            "answers": answers,
            "complete": True,
            "contact_external_id": contact,
            **metadata,
        }
    )
    collection.submit_response(db, workspace_id=tenant.id, data=data)


def declare_segments(db: Database, tenant: Tenant, *names: str) -> None:
    """Make ``names`` the workspace's segments."""
    changes = WorkspaceChanges(segments=list(names))
    workspaces.set_contact_limits(db, workspace_id=tenant.id, limits=changes)


def set_attributes(db: Database, tenant: Tenant, external_id: str, **attributes: Any) -> None:
    """Create or update a contact with these attributes (merged)."""
    data = ContactIn(external_id=external_id, attributes=attributes)
    collection.upsert_contact(db, workspace_id=tenant.id, data=data)


def plant_daily_nps(
    db: Database,
    tenant: Tenant,
    *,
    days: int,
    drop_after: int | None = None,
    touchpoint: str = "till",
    per_day: int = 80,
    seed: int = 1,
) -> None:
    """Count ``days`` days of NPS answers at ``touchpoint`` into the rollups, ending today.

    Through the analytics rollup API (``record_completed``, as a completion does), without
    writing responses: each day draws ``per_day`` scores (50% promoters, 30% passives, 20%
    detractors: NPS 0.30); from day ``drop_after`` on, 35/30/35 (NPS 0.00).
    """
    import numpy as np
    from sqlalchemy import select

    from journeyscope.analytics import record_completed
    from journeyscope.store import tables

    rng = np.random.default_rng(seed)
    today = db.clock.now().date()
    with db.transaction() as session:
        point = session.scalar(
            select(tables.Touchpoint.id).where(
                tables.Touchpoint.workspace_id == tenant.id, tables.Touchpoint.key == touchpoint
            )
        )
        survey = session.scalar(
            select(tables.Survey.id).where(tables.Survey.workspace_id == tenant.id)
        )
        responses, facts = [], []
        for i in range(days):
            shares = (
                (0.35, 0.30, 0.35)
                if drop_after is not None and i >= drop_after
                else (0.2, 0.3, 0.5)
            )
            for part, count in zip((2, 7, 10), rng.multinomial(per_day, shares), strict=True):
                for _ in range(int(count)):
                    rid = uuid.uuid4()
                    responses.append({"id": rid, "workspace_id": tenant.id, "contact_id": None})
                    facts.append(
                        {
                            "response_id": rid,
                            "workspace_id": tenant.id,
                            "day": today - dt.timedelta(days=days - 1 - i),
                            "touchpoint_id": point,
                            "channel": "onsite",
                            "survey_id": survey,
                            "question_id": "nps",
                            "metric": "nps",
                            "scale_min": 0,
                            "scale_max": 10,
                            "value": part,
                        }
                    )
        record_completed(session, responses, facts)
