"""The drill-down's two charts as Vega-Lite specs: plain JSON, built on the server.

The page embeds each spec in a ``<script type="application/json">`` block and
``static/app/charts.js`` draws it with the vendored vega-embed; the tables beside the charts
carry the same figures for a reader without script. Every plotted point carries its words
(value, interval, ``n``, method) for the tooltip, so hovering says what a number is. Dates are
UTC days and the time axis is drawn in UTC (``utc`` time units), whatever the reader's zone.

Pure: takes the analytics results, returns dicts; no database, no template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from journeyscope.analytics import DetectedChange, DriverResult, Estimate

SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v6.json"
"""Names the spec's dialect only: nothing is fetched from it."""
UNITS: Final = {"nps": "NPS (-100 to +100)", "csat": "CSAT (% satisfied)", "ces": "CES (mean)"}
WIDTH: Final = "container"
HEIGHT: Final = 260


@dataclass(frozen=True, slots=True)
class ChartWeek:
    """One week of the metric: its estimate and the baseline change detection expected."""

    label: str  # e.g. 2026-W14
    start: dt.date
    estimate: Estimate
    baseline: float | None  # in the statistic's units, like the estimate
    figure: str  # the estimate as people read it, or "too few"
    explained: str  # its interval, n and method, or why there is no number


def scaled(metric: str, value: float) -> float:
    """A statistic in the units the page shows: NPS and CSAT in points, CES as it is."""
    return round(value * 100, 1) if metric in ("nps", "csat") else round(value, 2)


def metric_spec(
    metric: str, weeks: Sequence[ChartWeek], changes: Sequence[DetectedChange]
) -> dict[str, Any]:
    """The metric per week: its interval band, the estimate, the baseline and the changes."""
    rows = [_week_row(metric, w) for w in weeks]
    measured = [r for r in rows if r["value"] is not None]
    marks = [
        {
            "start": c.started_on.isoformat(),
            "change": f"{'▼' if c.direction == 'down' else '▲'} {c.direction} since "
            f"{c.started_on.isoformat()} (UTC): {scaled(metric, c.size):+g} "
            f"({scaled(metric, c.low):+g} to {scaled(metric, c.high):+g}), "
            f"n={c.n_before} before and {c.n_after} after, p={c.p_value:.2g}, change detection",
            "direction": c.direction,
        }
        for c in changes
    ]
    x = {
        "field": "start",
        "type": "temporal",
        "timeUnit": "utcyearmonthdate",
        "title": "Week starting (UTC)",
    }
    y_title = UNITS[metric]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": measured},
            "mark": {"type": "area", "opacity": 0.25, "color": "#3b6ea5"},
            "encoding": {
                "x": x,
                "y": {"field": "low", "type": "quantitative", "title": y_title},
                "y2": {"field": "high"},
                "tooltip": _tooltip(),
            },
        },
        {
            "data": {"values": measured},
            "mark": {"type": "line", "point": True, "color": "#1f4e79"},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative"},
                "tooltip": _tooltip(),
            },
        },
        {
            "data": {"values": [r for r in rows if r["baseline"] is not None]},
            "mark": {"type": "line", "strokeDash": [6, 4], "color": "#6b6b6b"},
            "encoding": {
                "x": x,
                "y": {"field": "baseline", "type": "quantitative"},
                "tooltip": [
                    {"field": "week", "title": "Week (UTC)"},
                    {"field": "baseline", "title": "Expected (seasonal baseline)"},
                ],
            },
        },
    ]
    if marks:
        layers.append(
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "x": {**x, "title": None},
                    "color": {
                        "field": "direction",
                        "type": "nominal",
                        "scale": {"domain": ["down", "up"], "range": ["#b3261e", "#1e7b34"]},
                        "legend": {"title": "Detected change"},
                    },
                    "tooltip": [{"field": "change", "title": "Detected change"}],
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "description": f"{y_title} per week (UTC) with its interval band, the seasonal "
        "baseline change detection expected (dashed) and the changes it detected.",
        "width": WIDTH,
        "height": HEIGHT,
        "layer": layers,
    }


def _tooltip() -> list[dict[str, str]]:
    return [
        {"field": "week", "title": "Week (UTC)"},
        {"field": "figure", "title": "Value"},
        {"field": "explained", "title": "Interval, n, method"},
    ]


def _week_row(metric: str, week: ChartWeek) -> dict[str, Any]:
    e = week.estimate
    return {
        "week": week.label,
        "start": week.start.isoformat(),
        "value": None if e.value is None else scaled(metric, e.value),
        "low": None if e.low is None else scaled(metric, e.low),
        "high": None if e.high is None else scaled(metric, e.high),
        "n": e.n,
        "method": e.method,
        "figure": week.figure,
        "explained": week.explained,
        "baseline": None if week.baseline is None else scaled(metric, week.baseline),
    }


def drivers_spec(drivers: Sequence[DriverResult], *, n: int, method: str) -> dict[str, Any]:
    """The importance x performance grid: one point per driver, cut lines at the means."""
    rows = [
        {
            "driver": d.driver,
            "share": round(d.share * 100, 1),
            "performance": round(d.performance, 2),
            "quadrant": d.quadrant.value,
            "about": f"{d.share:.0%} of the explained variance (R² share {d.importance:.3f}), "
            f"mean rating {d.performance:.2f}, n={n}, {method}",
        }
        for d in drivers
    ]
    mean_share = 100 * sum(d.share for d in drivers) / len(drivers) if drivers else 0.0
    mean_perf = sum(d.performance for d in drivers) / len(drivers) if drivers else 0.0
    x = {"field": "share", "type": "quantitative", "title": "Importance (% of explained variance)"}
    y = {
        "field": "performance",
        "type": "quantitative",
        "title": "Performance (mean rating)",
        "scale": {"zero": False},
    }
    tooltip = [
        {"field": "driver", "title": "Driver"},
        {"field": "quadrant", "title": "Quadrant"},
        {"field": "about", "title": "Importance, performance, n, method"},
    ]
    return {
        "$schema": SCHEMA,
        "description": "Key drivers: importance (share of explained variance) against "
        "performance (mean rating), with the quadrant lines at their means.",
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#6b6b6b", "aria": False},
                "encoding": {"x": {"datum": round(mean_share, 1)}},
            },
            {
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#6b6b6b", "aria": False},
                "encoding": {"y": {"datum": round(mean_perf, 2)}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 90, "color": "#1f4e79"},
                "encoding": {"x": x, "y": y, "tooltip": tooltip},
            },
            {
                "mark": {"type": "text", "dy": -12},
                "encoding": {"x": x, "y": y, "text": {"field": "driver"}},
            },
        ],
    }
