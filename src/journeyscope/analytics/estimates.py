"""Point estimates with confidence intervals: NPS, proportions (top-2-box, choice shares), means.

Every function returns an :class:`Estimate` that carries its interval, ``n`` and the method
that made it, never a bare number. Below the minimum number of responses (``min_n``, default
30) the estimate is *too few*: ``value``, ``low`` and ``high`` are ``None`` and only ``n`` is
given, so no door can show a number that the data cannot support.

Methods and references:

- NPS, ``"wald"``: the trinomial variance ``p + d - (p - d)**2`` of the score on the -1…1
  scale (``p``, ``d``: shares of promoters and detractors), ``NPS ± z·sqrt(var / n)``.
- NPS, ``"adjusted-wald"`` (the default): Rocks' adjusted Wald. Before the Wald interval is
  built, 3/4 of a pseudo-observation is added to detractors and to promoters and 3/2 to
  passives (``n + 3`` in all); the interval is centred on the adjusted score. Brendan Rocks,
  "Interval Estimation for the 'Net Promoter Score'", *The American Statistician* 70(4), 2016,
  365-372 (arXiv:1601.07235); the pseudo-counts are those of the author's R package ``NPS``
  (``nps_test(..., test = "adjusted.wald", pseudo_observations = c(0.75, 1.5, 0.75))``).
  ``value`` stays the observed score; only the interval uses the adjusted counts.
- Proportions: Wilson score interval (E. B. Wilson, JASA 22, 1927, 209-212) or Wald.
- Means: Student's t interval on the sample standard deviation (``n - 1`` degrees of freedom).

Intervals are clipped to the range the quantity can take ([-1, 1] for NPS, [0, 1] for
proportions). Pure: no database, no web; imports nothing of the project but ``errors``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from scipy import stats

from journeyscope.errors import InvalidInput

DEFAULT_MIN_N: Final = 30
"""Below this many responses an estimate is reported as too few (issue 12: configurable)."""

NpsMethod = Literal["wald", "adjusted-wald"]
ProportionMethod = Literal["wilson", "wald"]

NPS_PSEUDO_COUNTS: Final = (0.75, 1.5, 0.75)
"""Rocks' adjusted-Wald pseudo-observations added to (detractors, passives, promoters)."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its confidence interval, sample size and method.

    Attributes:
        value: The estimate, or ``None`` when there are too few responses.
        low: Lower confidence limit, or ``None`` when too few.
        high: Upper confidence limit, or ``None`` when too few.
        n: The number of responses behind the estimate (always given).
        method: How the interval was made, e.g. ``"adjusted-wald"``, ``"wilson"``, ``"t"``.
        confidence: The confidence level of the interval, e.g. ``0.95``.
        min_n: The minimum ``n`` this estimate was held to.
    """

    value: float | None
    low: float | None
    high: float | None
    n: int
    method: str
    confidence: float
    min_n: int = DEFAULT_MIN_N

    @property
    def is_too_few(self) -> bool:
        """Whether there were too few responses to give a number."""
        return self.value is None


def too_few(n: int, *, method: str, confidence: float, min_n: int) -> Estimate:
    """The "too few responses" result: it carries ``n`` and the method, no number."""
    return Estimate(None, None, None, n, method, confidence, min_n)


def has_too_few(n: int, min_n: int) -> bool:
    """Whether ``n`` responses are too few for an estimate (never enough when ``n`` is 0)."""
    return n == 0 or n < min_n


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence`` (1.959964 for 0.95)."""
    check_confidence(confidence)
    return _z(confidence)


