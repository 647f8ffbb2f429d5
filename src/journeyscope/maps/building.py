"""Build a :class:`JourneyMap` from what the other domains already know.

Nothing here computes a statistic of its own: survey metrics and trends come from the
analytics rollups (``analytics.metric_table``, a handful of queries whatever the volume),
changes from the last change-detection pass, verbatims from their stage summary, and the
interview curve and evidence from the stored analyses of the journey's interviews.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from journeyscope import analytics, interviews, journey, orchestration, verbatims
from journeyscope.errors import InvalidInput
from journeyscope.interviews import Finding
from journeyscope.maps.curves import interview_feeling, survey_feeling
from journeyscope.maps.evidence import interview_evidence, ranked, verbatim_evidence
from journeyscope.maps.models import (
    MAP_METRICS,
    ChangeMark,
    Evidence,
    JourneyMap,
    MapComparison,
    MapSide,
    MetricDifference,
    MetricSummary,
    ResponseRate,
    StageColumn,
    StageComparison,
    TouchpointCell,
    TrendPoint,
    VerbatimMix,
)
from journeyscope.store import Database

DEFAULT_DAYS = 90
"""The period a map shows when none is given: the last 90 days, today included."""
WEEKLY_UP_TO_DAYS = 190
"""Trends are weekly for periods up to this many days, monthly for longer ones."""
FILTERABLE = ("channel", "survey", "language", "device_class")
"""Dimensions a map may be filtered by, besides ``segment:<attribute>``."""
MAX_CHANGES = 1000
COMPARISONS = ("previous", "segment")
"""What a map may be compared with: the previous period of equal length, or another segment."""

Filters = Mapping[str, Sequence[str]]


def journey_map(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    filters: Filters | None = None,
    confidence: float = 0.95,
    min_n: int = analytics.DEFAULT_MIN_N,
    compare: str | None = None,
    compare_filters: Filters | None = None,
) -> JourneyMap:
    """The journey's map for ``[since, until)`` (default: the last :data:`DEFAULT_DAYS` days).

    Args:
        db: The database.
        workspace_id: Whose journey.
        journey_key: Which journey.
        since: First UTC day of the period.
        until: First UTC day after it (default: tomorrow, so today is in).
        filters: Dimension → values to keep, for the survey metrics and curve: ``channel``,
            ``survey``, ``language``, ``device_class`` or ``segment:<attribute>``.
        confidence: The intervals' confidence level.
        min_n: Survey cells with fewer answers are "too few".
        compare: ``previous``: the stages' metrics also in the period of equal length just
            before, with the difference (this period minus that one); ``segment``: also
            under ``compare_filters``, with the difference (that segment minus this one).
        compare_filters: For ``segment``: the dimensions whose values the other side
            replaces (e.g. ``{"segment:tier": ["silver"]}``); the map's other filters stay.

    Raises:
        NotFound: No journey ``journey_key`` in this workspace.
        InvalidInput: An empty period, a filter on a dimension a map cannot filter by, or a
            comparison that is unknown, lacks its filters or compares a side with itself.
    """
    found = journey.get_journey(db, workspace_id=workspace_id, key=journey_key)
    as_of = db.clock.now()
    until = until or as_of.date() + dt.timedelta(days=1)
    since = since or _days_before(until, DEFAULT_DAYS)
    if since >= until:
        raise InvalidInput(
            f"The period is empty: since {since} is not before until {until}.",
            field="since",
            hint="until is the first day not included",
        )
    kept = _checked_filters(filters or {})
    grain = "week" if (until - since).days <= WEEKLY_UP_TO_DAYS else "month"
    query = _MetricQuery(db, workspace_id, journey_key, since, until, kept, confidence, min_n)
    metrics = {by: query.summaries(by, grain) for by in ("stage", "touchpoint")}
    changes = _changes(db, workspace_id, journey_key)
    analysed = interviews.load_analysed(db, workspace_id=workspace_id, journey_key=journey_key)
    feelings = _valences_by_stage(analysed)
    found_evidence = interview_evidence(
        (stored.interview.id, finding) for stored in analysed for finding in _findings(stored)
    )
    mixes = verbatims.verbatim_summary(
        db,
        workspace_id=workspace_id,
        journey_key=journey_key,
        by="stage",
        since=_midnight(since),
        until=_midnight(until),
    )
    groups = {g.key: g for g in mixes.groups}
    invitations = _invitations(db, workspace_id, journey_key, since, until)
    stages = []
    for stage in found.stages:
        stage_metrics = metrics["stage"].get(stage.key, ())
        by_metric = {m.metric: m.estimate for m in stage_metrics}
        cells = tuple(
            TouchpointCell(
                key=t.key,
                name=t.name,
                channel=str(t.channel),
                metrics=metrics["touchpoint"].get(t.key, ()),
                changes=tuple(c for c in changes if c.touchpoint == t.key),
                response_rate=_rate(invitations.get(t.key, Counts()), confidence, min_n),
            )
            for t in stage.touchpoints
        )
        group = groups.get(stage.key)
        evidence: list[Evidence] = list(found_evidence.get(stage.key, []))
        evidence += verbatim_evidence(group) if group is not None else []
        stages.append(
            StageColumn(
                key=stage.key,
                name=stage.name,
                position=stage.position,
                description=stage.description,
                customer_actions=tuple(stage.customer_actions),
                touchpoints=cells,
                metrics=stage_metrics,
                survey_feeling=survey_feeling(
                    stage.key, by_metric.get("nps"), by_metric.get("csat")
                ),
                interview_feeling=interview_feeling(
                    stage.key, feelings.get(stage.key, {}), confidence=confidence
                ),
                verbatims=_mix(group),
                evidence=ranked(evidence),
                changes=tuple(c for cell in cells for c in cell.changes),
                response_rate=_rate(
                    sum((invitations.get(t.key, Counts()) for t in stage.touchpoints), Counts()),
                    confidence,
                    min_n,
                ),
            )
        )
    comparison = None
    if compare is not None:
        comparison = _comparison(query, compare, compare_filters, [s.key for s in found.stages])
    return JourneyMap(
        journey_key=found.key,
        name=found.name,
        since=since,
        until=until,
        filters={k: tuple(v) for k, v in kept.items()},
        confidence=confidence,
        min_n=min_n,
        as_of=as_of,
        interviews=len(analysed),
        stages=tuple(stages),
        comparison=comparison,
    )


@dataclass(frozen=True, slots=True)
class _MetricQuery:
    """The map's metric queries: one period, one set of filters, many groupings."""

    db: Database
    workspace_id: uuid.UUID
    journey_key: str
    since: dt.date
    until: dt.date
    filters: Filters
    confidence: float
    min_n: int

    def table(self, metric: str, by: str, grain: str | None) -> analytics.MetricTable:
        return analytics.metric_table(
            self.db,
            workspace_id=self.workspace_id,
            metric=metric,
            by=by,
            grain=grain,
            since=self.since,
            until=self.until,
            journey=self.journey_key,
            filters=self.filters,
            confidence=self.confidence,
            min_n=self.min_n,
        )

    def summaries(self, by: str, grain: str) -> dict[str, tuple[MetricSummary, ...]]:
        """Per stage (or touchpoint) key, one summary per metric that has answers there."""
        found: dict[str, list[MetricSummary]] = defaultdict(list)
        for metric in MAP_METRICS:
            whole, trend = self.table(metric, by, None), self.table(metric, by, grain)
            points: dict[str | None, list[TrendPoint]] = defaultdict(list)
            for cell in trend.cells:
                if cell.period is not None and cell.label is not None:
                    e = cell.estimate
                    point = TrendPoint(cell.period, cell.label, e.value, e.n)
                    points[cell.keys[by]].append(point)
            for cell in whole.cells:
                key = cell.keys[by]
                if key is not None:
                    summary = MetricSummary(
                        metric, whole.statistic, cell.estimate, tuple(points[key]), grain
                    )
                    found[key].append(summary)
        return {key: tuple(summaries) for key, summaries in found.items()}


