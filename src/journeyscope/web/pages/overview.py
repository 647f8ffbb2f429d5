"""The signed-in overview, ``/app/overview``: what a CX lead opens every morning.

Key metrics (NPS, CSAT, CES) of the last :data:`PERIOD_DAYS` days against the days before,
each with its interval, ``n`` and method on hover, or "too few responses"; the changes
analytics detected, marked on the metric they moved; the invitation funnel per channel; and
what changed this week (the week against the one before, per touchpoint, where the
difference is sure, and the changes that began this week). A thin door: it reads numbers
only through ``analytics`` and ``orchestration``, always with ``person.workspace.id``, so
nothing of another workspace is reachable. Every role may read it. Days are UTC days.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from journeyscope import analytics, orchestration
from journeyscope.analytics import (
    ComparisonCell,
    DetectedChange,
    Difference,
    Estimate,
    MetricComparison,
)
from journeyscope.store import Database
from journeyscope.web.pages import live, templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.map_page import explained, shown
from journeyscope.web.pages.signed_in import Viewer, page_context
from journeyscope.workspaces import SignedIn

router = APIRouter(include_in_schema=False)
OVERVIEW = "/app/overview"
TEMPLATE = "app/overview.html"
Part = Literal["metrics", "week", "funnel", "changes"]
Seen = Annotated[str | None, Query(max_length=64)]
KEY_METRICS: Final = ("nps", "csat", "ces")
NAMES: Final = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}
PERIOD_DAYS: Final = 28
WEEK_DAYS: Final = 7
SURE: Final = 0.05
"""A week-on-week difference is listed when its p-value is at most this."""
MAX_CHANGES: Final = 200
FUNNEL_STEPS: Final = ("sent", "opened", "started", "completed")


@dataclass(frozen=True, slots=True)
class WeekMove:
    """One touchpoint whose metric moved this week against last week, surely."""

    touchpoint: str
    metric: str
    difference: Difference


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the page shows, read at ``as_of`` for the UTC days ``[since, until)``."""

    as_of: dt.datetime
    since: dt.date
    until: dt.date
    week_since: dt.date
    metrics: tuple[MetricComparison, ...]
    changes: tuple[DetectedChange, ...]
    funnel: orchestration.Funnel | None
    week_moves: tuple[WeekMove, ...]
    week_changes: tuple[DetectedChange, ...]


PARTS: Final = {
    "metrics": frozenset({"metrics", "changes"}),
    "week": frozenset({"changes", "week_moves"}),
    "funnel": frozenset({"funnel"}),
    "changes": frozenset({"changes"}),
}
"""The page's live parts (``{% block live_<part> %}`` in ``app/overview.html``) and what
each one reads, so that a part's poll computes only its own figures."""
EVERYTHING: Final = frozenset().union(*PARTS.values())


@router.get(OVERVIEW)
def overview_page(request: Request, person: Viewer) -> Response:
    """The workspace's key metrics, detected changes, funnel and this week's moves."""
    context = _context(person, read_overview(request.app.state.db, person.workspace.id))
    urls = {part: f"{OVERVIEW}/live/{part}" for part in PARTS}
    context["live"] = live.parts(request, TEMPLATE, context, urls)
    return secure(templates.TemplateResponse(request, TEMPLATE, context))


@router.get(OVERVIEW + "/live/{part}")
def overview_fragment(
    request: Request, person: Viewer, part: Annotated[Part, Path()], seen: Seen = None
) -> Response:
    """One live part of the overview; 204 when it is still what the page shows (``seen``).

    Checked like the page (any role of the workspace; only ``person.workspace.id``'s rows).
    """
    db, workspace_id = request.app.state.db, person.workspace.id
    return live.fragment(
        request,
        template=TEMPLATE,
        part=part,
        url=f"{OVERVIEW}/live/{part}",
        workspace_id=workspace_id,
        build=lambda: _context(person, read_overview(db, workspace_id, reads=PARTS[part])),
    )


def _context(person: SignedIn, overview: Overview) -> dict[str, Any]:
    return page_context(
        person,
        overview=overview,
        names=NAMES,
        steps=FUNNEL_STEPS,
        shown=shown,
        explained=explained,
        interval=interval,
        moved=moved,
        moved_title=moved_title,
    )


