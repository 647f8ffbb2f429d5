from __future__ import annotations

import pytest

from journeyscope.analytics import NpsCounts, estimate_mean
from journeyscope.analytics.scores import check_statistic, estimate_scores, nps_counts, top_two
from journeyscope.errors import InvalidInput


def test_nps_counts_split_at_six_and_eight() -> None:
    histogram = {(6, 0, 10): 3, (7, 0, 10): 1, (8, 0, 10): 2, (9, 0, 10): 4, (10, 0, 10): 5}
    assert nps_counts(histogram) == NpsCounts(detractors=3, passives=3, promoters=9)


def test_top_two_box_reads_each_answers_own_scale() -> None:
    # a question moved from a 1-5 to a 1-7 scale: 4 is top-2 on the first, not the second
    histogram = {(4, 1, 5): 2, (4, 1, 7): 3, (6, 1, 7): 1, (5, 1, 5): 1}
    assert top_two(histogram) == (4, 7)


def test_the_mean_comes_from_the_histogram() -> None:
    histogram = {(1, 1, 7): 10, (7, 1, 7): 30}
    got = estimate_scores(histogram, statistic="mean", confidence=0.95, min_n=30)
    assert got == estimate_mean({1.0: 10, 7.0: 30})


@pytest.mark.parametrize(("metric", "statistic"), [("nps", "top2"), ("ces", "nps")])
def test_a_statistic_that_does_not_fit_the_metric_is_refused(metric: str, statistic: str) -> None:
    with pytest.raises(InvalidInput):
        check_statistic(metric, statistic)
