"""Seasonal components of a daily series, so that only level shifts are left to detect.

Two kinds of period, handled by the method that suits each:

- **Short periods** (under 28 points, e.g. the week, 7): the seasonal step of STL
  (R. B. Cleveland, W. S. Cleveland, J. E. McRae, I. Terpenning, *J. Official Statistics*
  6(1), 1990, 3-73) with moving means in place of Loess: each weekday's deviation from a
  centred weekly mean, averaged over about a year of that weekday, one period after the
  other as in MSTL (Bandara, Hyndman & Bergmeir 2021). Each weekday is seen ~52 times a
  year, so its pattern is well estimated and may drift slowly.
- **Long periods** (e.g. the year, 365): a seasonal profile, the weighted mean of each day of
  the year over the years seen, smoothed over ``PROFILE_WINDOW`` (15) neighbouring days. STL
  would estimate each day of the year from that day alone (two points in two years), copying
  the day's noise into the "season"; a low-order Fourier series (as Prophet's) is smooth but
  turned a three-week seasonal dip into half a dip with ripples either side, which alerted.
  The last ``exclude_last`` days (the online window) are left out of the fit and get last
  year's profile: otherwise, with two years of data, half of a drop that began last week
  would be taken for "season". A long period is used only once a full cycle lies before that
  window (a year plus ``horizon`` days for the yearly season); before that, only the short
  periods are removed (see ``docs/analytics.md``).

A yearly fit must not be confused by a level shift that happened in one year only. So it is
done in rounds, as BFAST does (J. Verbesselt et al., "Detecting trend and seasonal changes in
satellite image time series", *Remote Sensing of Environment* 114, 2010, 106-115): first
against a constant level, then against the level fitted by the segmentation of the previous
round. (A running median as the first level followed a broad yearly wave and left it to be
found as half-yearly "shifts".) With two years of data, a shift in the second year that is
older than the online window is still partly taken for season: its size is underestimated
until a third year shows that it did not repeat.

Pure NumPy; imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from journeyscope.analytics.segmentation import FloatArray

SHORT_PERIOD_LIMIT: Final = 28
"""Periods shorter than this many points get a per-phase mean, longer ones a yearly profile."""

SEASONAL_WINDOW: Final = 53
"""The seasonal smoother, in cycles: a weekday's effect is averaged over about a year of that
weekday. STL's usual window (7) follows it over seven weeks, which on a daily score of 30-100
responses copies half the day's noise into the "season" and doubles the false alarms."""

PROFILE_WINDOW: Final = 15
"""Neighbouring days of the year averaged into the yearly profile (edges blur by a week)."""


@dataclass(frozen=True, slots=True)
class Deseasonalised:
    """A series with its seasonal components removed, and which periods those were."""

    values: FloatArray  # the series minus every removed seasonal component (level + noise)
    seasonal: FloatArray  # the sum of the removed components
    periods: tuple[float, ...]  # the periods actually removed


