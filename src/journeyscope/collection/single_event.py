"""A single event on PostgreSQL in one statement, outside a transaction block.

``POST /v1/events`` with one event is the request a company's systems send most. Through the
general path it is six round trips to PostgreSQL (``BEGIN``, the contact lookup, the insert,
the rule probe, ``COMMIT``, and a second contact lookup when the contact is new), each costing
the server's process ~0.1-0.2 ms of CPU in SQLAlchemy and psycopg. Here the contact lookup,
the bare contact's insert, the event's insert and the caller's probe (does anything have to
see this event in its transaction? for orchestration: does an enabled rule listen to its
type?) are one ``WITH ... INSERT ... RETURNING`` statement in autocommit: one round trip.

The statement writes nothing when the probe finds work to do, so an event that triggers rules
still goes through the one transaction that stores it with its invitations (the outbox of
DESIGN.md §2). It also gives up, having written no event, when what it read may be stale
within its own snapshot: a resent idempotency key (the stored event's id is needed) or a new
contact that a concurrent request inserted first. In each of those cases the caller runs the
general path, which answers them. One statement commits or fails as a whole, so nothing is
half-written either way.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from sqlalchemy import (
    Connection,
    ScalarSelect,
    Select,
    Table,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

from journeyscope.collection.models import EventIn, IngestResult
from journeyscope.store import Database, is_retryable, new_id, tables

EVENT: Table = tables.Event.__table__  # type: ignore[assignment]
CONTACT: Table = tables.Contact.__table__  # type: ignore[assignment]


def _param(table: Table, column: str, name: str | None = None) -> Any:
    return bindparam(name or column, type_=table.c[column].type)


@functools.cache
def _statement(probe: Select[Any] | None) -> Select[Any]:
    """The one statement; ``probe`` selects a row when the event must go the general way.

    ``probe`` may use the bind parameters ``:workspace_id`` and ``:event_type``.
    """
    workspace = _param(EVENT, "workspace_id")
    external = _param(CONTACT, "external_id")
    now = _param(EVENT, "received_at")
    held = exists(probe) if probe is not None else false()
    found = (
        select(CONTACT.c.id)
        .where(CONTACT.c.workspace_id == workspace, CONTACT.c.external_id == external)
        .cte("found")
    )
    bare = select(
        _param(CONTACT, "id", "new_contact_id"),
        workspace,
        external,
        _param(CONTACT, "attributes", "no_attributes"),
        now,
        now,
    ).where(external.is_not(None), ~exists(select(found.c.id)), ~held)
    made = (
        postgresql.insert(CONTACT)
        .from_select(
            ["id", "workspace_id", "external_id", "attributes", "created_at", "updated_at"], bare
        )
        .on_conflict_do_nothing()
        .returning(CONTACT.c.id)
        .cte("made")
    )
    contact: ScalarSelect[Any] = select(
        func.coalesce(select(found.c.id).scalar_subquery(), select(made.c.id).scalar_subquery())
    ).scalar_subquery()
    fields = ("id", "type", "occurred_at", "received_at", "properties", "idempotency_key")
    values = [_param(EVENT, name) for name in fields]
    row = select(*values, workspace, contact).where(
        ~held, or_(external.is_(None), contact.is_not(None))
    )
    stored = (
        postgresql.insert(EVENT)
        .from_select([*fields, "workspace_id", "contact_id"], row)
        .on_conflict_do_nothing()
        .returning(EVENT.c.id)
        .cte("stored")
    )
    return select(
        select(stored.c.id).scalar_subquery().label("event_id"),
        held.label("held"),
    )


def store_single_event(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    event: EventIn,
    probe: Select[Any] | None,
    now: dt.datetime,
) -> IngestResult | None:
    """Store one event without contact details in one statement; ``None``: use the general path.

    ``None`` means nothing of the event was written: the probe found work for the caller's
    hook, the idempotency key was stored before, a new contact was inserted concurrently, or
    PostgreSQL aborted the statement in a lock cycle. A bare contact the statement made stays
    (the general path would make the same one).
    """
    params = {
        "workspace_id": workspace_id,
        "external_id": event.contact_external_id,
        "received_at": now,
        "new_contact_id": new_id(),
        "no_attributes": {},
        "id": new_id(),
        "type": event.type,
        "event_type": event.type,
        "occurred_at": event.occurred_at or now,
        "properties": event.properties,
        "idempotency_key": event.idempotency_key,
    }
    try:
        with db.single_statement() as connection:
            found = _run(connection, _statement(probe), params)
    except DBAPIError as exc:
        if is_retryable(exc):
            return None
        raise
    if found is None:
        return None
    return IngestResult.model_validate(
        {
            "accepted": 1,
            "created": 1,
            "duplicates": 0,
            "events": [{"id": found, "duplicate": False}],
        }
    )


def _run(
    connection: Connection, statement: Select[Any], params: dict[str, Any]
) -> uuid.UUID | None:
    event_id, held = connection.execute(statement, params).one()
    return None if held else event_id
