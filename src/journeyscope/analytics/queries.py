"""Metric queries answered from the rollups alone: estimates by group and period.

Every cell's estimate and interval comes from the score histograms the rollups keep (never
from raw facts or averages). Stage is derived from the touchpoint when queried (a touchpoint
moved to another stage moves its history with it). With ``journey`` only that journey's
touchpoints count; without it, facts without a touchpoint count too (their stage and
touchpoint are ``None``) and stages of different journeys that share a key are one group.

Imports the store and reads the journey and survey tables directly (analytics sits below
the journey, survey and collection domains).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from journeyscope.analytics.dimensions import METRIC_ONLY, is_segment_dimension, rollup_for
from journeyscope.analytics.estimates import DEFAULT_MIN_N
from journeyscope.analytics.periods import (
    Grain,
    check_grain,
    period_label,
    previous_period,
)
from journeyscope.analytics.results import (
    ComparisonCell,
    Group,
    MetricCell,
    MetricComparison,
    MetricTable,
)
from journeyscope.analytics.rollups import HISTOGRAM, METRIC, SEGMENT, WEEK, period_expression
from journeyscope.analytics.scores import (
    Statistic,
    check_statistic,
    compare_scores,
    estimate_scores,
)
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database, tables

Filters = Mapping[str, str | Sequence[str]]
STAGE = tables.Stage.__table__
TOUCHPOINT = tables.Touchpoint.__table__
SURVEY = tables.Survey.__table__


@dataclass(frozen=True, slots=True)
class _Query:
    """A checked query: what to group, filter and compute."""

    metric: str
    statistic: Statistic
    by: tuple[str, ...]
    filters: dict[str, tuple[str, ...]]
    table: Table
    journey: str | None
    confidence: float
    min_n: int


def _query(
    metric: str,
    by: str | Sequence[str],
    filters: Filters | None,
    statistic: str | None,
    journey: str | None,
    confidence: float,
    min_n: int,
) -> _Query:
    groups = (by,) if isinstance(by, str) else tuple(by)
    kept = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in (filters or {}).items()}
    table = METRIC if rollup_for(groups, kept) == "metric" else SEGMENT
    if len(set(groups)) != len(groups):
        raise InvalidInput("A dimension is named twice in `by`.", field="by")
    chosen = check_statistic(metric, statistic)
    if not 0 < confidence < 1:
        raise InvalidInput("confidence is a level between 0 and 1.", field="confidence")
    if min_n < 0:
        raise InvalidInput("min_n cannot be negative.", field="min_n")
    return _Query(metric, chosen, groups, kept, table, journey, confidence, min_n)


def check_period(since: dt.date | None, until: dt.date | None) -> None:
    """Refuse a period whose start is not before its end, naming ``since``."""
    if since is not None and until is not None and since >= until:
        raise InvalidInput(
            f"The period is empty: since {since} is not before until {until}.",
            field="since",
            hint="until is the first day not included",
        )


def journey_id_of(session: Session, workspace_id: uuid.UUID, key: str) -> uuid.UUID:
    """The id of the workspace's journey ``key``; NotFound naming ``journey`` if there is none."""
    journey = tables.Journey.__table__.c
    found: uuid.UUID | None = session.scalar(
        select(journey.id).where(journey.workspace_id == workspace_id, journey.key == key)
    )
    if found is None:
        raise NotFound(f"There is no journey {key!r} in this workspace.", field="journey")
    return found


def touchpoint_id_of(
    session: Session, workspace_id: uuid.UUID, journey: str, touchpoint: str
) -> uuid.UUID:
    """The id of ``touchpoint`` of the workspace's ``journey``; NotFound naming which is absent."""
    journey_id = journey_id_of(session, workspace_id, journey)
    found: uuid.UUID | None = session.scalar(
        select(TOUCHPOINT.c.id).where(
            TOUCHPOINT.c.journey_id == journey_id, TOUCHPOINT.c.key == touchpoint
        )
    )
    if found is None:
        raise NotFound(
            f"The journey {journey!r} has no touchpoint {touchpoint!r}.",
            field="touchpoint",
            hint="the journey's map lists its touchpoints",
        )
    return found


def _dimension(q: _Query, name: str) -> tuple[Any, Any]:
    """The column that gives ``name``'s value, and one that orders its values (or None)."""
    c = q.table.c
    if name == "stage":
        return STAGE.c.key, func.min(STAGE.c.position)
    if name == "touchpoint":
        order = func.min(STAGE.c.position * 10_000 + TOUCHPOINT.c.position)
        return TOUCHPOINT.c.key, order
    if name == "survey":
        return SURVEY.c.key, None
    if name in METRIC_ONLY:
        return c[name if name != "question" else "question_id"], None
    return c.value, None