@dataclass(frozen=True, slots=True)
class Counts:
    """A touchpoint's invitations of the period: fielded, sent, completed."""

    invited: int = 0
    sent: int = 0
    completed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.invited + other.invited, self.sent + other.sent, self.completed + other.completed
        )


def _invitations(
    db: Database, workspace_id: uuid.UUID, journey_key: str, since: dt.date, until: dt.date
) -> dict[str, Counts]:
    """Touchpoint key → its invitations planned in ``[since, until)`` (orchestration's funnel)."""
    report = orchestration.response_rates(
        db, workspace_id=workspace_id, by="touchpoint", since=since, until=until
    )
    found: dict[str, Counts] = {}
    for group in report.groups:
        point = group.group.get("touchpoint")
        if group.group.get("journey") != journey_key or point is None:
            continue
        c = group.counts
        sent = c.completed + c.partial + c.opened_no_answer + c.unsubscribed + c.no_contact
        sent += c.undelivered
        found[point] = Counts(sent + c.not_sent + c.pending, sent, c.completed)
    return found


def _rate(counts: Counts, confidence: float, min_n: int) -> ResponseRate:
    rate = analytics.estimate_proportion(
        successes=counts.completed, n=counts.sent, confidence=confidence, min_n=min_n
    )
    return ResponseRate(counts.invited, counts.sent, counts.completed, rate)


