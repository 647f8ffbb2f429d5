"""One SQLite writer at a time per process, queued in Python instead of sleeping in SQLite.

SQLite lets one transaction write at a time. When a second connection wants to write, its
busy handler sleeps and retries (1, 2, 5, 10, ... 100 ms), so under concurrent writes a
request that finds the lock taken waits far longer than the write it waits for: single
events at 8 connections had p99s of hundreds of milliseconds. Here a connection's first
write statement waits on a :class:`threading.Lock` instead, which is handed over the moment
the previous writer commits or rolls back; readers are never queued (WAL lets them read
during a write).

Other processes (the CLI, a second server) still meet SQLite's own lock and busy timeout, as
before. A writer that waited the whole busy timeout for the lock goes on without it and
leaves the arbitration to SQLite, so a lock that was somehow never released cannot stall the
server. A second write transaction opened by a thread that already writes (which SQLite
would refuse after the busy timeout anyway) is not queued behind itself.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy import Engine, event

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "CREATE", "DROP", "ALTER")
"""Statements that (may) take SQLite's write lock; ``WITH`` may start an INSERT."""
_HOLDS = "journeyscope_sqlite_write_lock"
"""The key, in a connection's ``info``, saying it holds the lock."""
_LOCKS: weakref.WeakKeyDictionary[Engine, SqliteWriteLock] = weakref.WeakKeyDictionary()


class SqliteWriteLock:
    """The write lock of one engine; attach it with :func:`queue_sqlite_writes`."""

    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._timeout = timeout

    def before_statement(self, info: dict[str, Any], statement: str) -> None:
        """Take the lock before a connection's first write of its transaction."""
        if info.get(_HOLDS) or not statement.lstrip()[:7].upper().startswith(WRITES):
            return
        me = threading.get_ident()
        if self._owner == me:
            return  # this thread writes on another connection: SQLite arbitrates, as before
        if self._lock.acquire(timeout=self._timeout):
            self._owner = me
            info[_HOLDS] = True

    @property
    def is_held(self) -> bool:
        """Whether some transaction of this process is writing now."""
        return self._lock.locked()

    def after_transaction(self, info: dict[str, Any]) -> None:
        """Hand the lock on once the transaction that took it ends (commit or rollback)."""
        if info.pop(_HOLDS, False):
            self._owner = None
            self._lock.release()


def queue_sqlite_writes(engine: Engine, *, timeout: float) -> SqliteWriteLock:
    """Queue ``engine``'s write transactions behind one lock (see the module docstring).

    The lock is taken and freed in the engine's own dialect methods (statements, commit,
    rollback), not through SQLAlchemy's connection events: any connection event makes every
    statement dispatch all of them, which cost a single event's ingest ~15% of its CPU
    (bench/request_cpu.py). A pool event still frees the lock of a connection returned or
    dropped mid-transaction.
    """
    lock = _LOCKS[engine] = SqliteWriteLock(timeout)
    dialect: Any = engine.dialect
    execute, executemany = dialect.do_execute, dialect.do_executemany
    execute_no_params, commit, rollback = (
        dialect.do_execute_no_params,
        dialect.do_commit,
        dialect.do_rollback,
    )

    def do_execute(cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        _before(lock, statement, context)
        execute(cursor, statement, parameters, context)

    def do_executemany(cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        _before(lock, statement, context)
        executemany(cursor, statement, parameters, context)

    def do_execute_no_params(cursor: Any, statement: str, context: Any = None) -> None:
        _before(lock, statement, context)
        execute_no_params(cursor, statement, context)

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            _after(lock, dbapi_connection)

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            _after(lock, dbapi_connection)

    dialect.do_execute, dialect.do_executemany = do_execute, do_executemany
    dialect.do_execute_no_params = do_execute_no_params
    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback

    @event.listens_for(engine.pool, "checkin")
    def _checkin(_dbapi: Any, record: Any) -> None:  # a connection returned mid-transaction
        if record is not None:
            lock.after_transaction(record.info)

    return lock


def _before(lock: SqliteWriteLock, statement: str, context: Any) -> None:
    """Before a statement run through a SQLAlchemy connection (``context`` names it)."""
    if context is not None:
        lock.before_statement(context.root_connection.info, statement)


def _after(lock: SqliteWriteLock, dbapi_connection: Any) -> None:
    """After a commit or rollback of ``dbapi_connection``.

    That is the pool's proxy, whose ``info`` is its connection's, or (while the engine first
    connects) a stand-in that has none.
    """
    try:
        info = dbapi_connection.info
    except (AttributeError, NotImplementedError):
        return
    if isinstance(info, dict):
        lock.after_transaction(info)


def write_lock_of(engine: Engine) -> SqliteWriteLock | None:
    """The write lock :func:`queue_sqlite_writes` attached to ``engine``, if any."""
    return _LOCKS.get(engine)
