"""Columns that default to "now" read the clock of the Database that writes the row."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from factories import Tenant
from journeyscope import collection
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn, EventIn
from journeyscope.store import Database, tables

THEN = dt.datetime(2031, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(THEN)


def test_created_and_updated_times_come_from_the_databases_clock(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    data = ContactIn(external_id="C-1", email="ana@example.com")
    collection.upsert_contact(db, workspace_id=tenant.id, data=data)
    clock.advance(days=2)
    collection.upsert_contact(
        db, workspace_id=tenant.id, data=data.model_copy(update={"name": "Ana"})
    )
    collection.ingest_events(db, workspace_id=tenant.id, events=[EventIn(type="sale.completed")])
    with db.transaction() as session:
        contact = session.scalars(select(tables.Contact)).one()
        event = session.scalars(select(tables.Event)).one()
    assert (contact.created_at, contact.updated_at) == (THEN, clock.now())
    assert event.received_at == clock.now()
