"""Change detection: level shifts in daily series that know the season.

``detect_changes(series)`` takes one daily series (a score per day with the number of
responses behind it, gaps allowed) and returns a :class:`ChangeReport`: every level shift
found, each with the day it started, its size with a confidence interval, a p-value and its
direction. ``detect_changes_many`` does the same for many series at once and controls the
false discovery rate across them. The method, step by step (details and references in the
modules named and in ``docs/analytics.md``):

1. Remove the weekly and yearly seasons (``seasonality``): per-weekday moving means (STL's
   seasonal step) for the week, a smoothed yearly profile once a year of history exists;
   before that, the week only.
2. Find level shifts in what is left (``segmentation``): binary segmentation with the
   likelihood-ratio scan statistic, each day weighted by its number of responses, a p-value
   that accounts for scanning every possible day (Miller & Siegmund 1982), against a
   long-run (AR(1)) noise scale so that autocorrelated wandering is not read as shifts; then
   the online check, the same test limited to shifts that began in the last ``horizon`` days.
3. Many series: Benjamini-Hochberg on each series' p-value of "some change", then changes
   within the selected series at the level ``fdr * selected / series``, which controls false
   discoveries over the selected families (Y. Benjamini and M. Bogomolov, "Selective inference
   on multiple families of hypotheses", *JRSS B* 76(1), 2014, 297-318).

A change's size is the difference of the deseasonalised means of the stretches either side,
with a normal interval from the noise scale; it is conditional on the day found (it does not
widen for the uncertainty of the day itself).

Pure: no database, no web; imports nothing of the project but ``errors``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal, TypeVar

import numpy as np
from scipy import stats

from journeyscope.analytics.fdr import benjamini_hochberg
from journeyscope.analytics.seasonality import Deseasonalised, deseasonalise
from journeyscope.analytics.segmentation import (
    FloatArray,
    Split,
    best_split,
    binary_segmentation,
    fit_segments,
    segment_means,
    tail_test,
)
from journeyscope.errors import InvalidInput

DEFAULT_SEASONAL_PERIODS: Final = (7, 365)
"""The week and the year, in days."""

METHOD: Final = "weekly-means+yearly-profile+binseg-cusum-lrv"
BASELINE_METHOD: Final = "weekly-means+yearly-profile+level-between-changes"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class DailySeries:
    """One value per day with the number of responses behind it.

    Attributes:
        values: The daily score (e.g. NPS on -1…1, a mean rating); ``None`` or NaN for a day
            without data.
        counts: Responses behind each day's value (its weight); ``None`` weighs every day the
            same. A day with count 0 is a gap.
        start: The date of the first value, so that changes can name their day; optional.
    """

    values: Sequence[float | None]
    counts: Sequence[int] | None = None
    start: date | None = None

    def __post_init__(self) -> None:
        """Refuse counts that do not match the values or are negative."""
        if self.counts is not None and len(self.counts) != len(self.values):
            raise InvalidInput(
                f"counts has {len(self.counts)} days but values has {len(self.values)}",
                field="counts",
                hint="give one count per value (0 for a day without data)",
            )
        if self.counts is not None and any(c < 0 for c in self.counts):
            raise InvalidInput(
                "counts must not be negative", field="counts", hint="use 0 for a missing day"
            )

    def arrays(self) -> tuple[FloatArray, FloatArray]:
        """Values (0.0 at gaps) and weights (0.0 at gaps) as float arrays."""
        values = np.array([np.nan if v is None else v for v in self.values], dtype=np.float64)
        if self.counts is None:
            weights = np.ones(values.size)
        else:
            weights = np.asarray(self.counts, dtype=np.float64)
        weights = np.where(np.isfinite(values), weights, 0.0)
        return np.where(weights > 0, values, 0.0), weights


@dataclass(frozen=True, slots=True)
class Change:
    """One level shift: when it started, how big, how sure.

    Attributes:
        index: Position of the first day at the new level (0-based).
        start: That day's date, when the series has a start date.
        size: New level minus old level (deseasonalised), in the series' units.
        low: Lower confidence limit of ``size``.
        high: Upper confidence limit of ``size``.
        p_value: The scan-adjusted p-value of the shift (how sure: small is sure).
        direction: ``"up"`` or ``"down"``.
        before: The deseasonalised level of the stretch before.
        after: The deseasonalised level of the stretch after.
        n_before: Responses (or points) in the stretch before.
        n_after: Responses (or points) in the stretch after.
        is_recent: Found by the online check of the last ``horizon`` days rather than by the
            segmentation of the whole history.
        confidence: Confidence level of the interval.
    """

    index: int
    start: date | None
    size: float
    low: float
    high: float
    p_value: float
    direction: Literal["up", "down"]
    before: float
    after: float
    n_before: int
    n_after: int
    is_recent: bool
    confidence: float


@dataclass(frozen=True, slots=True)
class ChangeReport:
    """What change detection found in one series.

    Attributes:
        changes: The level shifts found, in time order.
        p_value: The p-value of "this series changed somewhere" (what FDR control uses).
        periods: The seasonal periods that were removed (the year only with a year of data).
        n_days: Days in the series, gaps included.
        scale: The noise variance per unit weight (per response for a daily score).
        method: How the changes were found.
    """

    changes: tuple[Change, ...]
    p_value: float
    periods: tuple[float, ...]
    n_days: int
    scale: float
    method: str = field(default=METHOD)


@dataclass(frozen=True, slots=True)
class _Prepared:
    values: FloatArray  # deseasonalised
    weights: FloatArray
    scale: float
    periods: tuple[float, ...]
    p_value: float


def _check(alpha: float, min_size: int, horizon: int, confidence: float) -> None:
    if not 0 < alpha < 1:
        raise InvalidInput(f"alpha must be in (0, 1), got {alpha}", field="alpha")
    if not 0 < confidence < 1:
        raise InvalidInput(f"confidence must be in (0, 1), got {confidence}", field="confidence")
    if min_size < 2 or horizon < min_size:
        raise InvalidInput(
            f"need 2 <= min_size <= horizon, got min_size={min_size}, horizon={horizon}",
            field="min_size",
        )


def _segment(
    values: FloatArray, weights: FloatArray, *, scale: float, alpha: float, min_size: int
) -> list[Split]:
    return binary_segmentation(values, weights, scale=scale, alpha=alpha, min_size=min_size)


def _season(
    raw: FloatArray,
    weights: FloatArray,
    *,
    periods: Sequence[float],
    alpha: float,
    min_size: int,
    horizon: int,
) -> Deseasonalised:
    """The seasons removed as detection removes them (the online window left out of the fit)."""

    def fit_level(values: FloatArray) -> FloatArray:
        return fit_segments(values, weights, alpha=alpha, min_size=min_size).fitted

    return deseasonalise(
        raw, weights, periods=periods, exclude_last=2 * horizon, fit_level=fit_level
    )


def _prepare(
    series: DailySeries,
    *,
    periods: Sequence[float],
    alpha: float,
    min_size: int,
    horizon: int,
) -> _Prepared:
    raw, weights = series.arrays()
    if np.count_nonzero(weights) < 2 * min_size:
        return _Prepared(raw, weights, 0.0, (), 1.0)
    parts = _season(raw, weights, periods=periods, alpha=alpha, min_size=min_size, horizon=horizon)
    values = np.where(weights > 0, parts.values, 0.0)
    scale = fit_segments(values, weights, alpha=alpha, min_size=min_size).scale
    whole = best_split(values, weights, scale=scale, min_size=min_size)
    recent = tail_test(values, weights, scale=scale, horizon=horizon, min_size=min_size)
    p_values = [s.p_value for s in (whole, recent) if s is not None]
    p_any = min(1.0, len(p_values) * min(p_values)) if p_values else 1.0  # Bonferroni of two
    return _Prepared(values, weights, scale, parts.periods, p_any)


def _describe(
    prepared: _Prepared,
    cuts: list[tuple[Split, bool]],
    *,
    start: date | None,
    confidence: float,
) -> tuple[Change, ...]:
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    values, weights = prepared.values, prepared.weights
    bounds = [0, *(s.index for s, _ in cuts), values.size]
    changes = []
    for i, (split, is_recent) in enumerate(cuts):
        left = slice(bounds[i], bounds[i + 1])
        right = slice(bounds[i + 1], bounds[i + 2])
        wl, wr = weights[left].sum(), weights[right].sum()
        before = float((weights[left] * values[left]).sum() / wl)
        after = float((weights[right] * values[right]).sum() / wr)
        size = after - before
        half = z * math.sqrt(prepared.scale * (1 / wl + 1 / wr))
        day = start + timedelta(days=split.index) if start is not None else None
        changes.append(
            Change(
                split.index, day, size, size - half, size + half, split.p_value,
                "up" if size > 0 else "down", before, after, round(wl), round(wr),
                is_recent, confidence,
            )
        )  # fmt: skip
    return tuple(changes)


def _find(
    prepared: _Prepared, *, alpha: float, min_size: int, horizon: int
) -> list[tuple[Split, bool]]:
    values, weights, scale = prepared.values, prepared.weights, prepared.scale
    if scale <= 0:
        return []
    splits = _segment(values, weights, scale=scale, alpha=alpha, min_size=min_size)
    found = [(s, False) for s in splits]
    last = splits[-1].index if splits else 0
    if values.size - last > horizon:  # no change found yet among the last `horizon` days
        tail = tail_test(
            values[last:], weights[last:], scale=scale, horizon=horizon, min_size=min_size
        )
        if tail is not None and tail.p_value <= alpha:
            found.append((Split(last + tail.index, tail.z, tail.p_value), True))
    return found


def detect_changes(
    series: DailySeries | Sequence[float],
    *,
    seasonal_periods: Sequence[float] = DEFAULT_SEASONAL_PERIODS,
    alpha: float = 0.05,
    min_size: int = 5,
    horizon: int = 28,
    confidence: float = 0.95,
) -> ChangeReport:
    """Find level shifts in one daily series after removing its weekly and yearly seasons.

    Args:
        series: A :class:`DailySeries`, or plain values (every point weighted the same).
        seasonal_periods: Seasonal periods in days; the year is used only once a year of
            history exists, the week once two weeks do. ``()`` removes none.
        alpha: Largest scan-adjusted p-value reported as a change.
        min_size: Fewest observed days on each side of a change.
        horizon: The online check looks for a shift that began in this many last days.
        confidence: Confidence level of each change's size interval.

    Returns:
        A :class:`ChangeReport`; ``p_value`` is the series' p-value of "some change".
    """
    _check(alpha, min_size, horizon, confidence)
    series = series if isinstance(series, DailySeries) else DailySeries(list(series))
    prepared = _prepare(
        series,
        periods=seasonal_periods,
        alpha=alpha,
        min_size=min_size,
        horizon=horizon,
    )
    cuts = _find(prepared, alpha=alpha, min_size=min_size, horizon=horizon)
    return _report(prepared, cuts, start=series.start, confidence=confidence)


def _report(
    prepared: _Prepared,
    cuts: list[tuple[Split, bool]],
    *,
    start: date | None,
    confidence: float,
) -> ChangeReport:
    changes = _describe(prepared, cuts, start=start, confidence=confidence)
    return ChangeReport(
        changes, prepared.p_value, prepared.periods, prepared.values.size, prepared.scale
    )


def detect_changes_many(
    series: Mapping[K, DailySeries | Sequence[float]],
    *,
    fdr: float = 0.05,
    seasonal_periods: Sequence[float] = DEFAULT_SEASONAL_PERIODS,
    min_size: int = 5,
    horizon: int = 28,
    confidence: float = 0.95,
) -> dict[K, ChangeReport]:
    """Change detection over many series with the false discovery rate held at ``fdr``.

    Each series gets a p-value of "some change" (the smaller of the whole-history scan and
    the online check, Bonferroni-doubled); Benjamini-Hochberg at ``fdr`` selects the series
    that changed; within each selected series, changes are reported at ``fdr * R / m``
    (``R`` selected of ``m`` series; Benjamini & Bogomolov 2014). A series not selected has
    no changes, only its p-value.
    """
    _check(fdr, min_size, horizon, confidence)
    keys = list(series)
    prepared = {}
    for key in keys:
        one = series[key]
        one = one if isinstance(one, DailySeries) else DailySeries(list(one))
        prepared[key] = (
            one.start,
            _prepare(
                one,
                periods=seasonal_periods,
                alpha=fdr,
                min_size=min_size,
                horizon=horizon,
            ),
        )
    selected = benjamini_hochberg([prepared[k][1].p_value for k in keys], q=fdr)
    within = fdr * sum(selected) / max(len(keys), 1)
    reports = {}
    for key, is_selected in zip(keys, selected, strict=True):
        start, ready = prepared[key]
        cuts = _find(ready, alpha=within, min_size=min_size, horizon=horizon) if is_selected else []
        reports[key] = _report(ready, cuts, start=start, confidence=confidence)
    return reports


@dataclass(frozen=True, slots=True)
class Baseline:
    """What change detection expected each day: the seasons plus the level of the day's stretch.

    Attributes:
        start: The date of the first value (the series' ``start``).
        values: One expected value per day of the series, gaps included, in its units.
        counts: The responses behind each day's observed value (0 at a gap).
        periods: The seasonal periods removed (the year only with a year of history).
        method: How it was made.
    """

    start: date | None
    values: tuple[float, ...]
    counts: tuple[int, ...]
    periods: tuple[float, ...]
    method: str = field(default=BASELINE_METHOD)

    def mean_over(self, since: date, until: date) -> float | None:
        """The expected value of ``[since, until)`` as a whole, e.g. a week.

        Each day weighs as many responses as it had (as a weekly estimate pools its days'
        answers); a stretch without answers gets the plain mean of its days. ``None`` when
        the series has no day in the stretch (or no start date).
        """
        if self.start is None:
            return None
        first = max((since - self.start).days, 0)
        last = min((until - self.start).days, len(self.values))
        if first >= last:
            return None
        values = self.values[first:last]
        weights = self.counts[first:last]
        if sum(weights) == 0:
            return sum(values) / len(values)
        return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def seasonal_baseline(
    series: DailySeries,
    *,
    changes: Sequence[date] = (),
    seasonal_periods: Sequence[float] = DEFAULT_SEASONAL_PERIODS,
    alpha: float = 0.05,
    min_size: int = 5,
    horizon: int = 28,
) -> Baseline | None:
    """The seasonal baseline of ``series``: what :func:`detect_changes` measured shifts against.

    The seasons are removed exactly as detection removes them (same periods, same online
    window left out of the fit); the level is the weighted mean of the deseasonalised values
    between the ``changes`` (the first days at a new level), so the baseline steps where a
    change was found and otherwise follows the week and the year. A day far from it, with no
    change marked, is noise or a change too small to be sure of. ``None`` with fewer than
    ``2 * min_size`` days of data (detection tests nothing then either).
    """
    _check(alpha, min_size, horizon, 0.95)
    if changes and series.start is None:
        raise InvalidInput("changes are dates: the series needs a start", field="changes")
    raw, weights = series.arrays()
    if np.count_nonzero(weights) < 2 * min_size:
        return None
    parts = _season(
        raw, weights, periods=seasonal_periods, alpha=alpha, min_size=min_size, horizon=horizon
    )
    start = series.start or date.min
    cuts = sorted({(d - start).days for d in changes} & set(range(1, raw.size)))
    level = segment_means(np.where(weights > 0, parts.values, 0.0), weights, cuts)
    expected = level + parts.seasonal
    counts = tuple(int(w) for w in np.rint(weights))
    return Baseline(series.start, tuple(float(v) for v in expected), counts, parts.periods)
