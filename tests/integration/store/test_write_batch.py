"""Deferred writes: on PostgreSQL one statement at the block's end, on SQLite each at once.

The rows land exactly as immediate writes would put them, on both databases: a row naming
another inserted beside it (a foreign key), a counter added to, a duplicate left out, times
kept in UTC; a block that raises writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope.store import SKIP, AddTo, Database, deferred_writes, new_id, tables, write_rows

WORKSPACE = tables.Workspace.__table__
CONTACT = tables.Contact.__table__
ROLLUP = tables.SegmentRollup.__table__
ROLLUP_KEY = tuple(c.name for c in ROLLUP.primary_key.columns)
COUNTERS = AddTo(ROLLUP_KEY, tables.HISTOGRAM)
WHEN = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session's connection sends inside the block."""
    sent: list[str] = []

    def record(*args: object) -> None:
        sent.append(str(args[2]))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


def _workspace() -> dict[str, object]:
    slug = f"w-{new_id().hex[:8]}"
    return {"id": new_id(), "slug": slug, "name": slug, "created_at": WHEN}


def _contact(workspace_id: object, external_id: str) -> dict[str, object]:
    return {
        "id": new_id(),
        "workspace_id": workspace_id,
        "external_id": external_id,
        "attributes": {"tier": "gold", "scores": [1, 2.5]},
        "created_at": WHEN,
        "updated_at": WHEN,
    }


def _count_row(workspace_id: object, count: int) -> dict[str, object]:
    return {
        "workspace_id": workspace_id,
        "dimension": "tier",
        "day": dt.date(2026, 3, 29),
        "touchpoint_id": tables.NO_TOUCHPOINT,
        "value": "gold",
        "metric": "nps",
        "scale_min": 0,
        "scale_max": 10,
        **dict.fromkeys(tables.HISTOGRAM, 0),
        "h9": count,
        "h1": 1,
    }


def test_deferred_rows_land_as_given_in_one_statement_on_postgresql(
    db: Database, backend: str
) -> None:
    space = _workspace()
    with db.transaction() as session, _statements(session) as sent:
        with deferred_writes(session):
            # the contacts name the workspace written beside them in the same batch
            write_rows(session, WORKSPACE, [space])
            write_rows(session, CONTACT, [_contact(space["id"], "C-1")])
            write_rows(session, CONTACT, [_contact(space["id"], "C-2")])
            write_rows(session, ROLLUP, [_count_row(space["id"], 2)], on_conflict=COUNTERS)
            if backend == "postgres":
                assert sent == []  # nothing sent before the block ends
        assert len(sent) == (1 if backend == "postgres" else 4)
    with db.transaction() as session:
        contacts = session.execute(select(CONTACT).order_by(CONTACT.c.external_id)).mappings()
        rows = [dict(row) for row in contacts]
        counts = session.scalars(select(ROLLUP.c.h9)).all()
    assert [r["external_id"] for r in rows] == ["C-1", "C-2"]
    assert rows[0]["attributes"] == {"tier": "gold", "scores": [1, 2.5]}
    assert rows[0]["created_at"] == WHEN and rows[0]["created_at"].tzinfo == dt.UTC
    assert counts == [2]


def test_counters_add_up_and_duplicates_are_left_out(db: Database) -> None:
    space = _workspace()
    first = _contact(space["id"], "C-1")
    with db.transaction() as session:
        write_rows(session, WORKSPACE, [space])
        write_rows(session, CONTACT, [first])
        write_rows(session, ROLLUP, [_count_row(space["id"], 2)], on_conflict=COUNTERS)
    again = _contact(space["id"], "C-1")  # another id, the same external id: a duplicate
    with db.transaction() as session, deferred_writes(session):
        write_rows(session, CONTACT, [again], on_conflict=SKIP)
        write_rows(session, ROLLUP, [_count_row(space["id"], 3)], on_conflict=COUNTERS)
    with db.transaction() as session:
        assert session.scalars(select(CONTACT.c.id)).all() == [first["id"]]
        counted = session.execute(select(ROLLUP.c.h9, ROLLUP.c.h1)).all()
        assert [tuple(row) for row in counted] == [(5, 2)]


def test_a_block_that_raises_writes_nothing(db: Database) -> None:
    space = _workspace()
    with pytest.raises(RuntimeError), db.transaction() as session, deferred_writes(session):
        write_rows(session, WORKSPACE, [space])
        raise RuntimeError("the use-case failed after its writes")
    with db.transaction() as session:
        assert session.scalars(select(WORKSPACE.c.id)).all() == []


def test_a_conflict_in_a_deferred_write_fails_the_transaction(db: Database) -> None:
    space = _workspace()
    with db.transaction() as session:
        write_rows(session, WORKSPACE, [space])
    with pytest.raises(IntegrityError), db.transaction() as session, deferred_writes(session):
        write_rows(session, WORKSPACE, [{**space, "id": new_id()}])  # the same slug


def test_rows_without_a_required_column_are_refused_on_both_databases(db: Database) -> None:
    space = _workspace()
    del space["created_at"]
    refused = r"workspace lack required columns: \['created_at'\]"
    with pytest.raises(ValueError, match=refused), db.transaction() as session:
        write_rows(session, WORKSPACE, [space])


def test_an_inner_block_joins_the_outer_one(db: Database, backend: str) -> None:
    space = _workspace()
    with db.transaction() as session, _statements(session) as sent:
        with deferred_writes(session):
            with deferred_writes(session):
                write_rows(session, WORKSPACE, [space])
            write_rows(session, CONTACT, [_contact(space["id"], "C-1")])
            if backend == "postgres":
                assert sent == []
        assert len(sent) == (1 if backend == "postgres" else 2)
