"""Comparisons of two periods or segments: interval, p-value and the minimum-n rule."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from journeyscope.analytics import NpsCounts, compare_means, compare_nps, compare_proportions

Z95 = 1.959963984540054


def test_newcombe_interval_matches_the_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, example (a):
    # 56/70 - 48/80, method 10 (hybrid score): 0.0524 to 0.3339.
    diff = compare_proportions((48, 80), (56, 70))
    assert diff.value == pytest.approx(0.2)
    assert (round(diff.low or 0, 4), round(diff.high or 0, 4)) == (0.0524, 0.3339)


def test_pooled_z_test_p_value_by_hand() -> None:
    diff = compare_proportions((48, 80), (56, 70))
    pooled = 104 / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 80 + 1 / 70))
    assert diff.p_value == pytest.approx(2 * stats.norm.sf(z))


def test_wald_difference_of_proportions_by_hand() -> None:
    diff = compare_proportions((48, 80), (56, 70), method="wald")
    se = math.sqrt(0.6 * 0.4 / 80 + 0.8 * 0.2 / 70)
    assert (diff.low, diff.high) == (pytest.approx(0.2 - Z95 * se), pytest.approx(0.2 + Z95 * se))
    assert diff.p_value == pytest.approx(2 * stats.norm.sf(0.2 / se))


def test_wald_nps_difference_by_hand() -> None:
    base, other = NpsCounts(10, 20, 30), NpsCounts(20, 20, 20)
    diff = compare_nps(base, other, method="wald")
    se = math.sqrt((2 / 3 - 1 / 9) / 60 + (2 / 3) / 60)  # trinomial variances / n
    assert diff.value == pytest.approx(-1 / 3)
    assert diff.low == pytest.approx(-1 / 3 - Z95 * se)
    assert diff.high == pytest.approx(-1 / 3 + Z95 * se)
    assert diff.p_value == pytest.approx(2 * stats.norm.sf((1 / 3) / se))


def test_same_groups_show_no_difference() -> None:
    counts = NpsCounts(15, 20, 25)
    diff = compare_nps(counts, counts)
    assert diff.value == 0 and diff.p_value == pytest.approx(1.0)
    assert diff.low is not None and diff.high is not None
    assert diff.low == pytest.approx(-diff.high)


def test_welch_matches_scipy() -> None:
    a = [1, 2, 3, 4, 5] * 8
    b = [3, 4, 5, 5, 5, 4] * 6
    diff = compare_means(a, b)
    reference = stats.ttest_ind(b, a, equal_var=False)
    assert diff.p_value == pytest.approx(reference.pvalue)
    assert diff.value == pytest.approx(sum(b) / len(b) - sum(a) / len(a))
    assert diff.method == "welch-t"


def test_means_accept_histograms_and_one_shot_iterators() -> None:
    from_histograms = compare_means({1: 10, 5: 30}, {1: 5, 5: 35})
    from_iterators = compare_means(iter([1] * 10 + [5] * 30), iter([1] * 5 + [5] * 35))
    assert from_histograms == from_iterators


def test_constant_groups_compare_without_spread() -> None:
    diff = compare_means([4] * 30, [5] * 30)
    assert (diff.value, diff.low, diff.high, diff.p_value) == (1, 1, 1, 0.0)


def test_a_small_group_makes_the_comparison_too_few() -> None:
    diff = compare_nps(NpsCounts(10, 10, 10), NpsCounts(1, 2, 3))
    assert diff.is_too_few and diff.p_value is None
    assert diff.other.is_too_few and diff.other.n == 6
    assert not diff.base.is_too_few
