"""Event ingest: validated events stored once per idempotency key, in batches, with Core.

Events may carry their contact's details (``contact``): they are written in the same
transaction, before the event, so the rules it triggers reach the address it brings.

Nothing is sent inside the request. A caller may pass ``on_stored``, which sees the newly
stored events inside the same transaction: that is how the orchestration domain writes the
invitations they trigger together with them (the transactional outbox of DESIGN.md §2)
without this package knowing about rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from journeyscope.collection import repo
from journeyscope.collection.contacts import merge_attributes
from journeyscope.collection.models import ContactFields, Event, EventIn, IngestResult
from journeyscope.collection.single_event import store_single_event
from journeyscope.errors import NotFound
from journeyscope.store import (
    Database,
    Page,
    in_transaction_retrying,
    insert_ignoring_conflicts,
    new_id,
    tables,
)

CONTACT = tables.Contact.__table__
OnStored = Callable[[Session, list[dict[str, Any]]], None]
"""Called with the new event rows (id, type, occurred_at, contact_id, properties)."""


BLANK_CONTACT: dict[str, Any] = {**dict.fromkeys(repo.CONTACT_DETAILS), "attributes": {}}
"""The details of a contact that no event described."""


@dataclass(slots=True)
class _Details:
    """What the events of one request say about one contact; a later event wins."""

    fields: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)

    def add(self, given: ContactFields) -> None:
        self.fields.update(given.model_dump(exclude_unset=True, exclude={"attributes"}))
        self.attributes.update(given.attributes)

    def applied_to(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """``stored`` (:data:`repo.CONTACT_DETAILS`) with these details written over it.

        Attributes are merged as a contact upsert merges them (a null removes one).
        """
        attributes = merge_attributes(stored["attributes"] or {}, self.attributes)
        return {**stored, **self.fields, "attributes": attributes}


def _details_by_contact(
    session: Session, workspace_id: uuid.UUID, events: Sequence[EventIn]
) -> dict[str, _Details]:
    """The contact details of the events that will be stored, by external id, in order.

    An event that repeats an idempotency key (earlier in the request, or stored already) is
    not stored, and its details are not applied either: a resend changes nothing.
    """
    keys: set[str] = set()
    carrying: list[tuple[str, str | None, ContactFields]] = []
    for event in events:
        key = event.idempotency_key
        if key is not None and key in keys:
            continue
        if key is not None:
            keys.add(key)
        if event.contact is not None and event.contact_external_id:
            carrying.append((event.contact_external_id, key, event.contact))
    given_keys = [key for _, key, _ in carrying if key is not None]
    stored = repo.event_ids_by_key(session, workspace_id, given_keys)
    details: dict[str, _Details] = {}
    for external_id, key, contact in carrying:
        if key not in stored:
            details.setdefault(external_id, _Details()).add(contact)
    return details


def _update_contacts(
    session: Session, workspace_id: uuid.UUID, changes: dict[uuid.UUID, _Details], now: dt.datetime
) -> None:
    """Write the details onto existing contacts; those they would not change are left alone."""
    stored = repo.contact_details_for_update(session, workspace_id, list(changes))
    rows = []
    for contact_id, details in stored.items():
        values = changes[contact_id].applied_to(details)
        if values != details:
            rows.append({"contact_id": contact_id, **values, "updated_at": now})
    repo.update_contact_details(session, workspace_id, rows)


def _resolve_described_contacts(
    session: Session,
    workspace_id: uuid.UUID,
    events: Sequence[EventIn],
    wanted: list[str],
    now: dt.datetime,
) -> dict[str, uuid.UUID]:
    """:func:`_resolve_contacts` when some events carry details: one insert, one update.

    New contacts are inserted with their details; existing ones (and new ones a concurrent
    request created first) are updated together.
    """
    details = _details_by_contact(session, workspace_id, events)
    known = repo.contact_ids_by_external_id(session, workspace_id, wanted)
    new = {ext: new_id() for ext in wanted if ext not in known}
    if new:
        rows = [
            {
                "id": contact_id,
                "workspace_id": workspace_id,
                "external_id": ext,
                **(details[ext].applied_to(BLANK_CONTACT) if ext in details else BLANK_CONTACT),
                "created_at": now,
                "updated_at": now,
            }
            for ext, contact_id in new.items()
        ]
        session.execute(insert_ignoring_conflicts(session, CONTACT), rows)
        known.update(repo.contact_ids_by_external_id(session, workspace_id, list(new)))
    changes = {
        known[ext]: given
        for ext, given in details.items()
        if ext in known and known[ext] != new.get(ext)
    }
    if changes:
        _update_contacts(session, workspace_id, changes, now)
    return known


def _resolve_contacts(
    session: Session, workspace_id: uuid.UUID, events: Sequence[EventIn], now: dt.datetime
) -> dict[str, uuid.UUID]:
    """Ids of the contacts the events name, creating contacts for unknown external ids.

    Without details on any event (the common case) new contacts are bare and nothing else is
    read or written.
    """
    wanted = sorted({e.contact_external_id for e in events if e.contact_external_id})
    if not wanted:
        return {}
    if any(e.contact is not None for e in events):
        return _resolve_described_contacts(session, workspace_id, events, wanted, now)
    known = repo.contact_ids_by_external_id(session, workspace_id, wanted)
    missing = [ext for ext in wanted if ext not in known]
    if missing:
        rows = [
            {
                "id": new_id(),
                "workspace_id": workspace_id,
                "external_id": ext,
                "attributes": {},
                "created_at": now,
                "updated_at": now,
            }
            for ext in missing
        ]
        session.execute(insert_ignoring_conflicts(session, CONTACT), rows)
        known.update(repo.contact_ids_by_external_id(session, workspace_id, missing))
    return known


def _row(event: EventIn, contact_id: uuid.UUID | None, now: dt.datetime) -> dict[str, Any]:
    """The per-event columns (:data:`repo.NEW_EVENT_FIELDS`) of a new event."""
    return {
        "id": new_id(),
        "type": event.type,
        "occurred_at": event.occurred_at or now,
        "contact_id": contact_id,
        "properties": event.properties,
        "idempotency_key": event.idempotency_key,
    }


def _store(
    session: Session,
    workspace_id: uuid.UUID,
    events: Sequence[EventIn],
    on_stored: OnStored | None,
    now: dt.datetime,
) -> IngestResult:
    contacts = _resolve_contacts(session, workspace_id, events, now)
    first_by_key: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    outcome: list[tuple[int, bool]] = []  # (row index, duplicate within the request)
    for event in events:
        key = event.idempotency_key
        if key is not None and key in first_by_key:
            outcome.append((first_by_key[key], True))
            continue
        if key is not None:
            first_by_key[key] = len(rows)
        outcome.append((len(rows), False))
        contact_id = contacts.get(event.contact_external_id or "")
        rows.append(_row(event, contact_id, now))
    outcome_of = repo.insert_events(session, workspace_id, received_at=now, rows=rows)
    inserted = outcome_of.ids
    if on_stored is not None and inserted:
        on_stored(session, [row for row in rows if row["id"] in inserted])
    skipped = [r["idempotency_key"] for r in rows if r["id"] not in inserted]
    unknown = [key for key in skipped if key not in outcome_of.earlier]
    earlier = {**outcome_of.earlier, **repo.event_ids_by_key(session, workspace_id, unknown)}
    results: list[dict[str, Any]] = []
    for index, duplicate in outcome:
        row = rows[index]
        stored = row["id"] in inserted
        event_id = row["id"] if stored else earlier[row["idempotency_key"]]
        results.append({"id": event_id, "duplicate": duplicate or not stored})
    created = len(inserted)
    # One validation of plain dicts in pydantic-core: ~3x cheaper than 1,000 model objects.
    return IngestResult.model_validate(
        {
            "accepted": len(events),
            "created": created,
            "duplicates": len(events) - created,
            "events": results,
        }
    )


def ingest_events(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    events: Sequence[EventIn],
    on_stored: OnStored | None = None,
    on_stored_probe: Select[Any] | None = None,
) -> IngestResult:
    """Store events in one transaction; a resent idempotency key is answered, not stored again.

    ``on_stored_probe`` (optional) selects a row when ``on_stored`` has work for a single
    event (bind parameters ``:workspace_id`` and ``:event_type``). With it, a lone event
    on PostgreSQL is stored in one statement when the probe finds nothing, and ``on_stored``
    is not called (see :mod:`journeyscope.collection.single_event`).

    Events that repeat a key already stored (or earlier in the same request) get the first
    event's id and ``duplicate: true``. Either every event of the call is stored or none is.
    Concurrent batches sharing keys can still lock each other in a cycle (one waits for a
    key the other inserted, and the other way round): PostgreSQL then aborts one, and it is
    run again whole, ``on_stored`` included.
    """
    now = db.clock.now()
    if _one_statement_will_do(db, events, on_stored, on_stored_probe):
        stored = store_single_event(
            db, workspace_id=workspace_id, event=events[0], probe=on_stored_probe, now=now
        )
        if stored is not None:
            return stored
    return in_transaction_retrying(
        db, lambda session: _store(session, workspace_id, events, on_stored, now)
    )


def _one_statement_will_do(
    db: Database,
    events: Sequence[EventIn],
    on_stored: OnStored | None,
    probe: Select[Any] | None,
) -> bool:
    """Whether a lone event may try :func:`store_single_event` first.

    PostgreSQL only: SQLite has no data-modifying ``WITH``, and its statements cost no
    round trips.
    """
    return (
        db.dialect == "postgresql"
        and len(events) == 1
        and events[0].contact is None
        and (on_stored is None or probe is not None)
    )


def get_event(db: Database, *, workspace_id: uuid.UUID, event_id: uuid.UUID) -> Event:
    """One stored event."""
    with db.transaction() as session:
        event = repo.get_event(session, workspace_id, event_id)
    if event is None:
        raise NotFound(f"There is no event {event_id} in this workspace.")
    return event


def list_events(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    cursor: str | None = None,
    limit: int = 100,
    types: Sequence[str] = (),
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Page[Event]:
    """A page of events in the order received, filtered by type and occurrence time."""
    with db.transaction() as session:
        return repo.list_events(
            session,
            workspace_id,
            cursor=cursor,
            limit=limit,
            types=types,
            since=since,
            until=until,
        )
