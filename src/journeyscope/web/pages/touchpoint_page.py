"""The touchpoint drill-down, ``/app/journeys/{key}/touchpoints/{touchpoint}``.

One touchpoint of a journey, for every role of the workspace: the chosen metric (NPS, CSAT,
CES) per ISO week with its interval, the seasonal baseline the change detection expected and
the changes it found; the touchpoint's analysed verbatims with their emotions, newest first,
a page at a time, each linking to its response; and the key drivers' importance x
performance grid. A thin door: every figure comes from ``analytics`` or ``verbatims``, always
with ``person.workspace.id``, so another workspace's journey is simply not found (404). The
filters take the map page's names (``since``, ``until``, ``channel``, ``segment``,
``value``), so the map's links carry its filters here. Days are UTC days.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from journeyscope import analytics, journey, maps, verbatims
from journeyscope.analytics import Baseline, DetectedChange, KeyDrivers, MetricCell
from journeyscope.errors import JourneyscopeError, NotFound
from journeyscope.journey import KEY_PATTERN, JourneyView, StageView, TouchpointView
from journeyscope.store import Database
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.map_page import explained, shown
from journeyscope.web.pages.signed_in import Viewer, page_context
from journeyscope.web.pages.touchpoint_chart import ChartWeek, drivers_spec, metric_spec, scaled

router = APIRouter(include_in_schema=False)
Metric = Literal["nps", "csat", "ces"]
NAMES: Final = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}
PER_PAGE: Final = 20
MAX_PAGE: Final = 500
"""Verbatim pages reach back at most ``MAX_PAGE * PER_PAGE`` answers: narrow the period."""


@dataclass(frozen=True, slots=True)
class Filters:
    """The map's filters, as the query string gave them."""

    since: dt.date
    until: dt.date
    channel: str | None
    segment: str | None
    value: str | None

    def dimensions(self) -> dict[str, list[str]]:
        """The analytics filters they stand for."""
        found: dict[str, list[str]] = {}
        if self.channel:
            found["channel"] = [self.channel]
        if self.segment and self.value:
            found[f"segment:{self.segment}"] = [self.value]
        return found


@dataclass(frozen=True, slots=True)
class Drilled:
    """Everything the page shows about one touchpoint, read at ``as_of``."""

    journey: JourneyView
    stage: StageView
    touchpoint: TouchpointView
    metric: str
    filters: Filters
    as_of: dt.datetime
    weeks: tuple[ChartWeek, ...]
    changes: tuple[DetectedChange, ...]
    baseline: Baseline | None
    verbatims: verbatims.VerbatimPage
    drivers: KeyDrivers | None


