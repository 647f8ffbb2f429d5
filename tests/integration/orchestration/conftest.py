"""Fixtures of the orchestration tests: the test's clock, the usual rule, an invitation already
sent, and the statements a step runs.

A module changes the rule by overriding ``rule_settings`` (or ``rule``, asking for the one here).
The helpers that plan and send (contacts, rules, sales, one dispatch pass) are in
``tests/outbox_support.py``, shared with the worker tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from factories import Tenant, make_published_survey
from journeyscope import orchestration
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from outbox_support import (
    IN_THE_DAY,
    START,
    RecordingSender,
    add_contact,
    dispatch,
    put_rule,
    sales,
)


@pytest.fixture
def clock() -> FixedClock:
    """The test's time: :data:`outbox_support.START` (19:30 in Paris), moved by the test."""
    return FixedClock(START)


@pytest.fixture
def rule_settings() -> dict[str, Any]:
    """The settings of the ``rule`` fixture's rule: one hour later, 09:00-20:00 (``IN_THE_DAY``)."""
    return IN_THE_DAY


@pytest.fixture
def rule(db: Database, tenant: Tenant, rule_settings: dict[str, Any]) -> orchestration.RuleView:
    """The survey "visit" published, the contact C-1 (in Paris), and the rule ``after-sale``."""
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    return put_rule(db, tenant, **rule_settings)


@pytest.fixture
def sent(
    db: Database, tenant: Tenant, clock: FixedClock, rule: orchestration.RuleView
) -> RecordingSender:
    """C-1's sale, and the invitation it plans sent by one dispatch pass (recorded).

    The module's ``rule_settings`` must send at once (no delay, no window).
    """
    sales(db, tenant, "C-1")
    sender = RecordingSender()
    dispatch(db, sender)
    assert len(sender.sent) == 1, "override rule_settings with a rule that sends at once"
    return sender


@pytest.fixture
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL of every statement run on the database while the test runs (clear it first)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)
