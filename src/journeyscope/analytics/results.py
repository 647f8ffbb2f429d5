"""Frozen results of metric queries, with tidy records for pandas or polars.

pandas and polars are optional: :meth:`MetricTable.to_pandas` and ``to_polars`` import them
when called and say how to install them when missing. Nothing else here imports them.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from journeyscope.analytics.differences import Difference
from journeyscope.analytics.estimates import Estimate
from journeyscope.errors import InvalidInput

Group = tuple[tuple[str, str | None], ...]
"""``((dimension, value), ...)`` in the order of the query's ``by``."""


@dataclass(frozen=True, slots=True)
class MetricCell:
    """One group in one period: its estimate with interval and ``n``.

    Attributes:
        group: ``((dimension, value), ...)``; ``None`` values are facts without a touchpoint.
        period: The period's first day, or ``None`` when the query had no grain.
        label: The period's name (``2024-W10``, ``2024-03``, ``2024-Q1``, a day), or ``None``.
        estimate: The statistic's :class:`Estimate` (too few below the query's ``min_n``).
    """

    group: Group
    period: dt.date | None
    label: str | None
    estimate: Estimate

    @property
    def keys(self) -> dict[str, str | None]:
        """The group as a mapping from dimension to value."""
        return dict(self.group)

    def to_record(self) -> dict[str, Any]:
        """One flat row: the group's dimensions, the period and the estimate's fields."""
        e = self.estimate
        return {
            **self.keys,
            "period": self.period,
            "label": self.label,
            **_estimate_fields(e),
        }


def _estimate_fields(e: Estimate, prefix: str = "") -> dict[str, Any]:
    return {
        f"{prefix}value": e.value,
        f"{prefix}low": e.low,
        f"{prefix}high": e.high,
        f"{prefix}n": e.n,
        f"{prefix}is_too_few": e.is_too_few,
        f"{prefix}method": e.method,
    }


def _frame(library: str, records: list[dict[str, Any]]) -> Any:
    try:
        module = importlib.import_module(library)
    except ImportError:
        raise InvalidInput(
            f"{library} is not installed.",
            field=library,
            hint=f"pip install {library} (or use to_records())",
        ) from None
    return module.DataFrame(records)


@dataclass(frozen=True, slots=True)
class MetricTable:
    """A metric by groups and periods, every cell with its interval and ``n``.

    Attributes:
        metric: ``nps``, ``csat``, ``ces`` or ``rating``.
        statistic: ``nps`` (-1…1), ``top2`` (a 0…1 share) or ``mean`` (the scale's units).
        by: The dimensions grouped by.
        grain: ``day``, ``week``, ``month``, ``quarter`` or ``None``.
        since: First day included (UTC), or ``None``.
        until: First day not included, or ``None``.
        filters: The filters applied, dimension to the values kept.
        confidence: The intervals' confidence level.
        min_n: Cells with fewer responses are too few.
        as_of: When the query ran; the rollups count every response completed before it.
        cells: Groups in journey order (or by name), periods in time order.
    """

    metric: str
    statistic: str
    by: tuple[str, ...]
    grain: str | None
    since: dt.date | None
    until: dt.date | None
    filters: Mapping[str, tuple[str, ...]]
    confidence: float
    min_n: int
    as_of: dt.datetime
    cells: tuple[MetricCell, ...]

    freshness = "transactional"
    """Rollups are updated in the transaction that completes each response."""

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per cell (no library needed)."""
        return [cell.to_record() for cell in self.cells]

    def to_pandas(self) -> Any:
        """The cells as a pandas DataFrame (pandas must be installed)."""
        return _frame("pandas", self.to_records())

    def to_polars(self) -> Any:
        """The cells as a polars DataFrame (polars must be installed)."""
        return _frame("polars", self.to_records())


@dataclass(frozen=True, slots=True)
class ComparisonCell:
    """One group's estimate in two periods and the difference ``current - previous``."""

    group: Group
    previous: Estimate
    current: Estimate
    difference: Difference

    def to_record(self) -> dict[str, Any]:
        """One flat row: the group, both estimates and the difference with its p-value."""
        d = self.difference
        return {
            **dict(self.group),
            **_estimate_fields(self.previous, "previous_"),
            **_estimate_fields(self.current, "current_"),
            "difference": d.value,
            "difference_low": d.low,
            "difference_high": d.high,
            "p_value": d.p_value,
        }


@dataclass(frozen=True, slots=True)
class MetricComparison:
    """A metric by groups in two periods, each group with the difference's interval.

    ``[since, until)`` is compared against ``[previous_since, previous_until)``; each cell
    has both estimates and the difference (current - previous) with its p-value.
    """

    metric: str
    statistic: str
    by: tuple[str, ...]
    since: dt.date
    until: dt.date
    previous_since: dt.date
    previous_until: dt.date
    confidence: float
    min_n: int
    as_of: dt.datetime
    cells: tuple[ComparisonCell, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per group (no library needed)."""
        return [cell.to_record() for cell in self.cells]

    def to_pandas(self) -> Any:
        """The groups as a pandas DataFrame (pandas must be installed)."""
        return _frame("pandas", self.to_records())

    def to_polars(self) -> Any:
        """The groups as a polars DataFrame (polars must be installed)."""
        return _frame("polars", self.to_records())
