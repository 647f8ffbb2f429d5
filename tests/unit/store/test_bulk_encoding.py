"""store.insert_many encodes values on SQLite exactly as the column types' bind processors do."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite

from journeyscope.store import sqlite_value, tables

DIALECT = sqlite.dialect()
WHEN = dt.datetime(2026, 3, 1, 9, 30, 15, 120_000, tzinfo=dt.UTC)
PARIS = dt.timezone(dt.timedelta(hours=1))


def _processed(column: Any, value: Any) -> Any:
    process = column.type.dialect_impl(DIALECT).bind_processor(DIALECT)
    return value if process is None else process(value)


@pytest.mark.parametrize(
    ("table", "name", "value"),
    [
        (tables.MetricFact, "id", uuid.UUID(int=12345)),
        (tables.MetricFact, "day", dt.date(2026, 3, 1)),
        (tables.MetricFact, "value", 9.0),
        (tables.Response, "completed_at", WHEN),
        (tables.Response, "started_at", WHEN.astimezone(PARIS)),
        (tables.Response, "is_complete", True),
        (tables.Invitation, "attempts", 3),
        (tables.Invitation, "reason", None),
    ],
)
def test_values_are_encoded_as_their_column_type_encodes_them(
    table: Any, name: str, value: Any
) -> None:
    assert sqlite_value(value) == _processed(table.__table__.c[name], value)


def test_json_is_stored_as_text_that_reads_back_equal() -> None:
    column = tables.Response.__table__.c["answers"]
    answers = {"nps": 9, "comment": "Très bien"}
    result = column.type.dialect_impl(DIALECT).result_processor(DIALECT, None)
    assert result(sqlite_value(answers)) == answers


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        sqlite_value(dt.datetime(2026, 3, 1, 9, 30))  # noqa: DTZ001 - the point of the test
