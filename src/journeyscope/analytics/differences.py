"""The difference between two periods or two segments, with its interval and a p-value.

``compare_*(base, other)`` always reports ``other - base`` (this month minus last month,
segment B minus segment A) as a :class:`Difference` that also carries both groups'
:class:`~journeyscope.analytics.estimates.Estimate`. When either group has too few responses
the difference is too few as well (``value`` is ``None``) and the two estimates say why.

Methods (two-sided tests, independent samples):

- NPS: difference of scores, standard error ``sqrt(var_a/n_a + var_b/n_b)`` from the
  trinomial variances, normal z. With ``"adjusted-wald"`` both groups get Rocks' pseudo-counts
  (3/4, 3/2, 3/4) before the interval and the test, as in the ``nps_test`` function of Rocks'
  R package ``NPS``; ``value`` stays the observed difference.
- Proportions, ``"wilson"``: Newcombe's hybrid score interval (method 10 of R. G. Newcombe,
  "Interval estimation for the difference between independent proportions", *Statistics in
  Medicine* 17, 1998, 873-890) and the pooled two-proportion z-test. ``"wald"``: unpooled
  standard error for both.
- Means: Welch's unequal-variance t interval and test, Welch-Satterthwaite degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scipy import stats

from journeyscope.analytics.estimates import (
    DEFAULT_MIN_N,
    Estimate,
    NpsCounts,
    NpsMethod,
    ProportionMethod,
    check_confidence,
    estimate_mean,
    estimate_nps,
    estimate_proportion,
    moments,
    nps_interval_parts,
    wilson_interval,
    z_value,
)


@dataclass(frozen=True, slots=True)
class Difference:
    """``other - base`` with its confidence interval and the two-sided p-value of "no change".

    Attributes:
        value: ``other.value - base.value``, or ``None`` when either side has too few.
        low: Lower confidence limit of the difference (``None`` when too few).
        high: Upper confidence limit of the difference (``None`` when too few).
        p_value: Two-sided p-value of the hypothesis of no difference (``None`` when too few).
        base: The estimate of the group compared against.
        other: The estimate of the group compared.
        method: How the interval and test were made.
        confidence: The confidence level of the interval.
    """

    value: float | None
    low: float | None
    high: float | None
    p_value: float | None
    base: Estimate
    other: Estimate
    method: str
    confidence: float

    @property
    def is_too_few(self) -> bool:
        """Whether either group had too few responses for a comparison."""
        return self.value is None


def _too_few(base: Estimate, other: Estimate, method: str, confidence: float) -> Difference:
    return Difference(None, None, None, None, base, other, method, confidence)


def _normal_p(statistic: float) -> float:
    return float(2 * stats.norm.sf(abs(statistic)))


def _z_test(diff: float, se: float) -> float:
    """Two-sided normal p-value; a zero standard error means certainty either way."""
    if se == 0:
        return 1.0 if diff == 0 else 0.0
    return _normal_p(diff / se)


def compare_nps(
    base: NpsCounts,
    other: NpsCounts,
    *,
    confidence: float = 0.95,
    method: NpsMethod = "adjusted-wald",
    min_n: int = DEFAULT_MIN_N,
) -> Difference:
    """Difference of two Net Promoter Scores (-2…2 scale) with its interval and p-value.

    Args:
        base: Counts of the group compared against (e.g. last month).
        other: Counts of the group compared (e.g. this month).
        confidence: Confidence level of the interval.
        method: ``"adjusted-wald"`` (Rocks 2016, default) or ``"wald"``.
        min_n: Minimum responses in *each* group.
    """
    estimates = [
        estimate_nps(
            detractors=c.detractors,
            passives=c.passives,
            promoters=c.promoters,
            confidence=confidence,
            method=method,
            min_n=min_n,
        )
        for c in (base, other)
    ]
    a, b = estimates
    if a.value is None or b.value is None:
        return _too_few(a, b, method, confidence)
    (centre_a, se_a), (centre_b, se_b) = (nps_interval_parts(c, method) for c in (base, other))
    diff, se = centre_b - centre_a, math.hypot(se_a, se_b)
    z = z_value(confidence)
    low, high = max(diff - z * se, -2.0), min(diff + z * se, 2.0)
    return Difference(b.value - a.value, low, high, _z_test(diff, se), a, b, method, confidence)


def compare_proportions(
    base: tuple[int, int],
    other: tuple[int, int],
    *,
    confidence: float = 0.95,
    method: ProportionMethod = "wilson",
    min_n: int = DEFAULT_MIN_N,
) -> Difference:
    """Difference of two shares with its interval and p-value.

    Args:
        base: ``(successes, n)`` of the group compared against.
        other: ``(successes, n)`` of the group compared.
        confidence: Confidence level of the interval.
        method: ``"wilson"`` (Newcombe's hybrid score interval, pooled z-test; default) or
            ``"wald"`` (unpooled standard error for both).
        min_n: Minimum responses in *each* group.
    """
    a, b = (
        estimate_proportion(successes=s, n=n, confidence=confidence, method=method, min_n=min_n)
        for s, n in (base, other)
    )
    if a.value is None or b.value is None:
        return _too_few(a, b, method, confidence)
    (s1, n1), (s2, n2) = base, other
    p1, p2, z = a.value, b.value, z_value(confidence)
    diff = p2 - p1
    if method == "wald":
        se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        low, high, p_value = diff - z * se, diff + z * se, _z_test(diff, se)
    else:
        (l1, u1), (l2, u2) = wilson_interval(s1, n1, z), wilson_interval(s2, n2, z)
        low = diff - math.hypot(p2 - l2, u1 - p1)
        high = diff + math.hypot(u2 - p2, p1 - l1)
        pooled = (s1 + s2) / (n1 + n2)
        p_value = _z_test(diff, math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)))
    return Difference(diff, max(low, -1.0), min(high, 1.0), p_value, a, b, method, confidence)


def compare_means(
    base: Iterable[float] | Mapping[float, int],
    other: Iterable[float] | Mapping[float, int],
    *,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
) -> Difference:
    """Difference of two mean scores: Welch's t interval and test.

    Args:
        base: Scores or a ``{score: count}`` histogram of the group compared against.
        other: Scores or a ``{score: count}`` histogram of the group compared.
        confidence: Confidence level of the interval.
        min_n: Minimum responses in *each* group (at least 2 are always needed).
    """
    check_confidence(confidence)
    h1, h2 = _histogram(base), _histogram(other)
    m1, m2 = moments(h1), moments(h2)
    a = estimate_mean(h1, confidence=confidence, min_n=min_n)
    b = estimate_mean(h2, confidence=confidence, min_n=min_n)
    if a.value is None or b.value is None:
        return _too_few(a, b, "welch-t", confidence)
    diff = m2.mean - m1.mean
    v1, v2 = m1.variance / m1.n, m2.variance / m2.n
    se = math.sqrt(v1 + v2)
    if se == 0:
        return Difference(diff, diff, diff, _z_test(diff, 0), a, b, "welch-t", confidence)
    df = (v1 + v2) ** 2 / (v1**2 / (m1.n - 1) + v2**2 / (m2.n - 1))
    t = float(stats.t.ppf(0.5 + confidence / 2, df))
    p_value = float(2 * stats.t.sf(abs(diff) / se, df))
    return Difference(diff, diff - t * se, diff + t * se, p_value, a, b, "welch-t", confidence)


def _histogram(values_or_histogram: Iterable[float] | Mapping[float, int]) -> Mapping[float, int]:
    """The scores as a histogram, so that a one-shot iterator is read only once."""
    if isinstance(values_or_histogram, Mapping):
        return values_or_histogram
    counts: dict[float, int] = {}
    for v in values_or_histogram:
        counts[float(v)] = counts.get(float(v), 0) + 1
    return counts
