"""Many rows into one table in one statement run, as fast as each database takes them.

For loads of past records (the simulator, importers): rows whose unique keys are stored
already are skipped (``ON CONFLICT DO NOTHING``), so a load run twice stores each row once.

SQLite gets the driver's ``executemany`` with values encoded here as the column types encode
them: SQLAlchemy's per-value bind processors cost more than SQLite's own insert (DESIGN.md
§6: ~20-30k rows/s through the driver, ~14-20k through Core). A unit test pins each encoding
to the column type's own bind processor. PostgreSQL gets Core's ``executemany``, which
psycopg sends as multi-row ``VALUES`` batches.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pydantic_core
from sqlalchemy import Dialect, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from journeyscope.store.dialects import insert_ignoring_conflicts, is_postgres


def _sqlite_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column; attach a time zone")
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(" ", "microseconds")[:-6]  # without "+00:00"


def _json(value: Any) -> str:
    return pydantic_core.to_json(value).decode()


_ENCODERS: dict[type, Callable[[Any], Any]] = {
    uuid.UUID: lambda value: value.hex,
    dt.datetime: _sqlite_datetime,
    dt.date: lambda value: value.isoformat(),
    dict: _json,
    list: _json,
    bool: int,
}
"""How SQLAlchemy's SQLite types store each Python type (JSON columns: compact JSON text)."""


def sqlite_value(value: Any) -> Any:
    """``value`` as the column types store it on SQLite (str, int, float and None unchanged)."""
    encode = _ENCODERS.get(type(value))
    return value if encode is None else encode(value)


def encoded_column(values: list[Any]) -> list[Any]:
    """One column's values encoded, typed by its first value that is not None.

    Column by column, so the common case (every value of one type) costs one call per value
    and columns of plain values (text, numbers) cost nothing.
    """
    kind = next((type(value) for value in values if value is not None), None)
    encode = _ENCODERS.get(kind) if kind is not None else None
    if encode is None:
        return values
    if any(type(value) is not kind and value is not None for value in values):
        return [sqlite_value(value) for value in values]
    return [None if value is None else encode(value) for value in values]


@functools.lru_cache(maxsize=64)
def _sqlite_insert(
    table: Table, columns: frozenset[str], dialect: Dialect
) -> tuple[str, tuple[str, ...]]:
    """``INSERT ... VALUES (?, ...) ON CONFLICT DO NOTHING`` and its parameters' order."""
    stmt = sqlite.insert(table).on_conflict_do_nothing()
    compiled = stmt.compile(dialect=dialect, column_keys=sorted(columns))
    return str(compiled), tuple(compiled.positiontup or ())


def _key(table: Table) -> str:
    return next(iter(table.primary_key.columns)).name


def insert_many(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert ``rows``, all with the same keys, which name every column the table requires.

    Column defaults do not run here: the rows carry ids and times themselves.

    Rows that meet a unique constraint are skipped. Returns how many went in (on PostgreSQL
    counted from ``RETURNING``, which reports no skipped row).
    """
    if not rows:
        return 0
    if is_postgres(session):
        stmt = insert_ignoring_conflicts(session, table).returning(table.c[_key(table)])
        return len(session.execute(stmt, list(rows)).all())
    sql, columns = _sqlite_insert(table, frozenset(rows[0]), session.get_bind().dialect)
    encoded = [encoded_column([row[name] for row in rows]) for name in columns]
    params = list(zip(*encoded, strict=True))
    result = session.connection().exec_driver_sql(sql, params)
    return int(result.rowcount)


# --- appends of many new rows, column by column -------------------------------------------------

COPY_BATCH = 50_000
"""Rows per ``executemany`` call on SQLite (one transaction holds any number of them)."""


def _utc_column(table: Table, name: str) -> bool:
    from journeyscope.store.types import UTCDateTime

    return isinstance(table.c[name].type, UTCDateTime)


def copy_columns(session: Session, table: Table, columns: Mapping[str, Sequence[Any]]) -> int:
    """Append new rows given column by column, as fast as each database takes them.

    For bulk loads into ranges known to be empty (the simulator's ``--bulk`` load): there is
    no conflict handling, so a row meeting a unique key fails the whole transaction.

    Values come encoded the way both databases read them, which spares a conversion per
    value: UUIDs as 32 hex digits, dates as ``YYYY-MM-DD``, UTC times as
    ``YYYY-MM-DD HH:MM:SS.ffffff`` (no zone), booleans as 0/1, JSON as its text; text,
    numbers and ``None`` as they are. PostgreSQL gets ``COPY ... FROM STDIN`` (``+00`` is
    added to the times), SQLite the driver's ``executemany`` in batches of
    :data:`COPY_BATCH`. Returns how many rows went in.
    """
    names = list(columns)
    if not names:
        return 0
    count = len(columns[names[0]])
    if any(len(columns[name]) != count for name in names):
        raise ValueError("columns of different lengths given to copy_columns")
    if count == 0:
        return 0
    values = [
        [None if v is None else v + "+00" for v in columns[name]]
        if is_postgres(session) and _utc_column(table, name)
        else columns[name]
        for name in names
    ]
    if is_postgres(session):
        _copy_postgres(session, table, names, values)
        return count
    marks = ", ".join("?" * len(names))
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
    connection = session.connection()
    for start in range(0, count, COPY_BATCH):
        part = [column[start : start + COPY_BATCH] for column in values]
        connection.exec_driver_sql(sql, list(zip(*part, strict=True)))
    return count


def _copy_postgres(
    session: Session, table: Table, names: Sequence[str], values: Sequence[Sequence[Any]]
) -> None:
    """``COPY table (names) FROM STDIN`` on the session's own connection (its transaction)."""
    raw = session.connection().connection.driver_connection
    sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for row in zip(*values, strict=True):
            copy.write_row(row)
