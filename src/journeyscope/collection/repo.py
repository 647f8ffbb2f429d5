"""Queries for contacts and events, scoped to one workspace; hot paths use SQLAlchemy Core."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic_core
from sqlalchemy import (
    ColumnElement,
    Dialect,
    Insert,
    Row,
    Select,
    Table,
    Text,
    bindparam,
    cast,
    column,
    func,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from journeyscope.collection.models import Contact, Event
from journeyscope.store import (
    Page,
    chunks,
    insert_ignoring_conflicts,
    insert_many,
    is_postgres,
    make_page,
    page_query,
    tables,
    write_rows,
)

ContactRow = tables.Contact
FACT: Table = tables.MetricFact.__table__  # type: ignore[assignment]
RESPONSE: Table = tables.Response.__table__  # type: ignore[assignment]
EventRow = tables.Event

NEW_EVENT_FIELDS = ("id", "type", "occurred_at", "contact_id", "properties", "idempotency_key")
"""The columns that differ between the events of a batch; the other two are shared."""
SHARED_EVENT_FIELDS = ("workspace_id", "received_at")


@functools.lru_cache(maxsize=16)
def _field_encoders(dialect: Dialect) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """The new-event fields whose column type processes values for ``dialect``.

    The rows document bypasses per-value binding; applying the types' own bind processors
    keeps their guarantees (times in UTC, naive ones refused).
    """
    event = EventRow.__table__
    encoders: list[tuple[str, Callable[[Any], Any]]] = []
    for name in NEW_EVENT_FIELDS:
        if name != "properties":  # stays a JSON value in the document
            encode = event.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if encode is not None:
                encoders.append((name, encode))
    return tuple(encoders)


def _rows_document(dialect: Dialect, rows: Sequence[dict[str, Any]]) -> str:
    """The rows as one JSON array of objects for ``json_to_recordset``.

    UUIDs and datetimes become text; properties stay JSON values and arrive as JSONB.
    pydantic-core writes it several times faster than ``json.dumps(default=str)``.
    """
    encoders = _field_encoders(dialect)
    items = []
    for row in rows:
        item = dict(row)
        for name, encode in encoders:
            item[name] = encode(item[name])
        items.append(item)
    return pydantic_core.to_json(items).decode()  # UUIDs and datetimes natively, in Rust


@functools.cache
def _postgres_insert_events() -> Insert:
    """``INSERT INTO event SELECT ... FROM json_to_recordset(:rows) ON CONFLICT DO NOTHING``."""
    event: Any = EventRow.__table__
    document = cast(bindparam("rows", type_=Text), postgresql.JSON)
    typed = [column(name, event.c[name].type) for name in NEW_EVENT_FIELDS]
    given = func.json_to_recordset(document).table_valued(*typed)
    given = given.render_derived(name="given", with_types=True)
    fields: dict[str, ColumnElement[Any]] = {name: given.c[name] for name in NEW_EVENT_FIELDS}
    for name in SHARED_EVENT_FIELDS:
        fields[name] = bindparam(name, type_=event.c[name].type)
    stmt: Insert = (
        postgresql.insert(event)
        .from_select(list(fields), select(*fields.values()))
        .on_conflict_do_nothing()
        .returning(event.c.id)
    )
    return stmt


SQLITE_EVENT_COLUMNS = (
    "id",
    "workspace_id",
    "type",
    "occurred_at",
    "received_at",
    "contact_id",
    "properties",
    "idempotency_key",
)
"""The order of :func:`sqlite_event_params`; a test pins it to the table's column order."""


def sqlite_time(value: dt.datetime) -> str:
    """A UTC time as SQLAlchemy's SQLite ``DATETIME`` stores it (a test pins the equality)."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def sqlite_event_params(
    shared: dict[str, Any], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Driver parameters for new events, encoded as the column types encode them on SQLite.

    SQLAlchemy's per-value bind processors cost more than SQLite's own ``executemany`` here
    (bench/ingest_events.py); the batch's shared values are encoded once, and properties are
    written by pydantic-core (compact JSON, read back by the JSON column like any other).
    """
    workspace = shared["workspace_id"].hex
    received = sqlite_time(shared["received_at"])
    return [
        (
            row["id"].hex,
            workspace,
            row["type"],
            sqlite_time(row["occurred_at"]),
            received,
            None if row["contact_id"] is None else row["contact_id"].hex,
            pydantic_core.to_json(row["properties"]).decode(),
            row["idempotency_key"],
        )
        for row in rows
    ]


