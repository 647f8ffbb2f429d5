"""The drill-down's Vega-Lite specs: every plotted week says what it is; UTC time units."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from journeyscope.analytics import DetectedChange, DriverResult, Estimate, Quadrant
from journeyscope.web.pages.touchpoint_chart import ChartWeek, drivers_spec, metric_spec

MONDAY = dt.date(2026, 3, 2)


def _week(i: int, value: float | None, n: int) -> ChartWeek:
    estimate = (
        Estimate(value, value - 0.1, value + 0.1, n, "adjusted-wald", 0.95)
        if value is not None
        else Estimate(None, None, None, n, "adjusted-wald", 0.95)
    )
    return ChartWeek(
        f"2026-W{10 + i}", MONDAY + dt.timedelta(weeks=i), estimate, 0.2, "+20", "n=40 and so on"
    )


def _change() -> DetectedChange:
    return DetectedChange(
        uuid.uuid4(), "retail", "buy", "till", "nps", "nps", MONDAY + dt.timedelta(days=9),
        "down", -0.3, -0.4, -0.2, 0.4, 0.1, 0.001, 300, 120, True, 0.95,
        dt.datetime(2026, 3, 20, tzinfo=dt.UTC),
    )  # fmt: skip


def test_too_few_weeks_are_not_plotted_but_the_baseline_is() -> None:
    spec = metric_spec("nps", [_week(0, 0.3, 40), _week(1, None, 3)], [_change()])
    _, line, baseline, changes = spec["layer"]
    assert [r["week"] for r in line["data"]["values"]] == ["2026-W10"]
    assert line["data"]["values"][0]["value"] == 30.0  # NPS points
    assert len(baseline["data"]["values"]) == 2
    assert changes["data"]["values"][0]["start"] == "2026-03-11"
    assert "n=300 before and 120 after" in changes["data"]["values"][0]["change"]
    assert line["encoding"]["x"]["timeUnit"].startswith("utc")
    json.dumps(spec)  # plain JSON


def test_no_changes_draw_no_rules() -> None:
    assert len(metric_spec("ces", [_week(0, 2.5, 40)], [])["layer"]) == 3


def test_the_drivers_grid_has_a_point_per_driver_and_the_cut_lines_at_the_means() -> None:
    drivers = [
        DriverResult("speed", 0.3, 0.6, None, None, 3.0, Quadrant.CONCENTRATE_HERE),
        DriverResult("value", 0.2, 0.4, None, None, 4.0, Quadrant.POSSIBLE_OVERKILL),
    ]
    spec = drivers_spec(drivers, n=120, method="lmg share of R²")
    x_cut, y_cut, _, _ = spec["layer"]
    assert x_cut["encoding"]["x"]["datum"] == 50.0 and y_cut["encoding"]["y"]["datum"] == 3.5
    rows = spec["data"]["values"]
    assert [r["share"] for r in rows] == [60.0, 40.0]
    assert all("n=120" in r["about"] for r in rows)
