"""The scheduled change detection: every touchpoint's daily series from the rollups, stored.

One pass (:func:`detect_metric_changes`, run by the worker every
``CHANGES_INTERVAL_SECONDS``) takes, per workspace, the daily NPS (-1…1), CSAT top-2-box
share and CES mean of each touchpoint over the last :data:`HISTORY_DAYS` days, each day
with its number of answers, from ``metric_rollup`` (summed over channels, surveys and
questions), runs :func:`~journeyscope.analytics.changes.detect_changes_many` over all of
them (Benjamini-Hochberg across the workspace's series) and replaces the workspace's stored
changes with what it found. Answers without a touchpoint are not watched.

**Storing.** The detection runs outside any transaction; the write is one short transaction
per workspace that deletes the old rows and inserts the new ones. A change that was already
stored (same touchpoint, metric and first day) keeps its first ``detected_at``. On
PostgreSQL the workspace row is locked (``FOR NO KEY UPDATE``, which does not block inserts
that reference it) so that two workers' passes over one workspace cannot both insert.

Imports the store (with ``rollups`` and ``queries``, analytics' database code) and reads the
journey tables directly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

from sqlalchemy import Table, case, delete, func, insert, select
from sqlalchemy.orm import Session

from journeyscope.analytics.changes import Change, ChangeReport, DailySeries, detect_changes_many
from journeyscope.analytics.queries import STAGE, TOUCHPOINT, journey_id_of
from journeyscope.analytics.rollups import HISTOGRAM, METRIC, NO_TOUCHPOINT
from journeyscope.analytics.scores import METRICS
from journeyscope.errors import InvalidInput
from journeyscope.store import (
    Database,
    Page,
    is_postgres,
    make_page,
    new_id,
    page_query,
    tables,
)

CHANGE: Final[Table] = tables.MetricChange.__table__  # type: ignore[assignment]
JOURNEY: Final[Table] = tables.Journey.__table__  # type: ignore[assignment]
WATCHED: Final[Mapping[str, str]] = {"nps": "nps", "csat": "top2", "ces": "mean"}
"""The metrics watched, and the daily statistic each series holds."""
HISTORY_DAYS: Final = 730
"""Two years: enough for the yearly season to be removed (it needs a year before the recent
``2 x horizon`` days; see ``docs/analytics.md``)."""

SeriesKey = tuple[uuid.UUID, str]
"""``(touchpoint id, metric)``."""


@dataclass(frozen=True, slots=True)
class ChangePass:
    """What one change-detection pass did.

    Attributes:
        workspaces: Workspaces looked at.
        series: Touchpoint x metric series tested (over all of them).
        changes: Changes stored (the current ones, over all of them).
    """

    workspaces: int
    series: int
    changes: int


@dataclass(frozen=True, slots=True)
class DetectedChange:
    """A stored change: where, when it started, how big (with its interval), how sure.

    Attributes:
        id: The change's id (changes are replaced each pass: ids are not stable across them).
        journey: The touchpoint's journey key.
        stage: The touchpoint's stage key (derived when read).
        touchpoint: The touchpoint's key.
        metric: ``nps``, ``csat`` or ``ces``.
        statistic: What the series held: ``nps`` (-1…1), ``top2`` (a 0…1 share), ``mean``.
        started_on: The first (UTC) day at the new level.
        direction: ``up`` or ``down``.
        size: After minus before (deseasonalised), in the statistic's units.
        low: Lower confidence limit of ``size``.
        high: Upper confidence limit of ``size``.
        before: The level before.
        after: The level after.
        p_value: How sure (scan-adjusted; small is sure).
        n_before: Answers behind ``before``.
        n_after: Answers behind ``after``.
        is_recent: Found by the online check of the last four weeks.
        confidence: The interval's confidence level.
        detected_at: When a pass first reported it.
    """

    id: uuid.UUID
    journey: str
    stage: str
    touchpoint: str
    metric: str
    statistic: str
    started_on: dt.date
    direction: str
    size: float
    low: float
    high: float
    before: float
    after: float
    p_value: float
    n_before: int
    n_after: int
    is_recent: bool
    confidence: float
    detected_at: dt.datetime


# --- the series ----------------------------------------------------------------------------------


def sum_of(terms: Iterable[Any]) -> Any:
    """``a + b + ...`` of column expressions, as one expression."""
    found: Any = None
    for term in terms:
        found = term if found is None else found + term
    return found


def _daily_statement(
    workspace_id: uuid.UUID, first: dt.date, last: dt.date, touchpoint_id: uuid.UUID | None
) -> Any:
    """One row per touchpoint, metric and day: answers and the sums every statistic needs."""
    c = METRIC.c
    bins = [c[name] for name in HISTOGRAM]

    def share(places: range) -> Any:
        return func.sum(sum_of(bins[i] for i in places))

    # a score is scale_min + i for the count in h<i>; NPS scales start at 0
    top2 = [case((c.scale_max - c.scale_min - 1 <= i, bins[i]), else_=0) for i in range(len(bins))]
    stmt = (
        select(
            c.touchpoint_id,
            c.metric,
            c.day,
            share(range(len(bins))),
            share(range(9, 11)),
            share(range(7)),
            func.sum(sum_of(top2)),
            func.sum(sum_of((c.scale_min + i) * bins[i] for i in range(len(bins)))),
        )
        .join(TOUCHPOINT, TOUCHPOINT.c.id == c.touchpoint_id)  # not a deleted touchpoint's
        .where(
            c.workspace_id == workspace_id,
            c.metric.in_(list(WATCHED)),
            c.touchpoint_id != NO_TOUCHPOINT,
            c.day >= first,
            c.day <= last,
        )
        .group_by(c.touchpoint_id, c.metric, c.day)
    )
    return stmt if touchpoint_id is None else stmt.where(c.touchpoint_id == touchpoint_id)


def _value(statistic: str, n: int, promoters: int, detractors: int, top2: int, total: int) -> float:
    if statistic == "nps":
        return (promoters - detractors) / n
    if statistic == "top2":
        return top2 / n
    return total / n


def daily_series(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    last: dt.date,
    days: int = HISTORY_DAYS,
    touchpoint_id: uuid.UUID | None = None,
) -> dict[SeriesKey, DailySeries]:
    """Each touchpoint x watched metric's daily statistic up to ``last`` (included), with n.

    A series starts on its first day with answers in the window; days without answers are
    gaps (``None``, count 0). ``touchpoint_id``: only that touchpoint's series.
    """
    first = last - dt.timedelta(days=days - 1)
    points: dict[SeriesKey, dict[dt.date, tuple[float, int]]] = {}
    for tp, metric, day, n, promoters, detractors, top2, total in session.execute(
        _daily_statement(workspace_id, first, last, touchpoint_id)
    ):
        if n:
            value = _value(WATCHED[metric], n, promoters, detractors, top2, total)
            points.setdefault((tp, metric), {})[day] = (value, int(n))
    found = {}
    for key, by_day in sorted(points.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        start = min(by_day)
        span = [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]
        values = [by_day[d][0] if d in by_day else None for d in span]
        counts = [by_day[d][1] if d in by_day else 0 for d in span]
        found[key] = DailySeries(values=values, counts=counts, start=start)
    return found


# --- one pass ------------------------------------------------------------------------------------


def _rows(
    workspace_id: uuid.UUID,
    reports: Mapping[SeriesKey, ChangeReport],
    first_seen: Mapping[tuple[uuid.UUID, str, dt.date], dt.datetime],
    now: dt.datetime,
) -> list[dict[str, Any]]:
    rows = []
    for (touchpoint_id, metric), report in reports.items():
        for change in report.changes:
            if change.start is not None:
                seen = first_seen.get((touchpoint_id, metric, change.start), now)
                rows.append(_row(workspace_id, touchpoint_id, metric, change, seen))
    return rows


def _row(
    workspace_id: uuid.UUID, touchpoint_id: uuid.UUID, metric: str, change: Change, seen: Any
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "workspace_id": workspace_id,
        "touchpoint_id": touchpoint_id,
        "metric": metric,
        "statistic": WATCHED[metric],
        "started_on": change.start,
        "direction": change.direction,
        **{k: float(getattr(change, k)) for k in ("size", "low", "high", "before", "after")},
        "p_value": float(change.p_value),
        "n_before": change.n_before,
        "n_after": change.n_after,
        "is_recent": change.is_recent,
        "confidence": change.confidence,
        "detected_at": seen,
    }


def _replace(
    session: Session,
    workspace_id: uuid.UUID,
    reports: Mapping[SeriesKey, ChangeReport],
    now: dt.datetime,
) -> int:
    """Replace the workspace's stored changes with ``reports``' (first ``detected_at`` kept)."""
    if is_postgres(session):
        workspace = tables.Workspace.__table__.c
        lock = select(workspace.id).where(workspace.id == workspace_id)
        session.execute(lock.with_for_update(key_share=True))
    c = CHANGE.c
    old = session.execute(
        delete(CHANGE)
        .where(c.workspace_id == workspace_id)
        .returning(c.touchpoint_id, c.metric, c.started_on, c.detected_at)
    )
    first_seen = {(tp, m, day): seen for tp, m, day, seen in old}
    rows = _rows(workspace_id, reports, first_seen, now)
    if rows:
        session.execute(insert(CHANGE), rows)
    return len(rows)


def detect_workspace_changes(
    db: Database, *, workspace_id: uuid.UUID, fdr: float = 0.05, days: int = HISTORY_DAYS
) -> tuple[int, int]:
    """Detect and store one workspace's current changes; ``(series tested, changes stored)``.

    The series end on today (UTC, ``db.clock``), today's answers so far included.
    """
    now = db.clock.now()
    with db.transaction() as session:
        series = daily_series(session, workspace_id, last=now.date(), days=days)
    reports = detect_changes_many(series, fdr=fdr) if series else {}
    with db.transaction() as session:
        stored = _replace(session, workspace_id, reports, now)
    return len(series), stored


def detect_metric_changes(
    db: Database, *, workspace_id: uuid.UUID | None = None, fdr: float = 0.05
) -> ChangePass:
    """One change-detection pass over one workspace, or every workspace (``None``).

    Each workspace's daily touchpoint series (NPS, CSAT top-2-box, CES mean, from the
    rollups) are tested together, with the false discovery rate held at ``fdr`` across
    them; its stored changes are replaced by what was found. Idempotent: a second pass on
    the same data stores the same changes.
    """
    if not 0 < fdr < 1:
        raise InvalidInput(f"fdr must be in (0, 1), got {fdr}", field="fdr")
    if workspace_id is None:
        with db.transaction() as session:
            ids = list(session.scalars(select(tables.Workspace.id).order_by(tables.Workspace.id)))
    else:
        ids = [workspace_id]
    series = changes = 0
    for wid in ids:
        tested, stored = detect_workspace_changes(db, workspace_id=wid, fdr=fdr)
        series, changes = series + tested, changes + stored
    return ChangePass(len(ids), series, changes)


# --- reading -------------------------------------------------------------------------------------


def _journey_filter(session: Session, workspace_id: uuid.UUID, key: str) -> Any:
    return TOUCHPOINT.c.journey_id == journey_id_of(session, workspace_id, key)


def list_changes(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey: str | None = None,
    metric: str | None = None,
    since: dt.date | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Page[DetectedChange]:
    """The workspace's current changes (the last pass's), a page at a time.

    Args:
        db: The database.
        workspace_id: Whose changes.
        journey: Only this journey's touchpoints (its key); ``NotFound`` if there is none.
        metric: Only ``nps``, ``csat`` or ``ces``.
        since: Only changes that started on or after this (UTC) day.
        cursor: The previous page's ``next_cursor``.
        limit: Changes per page.
    """
    if metric is not None and metric not in WATCHED:
        hint = f"use one of {tuple(WATCHED)}" + (" (ratings are not watched)" * (metric in METRICS))
        raise InvalidInput(f"Changes are not watched for {metric!r}.", field="metric", hint=hint)
    c = CHANGE.c
    stmt = (
        select(CHANGE, JOURNEY.c.key.label("journey"), STAGE.c.key.label("stage"))
        .add_columns(TOUCHPOINT.c.key.label("touchpoint"))
        .join(TOUCHPOINT, TOUCHPOINT.c.id == c.touchpoint_id)
        .join(STAGE, STAGE.c.id == TOUCHPOINT.c.stage_id)
        .join(JOURNEY, JOURNEY.c.id == TOUCHPOINT.c.journey_id)
        .where(c.workspace_id == workspace_id)
    )
    if metric is not None:
        stmt = stmt.where(c.metric == metric)
    if since is not None:
        stmt = stmt.where(c.started_on >= since)
    with db.transaction() as session:
        if journey is not None:
            stmt = stmt.where(_journey_filter(session, workspace_id, journey))
        rows = session.execute(page_query(stmt, c.id, cursor, limit)).all()
    found = [_detected(row._mapping) for row in rows]
    return make_page(found, limit, lambda change: change.id)


def _detected(row: Any) -> DetectedChange:
    return DetectedChange(**{f.name: row[f.name] for f in fields(DetectedChange)})
