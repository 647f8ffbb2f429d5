"""Level shifts in a weighted series: the scan statistic, its p-value, binary segmentation.

The model: observation ``t`` has mean ``mu_t`` (piecewise constant) and variance
``scale / w_t``, where ``w_t`` is its weight (the number of responses behind a daily score;
1 when every point counts the same; 0 for a missing day). A split of ``[a, b)`` at ``k``
compares the weighted means of ``[a, k)`` and ``[k, b)``::

    Z_k = (mean_right - mean_left) / sqrt(scale * (1/W_left + 1/W_right))

which is the likelihood-ratio statistic for one change in a normal mean (the standardised
CUSUM). Its maximum over ``k`` is compared to the maximum of a standardised Brownian bridge
with the approximation of R. Miller and D. Siegmund, "Maximally selected chi square
statistics", *Biometrics* 38, 1982, 1011-1016 (see also D. Siegmund, "Confidence sets in
change-point problems", *Int. Stat. Rev.* 56, 1988)::

    P(max |Z| > b) ≈ phi(b) (b - 1/b) log(t1 (1 - t0) / (t0 (1 - t1))) + 4 phi(b) / b

with ``t0, t1`` the smallest and largest weight fraction at which a split was allowed. The
approximation is for continuous time, so on a finite grid it errs on the conservative side.

Binary segmentation (A. J. Scott and M. Knott 1974; L. J. Vostrikova 1981) splits wherever
that p-value is at most ``alpha`` and recurses into both sides. ``tail_test`` is the online
part: the same statistic restricted to splits in the last ``horizon`` points, a window-limited
generalised likelihood ratio (T. L. Lai, "Sequential changepoint detection in quality control
and dynamical systems", *JRSS B* 57, 1995, 613-658) whose narrower range earns a lower
threshold, so a recent shift is flagged days earlier than a scan over the whole history would.

The noise scale is a **long-run variance** (``fit_segments``). Binary segmentation with a
scale taken from day-to-day differences splits a wandering (autocorrelated) or trending
series into dozens of "shifts": a wander of many days looks significant against one day's
noise. So the scale allows for AR(1) noise, in two steps:

1. A robust start from lag-1 and lag-2 differences (``noise_scale``; Chakar et al. 2017):
   differences ignore the level, so rare shifts do not inflate it, and their ratio gives the
   autocorrelation.
2. Then, alternately, segmentation and the long-run variance of the residuals around the
   segments (``long_run_scale``): their mean square times ``(1 + rho) / (1 - rho)``, ``rho``
   their lag-1 autocorrelation (the AR(1) case of the HAC variance of W. K. Newey and
   K. D. West, *Econometrica* 55, 1987, 703-708), until the cuts stop moving (at most
   ``SCALE_ROUNDS``). A trend cut into steps leaves saw-tooth residuals, autocorrelated, so
   the scale grows and the steps merge; a real shift stays.

For independent daily scores ``rho`` is near 0 and the scale is the residual variance per
response, as efficient as it can be.

Pure NumPy and SciPy; imports nothing of the project.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

MAD_TO_SD = 1.4826
"""Median absolute deviation times this estimates a normal standard deviation."""

SCALE_ROUNDS = 6
"""Most rounds of segment-then-rescale in ``fit_segments`` (it settles in 1-3 on most series)."""

RHO_MAX = 0.98
"""Largest lag-1 autocorrelation used in the long-run factor (which is 99 there)."""


@dataclass(frozen=True, slots=True)
class Split:
    """The best split of one stretch: where, how strong, how sure."""

    index: int  # first position at the new level
    z: float  # standardised difference of the two sides' weighted means (right - left)
    p_value: float  # Miller-Siegmund p-value of the maximum over the allowed splits


def _robust_variance(x: FloatArray) -> float:
    mad = float(np.median(np.abs(x - np.median(x))))
    if mad == 0:  # more than half the values are equal: fall back to the plain SD
        mad = float(np.std(x)) / MAD_TO_SD
    return (MAD_TO_SD * mad) ** 2


def _lag_differences(x: FloatArray, w: FloatArray, lag: int) -> FloatArray:
    return (x[lag:] - x[:-lag]) / np.sqrt(1 / w[lag:] + 1 / w[:-lag])


def noise_scale(values: FloatArray, weights: FloatArray) -> float:
    """Robust long-run variance per unit weight from lag-1 and lag-2 differences.

    Differences of observed points, standardised by their weights, ignore the level and so
    the rare shifts; their robust variances (median absolute deviation) ``v1`` and ``v2``
    give the AR(1) autocorrelation ``rho = v2 / v1 - 1`` (for AR(1) noise ``v2 / v1 = 1 +
    rho``) and the long-run variance ``v1 (1 + rho) / (1 - rho)^2``, as in the robust AR(1)
    change-point method of S. Chakar, E. Lebarbier, C. Lévy-Leduc and S. Robin, *Bernoulli*
    23(2), 2017, 1408-1447. For independent noise this is the successive-difference estimate
    used in change-point work (e.g. Fryzlewicz 2014). Returns 0.0 for fewer than three points.
    """
    seen = weights > 0
    x, w = values[seen], weights[seen]
    if x.size < 3:
        return 0.0
    v1 = _robust_variance(_lag_differences(x, w, 1))
    v2 = _robust_variance(_lag_differences(x, w, 2))
    rho = min(max(v2 / v1 - 1, 0.0), RHO_MAX) if v1 > 0 else 0.0
    return v1 * (1 + rho) / (1 - rho) ** 2


def long_run_scale(values: FloatArray, weights: FloatArray, fitted: FloatArray, dof: int) -> float:
    """AR(1) long-run variance per unit weight of the residuals ``values - fitted``.

    Residuals are standardised by ``sqrt(weight)``; their mean square (over ``observed - dof``)
    is multiplied by ``(1 + rho) / (1 - rho)`` with ``rho`` the lag-1 autocorrelation of
    consecutive observed residuals, clipped to ``[0, RHO_MAX]`` (a negative ``rho`` would make
    the scale smaller than the plain variance: never bolder than independence). Returns 0.0
    for too few points.
    """
    seen = weights > 0
    r = ((values - fitted) * np.sqrt(weights))[seen]
    if r.size - dof < 2:
        return 0.0
    variance = float(r @ r) / (r.size - dof)
    denominator = float(r @ r)
    rho = float(r[1:] @ r[:-1]) / denominator if denominator > 0 else 0.0
    rho = min(max(rho, 0.0), RHO_MAX)
    return variance * (1 + rho) / (1 - rho)


@dataclass(frozen=True, slots=True)
class SegmentFit:
    """Binary segmentation with its long-run noise scale, fitted together."""

    splits: list[Split]  # the changes found, by position
    scale: float  # long-run variance per unit weight around the fitted segments
    fitted: FloatArray  # each point's segment mean


def fit_segments(
    values: FloatArray, weights: FloatArray, *, alpha: float, min_size: int
) -> SegmentFit:
    """Segments and long-run scale, alternated until the cuts settle (see the module).

    The first round segments with the difference-based ``noise_scale`` (robust to shifts,
    blind to slow trends); each later round with the long-run variance of the residuals
    around the previous round's segments (efficient, and it sees a trend cut into steps). It
    stops when a round finds the cuts of the round before, so the cuts returned are those
    their own scale finds, and the scale returned is measured around them.
    """
    cuts: list[int] | None = None
    splits: list[Split] = []
    fitted = values
    scale = noise_scale(values, weights)
    for _ in range(SCALE_ROUNDS):
        splits = binary_segmentation(values, weights, scale=scale, alpha=alpha, min_size=min_size)
        found = [s.index for s in splits]
        fitted = segment_means(values, weights, found)
        scale = long_run_scale(values, weights, fitted, dof=len(found) + 1)
        if found == cuts:
            break
        cuts = found
    return SegmentFit(splits, scale, fitted)


def scan_p_value(b: float, t0: float, t1: float) -> float:
    """Miller-Siegmund p-value for ``max |Z| >= b`` over weight fractions ``[t0, t1]``."""
    if b <= 0 or not 0 < t0 <= t1 < 1:
        return 1.0
    pointwise = 2 * float(stats.norm.sf(b))
    span = math.log(t1 * (1 - t0) / (t0 * (1 - t1)))
    density = float(stats.norm.pdf(b))
    approximation = density * (b - 1 / b) * span + 4 * density / b
    return min(1.0, max(pointwise, approximation))


def best_split(
    values: FloatArray,
    weights: FloatArray,
    *,
    scale: float,
    min_size: int,
    first: int | None = None,
) -> Split | None:
    """The strongest split of the whole stretch, or ``None`` when none is allowed.

    Each side keeps at least ``min_size`` observed points. With ``first``, only splits at
    ``first`` or later are scanned (the online window) and the p-value range shrinks with it.
    """
    wx = np.cumsum(weights * values)
    cw = np.cumsum(weights)
    seen = np.cumsum(weights > 0)
    total_w, total_x, total_seen = cw[-1], wx[-1], seen[-1]
    # A split at k puts positions [0, k) on the left: left sums are the cumsums at k - 1.
    k = np.arange(1, values.size)
    left_w, left_x, left_n = cw[:-1], wx[:-1], seen[:-1]
    allowed = (left_n >= min_size) & (total_seen - left_n >= min_size) & (left_w > 0)
    allowed &= total_w - left_w > 0
    if first is not None:
        allowed &= k >= first
    if scale <= 0 or not allowed.any():
        return None
    lw, lx, kk = left_w[allowed], left_x[allowed], k[allowed]
    rw, rx = total_w - lw, total_x - lx
    z = (rx / rw - lx / lw) / np.sqrt(scale * (1 / lw + 1 / rw))
    best = int(np.argmax(np.abs(z)))
    fractions = lw / total_w
    p = scan_p_value(float(abs(z[best])), float(fractions.min()), float(fractions.max()))
    return Split(int(kk[best]), float(z[best]), p)


def binary_segmentation(
    values: FloatArray, weights: FloatArray, *, scale: float, alpha: float, min_size: int
) -> list[Split]:
    """Every split with a p-value at most ``alpha``, found by recursive halving, by position."""
    found: list[Split] = []
    stack = [(0, values.size)]
    while stack:
        start, stop = stack.pop()
        split = best_split(values[start:stop], weights[start:stop], scale=scale, min_size=min_size)
        if split is None or split.p_value > alpha:
            continue
        at = start + split.index
        found.append(Split(at, split.z, split.p_value))
        stack += [(start, at), (at, stop)]
    return sorted(found, key=lambda s: s.index)


def tail_test(
    values: FloatArray, weights: FloatArray, *, scale: float, horizon: int, min_size: int
) -> Split | None:
    """The strongest split that starts in the last ``horizon`` positions (window-limited GLR)."""
    first = max(values.size - horizon, 1)
    split = best_split(values, weights, scale=scale, min_size=min_size, first=first)
    return split


def segment_means(values: FloatArray, weights: FloatArray, cuts: list[int]) -> FloatArray:
    """The piecewise-constant fit: each point gets its segment's weighted mean."""
    fitted = np.empty_like(values)
    bounds = [0, *cuts, values.size]
    for start, stop in itertools.pairwise(bounds):
        w = weights[start:stop]
        total = w.sum()
        fitted[start:stop] = (w * values[start:stop]).sum() / total if total > 0 else 0.0
    return fitted
