"""`/v1/changes`: the level shifts the worker's change-detection pass found, per touchpoint.

A thin door over ``analytics.list_changes``: the changes are computed by the worker on a
schedule (``CHANGES_INTERVAL_SECONDS``, hourly by default) from the rollups, never on the
request, so a shift shows here at most one interval after the answers that show it complete.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import analytics
from journeyscope.journey import KEY_PATTERN
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListPage

router = APIRouter(tags=["analytics"], responses=PROBLEM_RESPONSES)


class ChangeView(BaseModel):
    """One level shift: where, when it started, how big (with its interval) and how sure."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: uuid.UUID = Field(description="Replaced each pass: not stable across passes.")
    journey: str
    stage: str = Field(description="The touchpoint's stage now (derived when read).")
    touchpoint: str
    metric: Literal["nps", "csat", "ces"]
    statistic: Literal["nps", "top2", "mean"] = Field(
        description="What the daily series held: NPS on -1…1, a top-2-box share, a mean."
    )
    started_on: dt.date = Field(description="The first UTC day at the new level.")
    direction: Literal["up", "down"]
    size: float = Field(description="After - before (deseasonalised), in the statistic's units.")
    low: float = Field(description="Lower confidence limit of size.")
    high: float = Field(description="Upper confidence limit of size.")
    before: float
    after: float
    p_value: float = Field(description="How sure: scan-adjusted, small is sure.")
    n_before: int = Field(description="Answers behind `before`.")
    n_after: int = Field(description="Answers behind `after`.")
    is_recent: bool = Field(description="Found by the online check of the last four weeks.")
    confidence: float
    detected_at: dt.datetime = Field(description="When a pass first reported it.")


@router.get("/v1/changes")
def list_changes(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey: Annotated[
        str | None, Query(pattern=KEY_PATTERN, description="Only this journey's touchpoints.")
    ] = None,
    metric: Annotated[
        Literal["nps", "csat", "ces"] | None, Query(description="Only this metric.")
    ] = None,
    since: Annotated[
        dt.date | None, Query(description="Only changes that started on or after this UTC day.")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> ListPage[ChangeView]:
    """The current level shifts in each touchpoint's daily NPS, CSAT (top-2-box) and CES.

    Found by the worker's change-detection pass (hourly by default) over the rollups, with
    weekly and yearly seasons removed and the false discovery rate held across all of the
    workspace's series. Each change says where (journey, stage, touchpoint, metric), when it
    started, its size with its interval, its p-value and when it was first detected. 404 for
    an unknown journey; 422 (problem+json) naming a bad parameter.
    """
    page = analytics.list_changes(
        db,
        workspace_id=workspace_id,
        journey=journey,
        metric=metric,
        since=since,
        cursor=cursor,
        limit=limit,
    )
    return ListPage(
        data=[ChangeView.model_validate(c) for c in page.items], next_cursor=page.next_cursor
    )
