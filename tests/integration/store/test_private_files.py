"""The SQLite files are the account's own (0600, folder 0700); errors never carry row values."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from journeyscope.store import make_engine
from journeyscope.store.migrate import backup_sqlite


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask (022), under which files are created readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_in_wal_mode(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS note (body TEXT)"))
        connection.execute(text("INSERT INTO note VALUES ('x')"))


@pytest.mark.usefixtures("usual_umask")
def test_a_new_database_its_wal_and_shm_and_folder_are_private(tmp_path: Path) -> None:
    database = tmp_path / "data" / "journeyscope.db"
    engine = make_engine(URL.create("sqlite", database=str(database)))
    with engine.connect() as reader:  # an open connection keeps -wal and -shm on disk
        write_in_wal_mode(engine)
        files = {p.name: mode(p) for p in database.parent.iterdir()}
        assert files == {
            "journeyscope.db": 0o600,
            "journeyscope.db-wal": 0o600,
            "journeyscope.db-shm": 0o600,
        }
        reader.execute(text("SELECT 1"))
    engine.dispose()
    assert mode(database.parent) == 0o700


@pytest.mark.usefixtures("usual_umask")
def test_an_older_world_readable_database_is_made_private_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "old.db"
    sqlite3.connect(database).close()
    for suffix in ("", "-shm"):
        Path(f"{database}{suffix}").touch()
        Path(f"{database}{suffix}").chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="journeyscope.store"):
        make_engine(URL.create("sqlite", database=str(database))).dispose()
    assert (mode(database), mode(Path(f"{database}-shm"))) == (0o600, 0o600)
    assert f"other users could read {database} (mode 644); made it 0600" in caplog.text


def test_an_existing_open_folder_is_left_alone_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    with caplog.at_level(logging.WARNING, logger="journeyscope.store"):
        make_engine(URL.create("sqlite", database=str(folder / "j.db"))).dispose()
    assert mode(folder) == 0o755
    assert f"close it with: chmod 700 {folder}" in caplog.text


@pytest.mark.usefixtures("usual_umask")
def test_the_backup_before_an_upgrade_is_private_too(tmp_path: Path) -> None:
    engine = make_engine(URL.create("sqlite", database=str(tmp_path / "j.db")))
    write_in_wal_mode(engine)
    copy = backup_sqlite(engine, "test")
    engine.dispose()
    assert copy is not None and mode(copy) == 0o600


def test_a_failed_statement_shows_its_sql_but_not_its_values(engine: Engine) -> None:
    email, phone = "ann.private@example.com", "+33612345678"
    with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
        connection.execute(
            text("SELECT id FROM contact WHERE email = :e AND phone = :p AND no_such_column = 1"),
            {"e": email, "p": phone},
        )
    logged = "".join(traceback.format_exception(caught.value))
    assert "no_such_column" in logged  # the statement and the database's reason stay
    assert email not in logged and phone not in logged
