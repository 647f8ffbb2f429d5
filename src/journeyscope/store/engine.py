"""Engines for the embedded SQLite default and for PostgreSQL, tuned for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from journeyscope.store.sqlite_files import make_private_database
from journeyscope.store.sqlite_writes import queue_sqlite_writes

SQLITE_BUSY_TIMEOUT_MS = 5000
POOL_SIZE = 10
"""Connections kept open per process: more than a server has requests in its database at once.

Connections beyond the pool (the overflow) are closed when returned, so a pool smaller than
the concurrency opens a connection for most requests: on PostgreSQL a new server process
(milliseconds), on SQLite a file open and the pragmas below.
"""
MAX_OVERFLOW = 20
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
    """Create the engine for ``url``; a SQLite file and its folder are made private first.

    ``hide_parameters``: errors and logs show the SQL but never its values, which are contacts'
    e-mail addresses, phone numbers and answers (a 500's traceback is logged).
    """
    if url.get_backend_name() == "sqlite":
        pool: dict[str, Any] = {}  # in memory: one shared connection
        if url.database and url.database != ":memory:":
            make_private_database(Path(url.database))
            pool = {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW}
        engine = create_engine(url, echo=echo, hide_parameters=True, **pool)
        event.listen(engine, "connect", apply_sqlite_pragmas)
        if pool:
            queue_sqlite_writes(engine, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        return engine
    connect_args = (
        {} if "connect_timeout" in url.query else {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    )
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args=connect_args,
        hide_parameters=True,
    )
