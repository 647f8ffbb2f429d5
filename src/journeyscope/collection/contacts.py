"""Contact use-cases: create, upsert by external id (one or many), read, update, delete."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope.collection import repo
from journeyscope.collection.models import Contact, ContactIn, ContactPatch
from journeyscope.errors import Conflict, InvalidInput, NotFound
from journeyscope.store import Database, Page, tables

SCALAR_FIELDS = ("email", "phone", "name", "locale", "timezone")
BULK_ATTEMPTS = 3
"""Runs of a bulk upsert that lost races on the unique external id, the first included."""


@dataclass(frozen=True, slots=True)
class UpsertOutcome:
    """What an upsert did: ``created`` tells a new contact from an updated one."""

    contact: Contact
    created: bool


@dataclass(frozen=True, slots=True)
class BulkUpsertCounts:
    """Counts from a bulk upsert (CSV import)."""

    created: int
    updated: int
    unchanged: int


def merge_attributes(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """``given`` attributes written over ``stored`` ones; a ``None`` value removes one."""
    merged = {**stored, **given}
    return {k: v for k, v in merged.items() if v is not None}


def _apply(row: tables.Contact, data: ContactIn) -> bool:
    """Write the given fields onto ``row``; return whether anything changed."""
    given = data.model_dump(include=set(SCALAR_FIELDS), exclude_unset=True)
    changed = False
    for name, value in given.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    attributes = merge_attributes(row.attributes or {}, data.attributes)
    if attributes != row.attributes:
        row.attributes = attributes
        changed = True
    return changed


def _new_values(workspace_id: uuid.UUID, data: ContactIn) -> dict[str, Any]:
    """The columns of a new contact (id and times come from the table's defaults)."""
    return {
        "workspace_id": workspace_id,
        "external_id": data.external_id,
        "attributes": merge_attributes({}, data.attributes),
        **data.model_dump(include=set(SCALAR_FIELDS)),
    }


def _new_row(workspace_id: uuid.UUID, data: ContactIn) -> tables.Contact:
    return tables.Contact(**_new_values(workspace_id, data))


def _contact(session: Session, workspace_id: uuid.UUID, contact_id: uuid.UUID) -> tables.Contact:
    row = repo.get_contact(session, workspace_id, contact_id)
    if row is None:
        raise NotFound(f"There is no contact {contact_id} in this workspace.")
    return row


def _taken(external_id: str) -> Conflict:
    return Conflict(
        f"A contact with external_id {external_id!r} already exists.",
        field="external_id",
        hint="use POST /v1/contacts/upsert to update it, or choose another external_id",
    )


def create_contact(db: Database, *, workspace_id: uuid.UUID, data: ContactIn) -> Contact:
    """Create a contact; its external id must be new in the workspace."""
    try:
        with db.transaction() as session:
            row = _new_row(workspace_id, data)
            session.add(row)
            session.flush()
            return repo.to_contact(row)
    except IntegrityError:
        raise _taken(data.external_id) from None


def upsert_contact(db: Database, *, workspace_id: uuid.UUID, data: ContactIn) -> UpsertOutcome:
    """Create the contact with ``data.external_id`` or update it (attributes are merged).

    Concurrent upserts of one new contact: exactly one creates it (201), the others find it
    and update it (200), none refused by the unique constraint. The insert comes first even
    when the contact exists: it takes SQLite's write lock (PostgreSQL locks the row read
    next), so concurrent merges of attributes happen one after the other, none lost.
    """
    with db.transaction() as session:
        created = repo.insert_contact_if_new(session, _new_values(workspace_id, data))
        row = repo.contact_for_update(session, workspace_id, data.external_id)
        if row is None:  # another request deleted it between our insert and this read
            raise NotFound(f"The contact {data.external_id!r} was deleted while being saved.")
        if not created:
            _apply(row, data)
        session.flush()
        return UpsertOutcome(contact=repo.to_contact(row), created=created)


def upsert_contacts(
    db: Database, *, workspace_id: uuid.UUID, items: Sequence[ContactIn]
) -> BulkUpsertCounts:
    """Upsert many contacts in one transaction; a later item with the same id wins.

    When a concurrent request created one of the new contacts first, the whole transaction
    is rolled back and run again (at most :data:`BULK_ATTEMPTS` times in all): it then finds
    and updates that contact.
    """
    for _ in range(BULK_ATTEMPTS - 1):
        try:
            return _upsert_many(db, workspace_id, items)
        except IntegrityError:
            continue  # another request created some of these contacts between read and insert
    return _upsert_many(db, workspace_id, items)


def _upsert_many(
    db: Database, workspace_id: uuid.UUID, items: Sequence[ContactIn]
) -> BulkUpsertCounts:
    created = updated = unchanged = 0
    with db.transaction() as session:
        found = repo.contacts_by_external_id(
            session, workspace_id, list({i.external_id for i in items})
        )
        for item in items:
            row = found.get(item.external_id)
            if row is None:
                row = found[item.external_id] = _new_row(workspace_id, item)
                session.add(row)
                created += 1
            elif _apply(row, item):
                updated += 1
            else:
                unchanged += 1
    return BulkUpsertCounts(created=created, updated=updated, unchanged=unchanged)


def get_contact(db: Database, *, workspace_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    """One contact."""
    with db.transaction() as session:
        return repo.to_contact(_contact(session, workspace_id, contact_id))


def list_contacts(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    cursor: str | None = None,
    limit: int = 100,
    email: str | None = None,
) -> Page[Contact]:
    """A page of contacts, optionally only those with ``email``."""
    with db.transaction() as session:
        return repo.list_contacts(session, workspace_id, cursor=cursor, limit=limit, email=email)


def update_contact(
    db: Database, *, workspace_id: uuid.UUID, contact_id: uuid.UUID, patch: ContactPatch
) -> Contact:
    """Change the fields given in ``patch``; ``attributes`` given here replace the stored ones."""
    changes = patch.model_dump(exclude_unset=True)
    if "external_id" in changes and changes["external_id"] is None:
        raise InvalidInput(
            "external_id cannot be removed.",
            field="external_id",
            hint="leave it out to keep it, or give a new value",
        )
    try:
        with db.transaction() as session:
            row = _contact(session, workspace_id, contact_id)
            for name, value in changes.items():
                setattr(row, name, {} if name == "attributes" and value is None else value)
            session.flush()
            return repo.to_contact(row)
    except IntegrityError:
        raise _taken(patch.external_id or "") from None


def delete_contact(db: Database, *, workspace_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Delete a contact; its events stay, no longer linked to anyone."""
    with db.transaction() as session:
        session.delete(_contact(session, workspace_id, contact_id))
