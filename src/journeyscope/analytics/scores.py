"""Estimates and differences from score histograms, as the rollups keep them.

A histogram maps ``(score, scale_min, scale_max)`` to a count: the scale travels with each
score so that a top-2-box share stays right when versions of a question used different
scales. Which statistic a metric gets by default:

- ``nps``: the Net Promoter Score (0-6 detractors, 7-8 passives, 9-10 promoters; -1…1);
- ``csat``: the top-2-box share (the two highest points of the scale; Wilson interval), or
  ``mean``;
- ``ces`` and ``rating``: the mean score (t interval); ``top2`` on request.

Pure: no database; imports nothing of the project but the estimates and ``errors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from journeyscope.analytics.differences import (
    Difference,
    compare_means,
    compare_nps,
    compare_proportions,
)
from journeyscope.analytics.estimates import (
    Estimate,
    NpsCounts,
    estimate_mean,
    estimate_nps,
    estimate_proportion,
)
from journeyscope.errors import InvalidInput

Statistic = Literal["nps", "top2", "mean"]
ScoreKey = tuple[int, int, int]
"""``(score, scale_min, scale_max)``."""
Histogram = Mapping[ScoreKey, int]

METRICS: Final = ("nps", "csat", "ces", "rating")
"""The metrics facts carry (``surveys.Metric``)."""
STATISTICS: Final = ("nps", "top2", "mean")
DEFAULT_STATISTIC: Final[Mapping[str, Statistic]] = {
    "nps": "nps",
    "csat": "top2",
    "ces": "mean",
    "rating": "mean",
}


def check_statistic(metric: str, statistic: str | None) -> Statistic:
    """The statistic to compute for ``metric`` (its default when ``None``), or InvalidInput."""
    if metric not in METRICS:
        raise InvalidInput(
            f"There is no metric {metric!r}.", field="metric", hint=f"use one of {METRICS}"
        )
    chosen = statistic or DEFAULT_STATISTIC[metric]
    allowed = ("nps",) if metric == "nps" else ("top2", "mean")
    if chosen not in allowed:
        raise InvalidInput(
            f"The statistic {chosen!r} does not apply to {metric}.",
            field="statistic",
            hint=f"use one of {allowed}",
        )
    return chosen  # type: ignore[return-value]  # checked against the literal values above


def nps_counts(histogram: Histogram) -> NpsCounts:
    """Detractors (0-6), passives (7-8) and promoters (9-10) of an NPS histogram."""
    parts = [0, 0, 0]
    for (score, _low, _high), count in histogram.items():
        parts[0 if score <= 6 else 1 if score <= 8 else 2] += count
    return NpsCounts(*parts)


def top_two(histogram: Histogram) -> tuple[int, int]:
    """``(successes, n)``: answers on the two highest points of their scale, and all answers."""
    successes = sum(c for (score, _low, high), c in histogram.items() if score >= high - 1)
    return successes, sum(histogram.values())


def scores(histogram: Histogram) -> dict[float, int]:
    """The plain ``{score: count}`` histogram the mean needs."""
    merged: dict[float, int] = {}
    for (score, _low, _high), count in histogram.items():
        merged[float(score)] = merged.get(float(score), 0) + count
    return merged


def estimate_scores(
    histogram: Histogram, *, statistic: Statistic, confidence: float, min_n: int
) -> Estimate:
    """The statistic's estimate with its interval and ``n`` (too few below ``min_n``)."""
    if statistic == "nps":
        c = nps_counts(histogram)
        return estimate_nps(
            detractors=c.detractors,
            passives=c.passives,
            promoters=c.promoters,
            confidence=confidence,
            min_n=min_n,
        )
    if statistic == "top2":
        successes, n = top_two(histogram)
        return estimate_proportion(successes=successes, n=n, confidence=confidence, min_n=min_n)
    return estimate_mean(scores(histogram), confidence=confidence, min_n=min_n)


def compare_scores(
    base: Histogram, other: Histogram, *, statistic: Statistic, confidence: float, min_n: int
) -> Difference:
    """``other - base`` with its interval and p-value.

    The statistic picks the comparison: Rocks' NPS difference, Newcombe's interval for
    top-2-box shares, Welch's t for means.
    """
    if statistic == "nps":
        return compare_nps(nps_counts(base), nps_counts(other), confidence=confidence, min_n=min_n)
    if statistic == "top2":
        return compare_proportions(
            top_two(base), top_two(other), confidence=confidence, min_n=min_n
        )
    return compare_means(scores(base), scores(other), confidence=confidence, min_n=min_n)