@functools.lru_cache(maxsize=16)
def _sqlite_insert_sql(dialect: Dialect) -> str:
    """``INSERT ... VALUES (?, ...) ON CONFLICT DO NOTHING``, compiled by SQLAlchemy once."""
    stmt = sqlite.insert(EventRow).on_conflict_do_nothing()
    return str(stmt.compile(dialect=dialect, column_keys=list(SQLITE_EVENT_COLUMNS)))


@dataclass(frozen=True, slots=True)
class InsertedEvents:
    """Which rows went in, and the stored id of each idempotency key that was skipped."""

    ids: set[uuid.UUID]
    earlier: dict[str, uuid.UUID]


def _sqlite_insert_events(
    session: Session, shared: dict[str, Any], rows: Sequence[dict[str, Any]]
) -> InsertedEvents:
    """``executemany`` through the driver, the fastest path SQLite has (bench/ingest_events.py).

    It cannot return ids, so when fewer rows went in than were sent (keys stored already, or
    by a concurrent request), the stored ids of the sent keys tell which rows were skipped,
    and are handed back so the caller need not look them up again.
    """
    sql = _sqlite_insert_sql(session.get_bind().dialect)
    result = session.connection().exec_driver_sql(sql, sqlite_event_params(shared, rows))
    if result.rowcount == len(rows):
        return InsertedEvents({row["id"] for row in rows}, {})
    keys = [row["idempotency_key"] for row in rows if row["idempotency_key"] is not None]
    stored = event_ids_by_key(session, shared["workspace_id"], keys)
    ids = {row["id"] for row in rows if stored.get(row["idempotency_key"], row["id"]) == row["id"]}
    return InsertedEvents(ids, stored)


def insert_events(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    received_at: dt.datetime,
    rows: Sequence[dict[str, Any]],
) -> InsertedEvents:
    """Insert new events, skipping those whose idempotency key is stored.

    ``rows`` hold :data:`NEW_EVENT_FIELDS` in that order. SQLite gets the driver's
    ``executemany``. PostgreSQL gets the batch as one JSON document expanded by
    ``json_to_recordset``: with 8,000 placeholders psycopg parsed the statement in Python on
    every call, which cost more than the insert itself (bench/ingest_events.py). There the
    rows go in sorted by idempotency key: a batch waits on a key another uncommitted batch
    inserted, and with every batch taking its keys in one order, no two wait on each other.
    """
    if not rows:
        return InsertedEvents(set(), {})
    shared = {"workspace_id": workspace_id, "received_at": received_at}
    if is_postgres(session):
        ordered = sorted(rows, key=lambda row: row["idempotency_key"] or "")
        document = _rows_document(session.get_bind().dialect, ordered)
        ids = set(session.scalars(_postgres_insert_events(), {"rows": document} | shared))
        return InsertedEvents(ids, {})
    return _sqlite_insert_events(session, shared, rows)


@functools.cache
def _postgres_ids_by_value(table: Any, key: str) -> Select[Any]:
    """One probe of the unique ``(workspace_id, key)`` index per value of ``:wanted``.

    The values come as one JSON array. With ``IN`` lists of 500 placeholders, the generic
    plan PostgreSQL switches to once psycopg prepares the statement compared every row of
    the workspace with every item: about 0.5 s per resent batch of 1,000 once some 20,000
    events were stored.
    ``LIMIT 1`` keeps the lateral subquery from being flattened into a join whose plan
    hangs on statistics that a fresh or bulk-loaded table does not have yet.
    """
    wanted_json = cast(bindparam("wanted", type_=Text), postgresql.JSON)
    wanted = func.json_array_elements_text(wanted_json).table_valued("value", name="wanted")
    match = (
        select(table.c.id)
        .where(table.c.workspace_id == bindparam("workspace_id"), table.c[key] == wanted.c.value)
        .limit(1)
        .lateral("stored")
    )
    return select(wanted.c.value, match.c.id).select_from(wanted).join(match, true())


