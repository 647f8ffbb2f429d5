"""Engines for the embedded SQLite default and for PostgreSQL, tuned for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 5
"""How long to wait for PostgreSQL to accept a connection (a ``connect_timeout`` in the URL
wins): without it, a server that is down without refusing (a dead host, a dropped route)
holds each request for the operating system's TCP timeout, minutes, instead of a 503."""


def apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Set the pragmas every SQLite connection needs.

    WAL lets readers run during a write; foreign keys are off by default in SQLite;
    ``busy_timeout`` waits for a lock instead of failing; NORMAL sync is safe under WAL.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: URL, *, echo: bool = False) -> Engine:
    """Create the engine for ``url``; for SQLite the file's folder is created if missing."""
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo)
        event.listen(engine, "connect", apply_sqlite_pragmas)
        return engine
    connect_args = (
        {} if "connect_timeout" in url.query else {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    )
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)
