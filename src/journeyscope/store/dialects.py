"""The clauses SQLite and PostgreSQL spell differently, chosen by a session's dialect.

Domains write one query; only an upsert's ``INSERT`` (each dialect has its own ``ON CONFLICT``
construct) and a claim's row lock (:mod:`.claims`) differ between the two databases.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def is_postgres(session: Session) -> bool:
    """Whether ``session`` talks to PostgreSQL (otherwise it is SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def dialect_insert(session: Session, table: Any) -> Any:
    """``INSERT INTO table`` in the session's dialect, with its ``on_conflict_do_*`` methods.

    Typed ``Any``: the PostgreSQL and SQLite constructs share those methods but no base class
    that declares them.
    """
    return (postgresql if is_postgres(session) else sqlite).insert(table)


def insert_ignoring_conflicts(session: Session, table: Any) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the session's dialect."""
    stmt: Insert = dialect_insert(session, table).on_conflict_do_nothing()
    return stmt
