"""The SQLite ingest path encodes values itself; these pin it to SQLAlchemy's own encoding."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy.dialects import sqlite

from journeyscope.collection import repo
from journeyscope.store import new_id, tables

DIALECT = sqlite.dialect()


def _processor(column: str):  # type: ignore[no-untyped-def]
    kind = tables.Event.__table__.c[column].type.dialect_impl(DIALECT)
    return kind.bind_processor(DIALECT) or (lambda value: value)


def test_param_order_is_the_table_column_order() -> None:
    columns = tuple(c.name for c in tables.Event.__table__.columns)
    assert columns == repo.SQLITE_EVENT_COLUMNS


def test_params_equal_what_the_column_types_write() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    shared = {"workspace_id": uuid.uuid4(), "received_at": dt.datetime.now(dt.UTC)}
    rows = [
        {
            "id": new_id(),
            "type": "sale.completed",
            "occurred_at": dt.datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=paris),
            "contact_id": contact,
            "properties": {"amount": 59.9, "tags": ["a", "é"], "nested": {"x": None}},
            "idempotency_key": key,
        }
        for contact, key in ((uuid.uuid4(), "k1"), (None, None))
    ]
    params = repo.sqlite_event_params(shared, rows)
    properties = repo.SQLITE_EVENT_COLUMNS.index("properties")
    for row, encoded in zip(rows, params, strict=True):
        values = shared | row
        expected = [_processor(c)(values[c]) for c in repo.SQLITE_EVENT_COLUMNS]
        assert json.loads(encoded[properties]) == json.loads(expected[properties])
        expected[properties] = encoded[properties]
        assert encoded == tuple(expected)


def test_time_encoding_matches_for_edge_values() -> None:
    encode = _processor("occurred_at")
    for value in (
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
        dt.datetime(999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-9, minutes=-30))),
    ):
        assert repo.sqlite_time(value) == encode(value)