@functools.cache
def _sqlite_ids_by_value(table: Any, key: str) -> Select[Any]:
    """The rows whose ``key`` is in the JSON array ``:wanted``, read with ``json_each``.

    One statement with one parameter for the whole batch, the same shape as on PostgreSQL,
    instead of ``IN`` lists of hundreds of placeholders.
    """
    wanted = func.json_each(bindparam("wanted", type_=Text)).table_valued("value", name="wanted")
    return select(table.c[key], table.c.id).where(
        table.c.workspace_id == bindparam("workspace_id"),
        table.c[key].in_(select(wanted.c.value)),
    )


@functools.cache
def _id_by_value(table: Any, key: str) -> Select[Any]:
    return select(table.c[key], table.c.id).where(
        table.c.workspace_id == bindparam("workspace_id"), table.c[key] == bindparam("value")
    )


def _ids_by_value(
    session: Session, table: Any, key: str, workspace_id: uuid.UUID, values: Sequence[str]
) -> dict[str, uuid.UUID]:
    """``value -> id`` for the workspace's rows of ``table`` whose ``key`` is in ``values``.

    The statements are built once per table and key (building cost more than running them
    for the single event of ``POST /v1/events``).
    """
    if not values:
        return {}
    if len(values) == 1:  # the single event of POST /v1/events: a plain equality
        params = {"workspace_id": workspace_id, "value": values[0]}
        rows = session.execute(_id_by_value(table, key), params)
        return {value: row_id for value, row_id in rows.all()}  # noqa: C416 - rows, not pairs
    build = _postgres_ids_by_value if is_postgres(session) else _sqlite_ids_by_value
    params = {"workspace_id": workspace_id, "wanted": json.dumps(list(values))}
    rows = session.execute(build(table, key), params)
    return {value: row_id for value, row_id in rows.all()}  # noqa: C416 - rows, not pairs


