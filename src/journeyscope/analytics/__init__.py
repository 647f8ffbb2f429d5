"""Analytics: metrics with intervals, comparisons, rollups, key drivers and response rates.

Owns DESIGN.md §3's ``analytics/`` domain. The statistics are pure: estimates with
confidence intervals and a minimum-n rule (``estimates``), differences between periods or
segments with p-values (``differences``), the same from score histograms (``scores``), time
grains (``periods``), dimensions (``dimensions``), relative importance of key drivers and the
importance-performance grid (``drivers``, ``quadrants``), AAPOR outcome rates
(``response_rates``) and change detection (``changes``). Every result is a frozen object that
names its method and carries ``n``.

The database part: the rollups kept current as responses complete and rebuilt from facts
(``rollups``), metric queries answered from them (``queries``, results in ``results``), the
scheduled change detection over their daily series (``monitoring``), a touchpoint's seasonal
baseline as that detection saw it (``baselines``), the key drivers of a survey's completed
answers (``driver_queries``; at one touchpoint, ``touchpoint_drivers``) and how many answers
the rollups counted, the live pages' cheap check (``freshness``). Only those modules import
the store (and SQLAlchemy); they read the journey, survey, contact and response tables
directly, because analytics sits below those domains, which call it. Nothing here imports
FastAPI, the doors or other domains; pandas and polars are accepted as inputs and made on
request, never imported at load. See ``docs/analytics.md``.
"""

from __future__ import annotations

from journeyscope.analytics.baselines import touchpoint_baseline
from journeyscope.analytics.changes import (
    DEFAULT_SEASONAL_PERIODS,
    Baseline,
    Change,
    ChangeReport,
    DailySeries,
    detect_changes,
    detect_changes_many,
    seasonal_baseline,
)
from journeyscope.analytics.differences import (
    Difference,
    compare_means,
    compare_nps,
    compare_proportions,
)
from journeyscope.analytics.dimensions import check_segments
from journeyscope.analytics.driver_queries import (
    CompetitorView,
    DriverResult,
    FactorShare,
    KeyDrivers,
    key_drivers,
)
from journeyscope.analytics.drivers import (
    MAX_LMG_DRIVERS,
    Interval,
    RelativeImportance,
    relative_importance,
)
from journeyscope.analytics.estimates import (
    DEFAULT_MIN_N,
    Estimate,
    NpsCounts,
    estimate_mean,
    estimate_nps,
    estimate_proportion,
    too_few,
)
from journeyscope.analytics.freshness import answers_counted
from journeyscope.analytics.monitoring import (
    ChangePass,
    DetectedChange,
    detect_metric_changes,
    list_changes,
)
from journeyscope.analytics.periods import GRAINS, period_label, period_start
from journeyscope.analytics.quadrants import Placement, Quadrant, place_drivers
from journeyscope.analytics.queries import compare_filters, compare_metric, metric_table
from journeyscope.analytics.response_rates import RATE_NAMES, ResponseRates, aapor_rates
from journeyscope.analytics.results import (
    ComparisonCell,
    MetricCell,
    MetricComparison,
    MetricTable,
)
from journeyscope.analytics.rollups import (
    RebuildReport,
    RollupDifference,
    copy_segment_snapshots,
    rebuild_rollups,
    record_completed,
    refill_rollups,
)
from journeyscope.analytics.scores import DEFAULT_STATISTIC, METRICS, STATISTICS
from journeyscope.analytics.touchpoint_drivers import touchpoint_drivers

__all__ = [
    "DEFAULT_MIN_N",
    "DEFAULT_SEASONAL_PERIODS",
    "DEFAULT_STATISTIC",
    "GRAINS",
    "MAX_LMG_DRIVERS",
    "METRICS",
    "RATE_NAMES",
    "STATISTICS",
    "Baseline",
    "Change",
    "ChangePass",
    "ChangeReport",
    "ComparisonCell",
    "CompetitorView",
    "DailySeries",
    "DetectedChange",
    "Difference",
    "DriverResult",
    "Estimate",
    "FactorShare",
    "Interval",
    "KeyDrivers",
    "MetricCell",
    "MetricComparison",
    "MetricTable",
    "NpsCounts",
    "Placement",
    "Quadrant",
    "RebuildReport",
    "RelativeImportance",
    "ResponseRates",
    "RollupDifference",
    "aapor_rates",
    "answers_counted",
    "check_segments",
    "compare_filters",
    "compare_means",
    "compare_metric",
    "compare_nps",
    "compare_proportions",
    "copy_segment_snapshots",
    "detect_changes",
    "detect_changes_many",
    "detect_metric_changes",
    "estimate_mean",
    "estimate_nps",
    "estimate_proportion",
    "key_drivers",
    "list_changes",
    "metric_table",
    "period_label",
    "period_start",
    "place_drivers",
    "rebuild_rollups",
    "record_completed",
    "refill_rollups",
    "relative_importance",
    "seasonal_baseline",
    "too_few",
    "touchpoint_baseline",
    "touchpoint_drivers",
]
