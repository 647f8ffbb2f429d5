"""The seasonal baseline: the season change detection removes plus the level between changes."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from changes_support import simulate_nps
from journeyscope.analytics import DailySeries, detect_changes, seasonal_baseline
from journeyscope.errors import InvalidInput


def test_the_baseline_steps_at_the_detected_drop_and_follows_the_level_either_side() -> None:
    series = simulate_nps(400, seed=1, drop_at=300, drop=0.15)
    assert series.start is not None
    found = detect_changes(series).changes
    days = [c.start for c in found if c.start is not None]
    change = min(found, key=lambda c: abs(c.index - 300))
    assert change.start is not None and abs(change.index - 300) <= 7
    baseline = seasonal_baseline(series, changes=days)
    assert baseline is not None and baseline.start == series.start
    assert len(baseline.values) == len(series.values) == len(baseline.counts)
    i = days.index(change.start)
    first = days[i - 1] if i else series.start
    last = days[i + 1] if i + 1 < len(days) else series.start + timedelta(days=400)
    before = baseline.mean_over(first, change.start)
    after = baseline.mean_over(change.start, last)
    assert before is not None and after is not None
    assert after - before == pytest.approx(change.size, abs=0.02)


def test_without_changes_the_baseline_is_the_season_around_one_level() -> None:
    series = simulate_nps(120, seed=2, gaps=0)
    baseline = seasonal_baseline(series)
    assert baseline is not None
    values, weights = series.arrays()
    observed = float(np.average(values, weights=weights))
    assert baseline.mean_over(series.start, series.start + timedelta(days=120)) == pytest.approx(
        observed, abs=0.01
    )
    assert baseline.periods == (7.0,)  # no year of history: the week only


def test_a_week_mean_weighs_each_day_by_its_answers() -> None:
    start = date(2026, 1, 5)
    series = DailySeries(values=[0.0] * 14 + [1.0] * 14, counts=[10] * 28, start=start)
    baseline = seasonal_baseline(series, changes=[start + timedelta(days=14)], seasonal_periods=())
    assert baseline is not None
    assert baseline.mean_over(start, start + timedelta(days=7)) == pytest.approx(0.0)
    assert baseline.mean_over(start + timedelta(days=14), start + timedelta(days=21)) == (
        pytest.approx(1.0)
    )
    assert baseline.mean_over(start + timedelta(days=40), start + timedelta(days=47)) is None


def test_too_few_days_have_no_baseline() -> None:
    assert seasonal_baseline(DailySeries(values=[0.1] * 5, start=date(2026, 1, 1))) is None


def test_changes_need_a_dated_series() -> None:
    with pytest.raises(InvalidInput):
        seasonal_baseline(DailySeries(values=[0.1] * 30), changes=[date(2026, 1, 1)])
