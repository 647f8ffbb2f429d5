"""One handle on the database for services: transactions that commit or roll back whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """The engine plus a session factory; services open one transaction per use-case."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

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

    def ping(self) -> None:
        """Run a trivial query; raises if the database cannot be reached."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close pooled connections (end of process, or tests)."""
        self.engine.dispose()
