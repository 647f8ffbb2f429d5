"""The signed-in journey pages: ``/app/journeys`` (the list) and ``/app/journeys/{key}/map``.

A thin door over ``maps.journey_map``: every viewer of the workspace may read them
(``signed_in.require_role``), and every call passes ``person.workspace.id``, so another
workspace's journey is simply not found. The page is server-rendered HTML without script:
figures in a table, the two emotion curves as inline SVG (``map_chart.py``), every number
with its ``n``, interval and method in its title and "too few" where the minimum is not met.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from journeyscope import journey, maps
from journeyscope.analytics import Estimate
from journeyscope.errors import JourneyscopeError
from journeyscope.journey import KEY_PATTERN
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.map_chart import describe, feeling_chart
from journeyscope.web.pages.signed_in import Viewer, page_context

router = APIRouter(include_in_schema=False)
SEGMENT_VALUE = Annotated[str | None, Query(max_length=200)]


@router.get("/app/journeys")
def journeys_page(request: Request, person: Viewer) -> Response:
    """The workspace's journeys, each with a link to its map."""
    page = journey.list_journeys(request.app.state.db, workspace_id=person.workspace.id, limit=200)
    context = page_context(person, journeys=page.items)
    return secure(templates.TemplateResponse(request, "app/journeys.html", context))


@router.get("/app/journeys/{key}/map")
def map_page(
    request: Request,
    person: Viewer,
    key: Annotated[str, Path(pattern=KEY_PATTERN)],
    since: Annotated[dt.date | None, Query()] = None,
    until: Annotated[dt.date | None, Query()] = None,
    channel: Annotated[str | None, Query(max_length=20)] = None,
    segment: Annotated[str | None, Query(max_length=63)] = None,
    value: SEGMENT_VALUE = None,
) -> Response:
    """One journey's map for a period, optionally one channel and one segment value."""
    filters: dict[str, list[str]] = {}
    if channel:
        filters["channel"] = [channel]
    if segment and value:
        filters[f"segment:{segment}"] = [value]
    try:
        journey_map = maps.journey_map(
            request.app.state.db,
            workspace_id=person.workspace.id,
            journey_key=key,
            since=since,
            until=until,
            filters=filters,
        )
    except JourneyscopeError as exc:
        context = page_context(person, heading="No map", text=exc.message)
        page = templates.TemplateResponse(
            request, "app/refused.html", context, status_code=exc.status
        )
        return secure(page)
    context = page_context(
        person,
        map=journey_map,
        chart=feeling_chart(journey_map.stages),
        describe=describe,
        shown=shown,
        explained=explained,
        rate_shown=rate_shown,
        rate_explained=rate_explained,
        channels=[c.value for c in journey.Channel],
        chosen={"channel": channel, "segment": segment, "value": value},
        segments=person.workspace.segments,
    )
    return secure(templates.TemplateResponse(request, "app/map.html", context))


def shown(metric: str, estimate: Estimate) -> str:
    """A metric as people read it: NPS -100…100, CSAT as a percentage, CES as a mean."""
    if estimate.value is None:
        return "too few"
    if metric == "nps":
        return f"{estimate.value * 100:+.0f}"
    if metric == "csat":
        return f"{estimate.value:.0%}"
    return f"{estimate.value:.1f}"


def explained(metric: str, estimate: Estimate) -> str:
    """What a shown metric is: its interval, ``n`` and method (the cell's hover text)."""
    if estimate.value is None or estimate.low is None or estimate.high is None:
        return f"too few responses: n={estimate.n}, at least {estimate.min_n} needed"
    interval = f"{shown(metric, _at(estimate, estimate.low))} to "
    interval += shown(metric, _at(estimate, estimate.high))
    return f"{estimate.confidence:.0%} interval {interval}, n={estimate.n}, {estimate.method}"


def _at(estimate: Estimate, value: float) -> Estimate:
    return Estimate(value, value, value, estimate.n, estimate.method, estimate.confidence)


def rate_shown(rate: maps.ResponseRate) -> str:
    """A response rate as a percentage, or "too few" below the minimum invitations sent."""
    if rate.rate.value is None:
        return "too few" if rate.sent else "no invitations"
    return f"{rate.rate.value:.0%}"


def rate_explained(rate: maps.ResponseRate) -> str:
    """What a response rate is: completed of sent, its interval and method (hover text)."""
    counts = f"{rate.completed} completed of {rate.sent} sent ({rate.invited} invited)"
    e = rate.rate
    if e.value is None or e.low is None or e.high is None:
        return f"{counts}; too few sent for a rate: at least {e.min_n} needed"
    interval = f"{e.confidence:.0%} interval {e.low:.0%} to {e.high:.0%}"
    return f"{counts}; {interval}, n={e.n}, {e.method}"
