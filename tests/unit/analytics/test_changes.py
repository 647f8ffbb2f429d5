"""Change detection on simulated daily NPS: the season does not alert, a real drop does."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from changes_support import DIP_DAYS, DIP_FIRST_DAY, START, simulate_nps
from journeyscope.analytics import DailySeries, detect_changes, detect_changes_many
from journeyscope.analytics.fdr import benjamini_hochberg
from journeyscope.analytics.segmentation import scan_p_value
from journeyscope.errors import InvalidInput

DROP_AT = 600  # day 600 of two years: in the second year, after the first year's dip was seen


def prefix(series: DailySeries, days: int) -> DailySeries:
    """What the worker sees on day ``days - 1``: the history up to and including it."""
    assert series.counts is not None
    return DailySeries(series.values[:days], series.counts[:days], series.start)


def test_seasonal_dip_does_not_alert_when_it_repeats():
    series = simulate_nps(730, seed=1)
    second_dip_end = 365 + DIP_FIRST_DAY + DIP_DAYS
    for today in (365 + DIP_FIRST_DAY + 7, second_dip_end, 730):
        report = detect_changes(prefix(series, today))
        assert report.changes == (), today


def test_yearly_season_is_removed_once_a_year_precedes_the_window():
    assert detect_changes(simulate_nps(730, seed=1)).periods == (7.0, 365.0)


def test_before_a_year_only_the_week_is_removed():
    assert detect_changes(simulate_nps(300, seed=1)).periods == (7.0,)


def test_planted_drop_is_flagged_within_seven_days():
    """Run as the worker would, each day on the history so far; the start it names may be off
    by a week or two (a few days of noise look alike), the alarm must come within 7 days."""
    series = simulate_nps(730, seed=0, drop_at=DROP_AT)
    first_alarm = None
    for today in range(DROP_AT, DROP_AT + 8):
        changes = detect_changes(prefix(series, today + 1)).changes
        if any(c.index >= DROP_AT - 14 and c.direction == "down" for c in changes):
            first_alarm = today
            break
    assert first_alarm is not None
    assert first_alarm - DROP_AT <= 7


def test_planted_drop_names_its_start_date():
    series = simulate_nps(730, seed=0, drop_at=DROP_AT)
    (change,) = detect_changes(prefix(series, DROP_AT + 28)).changes
    assert change.start == START + timedelta(days=change.index)
    assert abs(change.index - DROP_AT) <= 14
    assert change.direction == "down"


def test_size_interval_covers_the_planted_drop_in_most_series():
    """A 95% interval conditional on the day found: it covers -0.08 in at least 8 of 10."""
    covered = 0
    for seed in range(10):
        series = prefix(simulate_nps(730, seed=seed, drop_at=DROP_AT), DROP_AT + 28)
        drops = [c for c in detect_changes(series).changes if c.index >= DROP_AT - 28]
        covered += any(c.low <= -0.08 <= c.high for c in drops)
    assert covered >= 8


def test_many_unchanged_series_flag_almost_none():
    many = {f"touchpoint-{i}": simulate_nps(730, seed=100 + i) for i in range(50)}
    reports = detect_changes_many(many, fdr=0.05)
    assert sum(len(r.changes) for r in reports.values()) <= 1


@pytest.mark.slow
def test_false_alarm_rate_is_near_nominal_over_seeds():
    """Series-level p-values of unchanged series: share under 0.05 is at most about 0.05."""
    p_values = [detect_changes(simulate_nps(730, seed=1000 + i)).p_value for i in range(60)]
    assert np.mean(np.array(p_values) <= 0.05) <= 0.10


def test_many_series_find_the_one_that_dropped():
    many = {f"touchpoint-{i}": simulate_nps(730, seed=200 + i) for i in range(20)}
    many["dropped"] = prefix(simulate_nps(730, seed=0, drop_at=DROP_AT), DROP_AT + 60)
    reports = detect_changes_many(many, fdr=0.05)
    flagged = {key for key, report in reports.items() if report.changes}
    assert flagged == {"dropped"}


def test_plain_values_find_an_obvious_shift():
    rng = np.random.default_rng(3)
    values = np.r_[rng.normal(0, 1, 100), rng.normal(3, 1, 100)]
    report = detect_changes(values.tolist(), seasonal_periods=())
    assert [c.index for c in report.changes] == [100]
    assert report.changes[0].direction == "up"


def test_gaps_are_skipped_not_read_as_zero():
    rng = np.random.default_rng(4)
    values: list[float | None] = [float(v) for v in rng.normal(5, 0.1, 120)]
    for day in range(40, 60):
        values[day] = None
    assert detect_changes(values, seasonal_periods=()).changes == ()


def test_counts_must_match_values():
    with pytest.raises(InvalidInput):
        DailySeries([0.1, 0.2], [10])


def test_negative_counts_are_refused():
    with pytest.raises(InvalidInput):
        DailySeries([0.1, 0.2], [10, -1])


def test_alpha_outside_zero_one_is_refused():
    with pytest.raises(InvalidInput):
        detect_changes([0.0] * 30, alpha=1.5)


def test_too_short_a_series_reports_nothing():
    report = detect_changes([0.1, 0.2, 0.3])
    assert report.changes == ()
    assert report.p_value == 1.0


def test_benjamini_hochberg_matches_a_worked_example():
    # Benjamini & Hochberg (1995), section 4: 15 p-values, q = 0.05, the 4 smallest rejected.
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
         0.4262, 0.5719, 0.6528, 0.7590, 1.0000]  # fmt: skip
    assert benjamini_hochberg(p, q=0.05) == [True] * 4 + [False] * 11


def test_scan_p_value_is_at_least_the_pointwise_p_value():
    assert scan_p_value(3.0, 0.3, 0.31) >= 0.0026


def test_scan_p_value_grows_with_the_range_scanned():
    assert scan_p_value(3.0, 0.01, 0.99) > scan_p_value(3.0, 0.9, 0.99)


def ar1(size: int, rho: float, seed: int) -> np.ndarray:
    """AR(1) noise with unit innovations: a wandering level with no shift in it."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 1, size)
    out = np.empty(size)
    out[0] = noise[0]
    for t in range(1, size):
        out[t] = rho * out[t - 1] + noise[t]
    return out


