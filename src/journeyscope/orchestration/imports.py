"""Loads of past invitations and channel standings, with their own times (the simulator).

Rows carry every column, their states and the times of each step already: this is history,
not a plan, so no policy runs and nothing is claimed or sent. They land in the same table
the dispatcher and the funnel read, in a transaction the caller owns; a row whose
``dedup_key`` or ``nonce`` is stored is skipped, so a load run twice stores it once.
Past rows must be in an end or asked state (never ``scheduled`` or ``sending``, which the
dispatcher would pick up).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from journeyscope.orchestration import repo
from journeyscope.orchestration.models import PENDING_STATES
from journeyscope.store import insert_many, tables

INVITATION: Table = tables.Invitation.__table__  # type: ignore[assignment]


def import_invitations(
    session: Session, *, workspace_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]
) -> int:
    """Insert past invitations (every column given), skipping stored dedup keys; how many."""
    for row in rows:
        if row["workspace_id"] != workspace_id:
            raise ValueError("rows of another workspace given to a load of this one")
        if row["state"] in PENDING_STATES:
            raise ValueError(f"a past invitation cannot be {row['state']!r}: it would be sent")
    return insert_many(session, INVITATION, rows)


def import_channel_statuses(
    session: Session,
    *,
    workspace_id: uuid.UUID,
    channel: str,
    status: str,
    sources: Mapping[uuid.UUID, str],
    at: dt.datetime,
) -> None:
    """Set contacts' standing on a channel (``{contact id: source}``) as of ``at``."""
    repo.upsert_channel_statuses(
        session, workspace_id=workspace_id, channel=channel, status=status, sources=sources, now=at
    )
