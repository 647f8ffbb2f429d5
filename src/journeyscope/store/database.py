"""One handle on the database for services: transactions that commit or roll back whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from journeyscope.clock import SYSTEM_CLOCK, Clock
from journeyscope.store.types import CLOCK_OPTION


class Database:
    """The engine plus a session factory and the clock; services open one transaction per use-case.

    ``clock`` is the product's one source of the current time: services read
    ``db.clock.now()``, and every statement run through this database carries the clock in its
    execution options, so the columns that default to "now" (``created_at``, ``updated_at``,
    ``received_at``) read the same clock. The doors build it with the system clock (the
    default); tests give it a :class:`~journeyscope.clock.FixedClock`.
    """

    def __init__(self, engine: Engine, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self.engine = engine.execution_options(**{CLOCK_OPTION: clock})
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reads = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else self.engine
        )

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside a transaction, committed when the block ends.

        It is rolled back if the block raises. Nothing is acknowledged to a caller before
        this commit.
        """
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A Core connection for one read-only statement, outside any transaction.

        One statement sees one snapshot by itself, so a lone ``SELECT`` needs no transaction
        around it. On PostgreSQL the connection is in autocommit, which saves the ``BEGIN``
        and ``COMMIT`` round trips (about half the wall time and a third of the CPU of a
        short lookup, bench/request_cpu.py); SQLite begins no transaction for a ``SELECT``
        anyway, and the ORM session is skipped on both. Never write through it: nothing
        would roll back.
        """
        with self._reads.connect() as connection:
            yield connection

    @contextmanager
    def single_statement(self) -> Iterator[Connection]:
        """A Core connection in autocommit for one statement that is whole by itself.

        A single ``INSERT ... RETURNING`` (data-modifying ``WITH`` parts included) commits or
        fails as a whole, so it needs no ``BEGIN`` and ``COMMIT`` round trips around it. Run
        exactly one writing statement through it: a second would commit separately.
        """
        with self._reads.connect() as connection:
            yield connection

    def ping(self) -> None:
        """Run a trivial query; raises if the database cannot be reached."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close pooled connections (end of process, or tests)."""
        self.engine.dispose()
