"""Queries for contacts and events, scoped to one workspace; hot paths use SQLAlchemy Core."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Insert, Row, select
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
