from __future__ import annotations

import datetime as dt

import pytest

from journeyscope.analytics.periods import period_label, period_start, previous_period


@pytest.mark.parametrize(
    ("day", "grain", "start", "label"),
    [
        (dt.date(2021, 1, 3), "week", dt.date(2020, 12, 28), "2020-W53"),  # a Sunday
        (dt.date(2024, 12, 30), "week", dt.date(2024, 12, 30), "2025-W01"),
        (dt.date(2024, 2, 29), "month", dt.date(2024, 2, 1), "2024-02"),
        (dt.date(2024, 12, 31), "quarter", dt.date(2024, 10, 1), "2024-Q4"),
        (dt.date(2024, 3, 31), "quarter", dt.date(2024, 1, 1), "2024-Q1"),
        (dt.date(2024, 3, 5), "day", dt.date(2024, 3, 5), "2024-03-05"),
    ],
)
def test_periods_follow_iso_weeks_months_and_quarters(
    day: dt.date, grain: str, start: dt.date, label: str
) -> None:
    assert period_start(day, grain) == start  # type: ignore[arg-type]
    assert period_label(start, grain) == label  # type: ignore[arg-type]


def test_the_previous_period_has_the_same_length() -> None:
    assert previous_period(dt.date(2024, 3, 1), dt.date(2024, 3, 31)) == (
        dt.date(2024, 1, 31),
        dt.date(2024, 3, 1),
    )