def _joined(q: _Query, stmt: Select[Any], journey_id: uuid.UUID | None) -> Select[Any]:
    c = q.table.c
    inner = journey_id is not None
    stmt = stmt.select_from(q.table).join(
        TOUCHPOINT, TOUCHPOINT.c.id == c.touchpoint_id, isouter=not inner
    )
    stmt = stmt.join(STAGE, STAGE.c.id == TOUCHPOINT.c.stage_id, isouter=not inner)
    if journey_id is not None:
        stmt = stmt.where(TOUCHPOINT.c.journey_id == journey_id)
    if "survey" in q.by or "survey" in q.filters:
        stmt = stmt.join(SURVEY, SURVEY.c.id == c.survey_id)
    return stmt


def _where(q: _Query, stmt: Select[Any], since: dt.date | None, until: dt.date | None) -> Any:
    c = q.table.c
    if since is not None:
        stmt = stmt.where(c.day >= since)
    if until is not None:
        stmt = stmt.where(c.day < until)
    for name in (*q.by, *q.filters):
        if is_segment_dimension(name):
            stmt = stmt.where(c.dimension == name)
    for name, values in q.filters.items():
        stmt = stmt.where(_dimension(q, name)[0].in_(values))
    return stmt


@dataclass(frozen=True, slots=True)
class _Counts:
    """Histograms per ``(group, period start)`` and each group's place in the order."""

    histograms: dict[tuple[Group, dt.date | None], Counter[tuple[int, int, int]]]
    order: dict[Group, tuple[Any, ...]]


def _pieces(
    q: _Query, since: dt.date | None, until: dt.date | None, grain: Grain | None
) -> list[tuple[_Query, dt.date | None, dt.date | None]]:
    """Where each part of ``[since, until)`` is read: whole ISO weeks from the weekly rollup.

    A metric query by week or over the whole period reads whole weeks from
    ``metric_rollup_week`` (a seventh of the rows) and the days at the edges from
    ``metric_rollup``; other grains and the segment rollup read days.
    """
    if q.table is not METRIC or grain not in ("week", None):
        return [(q, since, until)]
    first = None if since is None else since + dt.timedelta(days=-since.weekday() % 7)
    last = None if until is None else until - dt.timedelta(days=until.weekday())
    if first is not None and last is not None and first >= last:
        return [(q, since, until)]
    pieces: list[tuple[_Query, dt.date | None, dt.date | None]] = []
    if since is not None and first is not None and since < first:
        pieces.append((q, since, first))
    pieces.append((replace(q, table=WEEK), first, last))
    if until is not None and last is not None and last < until:
        pieces.append((q, last, until))
    return pieces


def _counts(
    session: Session,
    q: _Query,
    *,
    workspace_id: uuid.UUID,
    period: tuple[dt.date | None, dt.date | None],
    grain: Grain | None,
) -> _Counts:
    """Score counts per group (and period, with a grain), from one query per piece."""
    journey_id = None if q.journey is None else journey_id_of(session, workspace_id, q.journey)
    found = _Counts({}, {})
    for piece, since, until in _pieces(q, *period, grain):
        _count_into(found, session, piece, workspace_id, journey_id, (since, until), grain)
    return found


def _count_into(
    found: _Counts,
    session: Session,
    q: _Query,
    workspace_id: uuid.UUID,
    journey_id: uuid.UUID | None,
    period: tuple[dt.date | None, dt.date | None],
    grain: Grain | None,
) -> None:
    """One grouped query on one rollup, added to ``found``."""
    c = q.table.c
    dims = [_dimension(q, name) for name in q.by]
    period_key = [period_expression(session, c.day, grain)] if grain else []
    keys = [column for column, _ in dims] + period_key
    orders = [order for _, order in dims if order is not None]
    scale = [c.scale_min, c.scale_max]
    bins = [func.sum(c[name]) for name in HISTOGRAM]
    stmt: Select[Any] = select(*keys, *scale, *orders, *bins)
    stmt = _joined(q, stmt, journey_id).where(c.workspace_id == workspace_id, c.metric == q.metric)
    stmt = _where(q, stmt, *period).group_by(*keys, *scale)
    histograms, order = found.histograms, found.order
    width, placed = len(q.by), len(keys) + 2 + len(orders)
    for row in session.execute(stmt):
        group: Group = tuple(zip(q.by, row[:width], strict=True))
        start = row[width] if grain else None
        low, high = row[len(keys)], row[len(keys) + 1]
        histogram = histograms.setdefault((group, start), Counter())
        for i, n in enumerate(row[placed:]):
            if n:
                histogram[(low + i, low, high)] += n
        places = tuple(math.inf if p is None else p for p in row[len(keys) + 2 : placed])
        order[group] = min(order.get(group, places), places)


def _group_order(counts: _Counts) -> list[Group]:
    def key(group: Group) -> tuple[Any, ...]:
        return (counts.order[group], tuple((v is None, v or "") for _, v in group))

    return sorted(counts.order, key=key)