def fill_gaps(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Linear interpolation over missing points (STL needs a complete series); ends held flat."""
    seen = np.flatnonzero(weights > 0)
    positions = np.arange(values.size)
    return np.interp(positions, seen, values[seen])


def _moving_mean(x: FloatArray, window: int) -> FloatArray:
    """Centred mean over ``window`` points, over the points that exist at the ends.

    An even window spans ``window + 1`` points with half weight at both ends (the centred
    "2 x window" moving average of classical decomposition).
    """
    kernel = np.ones(window + 1 - window % 2)
    if window % 2 == 0:
        kernel[[0, -1]] = 0.5
    half = kernel.size // 2
    sums = np.convolve(np.pad(x, half), kernel, mode="valid")
    counts = np.convolve(np.pad(np.ones_like(x), half), kernel, mode="valid")
    return np.asarray(sums / counts, dtype=np.float64)


def short_seasonal(values: FloatArray, period: int) -> FloatArray:
    """The seasonal component of one short period: each phase's mean deviation, smoothed.

    Classical decomposition with a moving seasonal window, i.e. STL's seasonal step without
    its Loess iterations: the level is a centred mean over one period, each phase's
    deviations from it are averaged over ``SEASONAL_WINDOW`` cycles of that phase, and the
    result is centred again over one period. With a window of about a year, STL's Loess and
    robustness weights bought nothing measurable here (``bench/changes.py``: no more false
    alarms) and cost ~90% of a pass; this is over 10 times cheaper per pass.
    """
    deviation = values - _moving_mean(values, period)
    seasonal = np.empty_like(values)
    for phase in range(period):
        seasonal[phase::period] = _moving_mean(deviation[phase::period], SEASONAL_WINDOW)
    return seasonal - _moving_mean(seasonal, period)


def long_seasonal(target: FloatArray, weights: FloatArray, period: float) -> FloatArray:
    """The smoothed weighted mean of ``target`` at each phase of ``period`` (e.g. day of year).

    Phases are whole points (``t mod period`` rounded); the means are smoothed over
    ``PROFILE_WINDOW`` neighbouring phases, wrapping around, and centred to a weighted mean of 0.
    Points with weight 0 (gaps, and the recent window left out on purpose) inform nothing but
    still get the profile's value for their phase.
    """
    size = round(period)
    phase = np.rint(np.arange(target.size) % period).astype(np.int64) % size
    sums = np.bincount(phase, weights=weights * target, minlength=size)
    totals = np.bincount(phase, weights=weights, minlength=size)
    half = PROFILE_WINDOW // 2
    kernel = np.ones(PROFILE_WINDOW)
    wrapped = np.r_[-half : size + half] % size
    smooth_sums = np.convolve(sums[wrapped], kernel, mode="valid")
    smooth_totals = np.convolve(totals[wrapped], kernel, mode="valid")
    profile = np.divide(smooth_sums, smooth_totals, out=np.zeros(size), where=smooth_totals > 0)
    known = smooth_totals > 0
    profile[known] -= np.average(profile[known], weights=smooth_totals[known])
    return np.asarray(profile[phase], dtype=np.float64)


def split_periods(
    periods: Sequence[float], observed_span: int, exclude_last: int
) -> tuple[list[int], list[float]]:
    """The short and long periods this much history can support.

    A short period needs two cycles; a long one a full cycle *before* the recent window, so
    that every day of the window has last cycle's same day to be compared with.
    """
    short = [int(p) for p in sorted(periods) if p < SHORT_PERIOD_LIMIT and observed_span >= 2 * p]
    long = [
        float(p)
        for p in sorted(periods)
        if p >= SHORT_PERIOD_LIMIT and observed_span - exclude_last >= p
    ]
    return short, long


def deseasonalise(
    values: FloatArray,
    weights: FloatArray,
    *,
    periods: Sequence[float],
    exclude_last: int,
    fit_level: Callable[[FloatArray], FloatArray],
    rounds: int = 2,
) -> Deseasonalised:
    """Remove the seasonal components ``periods`` can support; see the module docstring.

    ``fit_level(deseasonalised)`` returns the piecewise-constant level that the segmentation
    finds; it stands for the level in every yearly round after the first.
    """
    seen = np.flatnonzero(weights > 0)
    span = int(seen[-1] - seen[0] + 1) if seen.size else 0
    short, long = split_periods(periods, span, exclude_last)
    fit_weights = weights.copy()
    fit_weights[values.size - exclude_last :] = 0.0
    filled = fill_gaps(values, weights) if seen.size else np.zeros_like(values)
    seasonal = np.zeros_like(values)
    for short_period in short:
        seasonal += short_seasonal(filled - seasonal, short_period)
    if not long:
        return Deseasonalised(values - seasonal, seasonal, tuple(map(float, short)))
    level = np.full_like(values, np.average(values - seasonal, weights=fit_weights))
    yearly = np.zeros_like(values)
    for _ in range(rounds):
        yearly = np.zeros_like(values)
        for period in long:
            target = np.where(weights > 0, values - seasonal - yearly - level, 0.0)
            yearly += long_seasonal(target, fit_weights, period)
        level = fit_level(np.where(weights > 0, values - seasonal - yearly, 0.0))
    total = seasonal + yearly
    return Deseasonalised(values - total, total, (*map(float, short), *long))
