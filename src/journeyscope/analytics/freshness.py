"""How many answers the rollups have counted: a cheap sign that a figure may have moved.

A live page (``web/pages/live.py``) asks this before it recomputes a part: while the count
is the same, no response has completed (or been rebuilt) since, and the part's figures from
the rollups are what they were. One indexed read of the weekly rollup's rows of the
workspace (its key leads with the workspace; a few thousand rows at millions of responses),
summing their histograms. Only the rollups: other sources of a page (verbatim analyses,
invitations, detected changes) are not in it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from journeyscope.analytics.rollups import HISTOGRAM, WEEK
from journeyscope.store import Database


def answers_counted(db: Database, *, workspace_id: uuid.UUID) -> int:
    """Every score answer the workspace's weekly rollups hold (all metrics, all weeks)."""
    total = sum((WEEK.c[h] for h in HISTOGRAM[1:]), WEEK.c[HISTOGRAM[0]])
    stmt = select(func.coalesce(func.sum(total), 0)).where(WEEK.c.workspace_id == workspace_id)
    with db.read() as connection:
        return int(connection.execute(stmt).scalar_one())
