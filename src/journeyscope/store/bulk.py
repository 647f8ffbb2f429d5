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


def _encoded_column(values: list[Any]) -> list[Any]:
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
    encoded = [_encoded_column([row[name] for row in rows]) for name in columns]
    params = list(zip(*encoded, strict=True))
    result = session.connection().exec_driver_sql(sql, params)
    return int(result.rowcount)
