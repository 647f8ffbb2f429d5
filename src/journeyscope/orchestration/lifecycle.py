"""What happens to an invitation after it was sent: opened, started, completed.

The hosted page of a personal link (``/i/{token}``) reports here, by the nonce its signed
token carries (unique per invitation): opening the page makes the invitation ``opened``, the
first saved answer ``started``, the completed response ``completed``. Each step is one
``UPDATE`` guarded by the states that come before it, so a state never moves backwards, a
repeated or late report changes nothing, and a skipped step gets its time too (a response
completed at once is also opened and started then). Only a sent invitation moves: one still
being sent, suppressed, failed, expired or bounced keeps its state. A personal link made by
hand (``POST /v1/surveys/{key}/invitations``) is a sent invitation too
(:mod:`.personal_links`), so it moves the same way.

Every door that saves answers through a personal link calls :func:`record_answered`: the
hosted page (a score clicked in an email included) and the phone survey's webhooks.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import Table, func, literal, update

from journeyscope.orchestration.models import ASKED_STATES, InvitationState
from journeyscope.store import Database, tables

TABLE: Table = tables.Invitation.__table__  # type: ignore[assignment]
Stage = Literal[InvitationState.OPENED, InvitationState.STARTED, InvitationState.COMPLETED]
ORDER = ASKED_STATES
"""The states after sending, in the only order an invitation goes through them."""


def advance(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    nonce: str,
    to: Stage,
) -> bool:
    """Move the invitation with ``nonce`` forward to ``to``; whether it moved.

    Sets ``{stage}_at`` of ``to`` and of the stages before it that have no time yet.
    """
    when = db.clock.now()
    reached = ORDER.index(to)
    values: dict[str, Any] = {"state": to, "updated_at": when}
    for stage in ORDER[1 : reached + 1]:
        column = TABLE.c[f"{stage}_at"]
        values[column.name] = func.coalesce(column, literal(when, column.type))
    stmt = (
        update(TABLE)
        .where(
            TABLE.c.workspace_id == workspace_id,
            TABLE.c.nonce == nonce,
            TABLE.c.state.in_(ORDER[:reached]),
        )
        .values(**values)
    )
    with db.transaction() as session:
        return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def record_opened(db: Database, *, workspace_id: uuid.UUID, nonce: str) -> bool:
    """The personal page was opened (``sent`` → ``opened``)."""
    return advance(db, workspace_id=workspace_id, nonce=nonce, to=InvitationState.OPENED)


def record_answered(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    nonce: str,
    is_complete: bool,
) -> bool:
    """Answers were saved through the personal link: ``started``, or ``completed``."""
    to: Stage = InvitationState.COMPLETED if is_complete else InvitationState.STARTED
    return advance(db, workspace_id=workspace_id, nonce=nonce, to=to)
