"""Upserts and claims in the session's own dialect (compiled only: no database needed)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from journeyscope.store import (
    dialect_insert,
    insert_ignoring_conflicts,
    is_postgres,
    skip_locked,
    tables,
)

URLS = {"postgresql": "postgresql+psycopg://", "sqlite": "sqlite://"}


def _session(dialect: str) -> Session:
    """A session bound to an engine that is never connected."""
    return Session(bind=create_engine(URLS[dialect]))


def _sql(session: Session, statement: ClauseElement) -> str:
    return str(statement.compile(dialect=session.get_bind().dialect))


@pytest.mark.parametrize("dialect", list(URLS))
def test_is_postgres_names_the_dialect(dialect: str) -> None:
    assert is_postgres(_session(dialect)) is (dialect == "postgresql")


@pytest.mark.parametrize("dialect", list(URLS))
def test_insert_ignoring_conflicts_does_nothing_on_conflict(dialect: str) -> None:
    session = _session(dialect)
    sql = _sql(session, insert_ignoring_conflicts(session, tables.Contact.__table__))
    assert sql.startswith("INSERT INTO contact")
    assert sql.endswith("ON CONFLICT DO NOTHING")


@pytest.mark.parametrize("dialect", list(URLS))
def test_dialect_insert_can_update_on_conflict(dialect: str) -> None:
    session = _session(dialect)
    table = tables.ContactChannel.__table__
    stmt = dialect_insert(session, table)
    upsert = stmt.on_conflict_do_update(
        index_elements=["contact_id", "channel"], set_={"status": stmt.excluded.status}
    )
    assert "ON CONFLICT (contact_id, channel) DO UPDATE SET status" in _sql(session, upsert)


def test_skip_locked_locks_the_pick_on_postgresql() -> None:
    session = _session("postgresql")
    pick = skip_locked(session, select(tables.Invitation.id).limit(5))
    assert _sql(session, pick).endswith("FOR UPDATE SKIP LOCKED")


def test_skip_locked_leaves_the_pick_alone_on_sqlite() -> None:
    session = _session("sqlite")
    pick = skip_locked(session, select(tables.Invitation.id).limit(5))
    assert "FOR UPDATE" not in _sql(session, pick)