@functools.lru_cache(maxsize=64)
def _z(confidence: float) -> float:
    """Computed once per level: a SciPy quantile costs more than a whole estimate."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


@functools.lru_cache(maxsize=4096)
def t_value(confidence: float, df: int) -> float:
    """The two-sided Student's t quantile for ``confidence`` with ``df`` degrees of freedom.

    Cached: a metric table asks for the same few levels and (large) ``n`` again and again.
    """
    return float(stats.t.ppf(0.5 + confidence / 2, df))


def check_confidence(confidence: float) -> None:
    """Refuse a confidence level outside the open interval (0, 1)."""
    if not 0 < confidence < 1:
        raise InvalidInput(
            f"confidence must be between 0 and 1 (exclusive), got {confidence}",
            field="confidence",
            hint="use e.g. 0.95 for a 95% interval",
        )


def check_count(name: str, value: int) -> None:
    """Refuse a negative or non-integer count."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            f"{name} must be a whole number of responses, 0 or more; got {value!r}",
            field=name,
            hint="pass counts of responses, not shares",
        )


def check_min_n(min_n: int) -> None:
    """Refuse a negative minimum sample size."""
    check_count("min_n", min_n)


def _clip(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


@dataclass(frozen=True, slots=True)
class NpsCounts:
    """Responses of one group split into detractors (0-6), passives (7-8), promoters (9-10)."""

    detractors: int
    passives: int
    promoters: int

    @property
    def n(self) -> int:
        """All responses."""
        return self.detractors + self.passives + self.promoters


def nps_moments(detractors: float, passives: float, promoters: float) -> tuple[float, float, float]:
    """Score, per-response trinomial variance and total of (possibly fractional) counts."""
    total = detractors + passives + promoters
    p, d = promoters / total, detractors / total
    return p - d, max(p + d - (p - d) ** 2, 0.0), total


def check_nps_method(method: str) -> None:
    """Refuse an NPS interval method we do not implement."""
    if method not in ("wald", "adjusted-wald"):
        raise InvalidInput(
            f"unknown NPS interval method {method!r}",
            field="method",
            hint='use "adjusted-wald" (default) or "wald"',
        )


def nps_interval_parts(counts: NpsCounts, method: NpsMethod) -> tuple[float, float]:
    """The centre and standard error the interval of ``method`` is built from (``n`` > 0)."""
    check_nps_method(method)
    extra = NPS_PSEUDO_COUNTS if method == "adjusted-wald" else (0.0, 0.0, 0.0)
    centre, variance, total = nps_moments(
        counts.detractors + extra[0], counts.passives + extra[1], counts.promoters + extra[2]
    )
    return centre, math.sqrt(variance / total)


def estimate_nps(
    *,
    detractors: int,
    passives: int,
    promoters: int,
    confidence: float = 0.95,
    method: NpsMethod = "adjusted-wald",
    min_n: int = DEFAULT_MIN_N,
) -> Estimate:
    """Net Promoter Score on the -1…1 scale with a confidence interval.

    Args:
        detractors: Responses scoring 0-6.
        passives: Responses scoring 7-8.
        promoters: Responses scoring 9-10.
        confidence: Confidence level of the interval.
        method: ``"adjusted-wald"`` (Rocks 2016, the default) or ``"wald"`` (trinomial).
        min_n: Fewer responses than this give a "too few" estimate (``value`` is ``None``).

    Returns:
        The observed score ``(promoters - detractors) / n`` with its interval, clipped to
        [-1, 1]. Multiply by 100 for display.
    """
    for name, count in (("detractors", detractors), ("passives", passives)):
        check_count(name, count)
    check_count("promoters", promoters)
    check_min_n(min_n)
    check_nps_method(method)
    z = z_value(confidence)
    counts = NpsCounts(detractors, passives, promoters)
    if has_too_few(counts.n, min_n):
        return too_few(counts.n, method=method, confidence=confidence, min_n=min_n)
    centre, se = nps_interval_parts(counts, method)
    value = (promoters - detractors) / counts.n
    low, high = _clip(centre - z * se, -1, 1), _clip(centre + z * se, -1, 1)
    return Estimate(value, low, high, counts.n, method, confidence, min_n)


def wilson_interval(successes: int, n: int, z: float) -> tuple[float, float]:
    """Wilson's score interval for ``successes`` out of ``n`` (``n`` > 0)."""
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # In exact arithmetic the score interval contains p (and is [0, …] at p = 0); keep that
    # true under rounding, where 0/206 once gave a lower limit of 1.7e-18.
    return _clip(min(centre - half, p), 0, 1), _clip(max(centre + half, p), 0, 1)


def estimate_proportion(
    *,
    successes: int,
    n: int,
    confidence: float = 0.95,
    method: ProportionMethod = "wilson",
    min_n: int = DEFAULT_MIN_N,
) -> Estimate:
    """A share (CSAT top-2-box, a choice's share) with a Wilson or Wald interval.

    Args:
        successes: Responses that count, e.g. scores of 4 or 5 on CSAT 1-5.
        n: All responses.
        confidence: Confidence level of the interval.
        method: ``"wilson"`` (default; stays inside [0, 1] and behaves near 0 and 1) or
            ``"wald"`` (``p ± z·sqrt(p(1-p)/n)``, clipped to [0, 1]).
        min_n: Fewer responses than this give a "too few" estimate.

    Returns:
        The share ``successes / n`` on the 0…1 scale with its interval.
    """
    check_count("successes", successes)
    check_count("n", n)
    check_min_n(min_n)
    if successes > n:
        raise InvalidInput(
            f"successes ({successes}) cannot exceed n ({n})",
            field="successes",
            hint="n counts every response, successes only those that count",
        )
    if method not in ("wilson", "wald"):
        raise InvalidInput(
            f"unknown proportion interval method {method!r}",
            field="method",
            hint='use "wilson" (default) or "wald"',
        )
    z = z_value(confidence)
    if has_too_few(n, min_n):
        return too_few(n, method=method, confidence=confidence, min_n=min_n)
    p = successes / n
    if method == "wilson":
        low, high = wilson_interval(successes, n, z)
    else:
        half = z * math.sqrt(p * (1 - p) / n)
        low, high = _clip(p - half, 0, 1), _clip(p + half, 0, 1)
    return Estimate(p, low, high, n, method, confidence, min_n)


@dataclass(frozen=True, slots=True)
class Moments:
    """Count, mean and sample variance (``n - 1`` denominator) of some scores."""

    n: int
    mean: float
    variance: float


def moments(values_or_histogram: Iterable[float] | Mapping[float, int]) -> Moments:
    """Count, mean and sample variance of raw scores or of a ``{score: count}`` histogram."""
    if isinstance(values_or_histogram, Mapping):
        pairs = [(float(k), v) for k, v in values_or_histogram.items()]
        for score, count in pairs:
            check_count(f"histogram[{score:g}]", count)
    else:
        pairs = [(float(v), 1) for v in values_or_histogram]
    n = sum(c for _, c in pairs)
    if any(not math.isfinite(s) for s, c in pairs if c):
        raise InvalidInput("scores must be finite numbers", field="values", hint="drop NaN")
    if n == 0:
        return Moments(0, math.nan, math.nan)
    mean = math.fsum(s * c for s, c in pairs) / n
    squares = math.fsum(c * (s - mean) ** 2 for s, c in pairs)
    return Moments(n, mean, squares / (n - 1) if n > 1 else math.nan)


def estimate_mean(
    values_or_histogram: Iterable[float] | Mapping[float, int],
    *,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
) -> Estimate:
    """Mean score (CSAT, CES, any rating) with Student's t interval.

    Args:
        values_or_histogram: Raw scores, or a ``{score: count}`` histogram as rollups keep.
        confidence: Confidence level of the interval.
        min_n: Fewer responses than this give a "too few" estimate. At least two are always
            needed: one response has no spread to build an interval from.

    Returns:
        The mean with ``mean ± t(n-1)·s/sqrt(n)``; method ``"t"``.
    """
    check_min_n(min_n)
    check_confidence(confidence)
    m = moments(values_or_histogram)
    if has_too_few(m.n, max(min_n, 2)):
        return too_few(m.n, method="t", confidence=confidence, min_n=min_n)
    t = t_value(confidence, m.n - 1)
    half = t * math.sqrt(m.variance / m.n)
    return Estimate(m.mean, m.mean - half, m.mean + half, m.n, "t", confidence, min_n)
