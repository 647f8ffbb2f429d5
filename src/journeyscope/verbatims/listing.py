"""One touchpoint's analysed answers, newest first, a page at a time (the drill-down's list).

Offset pages: a reader pages back through a few hundred answers at most, so the cost of an
offset stays small, and the count beside it says how many there are. The order
(``answered_at``, then id, both descending) is total, so pages neither repeat nor skip an
answer while no new one arrives.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Final

from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database
from journeyscope.verbatims import repo
from journeyscope.verbatims.models import ListedVerbatim, VerbatimPage

MAX_LIMIT: Final = 100
MAX_OFFSET: Final = 10_000
"""Deeper than this, narrow the period instead."""


def touchpoint_verbatims(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    touchpoint: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    offset: int = 0,
    limit: int = 20,
) -> VerbatimPage:
    """The analysed open-text answers given at one touchpoint in ``[since, until)``.

    Raises:
        NotFound: The workspace's journey has no such touchpoint (or there is no journey).
        InvalidInput: ``limit`` not 1…100, ``offset`` not 0…10000, or an empty period.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1 to {MAX_LIMIT}.", field="limit")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(
            f"offset is 0 to {MAX_OFFSET}.", field="offset", hint="narrow the period instead"
        )
    if since is not None and until is not None and since >= until:
        raise InvalidInput("The period is empty: `since` is not before `until`.", field="since")
    with db.transaction() as session:
        points = repo.journey_points(session, workspace_id, journey_key)
        found = next((p for p in points if p.key == touchpoint), None)
        if found is None:
            raise NotFound(
                f"The journey {journey_key!r} has no touchpoint {touchpoint!r}.",
                field="touchpoint",
            )
        scope = repo.scope(workspace_id, [found.id], since=since, until=until)
        total = repo.count_analysed(session, scope)
        rows = repo.page_analysed(session, scope, offset=offset, limit=limit)
    return VerbatimPage(tuple(_listed(r) for r in rows), total, offset, limit)


def _listed(row: Any) -> ListedVerbatim:
    return ListedVerbatim(
        text=row.text or "",
        question_id=row.question_id,
        answered_at=row.answered_at,
        valence=round(row.valence or 0.0, 4),
        emotions=tuple(
            (str(label), round(float(value), 4))
            for label, value in (row.annotation or {}).get("emotions", ())
        ),
        is_minimized=bool(row.is_minimized),
        response_id=row.client_id,
    )