def metric_table(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    metric: str,
    by: str | Sequence[str] = (),
    grain: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    journey: str | None = None,
    filters: Filters | None = None,
    statistic: str | None = None,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
) -> MetricTable:
    """A metric by groups and time periods, each cell with its interval and ``n``.

    Args:
        db: The database.
        workspace_id: Whose responses.
        metric: ``nps``, ``csat``, ``ces`` or ``rating``.
        by: Dimensions to group by: ``stage``, ``touchpoint``, ``channel``, ``survey``,
            ``question``, ``language``, ``device_class`` or ``segment:<attribute>``
            (see ``dimensions`` for what combines).
        grain: ``day``, ``week`` (ISO, Monday first), ``month``, ``quarter``; ``None``: the
            whole period as one.
        since: First UTC day included.
        until: First UTC day not included.
        journey: Only this journey's touchpoints (its key).
        filters: Dimension to a value or values kept, e.g. ``{"channel": "email"}``.
        statistic: ``nps`` for NPS; ``top2`` (default for CSAT) or ``mean`` (default for CES
            and ratings) for the others.
        confidence: The intervals' confidence level.
        min_n: Cells with fewer responses are "too few" (value ``None``, ``n`` given).
    """
    q = _query(metric, by, filters, statistic, journey, confidence, min_n)
    checked = check_grain(grain)
    check_period(since, until)
    with db.transaction() as session:
        counts = _counts(
            session, q, workspace_id=workspace_id, period=(since, until), grain=checked
        )
    rank = {group: i for i, group in enumerate(_group_order(counts))}
    cells = [
        MetricCell(
            group,
            start,
            None if start is None or checked is None else period_label(start, checked),
            estimate_scores(hist, statistic=q.statistic, confidence=confidence, min_n=min_n),
        )
        for (group, start), hist in counts.histograms.items()
    ]
    cells.sort(key=lambda cell: (rank[cell.group], cell.period or dt.date.min))
    return MetricTable(
        metric, q.statistic, q.by, checked, since, until, q.filters, confidence, min_n,
        db.clock.now(), tuple(cells),
    )  # fmt: skip


def compare_metric(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    metric: str,
    since: dt.date,
    until: dt.date,
    previous: tuple[dt.date, dt.date] | None = None,
    by: str | Sequence[str] = (),
    journey: str | None = None,
    filters: Filters | None = None,
    statistic: str | None = None,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
) -> MetricComparison:
    """A metric by groups in ``[since, until)`` against a previous period, with differences.

    ``previous`` defaults to the period of the same length just before ``since``. Each
    group's difference (current - previous) has its interval and p-value from
    ``compare_nps``, ``compare_proportions`` (Newcombe) or ``compare_means`` (Welch); a
    group below ``min_n`` in either period is too few. Other arguments as
    :func:`metric_table`.
    """
    q = _query(metric, by, filters, statistic, journey, confidence, min_n)
    check_period(since, until)
    before = previous or previous_period(since, until)
    check_period(*before)
    with db.transaction() as session:
        now = _counts(session, q, workspace_id=workspace_id, period=(since, until), grain=None)
        then = _counts(session, q, workspace_id=workspace_id, period=before, grain=None)
    return MetricComparison(
        metric, q.statistic, q.by, since, until, before[0], before[1], confidence, min_n,
        db.clock.now(), _compared(q, then, now),
    )  # fmt: skip


def compare_filters(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    metric: str,
    since: dt.date,
    until: dt.date,
    base: Filters,
    other: Filters,
    by: str | Sequence[str] = (),
    journey: str | None = None,
    statistic: str | None = None,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
) -> MetricComparison:
    """A metric by groups for two sets of filters (two segments) in one period.

    Each cell's ``previous`` is the estimate under ``base`` (segment A), ``current`` under
    ``other`` (segment B), and the difference ``other - base`` has its interval and p-value
    as in :func:`compare_metric` (the two groups are taken as independent samples: compare
    disjoint segments). ``previous_since``/``previous_until`` are the same period. Other
    arguments as :func:`metric_table`.
    """
    q = _query(metric, by, base, statistic, journey, confidence, min_n)
    q_other = _query(metric, by, other, statistic, journey, confidence, min_n)
    check_period(since, until)
    with db.transaction() as session:
        then = _counts(session, q, workspace_id=workspace_id, period=(since, until), grain=None)
        now = _counts(
            session, q_other, workspace_id=workspace_id, period=(since, until), grain=None
        )
    return MetricComparison(
        metric, q.statistic, q.by, since, until, since, until, confidence, min_n,
        db.clock.now(), _compared(q, then, now),
    )  # fmt: skip


def _compared(q: _Query, then: _Counts, now: _Counts) -> tuple[ComparisonCell, ...]:
    """Per group in either, both estimates and the difference ``now - then``."""
    merged = _Counts({**then.histograms, **now.histograms}, {**then.order, **now.order})
    options: dict[str, Any] = {
        "statistic": q.statistic, "confidence": q.confidence, "min_n": q.min_n,
    }  # fmt: skip
    cells = []
    for group in _group_order(merged):
        old = then.histograms.get((group, None), Counter())
        new = now.histograms.get((group, None), Counter())
        cells.append(
            ComparisonCell(
                group,
                estimate_scores(old, **options),
                estimate_scores(new, **options),
                compare_scores(old, new, **options),
            )
        )
    return tuple(cells)
