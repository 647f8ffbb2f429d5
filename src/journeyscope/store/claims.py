"""Claiming due rows when several dispatchers run at once (``SELECT ... FOR UPDATE SKIP LOCKED``).

A claim picks due rows and marks them taken in one ``UPDATE ... WHERE id IN (pick)``. On
PostgreSQL the pick locks its rows and skips those another claimer holds, so concurrent
dispatchers take different rows instead of waiting on each other. SQLite has one writer at a
time, so its ``UPDATE`` is exclusive already and needs no lock clause (it has none).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from journeyscope.store.dialects import is_postgres


def skip_locked(session: Session, pick: Select[Any]) -> Select[Any]:
    """``pick`` with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, unchanged on SQLite."""
    return pick.with_for_update(skip_locked=True) if is_postgres(session) else pick
