"""A transaction the database aborts to break a deadlock is run again, and only such a one."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeyscope.store import Database, in_transaction_retrying, new_id, tables

WORKSPACE = tables.Workspace.__table__


def _add(session: Session, slug: str) -> None:
    """Insert a workspace named ``slug``; one that exists (committed) is left as it is."""
    stmt = postgresql.insert(WORKSPACE).on_conflict_do_nothing()
    session.execute(stmt, {"id": new_id(), "slug": slug, "name": slug})


def _slugs(db: Database) -> set[str]:
    with db.transaction() as session:
        return set(session.scalars(select(WORKSPACE.c.slug)))


@pytest.mark.postgres
def test_a_deadlock_victim_is_run_again_and_both_transactions_commit(
    db: Database, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time: no lock cycle can form")
    both_hold_one = threading.Barrier(2, timeout=10)
    runs: Counter[str] = Counter()
    errors: list[BaseException] = []

    def take(mine: str, theirs: str) -> None:
        def work(session: Session) -> None:
            runs[mine] += 1
            _add(session, f"{mine}-run{runs[mine]}")
            _add(session, mine)
            if runs[mine] == 1:
                both_hold_one.wait()  # each holds its own key; now each waits for the other's
            _add(session, theirs)

        try:
            in_transaction_retrying(db, work)
        except BaseException as exc:  # reported by the assert below
            errors.append(exc)

    threads = [
        threading.Thread(target=take, args=("a", "b")),
        threading.Thread(target=take, args=("b", "a")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(runs.values()) == [1, 2]  # the victim ran twice, the other once
    victim = next(name for name, count in runs.items() if count == 2)
    survivor = "b" if victim == "a" else "a"
    assert _slugs(db) == {"a", "b", f"{survivor}-run1", f"{victim}-run2"}  # run 1 rolled back


def test_other_errors_are_raised_at_once_without_a_rerun(db: Database) -> None:
    runs = 0

    def work(session: Session) -> None:
        nonlocal runs
        runs += 1
        session.execute(insert(WORKSPACE), {"id": new_id(), "slug": "same", "name": "x"})
        session.execute(insert(WORKSPACE), {"id": new_id(), "slug": "same", "name": "x"})

    with pytest.raises(IntegrityError):
        in_transaction_retrying(db, work)
    assert runs == 1
    assert _slugs(db) == set()
