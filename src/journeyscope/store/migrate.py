"""Schema migrations through Alembic, driven from code (no alembic.ini to keep in sync)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from journeyscope.errors import SchemaOutOfDate
from journeyscope.store.sqlite_files import create_private_file

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine`` (env.py reads the engine from attributes)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration this code knows."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:  # pragma: no cover - the repository always has migrations
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(engine), revision)


def backup_sqlite(engine: Engine, label: str) -> Path | None:
    """Copy a SQLite database file next to itself with SQLite's online backup.

    Returns the copy's path, or ``None`` for PostgreSQL and in-memory databases (back those
    up with the server's own tools).
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    target = Path(f"{database}.before-{label}.bak")
    create_private_file(target)  # a copy of the data: as private as the database
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    log.info("backed up %s to %s before migrating", database, target)
    return target


def backup_before_upgrade(engine: Engine) -> Path | None:
    """Back up an existing SQLite database that is behind; the copy's path, if one was made."""
    current = current_revision(engine)
    if current is None or current == head_revision():
        return None
    return backup_sqlite(engine, f"upgrade-from-{current}")


def ensure_schema(engine: Engine) -> None:
    """Make the schema current before serving.

    SQLite (the embedded default, one user, one file) is upgraded in place, after a backup
    copy of an existing file. PostgreSQL is
    shared by many processes and deserves a deliberate step, so an old schema stops start-up
    with the command to run.
    """
    current = current_revision(engine)
    if current == head_revision():
        return
    if engine.dialect.name == "sqlite":
        backup_before_upgrade(engine)  # an existing file: a copy in case the upgrade fails
        upgrade(engine)
        return
    raise SchemaOutOfDate(
        f"The database schema is at {current or 'nothing (empty database)'}, "
        f"this version needs {head_revision()}.",
        hint="run `journeyscope db upgrade` (with the same JOURNEYSCOPE_DATABASE_URL), "
        "then start again",
    )
