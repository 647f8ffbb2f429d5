"""Send windows: move a due time into the hours and days a contact may be contacted. Pure."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journeyscope.orchestration.rules import WEEKDAYS, SendWindow

DEFAULT_ZONE = "UTC"


def zone(name: str | None) -> ZoneInfo:
    """The contact's time zone, or UTC when unknown or invalid."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def place_in_window(due: dt.datetime, window: SendWindow | None, tz: ZoneInfo) -> dt.datetime:
    """The earliest time at or after ``due`` inside ``window``, in UTC.

    Local wall-clock times are used, so 09:00 stays 09:00 across daylight-saving changes.
    """
    if window is None:
        return due
    local = due.astimezone(tz)
    allowed = {WEEKDAYS.index(day) for day in window.days}
    for offset in range(8):
        day = local.date() + dt.timedelta(days=offset)
        if day.weekday() not in allowed:
            continue
        opens = dt.datetime.combine(day, window.start, tz)
        closes = dt.datetime.combine(day, window.end, tz)
        if offset == 0 and opens <= local < closes:
            return due
        if local < opens:
            return opens.astimezone(dt.UTC)
    raise AssertionError("a window with at least one day always opens within a week")
