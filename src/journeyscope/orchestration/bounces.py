"""Bounces and complaints reported after the fact by a mail provider's webhook.

Refusals during the SMTP session are handled when sending (:mod:`.channels.email`); a bounce
that arrives later (the provider accepted the message, the receiving server refused it) is
reported by the provider, relayed to ``POST /v1/hooks/bounces``, and handled here:

- a **hard** bounce or a **complaint** marks the invitation ``bounced`` (when its Message-ID
  names one that is ``sent`` or ``opened``) and the contact's email channel ``bounced``, so no
  later invitation or reminder goes to that address;
- a **soft** bounce (mailbox full, greylisting) is only noted in the invitation's detail.

The Message-ID (``<invitation id@host>``, or ``<invitation id.r1@host>`` for a reminder) names
the invitation itself, so it is found by its primary key and checked against the stored
Message-ID; an item with only an address marks every contact of the workspace with that
address. One transaction and a fixed handful of statements per request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from journeyscope.orchestration import repo
from journeyscope.orchestration.deliveries import REMINDER_SUFFIX
from journeyscope.orchestration.models import (
    UNANSWERED_STATES,
    BounceIn,
    BounceReport,
    InvitationState,
    StoredInvitation,
)
from journeyscope.orchestration.policies import Reason
from journeyscope.store import Database, tables

TABLE: Table = tables.Invitation.__table__  # type: ignore[assignment]
BOUNCEABLE = UNANSWERED_STATES
"""States a hard bounce moves to ``bounced``: a started or completed invitation reached someone."""


def invitation_id_in(message_id: str) -> uuid.UUID | None:
    """The invitation id a Message-ID of ours carries, or ``None`` for any other."""
    local = _bare(message_id).rpartition("@")[0].removesuffix(REMINDER_SUFFIX)
    try:
        return uuid.UUID(local)
    except ValueError:
        return None


def _bare(message_id: str) -> str:
    return message_id.strip().removeprefix("<").removesuffix(">").strip().lower()


def _is_ours(given: str, stored: str | None) -> bool:
    """Whether ``given`` is the invitation's Message-ID or its reminder's."""
    if not stored:
        return False
    mine = _bare(stored)
    return _bare(given) in {mine, mine.replace("@", REMINDER_SUFFIX + "@", 1)}


@dataclass
class _Changes:
    """What one request changes, gathered before one batch of statements."""

    bounced: dict[uuid.UUID, str] = field(default_factory=dict)  # invitation -> detail
    noted: dict[uuid.UUID, str] = field(default_factory=dict)
    contacts: dict[uuid.UUID, str] = field(default_factory=dict)  # contact -> source
    unmatched: list[int] = field(default_factory=list)


def record_bounces(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    bounces: Sequence[BounceIn],
) -> BounceReport:
    """Apply a provider's bounces and complaints to the workspace's invitations and contacts.

    Idempotent: the same report sent twice changes nothing more the second time.
    """
    when = db.clock.now()
    with db.transaction() as session:
        changes = _match(session, workspace_id, bounces)
        _apply(session, workspace_id, changes, when)
    return BounceReport(
        received=len(bounces),
        invitations_bounced=len(changes.bounced),
        contacts_bounced=len(changes.contacts),
        soft_noted=len(changes.noted),
        unmatched=changes.unmatched,
    )


def _match(session: Session, workspace_id: uuid.UUID, bounces: Sequence[BounceIn]) -> _Changes:
    """Find each item's invitation (by Message-ID) or contacts (by address)."""
    ids = {invitation_id_in(b.message_id) for b in bounces if b.message_id}
    found = {
        row.id: row
        for row in repo.invitations(session, workspace_id, [i for i in ids if i is not None])
    }
    addresses = repo.contacts_by_email(
        session, workspace_id, [b.email for b in bounces if b.email is not None]
    )
    changes = _Changes()
    for index, bounce in enumerate(bounces):
        row = _invitation_of(bounce, found)
        words = f"{bounce.type} bounce" if bounce.type != "complaint" else "complaint"
        detail = f"{words}: {bounce.detail}".rstrip(": ")[:2000]
        if row is not None and bounce.type == "soft":
            changes.noted[row.id] = detail
        elif row is not None:
            if row.state in BOUNCEABLE:
                changes.bounced[row.id] = detail
            if row.contact_id is not None:
                changes.contacts[row.contact_id] = f"{detail} (invitation {row.id})"
        contacts = addresses.get(bounce.email.lower(), []) if bounce.email else []
        if row is None and bounce.type != "soft":
            changes.contacts.update((c, f"{detail} (bounce webhook)") for c in contacts)
        if row is None and not contacts:
            changes.unmatched.append(index)
    return changes


def _invitation_of(
    bounce: BounceIn, found: dict[uuid.UUID, StoredInvitation]
) -> StoredInvitation | None:
    if not bounce.message_id:
        return None
    row = found.get(invitation_id_in(bounce.message_id) or uuid.UUID(int=0))
    return row if row is not None and _is_ours(bounce.message_id, row.message_id) else None


def _apply(session: Session, workspace_id: uuid.UUID, changes: _Changes, now: dt.datetime) -> None:
    """One statement per kind of change (``executemany``)."""
    table = TABLE
    mine = (table.c.id == bindparam("b_id"), table.c.workspace_id == workspace_id)
    if changes.bounced:
        stmt = (
            update(table)
            .where(*mine, table.c.state.in_(BOUNCEABLE))
            .values(
                state=InvitationState.BOUNCED,
                reason=Reason.BOUNCED,
                detail=bindparam("b_detail"),
                reminder_due_at=None,
                updated_at=now,
            )
        )
        session.execute(stmt, [{"b_id": i, "b_detail": d} for i, d in changes.bounced.items()])
    if changes.noted:
        stmt = update(table).where(*mine).values(detail=bindparam("b_detail"), updated_at=now)
        session.execute(stmt, [{"b_id": i, "b_detail": d} for i, d in changes.noted.items()])
    repo.upsert_channel_statuses(
        session,
        workspace_id=workspace_id,
        channel="email",
        status="bounced",
        sources=changes.contacts,
        now=now,
    )
