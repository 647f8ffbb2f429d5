"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

import uuid_utils.compat
from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.types import TypeDecorator

from journeyscope.clock import SYSTEM_CLOCK, Clock

JSONType = JSON().with_variant(JSONB(), "postgresql")
"""JSON on SQLite, JSONB (indexable, compact) on PostgreSQL."""


def new_id() -> uuid.UUID:
    """A new time-ordered UUIDv7.

    Inserts append to the index (about 2x faster on SQLite than v4),
    and ordering by id is ordering by creation, which cursor pagination relies on.
    """
    return uuid_utils.compat.uuid7()


def new_public_id() -> str:
    """A random, URL-safe id (16 characters, 96 bits) for links given to the public.

    Public survey and kiosk links must not reveal or let anyone guess internal ids, keys or
    other workspaces' links; 96 random bits cannot be enumerated.
    """
    return secrets.token_urlsafe(12)


CLOCK_OPTION = "journeyscope_clock"
"""The execution option in which a :class:`~journeyscope.store.Database` passes its clock."""


def clock_now(context: DefaultExecutionContext) -> dt.datetime:
    """Column default: the time of the clock of the ``Database`` writing the row.

    A row written straight through a bare engine (no ``Database``, as in a migration) gets the
    system clock, which is also the clock of every ``Database`` not given another.
    """
    clock: Clock = context.execution_options.get(CLOCK_OPTION, SYSTEM_CLOCK)
    return clock.now()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out, on both databases.

    SQLite has no time zones and hands back naive values; PostgreSQL's ``timestamptz`` hands
    back aware ones. Naive input is refused, so a local time can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        """Refuse naive values; store UTC (naive UTC on SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Hand back aware UTC datetimes."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]