def _comparison(
    query: _MetricQuery, compare: str, compare_filters: Filters | None, stages: list[str]
) -> MapComparison:
    """The stages' metrics on both sides, from analytics' comparisons (one query per metric)."""
    this = MapSide("this period", query.since, query.until, _frozen(query.filters))
    if compare == "previous":
        if compare_filters:
            raise InvalidInput(
                "Compare with the previous period or with a segment, not both.",
                field="compare_segment",
            )
        found = {
            metric: analytics.compare_metric(
                query.db, workspace_id=query.workspace_id, metric=metric, since=query.since,
                until=query.until, by="stage", journey=query.journey_key,
                filters=query.filters, confidence=query.confidence, min_n=query.min_n,
            )
            for metric in MAP_METRICS
        }  # fmt: skip
        first = found[MAP_METRICS[0]]  # the period of equal length just before
        base = MapSide("previous period", first.previous_since, first.previous_until, this.filters)
        return _compared("previous", base, this, found, stages)
    if compare != "segment":
        raise InvalidInput(
            f"A map cannot be compared with {compare!r}.",
            field="compare",
            hint=f"compare with one of {', '.join(COMPARISONS)}",
        )
    replaced = _checked_filters(compare_filters or {})
    other_filters = {**query.filters, **replaced}
    if not replaced or _frozen(other_filters) == this.filters:
        raise InvalidInput(
            "Name the other segment to compare with, different from this one.",
            field="compare_segment",
        )
    base = MapSide(_label(this.filters), query.since, query.until, this.filters)
    other = MapSide(
        _label(_frozen(other_filters)), query.since, query.until, _frozen(other_filters)
    )
    found = {
        metric: analytics.compare_filters(
            query.db, workspace_id=query.workspace_id, metric=metric, since=query.since,
            until=query.until, base=query.filters, other=other_filters, by="stage",
            journey=query.journey_key, confidence=query.confidence, min_n=query.min_n,
        )
        for metric in MAP_METRICS
    }  # fmt: skip
    return _compared("segment", base, other, found, stages)


def _compared(
    kind: str,
    base: MapSide,
    other: MapSide,
    found: Mapping[str, analytics.MetricComparison],
    stages: list[str],
) -> MapComparison:
    by_stage: dict[str, list[MetricDifference]] = defaultdict(list)
    for metric, comparison in found.items():
        for cell in comparison.cells:
            key = dict(cell.group).get("stage")
            if key is not None:
                by_stage[str(key)].append(
                    MetricDifference(metric, comparison.statistic, cell.difference)
                )
    return MapComparison(
        kind, base, other, tuple(StageComparison(s, tuple(by_stage.get(s, ()))) for s in stages)
    )


def _frozen(filters: Filters) -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in sorted(filters.items())}


def _label(filters: Mapping[str, tuple[str, ...]]) -> str:
    if not filters:
        return "everyone"
    return ", ".join(f"{k} = {' or '.join(v)}" for k, v in filters.items())


def _checked_filters(filters: Filters) -> dict[str, list[str]]:
    """The filters as lists; a stage, touchpoint or question filter would empty the map."""
    for dimension in filters:
        if dimension not in FILTERABLE and not dimension.startswith("segment:"):
            raise InvalidInput(
                f"A journey map cannot be filtered by {dimension!r}.",
                field="filter",
                hint=f"filter by one of {', '.join(FILTERABLE)} or segment:<attribute>",
            )
    return {k: [v] if isinstance(v, str) else list(v) for k, v in filters.items()}


def _changes(db: Database, workspace_id: uuid.UUID, journey_key: str) -> list[ChangeMark]:
    """The journey's current changes (the last detection pass's), up to :data:`MAX_CHANGES`."""
    marks: list[ChangeMark] = []
    cursor: str | None = None
    while len(marks) < MAX_CHANGES:
        page = analytics.list_changes(
            db, workspace_id=workspace_id, journey=journey_key, cursor=cursor, limit=200
        )
        marks += [
            ChangeMark(
                touchpoint=c.touchpoint,
                metric=c.metric,
                statistic=c.statistic,
                direction=c.direction,
                started_on=c.started_on,
                size=c.size,
                low=c.low,
                high=c.high,
                p_value=c.p_value,
                is_recent=c.is_recent,
            )
            for c in page.items
        ]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return marks


def _findings(stored: interviews.StoredInterview) -> tuple[Finding, ...]:
    return stored.analysis.findings if stored.analysis is not None else ()


def _valences_by_stage(
    analysed: Sequence[interviews.StoredInterview],
) -> dict[str, dict[uuid.UUID, list[float]]]:
    """Stage key → interview id → the valences of its customer turns about that stage."""
    found: dict[str, dict[uuid.UUID, list[float]]] = defaultdict(lambda: defaultdict(list))
    for stored in analysed:
        for turn in stored.analysis.utterances if stored.analysis is not None else ():
            if turn.annotation is not None and turn.stage is not None:
                found[turn.stage.stage][stored.interview.id].append(turn.annotation.valence)
    return found


def _mix(group: verbatims.VerbatimGroup | None) -> VerbatimMix:
    if group is None:
        return VerbatimMix(0, None, {}, 0)
    return VerbatimMix(group.verbatims, group.valence, dict(group.emotions), group.minimized)


def _days_before(day: dt.date, days: int) -> dt.date:
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:
        raise InvalidInput(
            f"There are not {days} days before {day} to show by default.",
            field="until",
            hint="give since as well, or a later until",
        ) from None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)
