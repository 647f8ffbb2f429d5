"""The one source of the current time for the whole product.

Every reading of "now" goes through a :class:`Clock`, and the clock travels with the
:class:`~journeyscope.store.Database` (``db.clock``): services read ``db.clock.now()``, and
the columns that default to the current time read the clock of the ``Database`` that writes
the row. The doors (web app, CLI, worker) build their ``Database`` with :data:`SYSTEM_CLOCK`;
tests build one with a :class:`FixedClock` and move it instead of sleeping.

:class:`SystemClock` is the only place in ``src/`` that asks the operating system for the
date (a test checks this). Durations (caches, leases measured with ``time.monotonic``) are not
the time of day and are not read here. Imports nothing from journeyscope.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time, aware and in UTC."""

    def now(self) -> dt.datetime:
        """The current time."""
        ...  # pragma: no cover - protocol


class SystemClock:
    """The real time, from the operating system."""

    def now(self) -> dt.datetime:
        """The current time, aware, in UTC."""
        return dt.datetime.now(dt.UTC)


SYSTEM_CLOCK = SystemClock()
"""The clock of every ``Database`` not given another one."""


class FixedClock:
    """A clock that moves only when told to: delays, windows and periods without sleeping."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("give the clock an aware datetime")
        self.current = start

    def now(self) -> dt.datetime:
        """The time it was last set to."""
        return self.current

    def advance(self, **delta: float) -> dt.datetime:
        """Move forward by ``timedelta(**delta)``; the new time."""
        self.current += dt.timedelta(**delta)
        return self.current