def read_overview(
    db: Database, workspace_id: uuid.UUID, *, reads: frozenset[str] = EVERYTHING
) -> Overview:
    """The overview's figures for the workspace, today (UTC, ``db.clock``) included.

    ``reads`` names the figures wanted (see :data:`PARTS`); the others are left empty.
    """
    now = db.clock.now()
    until = now.date() + dt.timedelta(days=1)
    since = until - dt.timedelta(days=PERIOD_DAYS)
    week_since = until - dt.timedelta(days=WEEK_DAYS)
    metrics = tuple(
        analytics.compare_metric(db, workspace_id=workspace_id, metric=m, since=since, until=until)
        for m in KEY_METRICS
        if "metrics" in reads
    )
    changes: tuple[DetectedChange, ...] = ()
    if "changes" in reads:
        found = analytics.list_changes(db, workspace_id=workspace_id, limit=MAX_CHANGES).items
        changes = tuple(sorted(found, key=lambda c: c.started_on, reverse=True))
    funnel = None
    if "funnel" in reads:
        query = orchestration.FunnelQuery(since=since, until=now.date(), group_by=("channel",))
        funnel = orchestration.invitation_funnel(db, workspace_id=workspace_id, query=query)
    moves = _week_moves(db, workspace_id, week_since, until) if "week_moves" in reads else ()
    return Overview(
        as_of=now,
        since=since,
        until=until,
        week_since=week_since,
        metrics=metrics,
        changes=changes,
        funnel=funnel,
        week_moves=moves,
        week_changes=tuple(c for c in changes if c.started_on >= week_since),
    )


def _week_moves(
    db: Database, workspace_id: uuid.UUID, since: dt.date, until: dt.date
) -> tuple[WeekMove, ...]:
    """Touchpoints whose metric differs surely between this week and the one before."""
    found = []
    for metric in KEY_METRICS:
        table = analytics.compare_metric(
            db, workspace_id=workspace_id, metric=metric, since=since, until=until,
            by="touchpoint",
        )  # fmt: skip
        found += [
            WeekMove(str(dict(c.group).get("touchpoint")), metric, c.difference)
            for c in table.cells
            if _is_sure(c)
        ]
    found.sort(key=lambda m: m.difference.p_value or 1.0)
    return tuple(found)


def _is_sure(cell: ComparisonCell) -> bool:
    p = cell.difference.p_value
    return p is not None and p <= SURE and dict(cell.group).get("touchpoint") is not None


def interval(metric: str, estimate: Estimate) -> str:
    """An estimate's interval as people read it, e.g. ``95% interval +12 to +20``."""
    if estimate.low is None or estimate.high is None:
        return "no interval: too few responses"
    low, high = (replace(estimate, value=v) for v in (estimate.low, estimate.high))
    return f"{estimate.confidence:.0%} interval {shown(metric, low)} to {shown(metric, high)}"


def moved(metric: str, difference: Difference) -> str:
    """A difference in the metric's own points: NPS points, CSAT percentage points, CES."""
    if difference.value is None:
        return "too few to compare"
    if metric == "nps":
        return f"{difference.value * 100:+.0f} points"
    if metric == "csat":
        return f"{difference.value * 100:+.0f} percentage points"
    return f"{difference.value:+.2f}"


def moved_title(metric: str, difference: Difference) -> str:
    """The hover text of a difference: its interval, p-value, both ``n`` and its method."""
    base, other = difference.base, difference.other
    sizes = f"n={other.n} now, n={base.n} before"
    if difference.low is None or difference.high is None or difference.p_value is None:
        return f"too few responses to compare: {sizes}, at least {base.min_n} needed in each"
    low = moved(metric, _at(difference, difference.low))
    high = moved(metric, _at(difference, difference.high))
    return (
        f"{difference.confidence:.0%} interval {low} to {high}, p={difference.p_value:.2g}, "
        f"{sizes}, {difference.method}"
    )


def _at(difference: Difference, value: float) -> Difference:
    return replace(difference, value=value)
