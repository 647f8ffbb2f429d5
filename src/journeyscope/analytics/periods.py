"""Time grains: which period a day falls in (ISO week, month, quarter) and how to name it.

Days are the UTC calendar days the facts were completed on (workspaces have no time zone
yet), so every period is a run of UTC days. ISO weeks start on Monday and belong to the
ISO year of their Thursday (``2021-01-03`` is in ``2020-W53``). Pure: imports nothing of
the project but ``errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from journeyscope.errors import InvalidInput

Grain = Literal["day", "week", "month", "quarter"]
GRAINS: Final = ("day", "week", "month", "quarter")


def check_grain(grain: str | None) -> Grain | None:
    """``grain`` if it is one (``None``: the whole period as one), else InvalidInput."""
    if grain is not None and grain not in GRAINS:
        raise InvalidInput(
            f"There is no time grain {grain!r}.", field="grain", hint=f"use one of {GRAINS}"
        )
    return grain  # type: ignore[return-value]  # checked against the literal values above


def period_start(day: dt.date, grain: Grain) -> dt.date:
    """The first day of the period of ``grain`` that holds ``day``."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def period_label(start: dt.date, grain: Grain) -> str:
    """``2024-03-05``, ``2024-W10``, ``2024-03`` or ``2024-Q1``."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{start.year}-{start.month:02d}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return start.isoformat()


def previous_period(since: dt.date, until: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length that ends where ``[since, until)`` begins."""
    try:
        return since - (until - since), since
    except OverflowError:
        raise InvalidInput(
            f"There is no period of the same length before {since}.",
            field="since",
            hint="give the previous period explicitly",
        ) from None
