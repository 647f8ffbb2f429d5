"""Queries for contacts and events, scoped to one workspace; hot paths use SQLAlchemy Core."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Insert, Row, bindparam, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from journeyscope.collection.models import Contact, Event
from journeyscope.store import Page, make_page, page_query, tables

CHUNK = 500
"""Keys per IN (...) list: far below SQLite's and PostgreSQL's parameter limits."""

ContactRow = tables.Contact
EventRow = tables.Event


def insert_ignoring_conflicts(session: Session, table: Any) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the session's dialect."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    stmt: Insert = module.insert(table).on_conflict_do_nothing()
    return stmt


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    """``items`` in slices of :data:`CHUNK`."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _event_array(name: str) -> Any:
    column = EventRow.__table__.c[name]
    item = postgresql.JSONB() if name == "properties" else column.type
    return bindparam(name, type_=postgresql.ARRAY(item))


NEW_EVENT_COLUMNS = ("id", "type", "occurred_at", "contact_id", "properties", "idempotency_key")
"""The per-event columns of a new event row; ``workspace_id`` and ``received_at`` are shared."""


def _unnest_event_insert() -> Any:
    event = EventRow.__table__
    given = (
        postgresql.insert(event).table  # noqa: just for naming
        if False
        else None
    )
    del given
    source = (
        select()
        .add_columns()
    )
    del source
    from sqlalchemy import func

    arrays = func.unnest(*(_event_array(n) for n in NEW_EVENT_COLUMNS)).table_valued(
        *NEW_EVENT_COLUMNS
    ).render_derived(name="given")
    shared = {
        "workspace_id": bindparam("workspace_id", type_=event.c.workspace_id.type),
        "received_at": bindparam("received_at", type_=event.c.received_at.type),
    }
    names = [c.name for c in event.columns]
    picked = [shared[n] if n in shared else arrays.c[n] for n in names]
    return (
        postgresql.insert(event)
        .from_select(names, select(*picked))
        .on_conflict_do_nothing()
        .returning(event.c.id)
    )


def insert_events(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    received_at: dt.datetime,
    rows: Sequence[dict[str, Any]],
) -> set[uuid.UUID]:
    """Insert new event rows, skipping idempotency keys already stored; the ids inserted."""
    if not rows:
        return set()
    shared = {"workspace_id": workspace_id, "received_at": received_at}
    if session.get_bind().dialect.name == "postgresql":
        arrays = {name: [r[name] for r in rows] for name in NEW_EVENT_COLUMNS}
        return set(session.scalars(_unnest_event_insert(), arrays | shared))
    stmt = insert_ignoring_conflicts(session, EventRow.__table__).values(shared).returning(EventRow.__table__.c.id)
    return set(session.scalars(stmt, rows))


def event_ids_by_key(
    session: Session, workspace_id: uuid.UUID, keys: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Ids of the workspace's events stored under these idempotency keys."""
    event = EventRow.__table__
    found: dict[str, uuid.UUID] = {}
    if not keys:
        return found
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import func
        wanted = func.unnest(bindparam("keys", type_=postgresql.ARRAY(event.c.idempotency_key.type))).table_valued("key").render_derived(name="wanted")
        match = (
            select(event.c.id)
            .where(event.c.workspace_id == workspace_id, event.c.idempotency_key == wanted.c.key)
            .lateral("stored")
        )
        stmt = select(wanted.c.key, match.c.id).select_from(wanted.join(match, true()))
        found.update((k, i) for k, i in session.execute(stmt, {"keys": list(keys)}))
        return found
    for part in chunks(keys):
        stmt2 = select(event.c.idempotency_key, event.c.id).where(
            event.c.workspace_id == workspace_id, event.c.idempotency_key.in_(part)
        )
        found.update((key, eid) for key, eid in session.execute(stmt2))
    return found


def to_contact(row: ContactRow) -> Contact:
    """Domain view of a contact row."""
    return Contact.model_validate(row, from_attributes=True)


def get_contact(
    session: Session, workspace_id: uuid.UUID, contact_id: uuid.UUID
) -> ContactRow | None:
    """One contact of the workspace by id."""
    stmt = select(ContactRow).where(
        ContactRow.workspace_id == workspace_id, ContactRow.id == contact_id
    )
    return session.scalars(stmt).first()


def contacts_by_external_id(
    session: Session, workspace_id: uuid.UUID, external_ids: Sequence[str]
) -> dict[str, ContactRow]:
    """The workspace's contacts with these external ids, by external id."""
    found: dict[str, ContactRow] = {}
    for part in chunks(external_ids):
        stmt = select(ContactRow).where(
            ContactRow.workspace_id == workspace_id, ContactRow.external_id.in_(part)
        )
        found.update((c.external_id, c) for c in session.scalars(stmt))
    return found


def contact_ids_by_external_id(
    session: Session, workspace_id: uuid.UUID, external_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Just the ids, for event ingest (no ORM objects on the hot path)."""
    found: dict[str, uuid.UUID] = {}
    table = ContactRow.__table__
    for part in chunks(external_ids):
        stmt = select(table.c.external_id, table.c.id).where(
            table.c.workspace_id == workspace_id, table.c.external_id.in_(part)
        )
        found.update((ext, cid) for ext, cid in session.execute(stmt))
    return found


def list_contacts(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    cursor: str | None,
    limit: int,
    email: str | None = None,
) -> Page[Contact]:
    """A page of the workspace's contacts, oldest first."""
    stmt = select(ContactRow).where(ContactRow.workspace_id == workspace_id)
    if email is not None:
        stmt = stmt.where(ContactRow.email == email)
    rows = list(session.scalars(page_query(stmt, ContactRow.id, cursor, limit)))
    page = make_page(rows, limit, lambda r: r.id)
    return Page(items=[to_contact(r) for r in page.items], next_cursor=page.next_cursor)


def _event(row: Row[Any]) -> Event:
    return Event(
        id=row.id,
        type=row.type,
        occurred_at=row.occurred_at,
        received_at=row.received_at,
        contact_id=row.contact_id,
        contact_external_id=row.external_id,
        properties=row.properties,
        idempotency_key=row.idempotency_key,
    )


def _event_select() -> Any:
    event = EventRow.__table__
    contact = ContactRow.__table__
    return select(event, contact.c.external_id).select_from(
        event.outerjoin(contact, contact.c.id == event.c.contact_id)
    )


def get_event(session: Session, workspace_id: uuid.UUID, event_id: uuid.UUID) -> Event | None:
    """One event of the workspace."""
    event = EventRow.__table__
    stmt = _event_select().where(event.c.workspace_id == workspace_id, event.c.id == event_id)
    row = session.execute(stmt).first()
    return _event(row) if row else None


def list_events(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    cursor: str | None,
    limit: int,
    types: Sequence[str] = (),
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Page[Event]:
    """A page of the workspace's events in the order they were received."""
    event = EventRow.__table__
    stmt = _event_select().where(event.c.workspace_id == workspace_id)
    if types:
        stmt = stmt.where(event.c.type.in_(types))
    if since is not None:
        stmt = stmt.where(event.c.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(event.c.occurred_at < until)
    rows = list(session.execute(page_query(stmt, event.c.id, cursor, limit)))
    page = make_page(rows, limit, lambda r: r.id)
    return Page(items=[_event(r) for r in page.items], next_cursor=page.next_cursor)
