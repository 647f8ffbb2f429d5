"""NPS, proportion and mean estimates: hand-computed cases, edges and the minimum-n rule."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyscope.analytics import (
    Estimate,
    estimate_mean,
    estimate_nps,
    estimate_proportion,
    too_few,
)
from journeyscope.errors import InvalidInput

Z95 = 1.959963984540054  # standard normal 97.5% quantile


def test_wald_nps_matches_the_trinomial_variance_by_hand() -> None:
    # 1 detractor, 2 passives, 3 promoters: NPS 1/3, variance 2/3 - 1/9 = 5/9 (Rocks' NPS
    # package tests nps_var_(1:3) == 5/9 and nps_se_(1:3) == 0.304).
    est = estimate_nps(detractors=1, passives=2, promoters=3, method="wald", min_n=0)
    se = math.sqrt(5 / 9 / 6)
    assert round(se, 3) == 0.304
    assert est.value == pytest.approx(1 / 3)
    assert est.low == pytest.approx(1 / 3 - Z95 * se)
    assert est.high == pytest.approx(1 / 3 + Z95 * se)
    assert (est.n, est.method, est.confidence) == (6, "wald", 0.95)


def test_adjusted_wald_nps_adds_rocks_pseudo_counts_by_hand() -> None:
    # (1, 2, 3) + (0.75, 1.5, 0.75) = (1.75, 3.5, 3.75), 9 in all.
    est = estimate_nps(detractors=1, passives=2, promoters=3, min_n=0)
    p, d = 3.75 / 9, 1.75 / 9
    centre, se = p - d, math.sqrt((p + d - (p - d) ** 2) / 9)
    assert est.value == pytest.approx(1 / 3)  # the observed score, not the adjusted one
    assert est.low == pytest.approx(centre - Z95 * se)
    assert est.high == pytest.approx(centre + Z95 * se)
    assert est.method == "adjusted-wald"


def test_all_promoters_give_one_and_bounds_stay_inside_the_scale() -> None:
    wald = estimate_nps(detractors=0, passives=0, promoters=40, method="wald")
    adjusted = estimate_nps(detractors=0, passives=0, promoters=40)
    assert (wald.value, wald.low, wald.high) == (1.0, 1.0, 1.0)
    assert adjusted.value == 1.0 and adjusted.high == 1.0
    assert adjusted.low is not None and -1 <= adjusted.low < 1


def test_all_detractors_give_minus_one() -> None:
    est = estimate_nps(detractors=50, passives=0, promoters=0)
    assert est.value == -1.0 and est.low == -1.0
    assert est.high is not None and est.high > -1


def test_no_responses_are_too_few_even_without_a_minimum() -> None:
    est = estimate_nps(detractors=0, passives=0, promoters=0, min_n=0)
    assert est.is_too_few
    assert (est.value, est.low, est.high, est.n) == (None, None, None, 0)


def test_below_the_minimum_n_there_is_no_number_but_n() -> None:
    est = estimate_nps(detractors=9, passives=10, promoters=10)
    assert est.is_too_few and est.n == 29 and est.min_n == 30
    assert not estimate_nps(detractors=10, passives=10, promoters=10).is_too_few


def test_the_minimum_n_is_configurable() -> None:
    assert estimate_proportion(successes=5, n=10, min_n=10).value == 0.5
    assert estimate_proportion(successes=5, n=10, min_n=11).is_too_few
    assert estimate_mean([1, 2, 3], min_n=4).is_too_few


def test_too_few_helper_carries_n_and_method() -> None:
    assert too_few(7, method="wilson", confidence=0.9, min_n=30) == Estimate(
        None, None, None, 7, "wilson", 0.9, 30
    )


def test_wilson_for_zero_successes_by_hand() -> None:
    est = estimate_proportion(successes=0, n=10, min_n=0)
    assert est.value == 0 and est.low == 0
    assert est.high == pytest.approx(Z95**2 / (10 + Z95**2))  # 0.2775


def test_wald_proportion_by_hand_and_clipped() -> None:
    est = estimate_proportion(successes=40, n=50, method="wald")
    half = Z95 * math.sqrt(0.8 * 0.2 / 50)
    assert (est.low, est.high) == (pytest.approx(0.8 - half), pytest.approx(0.8 + half))
    edge = estimate_proportion(successes=1, n=40, method="wald")
    assert edge.low == 0.0


def test_mean_t_interval_by_hand() -> None:
    est = estimate_mean([1, 2, 3, 4, 5], min_n=0)
    half = 2.7764451051977987 * math.sqrt(2.5 / 5)  # t(4) 97.5% quantile times s/sqrt(n)
    assert est.value == 3
    assert (est.low, est.high) == (pytest.approx(3 - half), pytest.approx(3 + half))
    assert est.method == "t"


def test_mean_of_a_histogram_equals_the_mean_of_its_values() -> None:
    histogram = {1: 3, 4: 10, 5: 20}
    values = [1] * 3 + [4] * 10 + [5] * 20
    assert estimate_mean(histogram) == estimate_mean(values)


def test_one_response_has_no_interval() -> None:
    assert estimate_mean([4.0], min_n=0).is_too_few


@pytest.mark.parametrize(
    "call",
    [
        lambda: estimate_nps(detractors=-1, passives=0, promoters=0),
        lambda: estimate_nps(detractors=1, passives=0, promoters=0, confidence=1.0),
        lambda: estimate_nps(detractors=1, passives=0, promoters=0, method="exact"),  # type: ignore[arg-type]
        lambda: estimate_proportion(successes=5, n=4),
        lambda: estimate_proportion(successes=1, n=4, method="exact"),  # type: ignore[arg-type]
        lambda: estimate_proportion(successes=1.5, n=4),  # type: ignore[arg-type]
        lambda: estimate_mean({1: -2}),
        lambda: estimate_mean([1.0, math.nan]),
    ],
)
def test_bad_input_is_refused_with_a_field(call: object) -> None:
    with pytest.raises(InvalidInput) as info:
        call()  # type: ignore[operator]
    assert info.value.message


nps_counts = st.tuples(st.integers(0, 2000), st.integers(0, 2000), st.integers(0, 2000)).filter(
    lambda c: sum(c) >= 30
)
methods = st.sampled_from(["wald", "adjusted-wald"])


@given(nps_counts, methods, st.floats(0.9, 0.999))
def test_nps_interval_contains_the_estimate_within_the_scale(
    counts: tuple[int, int, int], method: str, confidence: float
) -> None:
    d, p, pro = counts
    est = estimate_nps(
        detractors=d,
        passives=p,
        promoters=pro,
        confidence=confidence,
        method=method,  # type: ignore[arg-type]
    )
    assert est.value is not None and est.low is not None and est.high is not None
    assert -1 <= est.low <= est.value <= est.high <= 1


@given(nps_counts, methods)
def test_nps_interval_is_wider_at_99_than_at_95(counts: tuple[int, int, int], method: str) -> None:
    d, p, pro = counts
    narrow, wide = (
        estimate_nps(detractors=d, passives=p, promoters=pro, confidence=c, method=method)  # type: ignore[arg-type]
        for c in (0.95, 0.99)
    )
    assert wide.low is not None and wide.high is not None
    assert narrow.low is not None and narrow.high is not None
    assert wide.low <= narrow.low and narrow.high <= wide.high
    if wide.low > -1 and wide.high < 1 and narrow.high > narrow.low:
        assert wide.high - wide.low > narrow.high - narrow.low


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_stays_in_zero_one_and_contains_the_share(case: tuple[int, int]) -> None:
    successes, n = case
    est = estimate_proportion(successes=successes, n=n, min_n=0)
    assert est.value is not None and est.low is not None and est.high is not None
    assert 0 <= est.low <= est.value <= est.high <= 1


@given(st.lists(st.integers(1, 5), min_size=30, max_size=300))
def test_mean_interval_contains_the_mean_and_widens_with_confidence(values: list[int]) -> None:
    narrow, wide = (estimate_mean(values, confidence=c) for c in (0.95, 0.99))
    assert wide.low is not None and wide.high is not None
    assert narrow.low is not None and narrow.high is not None and narrow.value is not None
    assert wide.low <= narrow.low <= narrow.value <= narrow.high <= wide.high