@router.get("/app/journeys/{key}/touchpoints/{touchpoint}")
def touchpoint_page(
    request: Request,
    person: Viewer,
    key: Annotated[str, Path(pattern=KEY_PATTERN)],
    touchpoint: Annotated[str, Path(pattern=KEY_PATTERN)],
    metric: Annotated[Metric, Query()] = "nps",
    since: Annotated[dt.date | None, Query()] = None,
    until: Annotated[dt.date | None, Query()] = None,
    channel: Annotated[str | None, Query(max_length=20)] = None,
    segment: Annotated[str | None, Query(max_length=63)] = None,
    value: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """One touchpoint: its metric over time, its verbatims and its key drivers."""
    db: Database = request.app.state.db
    try:
        filters = _filters(db, since, until, channel, segment, value)
        drilled = read_touchpoint(
            db, person.workspace.id, key, touchpoint, metric=metric, filters=filters, page=page
        )
    except JourneyscopeError as exc:
        heading = "Not found" if isinstance(exc, NotFound) else "Cannot show this touchpoint"
        context = page_context(person, heading=heading, text=exc.message)
        refused = templates.TemplateResponse(
            request, "app/refused.html", context, status_code=exc.status
        )
        return secure(refused)
    context = page_context(
        person,
        drilled=drilled,
        names=NAMES,
        chart=metric_spec(metric, drilled.weeks, drilled.changes),
        quadrant=_quadrant(drilled.drivers),
        channels=[c.value for c in journey.Channel],
        segments=person.workspace.segments,
        scaled=scaled,
        query=_query(filters, metric),
        page=page,
    )
    return secure(templates.TemplateResponse(request, "app/touchpoint.html", context))


def _filters(
    db: Database,
    since: dt.date | None,
    until: dt.date | None,
    channel: str | None,
    segment: str | None,
    value: str | None,
) -> Filters:
    """The period (default: the map's, the last 90 days, today included) and the filters."""
    until = until or db.clock.now().date() + dt.timedelta(days=1)
    since = since or until - dt.timedelta(days=maps.DEFAULT_DAYS)
    return Filters(since, until, channel or None, segment or None, value or None)


def read_touchpoint(
    db: Database,
    workspace_id: uuid.UUID,
    journey_key: str,
    touchpoint: str,
    *,
    metric: str,
    filters: Filters,
    page: int,
) -> Drilled:
    """The drill-down's figures; NotFound when the journey or the touchpoint is not there."""
    found = journey.get_journey(db, workspace_id=workspace_id, key=journey_key)
    stage, point = _find(found, touchpoint)
    table = analytics.metric_table(
        db, workspace_id=workspace_id, metric=metric, grain="week", since=filters.since,
        until=filters.until, journey=journey_key,
        filters={"touchpoint": [touchpoint], **filters.dimensions()},
    )  # fmt: skip
    baseline = None
    if not filters.dimensions():  # detection watches the whole touchpoint, unfiltered
        baseline = analytics.touchpoint_baseline(
            db, workspace_id=workspace_id, journey=journey_key, touchpoint=touchpoint,
            metric=metric,
        )  # fmt: skip
    changes = analytics.list_changes(
        db, workspace_id=workspace_id, journey=journey_key, metric=metric, limit=200
    ).items
    return Drilled(
        journey=found,
        stage=stage,
        touchpoint=point,
        metric=metric,
        filters=filters,
        as_of=db.clock.now(),
        weeks=tuple(_week(metric, cell, baseline, filters) for cell in table.cells),
        changes=tuple(
            sorted((c for c in changes if c.touchpoint == touchpoint), key=lambda c: c.started_on)
        ),
        baseline=baseline,
        verbatims=verbatims.touchpoint_verbatims(
            db,
            workspace_id=workspace_id,
            journey_key=journey_key,
            touchpoint=touchpoint,
            since=_midnight(filters.since),
            until=_midnight(filters.until),
            offset=(page - 1) * PER_PAGE,
            limit=PER_PAGE,
        ),
        drivers=analytics.touchpoint_drivers(
            db,
            workspace_id=workspace_id,
            journey=journey_key,
            touchpoint=touchpoint,
            since=filters.since,
            until=filters.until,
        ),
    )


def _find(found: JourneyView, touchpoint: str) -> tuple[StageView, TouchpointView]:
    for stage in found.stages:
        for point in stage.touchpoints:
            if point.key == touchpoint:
                return stage, point
    raise NotFound(
        f"The journey {found.name!r} has no touchpoint {touchpoint!r}.",
        field="touchpoint",
        hint="its map lists its touchpoints",
    )


def _week(metric: str, cell: MetricCell, baseline: Baseline | None, f: Filters) -> ChartWeek:
    start = cell.period or f.since
    end = min(start + dt.timedelta(days=7), f.until)
    expected = None if baseline is None else baseline.mean_over(max(start, f.since), end)
    return ChartWeek(
        label=cell.label or start.isoformat(),
        start=start,
        estimate=cell.estimate,
        baseline=expected,
        figure=shown(metric, cell.estimate),
        explained=explained(metric, cell.estimate),
    )


def _quadrant(drivers: KeyDrivers | None) -> dict[str, object] | None:
    if drivers is None or drivers.is_too_few:
        return None
    return drivers_spec(drivers.drivers, n=drivers.n, method=f"{drivers.method} share of R²")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _query(filters: Filters, metric: str) -> dict[str, str]:
    """The query string that keeps this view (for the verbatim pages' links)."""
    kept = {
        "metric": metric,
        "since": filters.since.isoformat(),
        "until": filters.until.isoformat(),
    }
    for name in ("channel", "segment", "value"):
        chosen = getattr(filters, name)
        if chosen:
            kept[name] = chosen
    return kept
