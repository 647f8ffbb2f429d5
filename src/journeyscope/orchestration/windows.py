"""Send windows: move a due time into the hours and days a contact may be contacted. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journeyscope.orchestration.rules import WEEKDAYS, SendWindow

DEFAULT_ZONE = "UTC"
_DAYS_AHEAD = 8  # today and a week: every allowed weekday comes round


def zone(name: str | None) -> ZoneInfo:
    """The contact's time zone, or UTC when unknown or invalid."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def place_in_window(due: dt.datetime, window: SendWindow | None, tz: ZoneInfo) -> dt.datetime:
    """The earliest instant at or after ``due`` when the contact's clock is inside ``window``.

    The window is read on the contact's wall clock, so 09:00 stays 09:00 across daylight-saving
    changes. On the night the clocks go forward, a window opening in the skipped hour opens
    when the clocks jump past it; on the night they go back, the repeated hour is inside or
    outside the window each time the clock shows it, and the result is never before ``due``.
    Returned in UTC unless ``due`` is already inside the window (then ``due`` itself).
    """
    if window is None or _is_open(due, window, tz):
        return due
    first = due.astimezone(tz).date()
    for offset in range(_DAYS_AHEAD):
        day = first + dt.timedelta(days=offset)
        opened = [at for at in _openings(day, window, tz) if at > due and _is_open(at, window, tz)]
        if opened:
            return min(opened)
    raise AssertionError("a window with at least one day always opens within a week")


def _is_open(moment: dt.datetime, window: SendWindow, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz)
    is_allowed_day = WEEKDAYS[local.weekday()] in window.days
    return is_allowed_day and window.start <= local.time().replace(fold=0) < window.end


def _openings(day: dt.date, window: SendWindow, tz: ZoneInfo) -> Iterator[dt.datetime]:
    """The instants on ``day`` at which the window may open.

    That is the start time (both readings of it when the clocks go back), and the moment the
    clocks change when the start or end time is skipped or repeated that day.
    """
    yield from _readings(day, window.start, tz)
    for edge in (window.start, window.end):
        early, late = sorted(_readings(day, edge, tz))
        if early != late:
            yield _change_between(early, late, tz)


def _readings(day: dt.date, time: dt.time, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The two UTC instants a local time can mean (equal unless the clocks change around it)."""
    first = dt.datetime.combine(day, time, tz)
    return first.astimezone(dt.UTC), first.replace(fold=1).astimezone(dt.UTC)


def _change_between(early: dt.datetime, late: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The first instant in (early, late] with ``late``'s UTC offset: when the clocks change."""
    offset = late.astimezone(tz).utcoffset()
    while late - early > dt.timedelta(seconds=1):
        middle = early + (late - early) / 2
        if middle.astimezone(tz).utcoffset() == offset:
            late = middle
        else:
            early = middle
    return late.replace(microsecond=0)
