"""Send windows in the contact's own zone, on ordinary days and on the nights clocks change.

The rule a window keeps: an invitation goes at the earliest instant, at or after it is due, when
the contact's own clock reads a time inside the window on an allowed day. Expected instants are
written in UTC, with the local time they mean beside them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from journeyscope.orchestration.rules import SendWindow
from journeyscope.orchestration.windows import place_in_window, zone

LONDON = zone("Europe/London")
NEW_YORK = zone("America/New_York")
LORD_HOWE = zone("Australia/Lord_Howe")
PARIS = zone("Europe/Paris")
SANTIAGO = zone("America/Santiago")


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def _window(start: str, end: str, days: list[str] | None = None) -> SendWindow:
    if days is None:
        return SendWindow.model_validate({"start": start, "end": end})
    return SendWindow.model_validate({"start": start, "end": end, "days": days})


def test_no_window_keeps_the_due_time() -> None:
    due = _utc(2025, 6, 3, 3, 0)
    assert place_in_window(due, None, PARIS) == due


def test_a_due_time_inside_the_window_is_kept() -> None:
    due = _utc(2025, 6, 3, 12, 0)  # 14:00 in Paris
    assert place_in_window(due, _window("09:00", "20:00"), PARIS) == due


def test_a_due_time_before_the_window_waits_for_it_to_open() -> None:
    due = _utc(2025, 6, 3, 5, 0)  # 07:00 in Paris
    assert place_in_window(due, _window("09:00", "20:00"), PARIS) == _utc(2025, 6, 3, 7, 0)


def test_the_window_closes_at_its_end_time() -> None:
    due = _utc(2025, 6, 3, 18, 0)  # exactly 20:00 in Paris: closed, the next morning at 09:00
    assert place_in_window(due, _window("09:00", "20:00"), PARIS) == _utc(2025, 6, 4, 7, 0)


def test_a_late_evening_crosses_midnight_into_the_next_morning() -> None:
    due = _utc(2025, 6, 3, 21, 30)  # 23:30 in Paris, Tuesday
    assert place_in_window(due, _window("09:00", "20:00"), PARIS) == _utc(2025, 6, 4, 7, 0)


def test_the_day_is_the_contacts_day_not_the_utc_one() -> None:
    # Friday 23:30 UTC is already Saturday 10:30 on Lord Howe Island: a weekday window waits
    # for Monday 09:00 there (Sunday 22:30 UTC, UTC+10:30 in winter).
    due = _utc(2025, 6, 6, 23, 30)
    window = _window("09:00", "20:00", ["mon", "tue", "wed", "thu", "fri"])
    assert place_in_window(due, window, LORD_HOWE) == _utc(2025, 6, 8, 22, 30)


def test_a_due_time_just_before_local_midnight_stays_on_its_day() -> None:
    # Sunday 23:59 in New York is Monday 03:59 UTC: the Sunday-only window is still open.
    due = _utc(2025, 6, 9, 3, 59)
    assert place_in_window(due, _window("09:00", "23:59:59", ["sun"]), NEW_YORK) == due


def test_a_window_that_would_cross_midnight_is_refused() -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        _window("22:00", "06:00")


def test_a_window_on_one_day_waits_up_to_a_week() -> None:
    due = _utc(2025, 6, 4, 8, 0)  # Wednesday 09:00 in London, after Wednesday's window
    window = _window("07:00", "08:00", ["wed"])
    assert place_in_window(due, window, LONDON) == _utc(2025, 6, 11, 6, 0)


def test_an_unknown_zone_falls_back_to_utc() -> None:
    assert zone("Mars/Olympus_Mons") == zone(None) == zone("UTC")


# Spring forward: Europe/London 2025-03-30 01:00 GMT -> 02:00 BST (01:00-02:00 never happens);
# America/New_York 2025-03-09 02:00 EST -> 03:00 EDT; Lord Howe 2025-10-05 02:00 -> 02:30
# (+10:30 -> +11:00, a half-hour change).


@pytest.mark.parametrize(
    ("tz", "due", "start", "expected"),
    [
        # 00:30 GMT; the window opens at 01:30, which does not exist: it opens when the
        # clocks jump to 02:00 BST (01:00 UTC), not half an hour later.
        (LONDON, _utc(2025, 3, 30, 0, 30), "01:30", _utc(2025, 3, 30, 1, 0)),
        # 01:00 EST; 02:30 does not exist: 03:00 EDT is 07:00 UTC.
        (NEW_YORK, _utc(2025, 3, 9, 6, 0), "02:30", _utc(2025, 3, 9, 7, 0)),
        # 01:00 +10:30; 02:15 does not exist: the jump to 02:30 +11:00 is 15:30 UTC.
        (LORD_HOWE, _utc(2025, 10, 4, 14, 30), "02:15", _utc(2025, 10, 4, 15, 30)),
    ],
)
def test_a_window_opening_in_the_skipped_hour_opens_when_the_clocks_jump(
    tz: ZoneInfo, due: dt.datetime, start: str, expected: dt.datetime
) -> None:
    assert place_in_window(due, _window(start, "20:00"), tz) == expected


def test_a_window_opening_after_the_skipped_hour_counts_summer_time() -> None:
    due = _utc(2025, 3, 9, 6, 0)  # 01:00 EST; 09:00 that day is already EDT (13:00 UTC)
    assert place_in_window(due, _window("09:00", "20:00"), NEW_YORK) == _utc(2025, 3, 9, 13, 0)


def test_a_window_closing_in_the_skipped_hour_is_closed_after_the_jump() -> None:
    due = _utc(2025, 3, 9, 7, 5)  # 03:05 EDT, after a window 01:00-02:30 that did not reach 02:30
    window = _window("01:00", "02:30")
    assert place_in_window(due, window, NEW_YORK) == _utc(2025, 3, 10, 5, 0)  # 01:00 EDT


# Fall back: Europe/London 2025-10-26 02:00 BST -> 01:00 GMT (01:00-02:00 happens twice);
# America/New_York 2025-11-02 02:00 EDT -> 01:00 EST; Lord Howe 2025-04-06 02:00 -> 01:30.


@pytest.mark.parametrize(
    ("tz", "due", "start", "expected"),
    [
        # 00:45 BST: the first 01:30 (BST) is 00:30 UTC.
        (LONDON, _utc(2025, 10, 25, 23, 45), "01:30", _utc(2025, 10, 26, 0, 30)),
        # 00:30 EDT: the first 01:30 (EDT) is 05:30 UTC.
        (NEW_YORK, _utc(2025, 11, 2, 4, 30), "01:30", _utc(2025, 11, 2, 5, 30)),
        # 01:00 +11:00: the first 01:45 (+11:00) is 14:45 UTC.
        (LORD_HOWE, _utc(2025, 4, 5, 14, 0), "01:45", _utc(2025, 4, 5, 14, 45)),
    ],
)
def test_a_window_opening_in_the_repeated_hour_opens_the_first_time(
    tz: ZoneInfo, due: dt.datetime, start: str, expected: dt.datetime
) -> None:
    assert place_in_window(due, _window(start, "20:00"), tz) == expected


@pytest.mark.parametrize(
    ("tz", "due", "start", "expected"),
    [
        # 01:10 GMT the second time round (01:10 UTC); the clock has not reached 01:30 again:
        # it does at 01:30 UTC, never before the due time.
        (LONDON, _utc(2025, 10, 26, 1, 10), "01:30", _utc(2025, 10, 26, 1, 30)),
        # 01:00 EST the second time (06:00 UTC); 01:30 EST is 06:30 UTC.
        (NEW_YORK, _utc(2025, 11, 2, 6, 0), "01:30", _utc(2025, 11, 2, 6, 30)),
        # 01:35 +10:30 the second time (15:05 UTC); 01:45 +10:30 is 15:15 UTC.
        (LORD_HOWE, _utc(2025, 4, 5, 15, 5), "01:45", _utc(2025, 4, 5, 15, 15)),
    ],
)
def test_a_due_time_in_the_repeated_hour_is_never_moved_earlier(
    tz: ZoneInfo, due: dt.datetime, start: str, expected: dt.datetime
) -> None:
    placed = place_in_window(due, _window(start, "20:00"), tz)
    assert placed == expected
    assert placed >= due


def test_a_window_ending_in_the_repeated_hour_opens_again_when_the_clocks_go_back() -> None:
    # 01:40 EDT (05:40 UTC) is after a 00:00-01:30 window; at 06:00 UTC the clocks go back to
    # 01:00 EST, which the window allows again.
    window = _window("00:00", "01:30")
    assert place_in_window(_utc(2025, 11, 2, 5, 40), window, NEW_YORK) == _utc(2025, 11, 2, 6, 0)


def test_a_window_spanning_the_repeated_hour_stays_open_through_it() -> None:
    due = _utc(2025, 10, 26, 1, 15)  # 01:15 GMT, the second time round
    assert place_in_window(due, _window("00:30", "03:00"), LONDON) == due


def test_nine_oclock_stays_nine_oclock_across_the_change() -> None:
    # 20:30 BST on Saturday is after the window; Sunday 09:00 is already GMT (09:00 UTC).
    due = _utc(2025, 10, 25, 19, 30)
    assert place_in_window(due, _window("09:00", "20:00"), LONDON) == _utc(2025, 10, 26, 9, 0)


def _shows_allowed_time(local: dt.datetime, window: SendWindow) -> bool:
    is_allowed_day = local.strftime("%a").lower() in window.days
    return is_allowed_day and window.start <= local.time().replace(fold=0) < window.end


def _earliest_by_brute_force(due: dt.datetime, window: SendWindow, tz: ZoneInfo) -> dt.datetime:
    """Every quarter of an hour from ``due`` until the local clock allows it.

    Exact here: the due times, the window edges (in zones offset by whole half hours) and the
    clock changes all fall on a quarter of an hour in UTC.
    """
    moment = due
    while not _shows_allowed_time(moment.astimezone(tz), window):
        moment += dt.timedelta(minutes=15)
    return moment


CHANGES = [
    pytest.param(LONDON, _utc(2025, 3, 29, 12), id="london-spring"),
    pytest.param(LONDON, _utc(2025, 10, 25, 12), id="london-autumn"),
    pytest.param(NEW_YORK, _utc(2025, 3, 8, 16), id="new-york-spring"),
    pytest.param(NEW_YORK, _utc(2025, 11, 1, 16), id="new-york-autumn"),
    pytest.param(LORD_HOWE, _utc(2025, 4, 4, 12), id="lord-howe-autumn"),
    pytest.param(LORD_HOWE, _utc(2025, 10, 3, 12), id="lord-howe-spring"),
    # Chile changes at midnight: in April Saturday's 24:00 turns back to 23:00, in September
    # it jumps to Sunday 01:00.
    pytest.param(SANTIAGO, _utc(2025, 4, 5, 12), id="santiago-autumn-midnight"),
    pytest.param(SANTIAGO, _utc(2025, 9, 6, 12), id="santiago-spring-midnight"),
]


@pytest.mark.parametrize(("tz", "start"), CHANGES)
def test_every_placed_time_is_the_earliest_allowed_one(tz: ZoneInfo, start: dt.datetime) -> None:
    # Every half hour across two days around the change, with windows that open and
    # close in the changed hour: the same answer as checking minute by minute.
    windows = [
        _window("01:15", "02:45"),
        _window("02:15", "20:00"),
        _window("00:00", "01:45"),
        _window("00:15", "20:00"),
        _window("23:15", "23:45"),
    ]
    for window in windows:
        for step in range(96):
            due = start + dt.timedelta(minutes=30 * step)
            assert place_in_window(due, window, tz) == _earliest_by_brute_force(due, window, tz)