def test_autocorrelated_noise_is_not_split_into_shifts():
    """A wandering AR(1) series (rho 0.8) has no level shift; day-to-day noise saw dozens."""
    flagged = sum(
        bool(detect_changes(ar1(400, 0.8, seed).tolist(), seasonal_periods=()).changes)
        for seed in range(10)
    )
    assert flagged <= 1


def test_shift_in_autocorrelated_noise_is_still_found():
    values = ar1(400, 0.8, 7)
    values[200:] += 25.0  # five long-run standard deviations (1 / (1 - 0.8) = 5)
    changes = detect_changes(values.tolist(), seasonal_periods=()).changes
    assert any(abs(c.index - 200) <= 5 for c in changes)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known limit: the yearly profile blurs the simulated dip's sharp edges, and in the "
    "online window (fitted on one year only) an edge reads as a shift: 6 of 600 flagged, all "
    "at days 643-703 (docs/analytics.md, 'What it can and cannot see')",
)
def test_many_unchanged_series_flag_about_nominal_over_seeds():
    """BH at 0.05 over 150 unchanged series: P(any flag) <= 0.05 per pass under the null, so
    over four passes of 150 (different seeds) more than one flagged series would be far
    above nominal."""
    flagged = 0
    for batch in range(4):
        many = {i: simulate_nps(730, seed=10_000 * (batch + 1) + i) for i in range(150)}
        flagged += sum(bool(r.changes) for r in detect_changes_many(many, fdr=0.05).values())
    assert flagged <= 1
