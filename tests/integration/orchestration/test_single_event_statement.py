"""A lone event on PostgreSQL is one statement when no rule listens to it, and still goes
through one transaction with its invitations when one does; resends and contacts behave as
on the general path (SQLite always takes the general path, and must give the same answers)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factories import Tenant, make_published_survey
from journeyscope import collection, orchestration
from journeyscope.collection import EventIn
from journeyscope.store import Database, tables
from outbox_support import add_contact, put_rule


def _one(
    db: Database, tenant: Tenant, contact: str | None, key: str | None = "K-1"
) -> collection.Ingested:
    event = EventIn(type="ticket.closed", contact_external_id=contact, idempotency_key=key)
    return orchestration.ingest_and_plan(db, workspace_id=tenant.id, events=[event]).events[0]


def _count(db: Database, table: type[tables.Base]) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_lone_event_no_rule_listens_to_is_one_statement_on_postgres(
    db: Database, tenant: Tenant, statements: list[str]
) -> None:
    statements.clear()
    stored = _one(db, tenant, "C-9")
    if db.dialect == "postgresql":
        assert len(statements) == 1, statements
        assert statements[0].lstrip().startswith("WITH")
    event = collection.get_event(db, workspace_id=tenant.id, event_id=stored.id)
    assert event.contact_id is not None
    contact = collection.get_contact(db, workspace_id=tenant.id, contact_id=event.contact_id)
    assert (contact.external_id, contact.attributes) == ("C-9", {})
    assert event.type == "ticket.closed" and event.received_at == db.clock.now()


def test_a_known_contact_is_reused_and_an_anonymous_event_has_none(
    db: Database, tenant: Tenant
) -> None:
    add_contact(db, tenant, "C-1")
    first = _one(db, tenant, "C-1", key="K-1")
    anonymous = _one(db, tenant, None, key=None)
    found = collection.get_event(db, workspace_id=tenant.id, event_id=first.id).contact_id
    assert found is not None
    known = collection.get_contact(db, workspace_id=tenant.id, contact_id=found)
    assert (known.external_id, known.email) == ("C-1", "c-1@example.com")
    assert (
        collection.get_event(db, workspace_id=tenant.id, event_id=anonymous.id).contact_id is None
    )
    assert _count(db, tables.Contact) == 1


def test_a_resent_key_is_answered_with_the_first_id_and_stored_once(
    db: Database, tenant: Tenant
) -> None:
    first = _one(db, tenant, "C-2")
    again = _one(db, tenant, "C-2")
    assert again.id == first.id and (first.duplicate, again.duplicate) == (False, True)
    assert _count(db, tables.Event) == 1 and _count(db, tables.Contact) == 1


@pytest.mark.parametrize("rule_settings", [{"event_type": "ticket.closed"}])
def test_an_event_a_rule_listens_to_is_stored_with_its_invitation(
    db: Database, tenant: Tenant, rule: orchestration.RuleView, statements: list[str]
) -> None:
    statements.clear()
    _one(db, tenant, "C-1")
    run = len(statements)
    assert _count(db, tables.Event) == 1
    assert _count(db, tables.Invitation) == 1
    if db.dialect == "postgresql":  # the one statement wrote nothing; the transaction did
        assert run > 1


def test_a_disabled_rule_does_not_hold_the_event(
    db: Database, tenant: Tenant, statements: list[str]
) -> None:
    make_published_survey(db, tenant)
    put_rule(db, tenant, event_type="ticket.closed", enabled=False)
    statements.clear()
    _one(db, tenant, "C-3")
    run = len(statements)
    assert _count(db, tables.Invitation) == 0 and _count(db, tables.Event) == 1
    if db.dialect == "postgresql":
        assert run == 1
