"""A touchpoint's seasonal baseline: what the scheduled change detection expected of it.

:func:`touchpoint_baseline` reads the touchpoint's daily series exactly as a change-detection
pass does (``monitoring.daily_series``: the last ``HISTORY_DAYS`` days up to today, UTC,
``db.clock``) and the changes the last pass stored for it, and hands both to the pure
:func:`~journeyscope.analytics.changes.seasonal_baseline`. So a chart can draw, beside the
observed metric, the weekly and yearly season plus the level between detected changes.

Imports the store (analytics' database code) and reads the journey tables directly.
"""

from __future__ import annotations

import uuid
from typing import Final

from sqlalchemy import select

from journeyscope.analytics.changes import Baseline, seasonal_baseline
from journeyscope.analytics.monitoring import CHANGE, HISTORY_DAYS, WATCHED, daily_series
from journeyscope.analytics.queries import touchpoint_id_of
from journeyscope.errors import InvalidInput
from journeyscope.store import Database

FDR: Final = 0.05
"""The level a pass runs at (``detect_metric_changes``' default), which fits the season too."""


def touchpoint_baseline(
    db: Database, *, workspace_id: uuid.UUID, journey: str, touchpoint: str, metric: str
) -> Baseline | None:
    """The seasonal baseline of one touchpoint's daily ``metric``, in its watched statistic.

    NPS on -1…1, CSAT as the top-2-box share, CES as the mean (``monitoring.WATCHED``); one
    value per day from the series' first day with answers in the detection window to today.
    ``None`` when detection has too few days of answers to fit one.

    Raises:
        NotFound: No such journey or touchpoint in the workspace.
        InvalidInput: A metric change detection does not watch.
    """
    if metric not in WATCHED:
        raise InvalidInput(
            f"Change detection does not watch {metric!r}.",
            field="metric",
            hint=f"use one of {tuple(WATCHED)}",
        )
    today = db.clock.now().date()
    with db.transaction() as session:
        point = touchpoint_id_of(session, workspace_id, journey, touchpoint)
        found = daily_series(
            session, workspace_id, last=today, days=HISTORY_DAYS, touchpoint_id=point
        )
        c = CHANGE.c
        days = session.scalars(
            select(c.started_on).where(
                c.workspace_id == workspace_id, c.touchpoint_id == point, c.metric == metric
            )
        ).all()
    series = found.get((point, metric))
    if series is None:
        return None
    return seasonal_baseline(series, changes=list(days), alpha=FDR)
