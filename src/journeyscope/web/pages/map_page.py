"""The signed-in journey pages: ``/app/journeys`` (the list) and ``/app/journeys/{key}/map``.

A thin door over ``maps.journey_map``: every viewer of the workspace may read them
(``signed_in.require_role``), and every call passes ``person.workspace.id``, so another
workspace's journey is simply not found. The page is server-rendered HTML without script:
figures in a table, the two emotion curves as inline SVG (``map_chart.py``), every number
with its ``n``, interval and method in its title and "too few" where the minimum is not met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from journeyscope import journey, maps
from journeyscope.analytics import Difference, Estimate
from journeyscope.errors import JourneyscopeError
from journeyscope.journey import KEY_PATTERN
from journeyscope.web.pages import live, templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.map_chart import describe, feeling_chart
from journeyscope.web.pages.signed_in import Viewer, page_context
from journeyscope.workspaces import SignedIn

router = APIRouter(include_in_schema=False)
SEGMENT_VALUE = Annotated[str | None, Query(max_length=200)]


@router.get("/app/journeys")
def journeys_page(request: Request, person: Viewer) -> Response:
    """The workspace's journeys, each with a link to its map."""
    page = journey.list_journeys(request.app.state.db, workspace_id=person.workspace.id, limit=200)
    context = page_context(person, journeys=page.items)
    return secure(templates.TemplateResponse(request, "app/journeys.html", context))


@dataclass(frozen=True, slots=True)
class MapChoice:
    """What the map page and its live part were asked for (the query string)."""

    since: Annotated[dt.date | None, Query()] = None
    until: Annotated[dt.date | None, Query()] = None
    channel: Annotated[str | None, Query(max_length=20)] = None
    segment: Annotated[str | None, Query(max_length=63)] = None
    value: SEGMENT_VALUE = None
    compare: Annotated[Literal["", "previous"], Query()] = ""
    compare_segment: SEGMENT_VALUE = None


Choice = Annotated[MapChoice, Depends()]
Key = Annotated[str, Path(pattern=KEY_PATTERN)]
MAP_URL = "/app/journeys/{key}/map"
TEMPLATE = "app/map.html"


@router.get(MAP_URL)
def map_page(request: Request, person: Viewer, key: Key, choice: Choice) -> Response:
    """One journey's map for a period, optionally one channel and one segment value.

    ``compare=previous`` puts the previous period of equal length beside it;
    ``compare_segment=b`` (with ``segment`` and ``value=a``) puts segment value ``b`` beside
    ``a``: both figures per stage and the difference with its interval and p-value.
    """
    context = _map_context(request, person, key, choice)
    if isinstance(context, Response):
        return context
    url = MAP_URL.format(key=key) + "/live"
    context["live"] = live.parts(request, TEMPLATE, context, {"map": url}, _query(choice))
    return secure(templates.TemplateResponse(request, TEMPLATE, context))


@router.get(MAP_URL + "/live")
def map_fragment(
    request: Request,
    person: Viewer,
    key: Key,
    choice: Choice,
    seen: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The map's live part (curves, table, comparison); 204 while it is still ``seen``.

    Checked like the page: any role, only ``person.workspace.id``'s journeys (another
    workspace's key is not found: 404).
    """
    return live.fragment(
        request,
        template=TEMPLATE,
        part="map",
        url=MAP_URL.format(key=key) + "/live",
        workspace_id=person.workspace.id,
        build=lambda: _map_context(request, person, key, choice),
        query=_query(choice),
    )


def _query(choice: MapChoice) -> dict[str, str]:
    return {k: str(v) for k, v in asdict(choice).items() if v}


def _map_context(
    request: Request, person: SignedIn, key: str, choice: MapChoice
) -> dict[str, Any] | Response:
    """The page's context, or the page saying why there is no map (e.g. 404)."""
    filters: dict[str, list[str]] = {}
    if choice.channel:
        filters["channel"] = [choice.channel]
    if choice.segment and choice.value:
        filters[f"segment:{choice.segment}"] = [choice.value]
    compare_segment, segment = choice.compare_segment, choice.segment
    try:
        journey_map = maps.journey_map(
            request.app.state.db,
            workspace_id=person.workspace.id,
            journey_key=key,
            since=choice.since,
            until=choice.until,
            filters=filters,
            compare=choice.compare or ("segment" if compare_segment else None),
            compare_filters={f"segment:{segment}": [compare_segment]}
            if compare_segment and segment
            else None,
        )
    except JourneyscopeError as exc:
        context = page_context(person, heading="No map", text=exc.message)
        page = templates.TemplateResponse(
            request, "app/refused.html", context, status_code=exc.status
        )
        return secure(page)
    return page_context(
        person,
        map=journey_map,
        chart=feeling_chart(journey_map.stages),
        describe=describe,
        shown=shown,
        explained=explained,
        rate_shown=rate_shown,
        rate_explained=rate_explained,
        channels=[c.value for c in journey.Channel],
        chosen=asdict(choice),
        difference_shown=difference_shown,
        difference_explained=difference_explained,
        difference_interval=difference_interval,
        segments=person.workspace.segments,
        drill_query=urlencode(_query(choice)),  # the page's and its live part's alike
    )


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


def difference_shown(metric: str, d: Difference) -> str:
    """``other - base`` in the metric's shown units: NPS points, CSAT percentage points."""
    if d.value is None:
        return "too few"
    if metric == "nps":
        return f"{d.value * 100:+.0f}"
    if metric == "csat":
        return f"{d.value * 100:+.0f} pts"
    return f"{d.value:+.2f}"


def difference_explained(metric: str, d: Difference) -> str:
    """The difference's interval, p-value and method, or why there is none (hover text)."""
    if d.value is None or d.low is None or d.high is None or d.p_value is None:
        return (
            f"too few responses to compare: n={d.base.n} and n={d.other.n}, "
            f"at least {d.base.min_n} needed on each side"
        )
    return f"{d.confidence:.0%} interval {difference_interval(metric, d)}, {d.method}"


def difference_interval(metric: str, d: Difference) -> str:
    """The difference's interval and p-value, e.g. ``(-3 to +13, p=0.21)``."""
    if d.low is None or d.high is None or d.p_value is None:
        return ""
    low = difference_shown(metric, _moved(d, d.low))
    high = difference_shown(metric, _moved(d, d.high))
    return f"({low} to {high}, p={d.p_value:.2g})"


def _moved(d: Difference, value: float) -> Difference:
    return Difference(value, value, value, d.p_value, d.base, d.other, d.method, d.confidence)
