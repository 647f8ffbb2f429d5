"""`/v1/metrics`: NPS, CSAT, CES and ratings by group and period, each with its interval and n.

A thin door over ``analytics.metric_table`` and ``analytics.compare_metric``: the query
parameters mirror their arguments (``filters`` are ``dimension=value`` strings, repeatable),
and every answer is read from the rollups, which are current as of the moment the request
ran (they are updated in the transaction that completes each response).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import analytics
from journeyscope.analytics import Difference, Estimate, MetricCell, MetricTable
from journeyscope.errors import InvalidInput
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], responses=PROBLEM_RESPONSES)

MetricName = Literal["nps", "csat", "ces", "rating"]
GrainName = Literal["day", "week", "month", "quarter"]
StatisticName = Literal["nps", "top2", "mean"]
DIMENSION = r"^(stage|touchpoint|channel|survey|question|language|device_class|segment:[A-Za-z0-9_][A-Za-z0-9_.-]{0,62})$"  # noqa: E501
FILTER = r"^(stage|touchpoint|channel|survey|question|language|device_class|segment:[A-Za-z0-9_][A-Za-z0-9_.-]{0,62})=.{1,200}$"  # noqa: E501

By = Annotated[
    list[Annotated[str, Query(pattern=DIMENSION)]],
    Query(
        max_length=3,
        description="Group by (repeatable): stage, touchpoint, channel, survey, question, "
        "language, device_class or segment:<attribute>. A segment, language or device_class "
        "combines only with stage and touchpoint.",
    ),
]
Filters = Annotated[
    list[Annotated[str, Query(pattern=FILTER)]],
    Query(max_length=20, description="`dimension=value` (repeatable; values of one dimension "
          "are alternatives), e.g. `channel=email`, `segment:tier=gold`."),
]  # fmt: skip
Journey = Annotated[
    str | None, Query(max_length=63, description="Only this journey's touchpoints.")
]
Confidence = Annotated[float, Query(gt=0, lt=1, description="The intervals' confidence level.")]
MinN = Annotated[
    int, Query(ge=0, le=1_000_000, description="Fewer responses: too few (value null, n given).")
]
Statistic = Annotated[
    StatisticName | None,
    Query(description="nps for NPS; top2 (CSAT's default) or mean (CES's and ratings') else."),
]


class EstimateView(BaseModel):
    """An estimate with its interval; below min_n the value and interval are null."""

    model_config = ConfigDict(frozen=True)

    value: float | None = Field(description="NPS on -1…1, a 0…1 share, or a mean score.")
    low: float | None
    high: float | None
    n: int = Field(description="Responses behind the estimate (always given).")
    is_too_few: bool = Field(description="Fewer than min_n responses: no number is given.")
    method: str = Field(description="adjusted-wald (NPS), wilson (shares) or t (means).")


def estimate_view(e: Estimate) -> EstimateView:
    """An estimate as the API shows it (shared by the metrics and drivers routes)."""
    return EstimateView(
        value=e.value, low=e.low, high=e.high, n=e.n, is_too_few=e.is_too_few, method=e.method
    )


class CellView(EstimateView):
    """One group in one period."""

    group: dict[str, str | None] = Field(description="Dimension to value (null: none).")
    period: dt.date | None = Field(description="The period's first day (UTC); null: no grain.")
    label: str | None = Field(description="2026-W10, 2026-03, 2026-Q1 or the day.")


class MetricsView(BaseModel):
    """A metric by groups and periods."""

    model_config = ConfigDict(frozen=True)

    metric: MetricName
    statistic: StatisticName
    by: list[str]
    grain: GrainName | None
    since: dt.date | None
    until: dt.date | None
    confidence: float
    min_n: int
    as_of: dt.datetime = Field(description="Every response completed before this is counted.")
    freshness: str = Field(description="`transactional`: rollups move with each completion.")
    data: list[CellView]


def _cell(cell: MetricCell) -> CellView:
    return CellView(
        **estimate_view(cell.estimate).model_dump(),
        group=cell.keys,
        period=cell.period,
        label=cell.label,
    )


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    """`dimension=value` strings as dimension → values (values of one are alternatives)."""
    kept: dict[str, list[str]] = {}
    for item in items:
        name, _, value = item.partition("=")
        kept.setdefault(name, []).append(value)
    return kept


def _view(table: MetricTable) -> MetricsView:
    return MetricsView.model_validate(
        {
            "metric": table.metric,
            "statistic": table.statistic,
            "by": list(table.by),
            "grain": table.grain,
            "since": table.since,
            "until": table.until,
            "confidence": table.confidence,
            "min_n": table.min_n,
            "as_of": table.as_of,
            "freshness": table.freshness,
            "data": [_cell(c) for c in table.cells],
        }
    )


@router.get("")
def get_metrics(
    db: DbDep,
    workspace_id: WorkspaceDep,
    metric: Annotated[MetricName, Query(description="nps, csat, ces or rating.")],
    by: By = [],  # noqa: B006 - FastAPI copies query defaults
    grain: Annotated[GrainName | None, Query(description="ISO week; default: none.")] = None,
    since: Annotated[dt.date | None, Query(description="First UTC day included.")] = None,
    until: Annotated[dt.date | None, Query(description="First UTC day left out.")] = None,
    journey: Journey = None,
    filters: Filters = [],  # noqa: B006
    statistic: Statistic = None,
    confidence: Confidence = 0.95,
    min_n: MinN = analytics.DEFAULT_MIN_N,
) -> MetricsView:
    """A metric by group (stage, touchpoint, channel, survey, segment...) and time period.

    Every cell has the estimate, its interval, `n` and whether it is below `min_n` (then
    the value is null and only `n` is given). Read from the rollups, never raw responses.
    """
    table = analytics.metric_table(
        db,
        workspace_id=workspace_id,
        metric=metric,
        by=by,
        grain=grain,
        since=since,
        until=until,
        journey=journey,
        filters=parse_filters(filters),
        statistic=statistic,
        confidence=confidence,
        min_n=min_n,
    )
    return _view(table)


class DifferenceView(BaseModel):
    """current - previous, with its interval and two-sided p-value (null: too few)."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    low: float | None
    high: float | None
    p_value: float | None
    method: str