def event_ids_by_key(
    session: Session, workspace_id: uuid.UUID, keys: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Ids of the workspace's events stored under these idempotency keys."""
    return _ids_by_value(session, EventRow.__table__, "idempotency_key", workspace_id, keys)


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


def contact_for_update(
    session: Session, workspace_id: uuid.UUID, external_id: str
) -> ContactRow | None:
    """The workspace's contact with this external id, locked until the commit.

    ``FOR UPDATE`` (PostgreSQL; SQLite has one writer anyway): concurrent upserts of one
    contact merge their attributes one after the other instead of the last overwriting.
    """
    stmt = (
        select(ContactRow)
        .where(ContactRow.workspace_id == workspace_id, ContactRow.external_id == external_id)
        .with_for_update()
    )
    return session.scalars(stmt).first()


def insert_contact_if_new(session: Session, values: dict[str, Any]) -> bool:
    """Insert a contact unless its external id is taken; whether this call inserted it.

    ``ON CONFLICT DO NOTHING`` on both databases: when a concurrent request inserted the same
    external id first, PostgreSQL waits for it to commit and then skips the row, so the
    caller reads that contact instead of failing on the unique constraint.
    """
    contact: Any = ContactRow.__table__
    stmt = insert_ignoring_conflicts(session, contact).returning(contact.c.id)
    return session.execute(stmt, values).first() is not None


def contact_ids_by_external_id(
    session: Session, workspace_id: uuid.UUID, external_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Just the ids, for event ingest (no ORM objects on the hot path)."""
    return _ids_by_value(session, ContactRow.__table__, "external_id", workspace_id, external_ids)


CONTACT_DETAILS = ("email", "phone", "name", "locale", "timezone", "attributes")
"""The contact columns that an event's ``contact`` details may change."""


def contact_details_for_update(
    session: Session, workspace_id: uuid.UUID, contact_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """The :data:`CONTACT_DETAILS` of these contacts, by id, locked until the commit.

    ``FOR UPDATE`` (PostgreSQL; SQLite has one writer anyway) keeps a concurrent request
    from changing a contact between this read and :func:`update_contact_details`. Rows are
    locked in id order, so two batches naming the same contacts cannot deadlock.
    """
    contact: Any = ContactRow.__table__
    columns = [contact.c[name] for name in CONTACT_DETAILS]
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for part in chunks(sorted(contact_ids)):
        stmt = (
            select(contact.c.id, *columns)
            .where(contact.c.workspace_id == workspace_id, contact.c.id.in_(part))
            .order_by(contact.c.id)
            .with_for_update()
        )
        for row in session.execute(stmt):
            found[row.id] = {name: row._mapping[name] for name in CONTACT_DETAILS}
    return found


def update_contact_details(
    session: Session, workspace_id: uuid.UUID, rows: Sequence[dict[str, Any]]
) -> None:
    """Write new details onto contacts: one ``executemany`` for all of them.

    ``rows`` hold ``contact_id``, every :data:`CONTACT_DETAILS` column and ``updated_at``.
    """
    if not rows:
        return
    contact: Any = ContactRow.__table__
    stmt = update(contact).where(
        contact.c.workspace_id == workspace_id, contact.c.id == bindparam("contact_id")
    )
    session.execute(stmt, rows)


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


@functools.cache
def _response_by_client_id() -> Select[Any]:
    response = tables.Response.__table__.c
    return select(tables.Response.__table__).where(
        response.workspace_id == bindparam("workspace_id"),
        response.client_id == bindparam("client_id"),
    )


def get_response(
    session: Session, workspace_id: uuid.UUID, client_id: uuid.UUID
) -> dict[str, Any] | None:
    """The columns of the workspace's response with the client's id (Core, built once)."""
    params = {"workspace_id": workspace_id, "client_id": client_id}
    row = session.execute(_response_by_client_id(), params).mappings().first()
    return None if row is None else dict(row)


def touchpoint_of(session: Session, touchpoint_id: uuid.UUID) -> tuple[str, str, str] | None:
    """A touchpoint's key, name and its journey's key."""
    point, journey = tables.Touchpoint, tables.Journey
    stmt = (
        select(point.key, point.name, journey.key)
        .join(journey, journey.id == point.journey_id)
        .where(point.id == touchpoint_id)
    )
    row = session.execute(stmt).first()
    return None if row is None else (row[0], row[1], row[2])


@functools.cache
def _update_response() -> Update:
    response: Any = tables.Response.__table__
    return update(response).where(response.c.id == bindparam("response_id"))


def update_response(session: Session, response_id: uuid.UUID, changes: dict[str, Any]) -> None:
    """Write ``changes`` (column values) onto one response."""
    session.execute(_update_response().values(**changes), {"response_id": response_id})


def insert_response(session: Session, row: Mapping[str, Any]) -> None:
    """Insert a new response from its column values (deferred inside ``deferred_writes``)."""
    write_rows(session, RESPONSE, [row])


def insert_metric_facts(session: Session, facts: Sequence[dict[str, Any]]) -> None:
    """Insert metric facts: with the other writes of a completion, or the bulk path for many.

    A bulk load's facts on SQLite (thousands per transaction) go through
    :func:`store.insert_many`, the driver's ``executemany``; elsewhere they join the
    transaction's deferred writes (one statement on PostgreSQL, whatever their number).
    """
    if len(facts) > BULK_FACTS and not is_postgres(session):
        insert_many(session, FACT, facts)
    else:
        write_rows(session, FACT, facts)


BULK_FACTS = 64
"""More facts than this (a bulk load, not one response) take the bulk path."""


def metric_facts_of(session: Session, response_id: uuid.UUID) -> list[tables.MetricFact]:
    """The metric facts written for one response (by its row id)."""
    stmt = select(tables.MetricFact).where(tables.MetricFact.response_id == response_id)
    return list(session.scalars(stmt))
