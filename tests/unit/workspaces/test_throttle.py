"""Sign-in throttling: the sliding window and the wait it answers with."""

from __future__ import annotations

import datetime as dt

from journeyscope.workspaces.throttle import retry_after

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)


def _ago(minutes: float) -> dt.datetime:
    return NOW - dt.timedelta(minutes=minutes)


def test_below_the_limit_an_attempt_is_allowed() -> None:
    assert retry_after([_ago(1)] * 4, limit=5, window=WINDOW, now=NOW) is None


def test_at_the_limit_the_wait_lasts_until_the_oldest_counted_failure_leaves_the_window() -> None:
    failures = [_ago(10), _ago(8), _ago(3), _ago(2), _ago(1)]
    assert retry_after(failures, limit=5, window=WINDOW, now=NOW) == 5 * 60


def test_failures_older_than_the_window_do_not_count() -> None:
    failures = [_ago(16), _ago(20), _ago(3), _ago(2), _ago(1), _ago(1)]
    assert retry_after(failures, limit=5, window=WINDOW, now=NOW) is None


def test_above_the_limit_the_wait_is_until_the_count_drops_below_it() -> None:
    failures = [_ago(14), _ago(12), _ago(9), _ago(3), _ago(2), _ago(1)]  # 6, limit 5
    assert retry_after(failures, limit=5, window=WINDOW, now=NOW) == 3 * 60


def test_the_wait_is_at_least_a_second() -> None:
    failures = [NOW - WINDOW + dt.timedelta(milliseconds=10)] * 5
    assert retry_after(failures, limit=5, window=WINDOW, now=NOW) == 1
