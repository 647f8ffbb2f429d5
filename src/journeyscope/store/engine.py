"""Engines for the embedded SQLite default and for PostgreSQL, tuned for each."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL
from sqlalchemy.pool import ConnectionPoolEntry

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
IDLE_PING_AFTER_S = 10.0
"""A pooled PostgreSQL connection unused for longer than this is pinged before it is handed out.

A server restart or a dropped route kills the pooled connections while they sit unused; the
ping finds that and opens a fresh one, so the first request after a quiet restart works.
Pinging every checkout (SQLAlchemy's ``pool_pre_ping``) made each request one round trip
longer: a quarter of the CPU of an authenticated GET on PostgreSQL (bench/request_cpu.py). A
connection in steady use is not pinged; one killed within this window fails its request
with a 503 (``store.outages``) and the whole pool is replaced at once.
"""
_IDLE_SINCE = "journeyscope_idle_since"


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


def ping_idle_connections(engine: Engine, *, after_s: float = IDLE_PING_AFTER_S) -> None:
    """Ping a pooled connection at checkout when it sat unused for longer than ``after_s``.

    A failed ping raises :class:`~sqlalchemy.exc.DisconnectionError`, on which the pool
    throws the connection away and tries a fresh one (SQLAlchemy's documented recipe for
    custom pessimistic disconnect handling).
    """

    def returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def handed_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle_since = record.info.pop(_IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since <= after_s:
            return  # new, or in steady use
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"pooled connection is dead: {error}") from error

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", handed_out)


def make_engine(
    url: URL, *, echo: bool = False, idle_ping_after_s: float = IDLE_PING_AFTER_S
) -> Engine:
    """Create the engine for ``url``; a SQLite file and its folder are made private first.

    ``hide_parameters``: errors and logs show the SQL but never its values, which are contacts'
    e-mail addresses, phone numbers and answers (a 500's traceback is logged).
    ``idle_ping_after_s``: see :data:`IDLE_PING_AFTER_S` (PostgreSQL only).
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
    engine = create_engine(
        url,
        echo=echo,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args=connect_args,
        hide_parameters=True,
    )
    ping_idle_connections(engine, after_s=idle_ping_after_s)
    return engine
