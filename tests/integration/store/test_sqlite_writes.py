"""SQLite writers of one process queue on a lock taken at the first write, freed at the end."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from journeyscope.store import Database, make_engine
from journeyscope.store.sqlite_writes import SqliteWriteLock, write_lock_of


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = make_engine(URL.create("sqlite", database=str(tmp_path / "writes.db")))
    with made.begin() as connection:
        connection.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)"))
    return made


def lock(engine: Engine) -> SqliteWriteLock:
    found = write_lock_of(engine)
    assert found is not None
    return found


def test_a_write_takes_the_lock_and_its_commit_frees_it(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("SELECT count(*) FROM item"))
        assert not lock(engine).is_held  # reads never queue
        connection.execute(text("INSERT INTO item (name) VALUES ('a')"))
        assert lock(engine).is_held
    assert not lock(engine).is_held


def test_a_rolled_back_write_frees_the_lock(engine: Engine) -> None:
    db = Database(engine)
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.execute(text("INSERT INTO item (name) VALUES ('a')"))
        assert lock(engine).is_held
        raise RuntimeError("the use-case failed")
    assert not lock(engine).is_held
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM item")).scalar_one() == 0


def test_concurrent_writers_all_commit(engine: Engine) -> None:
    db = Database(engine)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(10):
                with db.transaction() as session:
                    session.execute(
                        text("INSERT INTO item (name) VALUES (:n)"), {"n": f"{worker}-{n}"}
                    )
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert not lock(engine).is_held
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM item")).scalar_one() == 80


def test_postgres_and_memory_databases_have_no_write_lock(tmp_path: Path) -> None:
    assert write_lock_of(make_engine(URL.create("sqlite", database=":memory:"))) is None
    assert write_lock_of(make_engine(URL.create("postgresql+psycopg", database="x"))) is None


def test_the_lock_adds_no_connection_event_listener(engine: Engine) -> None:
    # Any connection-event listener makes SQLAlchemy dispatch every event on every statement.
    assert write_lock_of(engine) is not None
    for name in ("before_cursor_execute", "after_cursor_execute", "commit", "rollback"):
        assert len(getattr(engine.dispatch, name)) == 0, name
    assert not engine._has_events
