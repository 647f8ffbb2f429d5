"""Writes that nothing reads back before the transaction ends, sent together.

Completing a response writes five tables (the response, its metric facts, two rollups, the
verbatim queue) and reads none of them again. On PostgreSQL every statement is a round trip
that costs the server process more CPU than the insert itself (bench/request_cpu.py), so
inside :func:`deferred_writes` the domains' :func:`write_rows` calls are collected and sent as
**one** statement when the block ends: each table's rows as one JSON document, expanded by
``json_to_recordset`` in its own data-modifying ``WITH`` part. PostgreSQL runs every part
exactly once, checks the foreign keys at the end of the statement (a fact may name the
response inserted beside it) and fails or commits them together with the transaction.

SQLite has no round trips to save: there :func:`write_rows` runs its statement at once, as
it always did, and :func:`deferred_writes` changes nothing.

What a deferred write cannot do: be read back, or be written twice to one row, before the
block ends. Callers defer only writes of new rows and counter increments.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

import pydantic_core
from sqlalchemy import JSON, Dialect, Table, Text, bindparam, cast, column, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import sqltypes

from journeyscope.store.bulk import encoded_column
from journeyscope.store.dialects import is_postgres
from journeyscope.store.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class AddTo:
    """On a key that is stored already, add the new row's ``column`` to the stored one.

    A counter upsert (``ON CONFLICT (key) DO UPDATE SET column = column + excluded.column``):
    concurrent increments add up instead of overwriting each other. ``column`` may name
    several counters (a histogram's), each added to its own.
    """

    key: tuple[str, ...]
    column: str | tuple[str, ...] = "count"


FAIL: Final = "fail"
"""A row that meets a unique constraint fails the statement (a plain ``INSERT``)."""
SKIP: Final = "skip"
"""A row that meets a unique constraint is left out (``ON CONFLICT DO NOTHING``)."""
OnConflict = str | AddTo

_BATCH: Final = "journeyscope_write_batch"


@dataclass
class _Batch:
    """The writes collected so far, per table and conflict rule, in the order first given."""

    parts: dict[tuple[Table, tuple[str, ...], OnConflict], list[Mapping[str, Any]]] = field(
        default_factory=dict
    )


@contextmanager
def deferred_writes(session: Session) -> Iterator[None]:
    """Collect :func:`write_rows` calls in the block and send them when it ends.

    One statement on PostgreSQL; nothing changes on SQLite. A block inside another adds to
    the outer one. If the block raises, nothing collected is sent.
    """
    if not is_postgres(session) or _BATCH in session.info:
        yield
        return
    batch = session.info[_BATCH] = _Batch()
    try:
        yield
    finally:
        del session.info[_BATCH]
    _send(session, batch)


def write_rows(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    on_conflict: OnConflict = FAIL,
) -> None:
    """Insert ``rows`` (all with the same keys, naming every column they set) into ``table``.

    Inside :func:`deferred_writes` on PostgreSQL they wait for the block's end; otherwise
    they are written now. Python-side column defaults do not run in a deferred write, so
    rows must carry every required column themselves (ids, times); a row that leaves one
    out is refused here on both databases, not only when PostgreSQL runs the batch.
    """
    if not rows:
        return
    columns = tuple(sorted(rows[0]))
    missing = _required(table).difference(columns)
    if missing:
        raise ValueError(f"rows for {table.name} lack required columns: {sorted(missing)}")
    batch: _Batch | None = session.info.get(_BATCH)
    if batch is not None:
        batch.parts.setdefault((table, columns, on_conflict), []).extend(rows)
        return
    if is_postgres(session):
        session.execute(_single_statement(table, on_conflict, True), list(rows))
        return
    plain = _sqlite_plain(table, columns, on_conflict, session.get_bind().dialect)
    if plain is None:
        session.execute(_single_statement(table, on_conflict, False), list(rows))
        return
    sql, order = plain
    encoded = [encoded_column([row[name] for row in rows]) for name in order]
    session.connection().exec_driver_sql(sql, list(zip(*encoded, strict=True)))


_PLAIN_TYPES: Final = (
    sqltypes.Uuid,
    sqltypes.String,
    sqltypes.Integer,
    sqltypes.Float,
    sqltypes.Date,
    sqltypes.Boolean,
    sqltypes.JSON,
    UTCDateTime,
)
"""Column types whose SQLite encoding ``store.bulk`` does itself (pinned by a unit test)."""


@functools.lru_cache(maxsize=64)
def _sqlite_plain(
    table: Table, columns: tuple[str, ...], on_conflict: OnConflict, dialect: Dialect
) -> tuple[str, tuple[str, ...]] | None:
    """The SQLite statement as text and its parameters' order, or None if a type needs SQLAlchemy.

    The driver's ``executemany`` with values encoded column by column skips SQLAlchemy's
    per-row parameter processing, which costs more than SQLite's own work on the small
    writes of a save (a completion's rollup upserts: bench/analytics.py).
    """
    if any(not isinstance(table.c[name].type, _PLAIN_TYPES) for name in columns):
        return None
    stmt = _with_conflict_rule(sqlite.insert(table), table, on_conflict)
    compiled = stmt.compile(dialect=dialect, column_keys=list(columns))
    order = tuple(compiled.positiontup or ())
    if set(order) != set(columns):  # a column default would run: leave it to SQLAlchemy
        return None
    return str(compiled), order


@functools.lru_cache(maxsize=64)
def _required(table: Table) -> frozenset[str]:
    """The columns a row must give: not nullable and without a server default."""
    return frozenset(c.name for c in table.c if not c.nullable and c.server_default is None)


@functools.lru_cache(maxsize=64)
def _single_statement(table: Table, on_conflict: OnConflict, postgres: bool) -> Any:
    """The table's ``INSERT`` with its conflict rule, for the driver's ``executemany``."""
    stmt: Any = (postgresql if postgres else sqlite).insert(table)
    return _with_conflict_rule(stmt, table, on_conflict)


def _with_conflict_rule(stmt: Any, table: Table, on_conflict: OnConflict) -> Any:
    if on_conflict == SKIP:
        return stmt.on_conflict_do_nothing()
    if isinstance(on_conflict, AddTo):
        counters = on_conflict.column
        names = (counters,) if isinstance(counters, str) else counters
        return stmt.on_conflict_do_update(
            index_elements=[table.c[name] for name in on_conflict.key],
            set_={name: table.c[name] + stmt.excluded[name] for name in names},
        )
    return stmt


def _send(session: Session, batch: _Batch) -> None:
    """The batch as one statement: one JSON document of rows per part."""
    if not batch.parts:
        return
    shape = tuple(batch.parts)
    dialect = session.get_bind().dialect
    params = {
        f"rows_{index}": _document(dialect, table, columns, batch.parts[table, columns, rule])
        for index, (table, columns, rule) in enumerate(shape)
    }
    session.execute(_batch_statement(shape), params)


@functools.lru_cache(maxsize=64)
def _batch_statement(shape: tuple[tuple[Table, tuple[str, ...], OnConflict], ...]) -> Any:
    """``WITH write_0 AS (INSERT ... SELECT ... FROM json_to_recordset(:rows_0)), ... SELECT n``.

    Built once per shape (which tables, columns and rules): building cost more than running.
    """
    parts = []
    for index, (table, columns, rule) in enumerate(shape):
        document = cast(bindparam(f"rows_{index}", type_=Text), postgresql.JSON)
        typed = [column(name, table.c[name].type) for name in columns]
        given = func.json_to_recordset(document).table_valued(*typed)
        given = given.render_derived(name=f"given_{index}", with_types=True)
        insert = postgresql.insert(table).from_select(
            list(columns), select(*(given.c[name] for name in columns)), include_defaults=False
        )
        parts.append(_with_conflict_rule(insert, table, rule).cte(f"write_{index}"))
    return select(literal(len(parts))).add_cte(*parts)


def _document(
    dialect: Dialect, table: Table, columns: tuple[str, ...], rows: Sequence[Mapping[str, Any]]
) -> str:
    """The rows as one JSON array, values encoded by their column types' bind processors.

    The document bypasses per-value binding; the types' own processors keep their guarantees
    (times in UTC, naive ones refused). JSON columns stay JSON values in the document.
    """
    encoders = _encoders(dialect, table, columns)
    items = []
    for row in rows:
        item = dict(row)
        for name, encode in encoders:
            item[name] = encode(item[name])
        items.append(item)
    return pydantic_core.to_json(items).decode()  # UUIDs, dates and times natively, in Rust


@functools.lru_cache(maxsize=64)
def _encoders(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    found: list[tuple[str, Callable[[Any], Any]]] = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind.dialect_impl(dialect), JSON):
            continue
        encode = kind.dialect_impl(dialect).bind_processor(dialect)
        if encode is not None:
            found.append((name, encode))
    return tuple(found)