class ComparisonCellView(BaseModel):
    """One group in both periods."""

    model_config = ConfigDict(frozen=True)

    group: dict[str, str | None]
    previous: EstimateView
    current: EstimateView
    difference: DifferenceView


class ComparisonView(BaseModel):
    """A metric by groups in a period against the previous one."""

    model_config = ConfigDict(frozen=True)

    metric: MetricName
    statistic: StatisticName
    by: list[str]
    since: dt.date
    until: dt.date
    previous_since: dt.date
    previous_until: dt.date
    confidence: float
    min_n: int
    as_of: dt.datetime
    data: list[ComparisonCellView]


def difference_view(d: Difference) -> DifferenceView:
    """A difference as the API shows it (shared by the metrics and drivers routes)."""
    return DifferenceView(value=d.value, low=d.low, high=d.high, p_value=d.p_value, method=d.method)


@router.get("/compare")
def compare_metrics(
    db: DbDep,
    workspace_id: WorkspaceDep,
    metric: Annotated[MetricName, Query(description="nps, csat, ces or rating.")],
    since: Annotated[dt.date, Query(description="First UTC day of the current period.")],
    until: Annotated[dt.date, Query(description="First UTC day after it.")],
    previous_since: Annotated[
        dt.date | None, Query(description="Default: the same length just before since.")
    ] = None,
    previous_until: Annotated[dt.date | None, Query(description="Default: since.")] = None,
    by: By = [],  # noqa: B006
    journey: Journey = None,
    filters: Filters = [],  # noqa: B006
    statistic: Statistic = None,
    confidence: Confidence = 0.95,
    min_n: MinN = analytics.DEFAULT_MIN_N,
) -> ComparisonView:
    """A metric by group in one period against the previous one, with the difference.

    Each group has both periods' estimates and the difference (current - previous) with its
    interval and p-value. Give both `previous_since` and `previous_until`, or neither.
    """
    if (previous_since is None) != (previous_until is None):
        raise InvalidInput(
            "Give both previous_since and previous_until, or neither.", field="previous_since"
        )
    previous = None if previous_since is None or previous_until is None else (
        previous_since, previous_until
    )  # fmt: skip
    result = analytics.compare_metric(
        db,
        workspace_id=workspace_id,
        metric=metric,
        since=since,
        until=until,
        previous=previous,
        by=by,
        journey=journey,
        filters=parse_filters(filters),
        statistic=statistic,
        confidence=confidence,
        min_n=min_n,
    )
    return ComparisonView(
        metric=metric,
        statistic=result.statistic,
        by=list(result.by),
        since=result.since,
        until=result.until,
        previous_since=result.previous_since,
        previous_until=result.previous_until,
        confidence=confidence,
        min_n=min_n,
        as_of=result.as_of,
        data=[
            ComparisonCellView(
                group=dict(c.group),
                previous=estimate_view(c.previous),
                current=estimate_view(c.current),
                difference=difference_view(c.difference),
            )
            for c in result.cells
        ],
    )
