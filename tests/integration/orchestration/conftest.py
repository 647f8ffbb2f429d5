"""Fixtures of the orchestration tests: the test's clock, and the statements a step runs.

The helpers that plan and send (contacts, rules, sales, one dispatch pass) are in
``tests/outbox_support.py``, shared with the worker tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from journeyscope import orchestration
from journeyscope.store import Database
from outbox_support import START


@pytest.fixture
def clock() -> orchestration.FixedClock:
    """The test's time: :data:`outbox_support.START` (19:30 in Paris), moved by the test."""
    return orchestration.FixedClock(START)


@pytest.fixture
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL of every statement run on the database while the test runs (clear it first)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)
