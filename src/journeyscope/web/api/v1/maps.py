"""`/v1/journeys/{key}/map`: the journey map as data — the model the exports and pages read.

A thin door over ``maps.journey_map``: stages in order with their touchpoints, metrics
(estimate, interval, n, trend), the survey and interview emotion curves, evidence with the
quotes behind it, and the changes detected on each touchpoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from journeyscope import analytics, maps
from journeyscope.journey import KEY_PATTERN
from journeyscope.web.api.v1.metrics import Confidence, MinN, parse_filters
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(tags=["journey map"], responses=PROBLEM_RESPONSES)

MAP_FILTER = (
    r"^(channel|survey|language|device_class|segment:[A-Za-z0-9_][A-Za-z0-9_.-]{0,62})=.{1,200}$"
)

COMPARE_SEGMENT = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}=.{1,200}$"

MapFilters = Annotated[
    list[Annotated[str, Query(pattern=MAP_FILTER)]],
    Query(max_length=20, description="`dimension=value` (repeatable; values of one dimension "
          "are alternatives): channel, survey, language, device_class or "
          "segment:<attribute>, e.g. `segment:tier=gold`. Applies to the survey metrics and "
          "curve."),
]  # fmt: skip


@router.get("/v1/journeys/{key}/map")
def get_journey_map(
    db: DbDep,
    workspace_id: WorkspaceDep,
    key: Annotated[str, Path(pattern=KEY_PATTERN, description="The journey's key.")],
    since: Annotated[
        dt.date | None, Query(description="First UTC day included; default: 90 days back.")
    ] = None,
    until: Annotated[
        dt.date | None, Query(description="First UTC day left out; default: tomorrow.")
    ] = None,
    filter: MapFilters = [],  # noqa: B006 - the query parameter's name; FastAPI copies it
    confidence: Confidence = 0.95,
    min_n: MinN = analytics.DEFAULT_MIN_N,
    compare: Annotated[
        Literal["previous"] | None,
        Query(
            description="`previous`: also the previous period of equal length, with the "
            "difference per stage."
        ),
    ] = None,
    compare_segment: Annotated[
        str | None,
        Query(
            pattern=COMPARE_SEGMENT,
            description="`attribute=value`: also this segment "
            "value (in place of the `segment:<attribute>` filter, if any), with the "
            "difference per stage, e.g. `filter=segment:tier=gold&compare_segment=tier=silver`.",
        ),
    ] = None,
) -> maps.JourneyMap:
    """The journey map: every stage with its touchpoints, metrics, feelings and evidence.

    Per stage and touchpoint: NPS, CSAT (top-2-box) and CES with interval, `n` and a weekly
    trend (monthly beyond 190 days); below `min_n` a value is null and only `n` is given.
    Two emotion curves on -1…1: `survey_feeling` (NPS, else CSAT as 2p-1) and
    `interview_feeling` (customer turns' valence; across interviews when there are two or
    more). Evidence (pain points, bright spots, opportunities, churn risks) quotes interview
    turns (`interview_id`, `position`) and survey verbatims (`response_id`). `changes` are
    the last change-detection pass's. `response_rate` per stage and touchpoint: invitations
    planned in the period, sent, completed, and completed/sent with its Wilson interval.
    With `compare=previous` or `compare_segment`, `comparison` gives each stage's NPS, CSAT
    and CES on both sides and the difference (other minus base) with its interval and
    p-value. 404 for an unknown journey; 422 for an empty period, a filter a map cannot
    take, or both comparisons at once.
    """
    segment = _compare_segment(compare_segment)
    return maps.journey_map(
        db,
        workspace_id=workspace_id,
        journey_key=key,
        since=since,
        until=until,
        filters=parse_filters(filter),
        confidence=confidence,
        min_n=min_n,
        compare=compare or ("segment" if segment else None),
        compare_filters=segment,
    )


def _compare_segment(value: str | None) -> dict[str, list[str]] | None:
    if value is None:
        return None
    attribute, _, chosen = value.partition("=")
    return {f"segment:{attribute}": [chosen]}
