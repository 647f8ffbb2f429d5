"""Which database errors mean "the database cannot serve now", as opposed to a bug.

A server that is down, restarting, out of connections or unreachable, a dropped connection,
a pool with no free connection, SQLite's file locked by another process past the busy
timeout: the request was fine and will work again once the database does, so the API
answers 503 with ``Retry-After`` (``web/problems.py``). Everything else (a syntax error, a
missing table, a constraint) is a bug and stays a 500 with a traceback in the log.
"""

from __future__ import annotations

from sqlalchemy import exc as sa

UNAVAILABLE_SQLSTATES = {
    "57P01",  # admin_shutdown: the server is shutting down
    "57P02",  # crash_shutdown: the server crashed and is restarting
    "57P03",  # cannot_connect_now: the server is starting up or in recovery
    "53300",  # too_many_connections
    "3D000",  # invalid_catalog_name: the database does not exist (dropped, renamed)
}
UNAVAILABLE_SQLSTATE_CLASS = "08"
"""Class 08, connection exception: the connection failed or was lost."""
UNAVAILABLE_SQLITE_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")
"""Locked past the busy timeout by another process, or the file cannot be opened or read."""


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached or used right now."""
    if isinstance(error, sa.DisconnectionError | sa.TimeoutError):
        return True  # the pool gave up on a connection, or waited too long for a free one
    if not isinstance(error, sa.DBAPIError):
        return False
    if error.connection_invalidated:
        return True  # SQLAlchemy recognised a lost connection
    driver = error.orig
    sqlite_name = getattr(driver, "sqlite_errorname", None)
    if sqlite_name is not None:
        return str(sqlite_name).startswith(UNAVAILABLE_SQLITE_ERRORS)
    sqlstate: str | None = getattr(driver, "sqlstate", "")
    if sqlstate is None:  # psycopg: failed on the client side, connecting or talking to it
        return isinstance(error, sa.OperationalError)
    return sqlstate in UNAVAILABLE_SQLSTATES or sqlstate[:2] == UNAVAILABLE_SQLSTATE_CLASS
